/**
 * Cells of a map a card can be put in by keyboard ("Testo della lavagna"), and where inside a cell a new or moved
 * card goes so it covers no other card, making room in a full cell. Pure over rectangles in the frame's coordinates.
 */
import { cardScaleFor, placeRect, type CardPlace } from './cards.ts'
import type { Locale, MapTemplate, Rect } from './templateSchema.ts'

/** One cell: its place (the meaning fields) and its name in both languages ("«Reti solidali attive» – «Nucleo fondativo»"). */
export interface MapCell {
  key: string
  place: CardPlace
  rect: Rect
  label: Record<Locale, string>
}

function pair(a: Record<Locale, string>, b: Record<Locale, string>): Record<Locale, string> {
  return { it: `«${a.it}» – «${b.it}»`, en: `«${a.en}» – «${b.en}»` }
}

/**
 * The cells of a map in reading order: facets; category × level; phase × row. None for ring maps (their cells are
 * sectors, not rectangles) and the architecture (its nodes are added with "Aggiungi strumento").
 */
export function mapCells(t: MapTemplate): MapCell[] {
  const cells: MapCell[] = []
  const add = (key: string, place: CardPlace, label: Record<Locale, string>) => {
    const rect = placeRect(t, place)
    if (rect !== null) cells.push({ key, place, rect, label })
  }
  if (t.kind === 'issues') for (const f of t.facets) add(f.id, { facet: f.id }, { it: `«${f.label.it}»`, en: `«${f.label.en}»` })
  if (t.kind === 'actors' && t.layout.type === 'grid')
    for (const c of t.categories) for (const l of t.levels) add(`${c.id}/${l.id}`, { category: c.id, level: l.id }, pair(c.label, l.label))
  if (t.kind === 'programme')
    for (const p of t.phases) for (const r of t.rows) add(`${p.id}/${r.id}`, { phase: p.id, row: r.id }, pair(p.label, r.label))
  return cells
}

function overlaps(a: Rect, b: Rect, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** Positions from `min` to `max` every `step`, `max` included; just `min` when there is no room. */
function stops(min: number, max: number, step: number): number[] {
  const out: number[] = []
  for (let v = min; v < max; v += step) out.push(v)
  out.push(Math.max(min, max))
  return out
}

/** The first spot of `cell` in reading order clear of `occupied`, or the one covering the least of them (free: false). */
function findSpot(cell: Rect, size: { w: number; h: number }, occupied: readonly Rect[], gap: number): { x: number; y: number; free: boolean } {
  const step = Math.max(1, gap)
  // When the card is larger than the cell, the range shrinks to the one spot that centres it.
  const xs = size.w + 2 * gap <= cell.w ? stops(cell.x + gap, cell.x + cell.w - gap - size.w, step) : [cell.x + (cell.w - size.w) / 2]
  const ys = size.h + 2 * gap <= cell.h ? stops(cell.y + gap, cell.y + cell.h - gap - size.h, step) : [cell.y + (cell.h - size.h) / 2]
  let best = { x: xs[0] ?? cell.x, y: ys[0] ?? cell.y }
  let bestCovered = Infinity
  for (const y of ys) {
    for (const x of xs) {
      const box = { x, y, w: size.w, h: size.h }
      if (occupied.every((o) => !overlaps(box, o, gap))) return { x: Math.round(x), y: Math.round(y), free: true }
      const covered = occupied.reduce((sum, o) => sum + overlapArea(box, o), 0)
      if (covered < bestCovered) {
        best = { x, y }
        bestCovered = covered
      }
    }
  }
  return { x: Math.round(best.x), y: Math.round(best.y), free: false }
}

/**
 * Top-left of a `size` card inside `cell`: the first spot in reading order (rows top to bottom, then left to right,
 * every `gap`) that keeps `gap` from every `occupied` box. A full cell gets the spot that covers the least of the
 * other cards (the first in reading order on a tie). The card's centre is always in the cell, so its meaning (read
 * from the centre) is that cell's, even when the card is larger than the cell.
 */
export function placeInCell(cell: Rect, size: { w: number; h: number }, occupied: readonly Rect[], gap = 20): { x: number; y: number } {
  const { x, y } = findSpot(cell, size, occupied, gap)
  return { x, y }
}

/** A card already on the map, for `placeCardInCell`: its box (frame coordinates) and scale. */
export interface PlacedCard {
  id: string
  rect: Rect
  scale: number
  /** Never resized (locked, rotated, or a shape without a scale). */
  fixed?: boolean
}

export interface CellPlacement {
  /** Top-left of the card. */
  x: number
  y: number
  /** The card's scale: its own, or smaller when room was made (MP14). */
  scale: number
  /** Cards of the cell made smaller to make room, each keeping its top-left corner; empty when there was room. */
  resized: Array<{ id: string; scale: number }>
}

function centreIn(r: Rect, cell: Rect): boolean {
  const cx = r.x + r.w / 2
  const cy = r.y + r.h / 2
  return cx >= cell.x && cx <= cell.x + cell.w && cy >= cell.y && cy <= cell.y + cell.h
}

/**
 * MP14: where a card of `size` at `scale` goes in `cell` among the map's `cards` (the card itself not among them).
 * A free spot (`placeInCell`) when there is one. In a full cell, room is made the way the seed sizes the cards of a
 * place (`cardScaleFor`: as large as the place allows for its number of cards): the cell's cards (centre inside it)
 * larger than the scale at which one more card fits shrink to it, each keeping its top-left corner, and so does the
 * card placed, when that gives a free spot. Otherwise nothing else changes and the card gets the spot covering the
 * least of the others (MP12).
 */
export function placeCardInCell(cell: Rect, size: { w: number; h: number }, scale: number, cards: readonly PlacedCard[], gap = 20): CellPlacement {
  const boxes = cards.map((c) => c.rect)
  const spot = findSpot(cell, size, boxes, gap)
  if (spot.free) return { x: spot.x, y: spot.y, scale, resized: [] }
  const fit = cardScaleFor(cell, cards.filter((c) => centreIn(c.rect, cell)).length + 1)
  const resized: Array<{ id: string; scale: number }> = []
  const shrunk = cards.map((c) => {
    if (c.fixed === true || c.scale <= fit || !centreIn(c.rect, cell)) return c.rect
    resized.push({ id: c.id, scale: fit })
    const k = fit / c.scale
    return { x: c.rect.x, y: c.rect.y, w: c.rect.w * k, h: c.rect.h * k }
  })
  const ownScale = Math.min(scale, fit)
  const ownSize = { w: (size.w * ownScale) / scale, h: (size.h * ownScale) / scale }
  const roomy = findSpot(cell, ownSize, shrunk, gap)
  if (!roomy.free) return { x: spot.x, y: spot.y, scale, resized: [] }
  return { x: roomy.x, y: roomy.y, scale: ownScale, resized }
}
