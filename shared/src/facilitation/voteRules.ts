/**
 * Dot-voting: pure rules shared by the server (which enforces them) and the browser (which shows them).
 * Rules are numbered in server/src/facilitation/SPEC.md (DV1..); tests cite them.
 */
import { z } from 'zod'

export const VOTES_PER_VOTER_MIN = 1
export const VOTES_PER_VOTER_MAX = 20
export const VOTES_PER_VOTER_DEFAULT = 3
export const VOTE_TITLE_MAX = 120
/** Most cards one vote can cover (a map with more cards is split by cell, or voted in parts). */
export const VOTE_CARDS_MAX = 500

export type VoteState = 'open' | 'closed' | 'revealed'

/** A device's voter id: random, kept in the browser next to the display name, never published in presence. */
export const VOTER_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/
export const VoterIdSchema = z.string().regex(VOTER_ID_PATTERN, 'a voter id is 16 to 64 letters, digits, "-" or "_"')

/** A tldraw shape id as the board holds it. */
const ShapeIdSchema = z.string().regex(/^shape:[A-Za-z0-9_-]{1,64}$/, 'a card id looks like "shape:…"')

/** `POST /api/meetings/:id/votes`. */
export const CreateVoteInputSchema = z.strictObject({
  frameId: ShapeIdSchema,
  /** One facet, category or phase of a map (its id in the template); absent or null: the whole frame. */
  cell: z.string().regex(/^[a-z0-9-]{1,64}$/).nullable().optional(),
  votesPerVoter: z.number().int().min(VOTES_PER_VOTER_MIN).max(VOTES_PER_VOTER_MAX).default(VOTES_PER_VOTER_DEFAULT),
  onePerCard: z.boolean().default(false),
  /** ISO time at which the server closes the vote by itself; absent or null: the facilitator closes it. */
  closesAt: z.iso.datetime({ offset: true }).nullable().optional(),
  title: z.string().trim().min(1).max(VOTE_TITLE_MAX).optional(),
})
export type CreateVoteInput = z.output<typeof CreateVoteInputSchema>

/** `PUT /api/meetings/:id/votes/:voteId/ballots/:voterId`: the voter's whole ballot (a card twice = two dots). */
export const PutBallotInputSchema = z.strictObject({
  cardIds: z.array(ShapeIdSchema).max(VOTES_PER_VOTER_MAX),
})

export interface VoteCard {
  id: string
  text: string
}

export interface VoteRules {
  votesPerVoter: number
  onePerCard: boolean
  /** ISO time; null: the facilitator closes. */
  closesAt: string | null
}

/** What everybody may know of a vote (also written in the board document): never ballots or totals. */
export interface PublicVote extends VoteRules {
  id: string
  title: string
  frameId: string
  cell: string | null
  /** The cards that can get dots, fixed when the vote starts. */
  cardIds: string[]
  state: VoteState
  createdAt: string
  closedAt: string | null
  revealedAt: string | null
}

export interface VoteResult {
  cardId: string
  text: string
  votes: number
  /** 1 = most votes; cards with the same votes share a rank (1, 2, 2, 4). */
  rank: number
}

export interface Ballot {
  voterId: string
  cardIds: string[]
  /** Dots the voter still has. */
  remaining: number
}

export type BallotVerdict =
  | { ok: true }
  | { ok: false; rule: 'DV3' | 'DV4' | 'DV5'; message: string }

/** DV3..DV5: may this ballot stand in this vote? (The state, DV6, is the store's to check atomically.) */
export function checkBallot(vote: Pick<PublicVote, 'cardIds' | 'votesPerVoter' | 'onePerCard'>, cardIds: readonly string[]): BallotVerdict {
  if (cardIds.length > vote.votesPerVoter) {
    return { ok: false, rule: 'DV3', message: `over quota: ${cardIds.length} votes, at most ${vote.votesPerVoter} per person` }
  }
  const inVote = new Set(vote.cardIds)
  const outside = cardIds.find((id) => !inVote.has(id))
  if (outside !== undefined) return { ok: false, rule: 'DV4', message: `the card ${outside} is not part of this vote` }
  if (vote.onePerCard && new Set(cardIds).size !== cardIds.length) {
    return { ok: false, rule: 'DV5', message: 'this vote allows one vote per card' }
  }
  return { ok: true }
}

/** DV6: ballots are accepted while the vote is open and its closing time (if any) has not come. */
export function acceptsBallots(vote: Pick<PublicVote, 'state' | 'closesAt'>, nowMs: number): boolean {
  return vote.state === 'open' && (vote.closesAt === null || Date.parse(vote.closesAt) > nowMs)
}

/**
 * DV8: totals per card, ranked: most votes first; equal votes share a rank (competition ranking, 1, 2, 2, 4) and keep
 * the cards' order in the vote (reading order), so the same ballots always give the same list. Every card of the vote
 * is listed, those with no votes last.
 */
export function tallyVotes(cards: readonly VoteCard[], ballots: ReadonlyArray<{ cardIds: readonly string[] }>): VoteResult[] {
  const counts = new Map(cards.map((c) => [c.id, 0]))
  for (const ballot of ballots) {
    for (const id of ballot.cardIds) {
      const n = counts.get(id)
      if (n !== undefined) counts.set(id, n + 1)
    }
  }
  const ordered = cards
    .map((card, order) => ({ card, order, votes: counts.get(card.id) ?? 0 }))
    .sort((a, b) => b.votes - a.votes || a.order - b.order)
  let rank = 0
  return ordered.map((entry, i) => {
    if (i === 0 || entry.votes !== ordered[i - 1]!.votes) rank = i + 1
    return { cardId: entry.card.id, text: entry.card.text, votes: entry.votes, rank }
  })
}

/** Voters who placed at least one dot. */
export function countVoters(ballots: ReadonlyArray<{ cardIds: readonly string[] }>): number {
  return ballots.filter((b) => b.cardIds.length > 0).length
}
