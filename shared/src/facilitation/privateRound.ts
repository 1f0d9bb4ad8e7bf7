/**
 * Private brainstorming ("Scrittura individuale"): pure rules shared by the server (which enforces them and writes
 * the reveal) and the browser (which shows them). Rules PR1.. in server/src/facilitation/SPEC.md; tests cite them.
 *
 * The board document holds only the round's public state (FACILITATION_MAP / PRIVATE_KEY): never a card's text, an
 * author or a count. Private cards live on the server (per device) and in the writing device's local cache until the
 * reveal, which writes them into the board as notes.
 */
import { z } from 'zod'
import { plainTextOfShape } from '../board/richText.ts'
import { MAX_SHAPE_TEXT } from '../board/textLimit.ts'
import { CARD_SCALE, noteRecord } from '../maps/cards.ts'
import { mapCells, placeInCell } from '../maps/cellPlacement.ts'
import { shapeSize, type ShapeLike } from '../maps/geometry.ts'
import type { ShapeRecordJson } from '../maps/instantiate.ts'
import { BoardIndex, isCard } from '../maps/meaning.ts'
import { rectContains } from '../maps/layout.ts'
import type { Rect } from '../maps/templateSchema.ts'

export const PRIVATE_KEY = 'private'
/** PR4: most private cards one device may write in one round. */
export const PRIVATE_CARDS_MAX = 50
/** A device's display name as shown next to its cards in a round "with names". */
export const PRIVATE_NAME_MAX = 60
/** The meta key a revealed private card carries: `{ roundId, author }` (author null when anonymous). */
export const PRIVATE_CARD_META_KEY = 'tavoloPrivate'

export type PrivateRoundState = 'open' | 'revealed'

/** What everybody may know of a round (also written in the board document): never texts, authors or counts. */
export interface PublicPrivateRound {
  id: string
  frameId: string
  /** true: the reveal writes each author's display name on their cards; false: anonymous. */
  named: boolean
  state: PrivateRoundState
  createdAt: string
  revealedAt: string | null
}

export const PublicPrivateRoundSchema = z.object({
  id: z.string(),
  frameId: z.string(),
  named: z.boolean(),
  state: z.enum(['open', 'revealed']),
  createdAt: z.string(),
  revealedAt: z.string().nullable(),
})

