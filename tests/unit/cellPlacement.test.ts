// Checks shared/src/maps/SPEC.md MP12 and MP14: the cells of a map, a free spot inside one for a card added by keyboard,
// and room made in a full one.
import { describe, expect, test } from 'vitest'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { CARD_SCALE, MAX_CARD_SCALE, cardScaleFor, slotPosition } from '../../shared/src/maps/cards.ts'
import { mapCells, placeCardInCell, placeInCell } from '../../shared/src/maps/cellPlacement.ts'
import { meaningAtPoint } from '../../shared/src/maps/layout.ts'
import type { Rect } from '../../shared/src/maps/templateSchema.ts'

const CARD = { w: 160, h: 160 }

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

describe('mapCells (MP12)', () => {
  test('the actor grid: category × level in reading order, named in both languages', () => {
    const t = getTemplate('actors')!
    const cells = mapCells(t)
    expect(cells).toHaveLength(6 * 3)
    const cell = cells.find((c) => c.key === 'reti-solidali/nucleo-fondativo')!
    expect(cell.label.it).toBe('«Reti solidali attive» – «Nucleo fondativo»')
    expect(cell.label.en).toBe('«Active solidarity networks» – «Founding core»')
    expect(cell.place).toEqual({ category: 'reti-solidali', level: 'nucleo-fondativo' })
    // Every cell's own centre means that cell.
    for (const c of cells) {
      const at = meaningAtPoint(t, { x: c.rect.x + c.rect.w / 2, y: c.rect.y + c.rect.h / 2 })
      expect(at).toMatchObject(c.place)
    }
  })

  test('issues give their facets, the programme phase × row; rings and the architecture none', () => {
    const issues = getTemplate('issues')!
    expect(mapCells(issues).map((c) => c.key)).toEqual(issues.kind === 'issues' ? issues.facets.map((f) => f.id) : [])
    const programme = getTemplate('programme')!
    expect(mapCells(programme)).toHaveLength(programme.kind === 'programme' ? programme.phases.length * programme.rows.length : -1)
    expect(mapCells(getTemplate('architecture')!)).toEqual([])
    const stakeholders = getTemplate('stakeholders')!
    if (stakeholders.kind === 'actors' && stakeholders.layout.type === 'rings') expect(mapCells(stakeholders)).toEqual([])
  })
})

describe('placeInCell (MP12)', () => {
  const cell: Rect = { x: 430, y: 210, w: 460, h: 440 }

  test('an empty cell: the top-left spot, inside the cell', () => {
    expect(placeInCell(cell, CARD, [])).toEqual({ x: 450, y: 230 })
  })

  test('cards added one after another never cover each other and stay inside the cell while there is room', () => {
    const placed: Rect[] = []
    for (let i = 0; i < 4; i++) {
      const p = placeInCell(cell, CARD, placed)
      const box = { ...p, ...CARD }
      for (const other of placed) expect(overlap(box, other)).toBe(false)
      expect(box.x).toBeGreaterThanOrEqual(cell.x)
      expect(box.y).toBeGreaterThanOrEqual(cell.y)
      expect(box.x + box.w).toBeLessThanOrEqual(cell.x + cell.w)
      expect(box.y + box.h).toBeLessThanOrEqual(cell.y + cell.h)
      placed.push(box)
    }
  })

  test('a card someone put at the top-left is avoided, not covered', () => {
    const there = { x: cell.x + 30, y: cell.y + 25, w: 160, h: 160 }
    const p = placeInCell(cell, CARD, [there])
    expect(overlap({ ...p, ...CARD }, there)).toBe(false)
  })

  test('a cell with no free spot: the spot covering the least of the others', () => {
    const middle = { x: cell.x + 150, y: cell.y + 140, w: 160, h: 160 }
    const p = placeInCell(cell, CARD, [middle])
    const box = { ...p, ...CARD }
    const w = Math.min(box.x + box.w, middle.x + middle.w) - Math.max(box.x, middle.x)
    const h = Math.min(box.y + box.h, middle.y + middle.h) - Math.max(box.y, middle.y)
    // Pushed into a corner: a fraction of the card, not the whole of it.
    expect(Math.max(0, w) * Math.max(0, h)).toBeLessThan(160 * 160 / 4)
  })

  test('a full cell still gives each new card its own spot, its centre inside the cell', () => {
    const placed: Rect[] = []
    for (let i = 0; i < 12; i++) placed.push({ ...placeInCell(cell, CARD, placed), ...CARD })
    const last = placed[placed.length - 1]!
    const before = placed[placed.length - 2]!
    expect(last).not.toEqual(before)
    for (const b of placed) {
      const cx = b.x + b.w / 2
      const cy = b.y + b.h / 2
      expect(cx > cell.x && cx < cell.x + cell.w && cy > cell.y && cy < cell.y + cell.h).toBe(true)
    }
  })

  test('a card larger than its cell still has its centre inside', () => {
    const small: Rect = { x: 0, y: 0, w: 100, h: 100 }
    const p = placeInCell(small, CARD, [{ x: 0, y: 0, w: 100, h: 100 }])
    expect(p.x + CARD.w / 2).toBeGreaterThan(0)
    expect(p.x + CARD.w / 2).toBeLessThan(100)
    expect(p.y + CARD.h / 2).toBeLessThan(100)
  })
})

