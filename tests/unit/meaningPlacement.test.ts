import { describe, expect, test } from 'vitest'
import { meaningPlacement, type ScreenRect } from '../../client/src/maps/meaningPlacement.ts'

const PANEL = { w: 300, h: 260 }
const overlaps = (a: ScreenRect, b: ScreenRect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** The open control's rectangle for a placement ('above' grows upwards from its point). */
function controlRect(p: ReturnType<typeof meaningPlacement>): ScreenRect {
  return p.side === 'above' ? { x: p.x, y: p.y - PANEL.h, w: PANEL.w, h: PANEL.h } : { x: p.x, y: p.y, ...PANEL }
}

describe('"Significato" never covers the card being edited (issue 19 item 5)', () => {
  test('on a laptop: right of the card; at the right edge: left of it', () => {
    const screen = { w: 1366, h: 768 }
    const card = { x: 400, y: 200, w: 160, h: 160 }
    expect(meaningPlacement(card, screen, PANEL).side).toBe('right')
    expect(meaningPlacement({ ...card, x: 1150 }, screen, PANEL).side).toBe('left')
    for (const c of [card, { ...card, x: 1150 }]) expect(overlaps(controlRect(meaningPlacement(c, screen, PANEL)), c)).toBe(false)
  })

  test('on a phone: below the card, or above it near the bottom; never over it', () => {
    const screen = { w: 390, h: 844 }
    const cards = [
      { x: 60, y: 150, w: 230, h: 230 },
      { x: 60, y: 500, w: 230, h: 230 },
      { x: 170, y: 300, w: 200, h: 200 },
    ]
    expect(meaningPlacement(cards[0]!, screen, PANEL).side).toBe('below')
    expect(meaningPlacement(cards[1]!, screen, PANEL).side).toBe('above')
    for (const c of cards) {
      const r = controlRect(meaningPlacement(c, screen, PANEL))
      expect(overlaps(r, c)).toBe(false)
      expect(r.x).toBeGreaterThanOrEqual(8)
      expect(r.x + r.w).toBeLessThanOrEqual(screen.w - 8)
    }
  })

  test('a card filling the screen: the roomiest side, still on screen', () => {
    const p = meaningPlacement({ x: -50, y: 100, w: 500, h: 600 }, { w: 390, h: 844 }, PANEL)
    expect(p.side).toBe('below')
    expect(p.y).toBeLessThanOrEqual(844 - 8 - 44)
  })
})
