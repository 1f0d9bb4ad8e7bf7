/** Maps MP15: where "Aggiungi strumento" puts a new node of the operative architecture (shared/src/maps/instrumentPlacement.ts). */
import { describe, expect, test } from 'vitest'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { instrumentLayout, instrumentSlot } from '../../shared/src/maps/instrumentPlacement.ts'
import type { ArchitectureTemplate, Rect } from '../../shared/src/maps/templateSchema.ts'

const t = getTemplate('architecture') as ArchitectureTemplate
const defaults: Rect[] = t.instruments.map((i) => i.rect)
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('instrumentLayout', () => {
  test('the seed template: ordinary nodes 460×180, the legal band is no row, rows 440 apart from 520', () => {
    const l = instrumentLayout(t)
    expect(l.node).toEqual({ w: 460, h: 180 })
    expect(l.firstRowY).toBe(520)
    expect(l.rowPitch).toBe(440)
    expect(l.gap).toBe(130)
    expect(l.columns).toEqual([250, 610, 970, 1330, 1690])
    for (const x of l.columns) expect(x + l.node.w).toBeLessThanOrEqual(t.size.w)
  })

  test('a template with one node: its size, a column of its own, the fallback gap', () => {
    const one = { ...t, instruments: [t.instruments[1]!] }
    const l = instrumentLayout(one)
    expect(l.node).toEqual({ w: 460, h: 180 })
    expect(l.gap).toBe(80)
    expect(l.rowPitch).toBe(180 + 160)
    expect(l.columns).toContain(250)
  })
})

describe('instrumentSlot', () => {
  test('the full seed map: the first new node goes in a new row below, never a band wedged between rows; the frame grows', () => {
    const s = instrumentSlot(t, defaults, t.size.h)
    expect(s.rect).toEqual({ x: 250, y: 960 + 440, w: 460, h: 180 })
    expect(s.frameHeight).toBe(1400 + 180 + 130)
    for (const d of defaults) expect(overlap(s.rect, d)).toBe(false)
  })

  test('two new nodes side by side in the new row, a gap between them for an arrow and its label', () => {
    const first = instrumentSlot(t, defaults, t.size.h)
    const second = instrumentSlot(t, [...defaults, first.rect], first.frameHeight)
    expect(second.rect.y).toBe(first.rect.y)
    expect(second.rect.x - (first.rect.x + first.rect.w)).toBeGreaterThanOrEqual(130)
    expect(second.frameHeight).toBe(first.frameHeight)
    // Then the row fills (3 nodes at the template's own stagger) and a fourth starts the next one.
    const third = instrumentSlot(t, [...defaults, first.rect, second.rect], second.frameHeight)
    expect(third.rect).toEqual({ x: 1690, y: 1400, w: 460, h: 180 })
    const fourth = instrumentSlot(t, [...defaults, first.rect, second.rect, third.rect], third.frameHeight)
    expect(fourth.rect.y).toBe(1840)
    expect(fourth.frameHeight).toBe(1840 + 180 + 130)
  })

  test('a free slot in the template\'s rows is taken first (a deleted default node leaves its place)', () => {
    const without = defaults.filter((_r, i) => t.instruments[i]!.id !== 'cabina-di-regia')
    expect(instrumentSlot(t, without, t.size.h).rect).toEqual({ x: 970, y: 520, w: 460, h: 180 })
  })

  test('a card in the way is avoided like a node', () => {
    const card: Rect = { x: 300, y: 1450, w: 200, h: 200 }
    const s = instrumentSlot(t, [...defaults, card], t.size.h)
    expect(overlap(s.rect, card)).toBe(false)
    expect(s.rect.y).toBe(1400)
  })

  test('when the frame cannot grow (maxHeight), the slot inside it that covers the others least', () => {
    const s = instrumentSlot(t, defaults, t.size.h, t.size.h)
    expect(s.frameHeight).toBe(t.size.h)
    expect(s.rect.y + s.rect.h).toBeLessThanOrEqual(t.size.h)
    // Half a step left of the first column, in the last row: closer to «Patti di Collaborazione» than the gap, over nothing.
    expect(s.rect).toEqual({ x: 70, y: 960, w: 460, h: 180 })
    for (const d of defaults) expect(overlap(s.rect, d)).toBe(false)
  })
})
