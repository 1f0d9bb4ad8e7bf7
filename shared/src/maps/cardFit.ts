/**
 * MP17: a card stays inside the map cell it was put in (issue 19 item 14: a 20,280-character paste made one card
 * 46,832 units tall, covering three maps on everyone's screen; the text is bounded (board/textLimit.ts) but 1,000
 * characters still make a card several cells tall). When a card outgrows its cell, its scale shrinks until it fits
 * and it moves back inside; the text is all there, smaller (zooming in reads it). Pure, frame coordinates.
 */
import { mapCells } from './cellPlacement.ts'
import type { MapTemplate, Rect } from './templateSchema.ts'

/** Room kept between a card and its cell's edges. */
export const CELL_MARGIN = 8
const EPSILON = 0.5

/** The cell a card belongs to: the one holding a point just inside its top-left corner (it grows down and right). */
export function cellOfCard(t: MapTemplate, card: Rect): Rect | null {
  const p = { x: card.x + Math.min(card.w / 2, 20), y: card.y + Math.min(card.h / 2, 20) }
  return mapCells(t).find((c) => p.x >= c.rect.x && p.x < c.rect.x + c.rect.w && p.y >= c.rect.y && p.y < c.rect.y + c.rect.h)?.rect ?? null
}

/**
 * The card's new scale and position when it does not fit in `cell` (less CELL_MARGIN on each side), or null when it
 * already does. `card` is its box at its current `scale`.
 */
export function fitCardInCell(card: Rect, scale: number, cell: Rect, margin = CELL_MARGIN): { scale: number; x: number; y: number } | null {
  const inner = { x: cell.x + margin, y: cell.y + margin, w: Math.max(1, cell.w - 2 * margin), h: Math.max(1, cell.h - 2 * margin) }
  const inside =
    card.x >= inner.x - EPSILON && card.y >= inner.y - EPSILON && card.x + card.w <= inner.x + inner.w + EPSILON && card.y + card.h <= inner.y + inner.h + EPSILON
  if (inside) return null
  const factor = Math.min(1, inner.w / card.w, inner.h / card.h)
  const w = card.w * factor
  const h = card.h * factor
  const clamp = (v: number, min: number, max: number) => Math.min(Math.max(v, min), max)
  return { scale: scale * factor, x: clamp(card.x, inner.x, inner.x + inner.w - w), y: clamp(card.y, inner.y, inner.y + inner.h - h) }
}
