import type { StoredVote } from '../../server/src/facilitation/VoteStore.ts'

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