describe('placeCardInCell (MP14): room made in a full cell', () => {
  const t = getTemplate('actors')!
  const cell = mapCells(t).find((c) => c.key === 'reti-solidali/nucleo-fondativo')!.rect
  // The seed's card alone in its place, as large as the place allows (server/src/demo/seedBoard.ts: top 40).
  const seedScale = cardScaleFor(cell, 1, 40)
  const seedCard = { id: 'seed', rect: { ...slotPosition(cell, 0, 40, seedScale), w: 200 * seedScale, h: 200 * seedScale }, scale: seedScale }
  const card = { w: 200 * CARD_SCALE, h: 200 * CARD_SCALE }
  const inside = (b: Rect) => b.x >= cell.x && b.y >= cell.y && b.x + b.w <= cell.x + cell.w && b.y + b.h <= cell.y + cell.h

  test("the seed fills the place: a new card at the cards' scale would cover its card wherever it went", () => {
    expect(seedScale).toBe(MAX_CARD_SCALE)
    expect(overlap({ ...placeInCell(cell, card, [seedCard.rect]), ...card }, seedCard.rect)).toBe(true)
  })

  test('the enlarged card shrinks to the scale at which two fit, keeping its corner; the new card then covers nothing', () => {
    const p = placeCardInCell(cell, card, CARD_SCALE, [seedCard])
    const fit = cardScaleFor(cell, 2)
    expect(fit).toBeLessThan(seedScale)
    expect(p.resized).toEqual([{ id: 'seed', scale: fit }])
    expect(p.scale).toBe(CARD_SCALE)
    const shrunk = { ...seedCard.rect, w: 200 * fit, h: 200 * fit }
    const box = { x: p.x, y: p.y, ...card }
    expect(overlap(box, shrunk)).toBe(false)
    expect(inside(box)).toBe(true)
    expect(meaningAtPoint(t, { x: box.x + box.w / 2, y: box.y + box.h / 2 })).toMatchObject({ category: 'reti-solidali', level: 'nucleo-fondativo' })
  })

  test('a cell with room changes no other card', () => {
    const small = { ...seedCard, rect: { ...seedCard.rect, w: 160, h: 160 }, scale: CARD_SCALE }
    const p = placeCardInCell(cell, card, CARD_SCALE, [small])
    expect(p.resized).toEqual([])
    expect({ x: p.x, y: p.y }).toEqual(placeInCell(cell, card, [small.rect]))
  })

  test('a card that may not change (locked, rotated) is never resized: the spot covering the least of it (MP12)', () => {
    const p = placeCardInCell(cell, card, CARD_SCALE, [{ ...seedCard, fixed: true }])
    expect(p.resized).toEqual([])
    expect({ x: p.x, y: p.y }).toEqual(placeInCell(cell, card, [seedCard.rect]))
  })

  test('cards of other cells keep their size', () => {
    const next = mapCells(t).find((c) => c.key === 'reti-solidali/allargamento-strategico')!.rect
    const neighbour = { id: 'neighbour', rect: { ...slotPosition(next, 0, 40, seedScale), w: 200 * seedScale, h: 200 * seedScale }, scale: seedScale }
    const p = placeCardInCell(cell, card, CARD_SCALE, [seedCard, neighbour])
    expect(p.resized.map((r) => r.id)).toEqual(['seed'])
  })

  test('a large card moved into a full cell shrinks too', () => {
    const big = { w: 200 * seedScale, h: 200 * seedScale }
    const p = placeCardInCell(cell, big, seedScale, [seedCard])
    const fit = cardScaleFor(cell, 2)
    expect(p.scale).toBe(fit)
    expect(p.resized).toEqual([{ id: 'seed', scale: fit }])
    expect(overlap({ x: p.x, y: p.y, w: 200 * fit, h: 200 * fit }, { ...seedCard.rect, w: 200 * fit, h: 200 * fit })).toBe(false)
  })

  test('cards already at the smallest scale are not shrunk further: a crowded cell keeps MP12', () => {
    const placed: Array<{ id: string; rect: Rect; scale: number }> = []
    for (let i = 0; i < 6; i++) placed.push({ id: `c${i}`, rect: { ...placeInCell(cell, card, placed.map((c) => c.rect)), ...card }, scale: CARD_SCALE })
    const p = placeCardInCell(cell, card, CARD_SCALE, placed)
    expect(p.resized).toEqual([])
    expect({ x: p.x, y: p.y }).toEqual(placeInCell(cell, card, placed.map((c) => c.rect)))
  })
})
