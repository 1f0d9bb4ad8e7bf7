import type { StoredVote } from '../../server/src/facilitation/VoteStore.ts'
import type { PrivateWriter, PublicPrivateRound } from '../../shared/src/facilitation/privateRound.ts'

/** An open dot-vote on two cards of frame `shape:f`, as the vote store keeps it (tests of the store and of erase). */
export function storedVote(over: Partial<StoredVote> = {}): StoredVote {
  return {
    id: 'vote_one',
    title: 'Priorità',
    frameId: 'shape:f',
    cell: null,
    cardIds: ['shape:a', 'shape:b'],
    cards: [
      { id: 'shape:a', text: 'A' },
      { id: 'shape:b', text: 'B' },
    ],
    votesPerVoter: 3,
    onePerCard: false,
    closesAt: null,
    state: 'open',
    createdAt: '2025-09-15T09:00:00.000Z',
    closedAt: null,
    revealedAt: null,
    results: null,
    voters: null,
    votesCast: null,
    ...over,
  }
}

/** An open private round on frame `shape:f`, as the private card store keeps it (tests of the store and of erase). */
export function storedRound(over: Partial<PublicPrivateRound> = {}): PublicPrivateRound {
  return { id: 'round_one', frameId: 'shape:f', named: false, state: 'open', createdAt: '2025-09-15T09:00:00.000Z', revealedAt: null, ...over }
}

/** One device's private cards in a round (tests of the store and of erase). */
export function privateWriter(voterId: string, texts: string[], over: Partial<PrivateWriter> = {}): PrivateWriter {
  return {
    voterId,
    name: null,
    cards: texts.map((text, i) => ({ id: `pc_${voterId.slice(-8)}${i}`, text, x: 10 + i, y: 10 })),
    updatedAt: '2025-09-15T09:01:00.000Z',
    ...over,
  }
}
