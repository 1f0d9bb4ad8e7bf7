/**
 * Votes on the board records: which cards a vote covers, and the revealed results as the board (and so every saved
 * version, the report and the semantic diff) keeps them. Pure; plain JSON records in, plain JSON out.
 *
 * A revealed vote is written (DV9) as
 * - `meta.tavoloVotes` on its frame: every revealed vote of that frame (rules, voters, ranked results), and
 * - `meta.tavoloVote` on each card of the vote: `{ voteId, votes, rank }`, the card's badge.
 * Ballots (who voted what) are never written into the board.
 */
import { z } from 'zod'
import { plainTextOfShape } from '../board/richText.ts'
import { BoardIndex, isCard, type CardMeaning } from '../maps/meaning.ts'
import type { ShapeLike } from '../maps/geometry.ts'
import { VOTE_CARDS_MAX, type PublicVote, type VoteCard, type VoteResult } from './voteRules.ts'

export const FRAME_VOTES_META_KEY = 'tavoloVotes'
export const CARD_VOTE_META_KEY = 'tavoloVote'

/** The ids a card's meaning answers to: one facet, category or phase of a map (what a vote's `cell` names). */
export function cellsOfMeaning(meaning: CardMeaning | null): string[] {
  if (meaning === null) return []
  switch (meaning.kind) {
    case 'issues':
      return meaning.facet === null ? [] : [meaning.facet]
    case 'actors':
      return [meaning.category, meaning.level].filter((v): v is string => v !== null)
    case 'programme':
      return [meaning.phase, meaning.row].filter((v): v is string => v !== null)
    case 'architecture':
      return [meaning.nodeType, meaning.instrument].filter((v): v is string => v !== null)
  }
}

function isInside(index: BoardIndex, id: string, frameId: string): boolean {
  let parent = index.byId.get(id)?.parentId
  for (let depth = 0; parent !== undefined && depth < 64; depth++) {
    if (parent === frameId) return true
    parent = index.byId.get(parent)?.parentId
  }
  return index.frameOf(id)?.id === frameId
}

/**
 * DV2: the cards a vote on `frameId` (optionally one `cell` of a map) covers: cards with text inside the frame (its
 * descendants, or on a map whose frame holds their centre), in reading order (top to bottom, then left to right).
 * null when the frame is not on the board.
 */
export function votableCards(records: Iterable<unknown>, frameId: string, cell: string | null = null): VoteCard[] | null {
  const index = new BoardIndex(records)
  const frame = index.byId.get(frameId)
  if (frame === undefined || frame.typeName !== 'shape' || frame.type !== 'frame') return null
  const found: Array<VoteCard & { x: number; y: number }> = []
  for (const record of index.byId.values()) {
    if (!isCard(record) || !isInside(index, record.id, frameId)) continue
    const text = plainTextOfShape(record).trim()
    if (text === '') continue
    if (cell !== null && !cellsOfMeaning(index.meaning(record.id)).includes(cell)) continue
    const c = index.geometry.center(record.id)
    found.push({ id: record.id, text, x: c.x, y: c.y })
  }
  found.sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1))
  return found.slice(0, VOTE_CARDS_MAX).map(({ id, text }) => ({ id, text }))
}

/** A frame's name, or '' (frames without one). */
export function frameTitle(records: Iterable<unknown>, frameId: string): string {
  for (const r of records) {
    if ((r as ShapeLike | null)?.id === frameId) return plainTextOfShape(r).trim()
  }
  return ''
}

const ResultSchema = z.object({ cardId: z.string(), text: z.string(), votes: z.number().int().min(0), rank: z.number().int().min(1) })

/** One revealed vote as its frame keeps it. */
export const RevealedVoteSchema = z.object({
  id: z.string(),
  title: z.string(),
  cell: z.string().nullable(),
  votesPerVoter: z.number().int(),
  onePerCard: z.boolean(),
  closesAt: z.string().nullable(),
  voters: z.number().int().min(0),
  votesCast: z.number().int().min(0),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  revealedAt: z.string(),
  results: z.array(ResultSchema),
})
export type RevealedVote = z.infer<typeof RevealedVoteSchema>

