/**
 * The facilitation state in a board's Y.Doc: a `Y.Map` named FACILITATION_MAP, written only by the server (the
 * facilitation guard undoes any client's write), read by every client. It holds what everybody may know:
 * - VOTE_KEY: the current vote as PublicVote (rules, state, the cards it covers), never ballots or totals;
 * - TIMER_KEY: the shared timer (timer.ts).
 * Part of the board document's public layout (shared/src/boardDocument.ts).
 */
import { z } from 'zod'
import type { PublicVote } from './voteRules.ts'

export const FACILITATION_MAP = 'facilitation'
export const VOTE_KEY = 'vote'
export const TIMER_KEY = 'timer'

export const PublicVoteSchema = z.object({
  id: z.string(),
  title: z.string(),
  frameId: z.string(),
  cell: z.string().nullable(),
  cardIds: z.array(z.string()),
  votesPerVoter: z.number().int(),
  onePerCard: z.boolean(),
  closesAt: z.string().nullable(),
  state: z.enum(['open', 'closed', 'revealed']),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  revealedAt: z.string().nullable(),
})

/** The vote as the document holds it, or null (none, or unreadable). */
export function readPublicVote(value: unknown): PublicVote | null {
  const parsed = PublicVoteSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}
