/** Typed calls to the votes, private rounds, timer and time routes (server/src/facilitation/SPEC.md), parsed at the edge. */
import { z } from 'zod'
import { PublicVoteSchema } from '../../../shared/src/facilitation/facilitationDoc.ts'
import { PublicPrivateRoundSchema, type PrivateCard } from '../../../shared/src/facilitation/privateRound.ts'
import { TimerStateSchema, type TimerAction } from '../../../shared/src/facilitation/timer.ts'
import type { CreateVoteInput } from '../../../shared/src/facilitation/voteRules.ts'
import { call, type ApiResult } from '../meeting/meetingApi.ts'

const BallotSchema = z.object({ voterId: z.string(), cardIds: z.array(z.string()), remaining: z.number() })
const ResultSchema = z.object({ cardId: z.string(), text: z.string(), votes: z.number(), rank: z.number() })
const VoteViewSchema = z.object({
  vote: PublicVoteSchema,
  ballot: BallotSchema.optional(),
  voters: z.number().optional(),
  results: z.array(ResultSchema).optional(),
})
export type VoteView = z.infer<typeof VoteViewSchema>
export type BallotAnswer = z.infer<typeof BallotSchema>

const votes = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/votes`

export function startVote(meetingId: string, key: string, input: Partial<CreateVoteInput> & { frameId: string }) {
  return call(z.object({ vote: PublicVoteSchema }), 'POST', votes(meetingId), { token: key, body: input })
}

export function putBallot(meetingId: string, key: string, voteId: string, voterId: string, cardIds: string[]): Promise<ApiResult<BallotAnswer>> {
  return call(z.object({ ballot: BallotSchema }), 'PUT', `${votes(meetingId)}/${voteId}/ballots/${voterId}`, { token: key, body: { cardIds } }).then((r) =>
    r.ok ? { ok: true, value: r.value.ballot } : r,
  )
}

export function getVote(meetingId: string, key: string, voteId: string, voterId: string | null, signal?: AbortSignal) {
  const query = voterId === null ? '' : `?voterId=${encodeURIComponent(voterId)}`
  return call(VoteViewSchema, 'GET', `${votes(meetingId)}/${voteId}${query}`, { token: key, signal })
}

export function closeVote(meetingId: string, key: string, voteId: string) {
  return call(z.object({ vote: PublicVoteSchema }), 'POST', `${votes(meetingId)}/${voteId}/close`, { token: key })
}

export function revealVote(meetingId: string, key: string, voteId: string) {
  return call(VoteViewSchema, 'POST', `${votes(meetingId)}/${voteId}/reveal`, { token: key })
}

export function timerAction(meetingId: string, key: string, action: TimerAction) {
  return call(z.object({ timer: TimerStateSchema.nullable(), now: z.number() }), 'POST', `/api/meetings/${encodeURIComponent(meetingId)}/timer`, { token: key, body: action })
}

export function serverTime(signal?: AbortSignal) {
  return call(z.object({ now: z.number() }), 'GET', '/api/time', { signal })
}

const PrivateCardJson = z.object({ id: z.string(), text: z.string(), x: z.number(), y: z.number() })
const PrivateRoundViewSchema = z.object({
  round: PublicPrivateRoundSchema,
  cards: z.array(PrivateCardJson).optional(),
  counts: z.object({ writers: z.number(), cards: z.number(), perWriter: z.array(z.number()) }).optional(),
})
export type PrivateRoundView = z.infer<typeof PrivateRoundViewSchema>

const privateRounds = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/private-rounds`

export function startPrivateRound(meetingId: string, key: string, input: { frameId: string; named: boolean; durationMs: number | null }) {
  return call(z.object({ round: PublicPrivateRoundSchema }), 'POST', privateRounds(meetingId), { token: key, body: input })
}

export function putPrivateCards(meetingId: string, key: string, roundId: string, voterId: string, name: string | null, cards: PrivateCard[]) {
  return call(z.object({ cards: z.array(PrivateCardJson) }), 'PUT', `${privateRounds(meetingId)}/${roundId}/cards/${voterId}`, { token: key, body: { name, cards } })
}

export function getPrivateRound(meetingId: string, key: string, roundId: string, voterId: string | null, signal?: AbortSignal) {
  const query = voterId === null ? '' : `?voterId=${encodeURIComponent(voterId)}`
  return call(PrivateRoundViewSchema, 'GET', `${privateRounds(meetingId)}/${roundId}${query}`, { token: key, signal })
}

export function revealPrivateRound(meetingId: string, key: string, roundId: string) {
  return call(z.object({ round: PublicPrivateRoundSchema, cards: z.number() }), 'POST', `${privateRounds(meetingId)}/${roundId}/reveal`, { token: key })
}