export function readPrivateRound(value: unknown): PublicPrivateRound | null {
  const parsed = PublicPrivateRoundSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

const ShapeIdSchema = z.string().regex(/^shape:[A-Za-z0-9_-]{1,64}$/, 'a frame id looks like "shape:…"')

/** `POST /api/meetings/:id/private-rounds`. */
export const CreatePrivateRoundInputSchema = z.strictObject({
  frameId: ShapeIdSchema,
  named: z.boolean().default(false),
  /** Optional: also starts the shared timer for this long. */
  durationMs: z.number().int().min(60_000).max(4 * 60 * 60 * 1000).nullable().optional(),
})
export type CreatePrivateRoundInput = z.output<typeof CreatePrivateRoundInputSchema>

export const PRIVATE_CARD_ID_PATTERN = /^pc_[A-Za-z0-9_-]{8,40}$/

/** One private card: its text and the point (frame coordinates) where its author put it. */
export const PrivateCardSchema = z.strictObject({
  id: z.string().regex(PRIVATE_CARD_ID_PATTERN, 'a private card id looks like "pc_…"'),
  text: z.string().trim().min(1, 'a card needs some text').max(MAX_SHAPE_TEXT, `a card holds at most ${MAX_SHAPE_TEXT} characters`),
  x: z.number().finite(),
  y: z.number().finite(),
})
export type PrivateCard = z.output<typeof PrivateCardSchema>

/**
 * `PUT /api/meetings/:id/private-rounds/:roundId/cards/:voterId`: the device's whole list (replaces the previous
 * one, so a device that was offline sends its cache again). The array bound here only caps the body; PR4 is 409.
 */
export const PutPrivateCardsInputSchema = z.strictObject({
  name: z.string().trim().max(PRIVATE_NAME_MAX).nullable().optional(),
  cards: z.array(PrivateCardSchema).max(PRIVATE_CARDS_MAX * 4),
})
export type PutPrivateCardsInput = z.output<typeof PutPrivateCardsInputSchema>

export type PrivateCardsVerdict = { ok: true } | { ok: false; rule: 'PR4' | 'PR5' | 'PR6'; message: string }

/** PR4..PR6: may this list stand in a round on a frame of `frame` size? */
export function checkPrivateCards(frame: { w: number; h: number }, cards: readonly PrivateCard[]): PrivateCardsVerdict {
  if (cards.length > PRIVATE_CARDS_MAX) {
    return { ok: false, rule: 'PR4', message: `too many cards: ${cards.length}, at most ${PRIVATE_CARDS_MAX} per device` }
  }
  if (new Set(cards.map((c) => c.id)).size !== cards.length) return { ok: false, rule: 'PR5', message: 'two cards have the same id' }
  const outside = cards.find((c) => !rectContains({ x: 0, y: 0, w: frame.w, h: frame.h }, c))
  if (outside !== undefined) return { ok: false, rule: 'PR6', message: `the card ${outside.id} is outside the frame of the round` }
  return { ok: true }
}

/** The frame of a round on the board (its size, its map cells), or null when it is not a frame on the board. */
export function roundFrame(records: Iterable<unknown>, frameId: string): { w: number; h: number; cells: Rect[] } | null {
  const index = new BoardIndex(records)
  const frame = index.byId.get(frameId)
  if (frame === undefined || frame.typeName !== 'shape' || frame.type !== 'frame') return null
  const map = index.frames.find((f) => f.id === frameId)
  return { ...shapeSize(frame), cells: map === undefined ? [] : mapCells(map.template).map((c) => c.rect) }
}

/** A device's cards as the server keeps them. */
export interface PrivateWriter {
  voterId: string
  name: string | null
  cards: PrivateCard[]
  /** When the device last changed its list (ISO): the reveal's order among devices. */
  updatedAt: string
}

/** PR7: what the facilitator sees: how many devices wrote, how many cards in all, cards per device (no texts). */
export function privateCounts(writers: readonly Pick<PrivateWriter, 'cards'>[]): { writers: number; cards: number; perWriter: number[] } {
  const perWriter = writers.map((w) => w.cards.length).filter((n) => n > 0)
  return { writers: perWriter.length, cards: perWriter.reduce((a, b) => a + b, 0), perWriter: perWriter.sort((a, b) => b - a) }
}

/** The shape id of a revealed private card: fixed by the card's id, so a second reveal writes the same notes. */
export function revealedShapeId(cardId: string): string {
  return `shape:${cardId}`
}

/** The text a revealed card shows: the author's name on a second line in a round "with names". */
export function revealedText(card: PrivateCard, author: string | null): string {
  return author === null ? card.text : `${card.text}\n— ${author}`
}

/**
 * PR8: the notes a reveal adds to the board: every private card, children of the round's frame, in the map cell
 * where its author put it (the cell that holds its point; on a frame without cells, the whole frame), at the first
 * free spot in that cell (placeInCell: no overlap with the cards already there nor with each other). Cards already on
 * the board (a second reveal) are skipped. Devices in the order they last wrote, cards in their own order.
 */
export function privateCardsIntoRecords(records: Iterable<unknown>, round: PublicPrivateRound, writers: readonly PrivateWriter[]): ShapeRecordJson[] {
  const all = [...records]
  const index = new BoardIndex(all)
  const frame = roundFrame(all, round.frameId)
  if (frame === null) return []
  const size = { w: 200 * CARD_SCALE, h: 200 * CARD_SCALE }
  const occupied: Rect[] = []
  for (const r of index.byId.values()) {
    if (!isCard(r) || r.parentId !== round.frameId) continue
    const s = shapeSize(r)
    occupied.push({ x: Number((r as ShapeLike & { x?: number }).x ?? 0), y: Number((r as ShapeLike & { y?: number }).y ?? 0), ...s })
  }
  const whole: Rect = { x: 0, y: 0, w: frame.w, h: frame.h }
  const ordered = [...writers].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.voterId < b.voterId ? -1 : 1))
  const out: ShapeRecordJson[] = []
  let order = index.byId.size
  for (const writer of ordered) {
    const author = round.named ? (writer.name?.trim() || null) : null
    for (const card of writer.cards) {
      const id = revealedShapeId(card.id)
      if (index.byId.has(id)) continue
      const cell = frame.cells.find((c) => rectContains(c, card)) ?? whole
      const at = placeInCell(cell, size, occupied)
      occupied.push({ ...at, ...size })
      out.push(
        noteRecord({
          id,
          parentId: round.frameId,
          x: at.x,
          y: at.y,
          text: revealedText(card, author),
          order: order++ % 200_000,
          meta: { [PRIVATE_CARD_META_KEY]: { roundId: round.id, author } },
        }),
      )
    }
  }
  return out
}

/** Plain text of a revealed private card (tests, the client's list). */
export function isRevealedPrivateCard(record: unknown, roundId: string): boolean {
  const meta = (record as { meta?: Record<string, unknown> } | null)?.meta
  const mark = meta?.[PRIVATE_CARD_META_KEY] as { roundId?: unknown } | undefined
  return mark?.roundId === roundId && plainTextOfShape(record) !== ''
}