export const CardVoteSchema = z.object({ voteId: z.string(), votes: z.number().int().min(0), rank: z.number().int().min(1) })
export type CardVote = z.infer<typeof CardVoteSchema>

/** What a frame's meta says about its revealed votes; unreadable entries are skipped (readers are forgiving). */
export function revealedVotesOfFrame(record: unknown): RevealedVote[] {
  const meta = (record as { meta?: unknown } | null)?.meta
  const list = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)[FRAME_VOTES_META_KEY] : undefined
  if (!Array.isArray(list)) return []
  return list.flatMap((entry) => {
    const parsed = RevealedVoteSchema.safeParse(entry)
    return parsed.success ? [parsed.data] : []
  })
}

/** A card's badge, or null. */
export function cardVoteOf(record: unknown): CardVote | null {
  const meta = (record as { meta?: unknown } | null)?.meta
  if (typeof meta !== 'object' || meta === null) return null
  const parsed = CardVoteSchema.safeParse((meta as Record<string, unknown>)[CARD_VOTE_META_KEY])
  return parsed.success ? parsed.data : null
}

export interface BoardVote extends RevealedVote {
  frameId: string
  frameTitle: string
}

/** Every revealed vote on a board, oldest reveal first (the report's "Priorità votate", the semantic diff). */
export function revealedVotesOf(records: Iterable<unknown>): BoardVote[] {
  const out: BoardVote[] = []
  for (const r of records) {
    const shape = r as ShapeLike | null
    if (shape?.typeName !== 'shape' || shape.type !== 'frame') continue
    for (const vote of revealedVotesOfFrame(r)) out.push({ ...vote, frameId: shape.id, frameTitle: plainTextOfShape(r).trim() })
  }
  return out.sort((a, b) => (a.revealedAt < b.revealedAt ? -1 : a.revealedAt > b.revealedAt ? 1 : a.id < b.id ? -1 : 1))
}

type Json = Record<string, unknown>

function withMeta(record: Json, key: string, value: unknown): Json {
  const meta = typeof record.meta === 'object' && record.meta !== null ? { ...(record.meta as Json) } : {}
  meta[key] = value
  return { ...record, meta }
}

/**
 * DV9: the records a reveal changes (frame and cards of the vote that are still on the board), as new values. Card
 * texts in the results are the board's at the reveal (the vote's own copy for a card deleted since).
 */
export function revealIntoRecords(
  records: ReadonlyMap<string, Json>,
  vote: PublicVote,
  results: readonly VoteResult[],
  counts: { voters: number; votesCast: number },
): { changed: Json[]; results: VoteResult[] } {
  const current = results.map((r) => {
    const card = records.get(r.cardId)
    const text = card === undefined ? r.text : plainTextOfShape(card).trim() || r.text
    return { ...r, text }
  })
  const changed: Json[] = []
  const frame = records.get(vote.frameId)
  if (frame !== undefined) {
    const revealed: RevealedVote = {
      id: vote.id,
      title: vote.title,
      cell: vote.cell,
      votesPerVoter: vote.votesPerVoter,
      onePerCard: vote.onePerCard,
      closesAt: vote.closesAt,
      voters: counts.voters,
      votesCast: counts.votesCast,
      createdAt: vote.createdAt,
      closedAt: vote.closedAt,
      revealedAt: vote.revealedAt ?? vote.closedAt ?? vote.createdAt,
      results: current,
    }
    const others = revealedVotesOfFrame(frame).filter((v) => v.id !== vote.id)
    changed.push(withMeta(frame, FRAME_VOTES_META_KEY, [...others, revealed]))
  }
  for (const r of current) {
    const card = records.get(r.cardId)
    if (card !== undefined) changed.push(withMeta(card, CARD_VOTE_META_KEY, { voteId: vote.id, votes: r.votes, rank: r.rank } satisfies CardVote))
  }
  return { changed, results: current }
}
