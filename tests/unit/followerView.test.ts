import { describe, expect, test } from 'vitest'
import { followerCamera, MIN_CARD_TEXT_PX, presentedFrame, typicalTextSize } from '../../client/src/meeting/followerView.ts'
import { cardScaleFor, MAX_CARD_SCALE, slotPosition } from '../../shared/src/maps/cards.ts'

// The seed's actor map (3240 × 1580) and the facilitator's view of it at 1366 × 768 with panels around it.
const actors = { id: 'actors', bounds: { x: 2800, y: 0, w: 3240, h: 1580 } }
const issues = { id: 'issues', bounds: { x: 0, y: 0, w: 2600, h: 1800 } }
const presenterView = { x: 2030, y: -470, w: 4570, h: 2570 }

/** Where a page point lands on screen with a tldraw camera. */
const toScreen = (c: { x: number; y: number; z: number }, p: { x: number; y: number }) => ({ x: (p.x + c.x) * c.z, y: (p.y + c.y) * c.z })

describe('the presented frame (V1)', () => {
  test('the frame the presenter shows whole and large; none when they show a region of it or a tiny frame', () => {
    expect(presentedFrame([issues, actors], presenterView)?.id).toBe('actors')
    // Zoomed into one cell of the map: a region, not the frame.
    expect(presentedFrame([issues, actors], { x: 3300, y: 200, w: 900, h: 500 })).toBeNull()
    // A frame far smaller than the view (the whole board in view): not what is presented.
    expect(presentedFrame([actors], { x: -20_000, y: -20_000, w: 60_000, h: 40_000 })).toBeNull()
    expect(presentedFrame([], presenterView)).toBeNull()
  })
})

describe('a follower\'s camera (V2, V3)', () => {
  test('a wall fits the frame to its own area, centred, whatever the presenter\'s zoom was', () => {
    const area = { x: 16, y: 100, w: 1888, h: 964 }
    const c = followerCamera({ region: actors.bounds, area, textPageSize: 0 })
    expect(c.z).toBeCloseTo(Math.min(1888 / 3240, 964 / 1580), 6)
    const tl = toScreen(c, { x: 2800, y: 0 })
    const br = toScreen(c, { x: 2800 + 3240, y: 1580 })
    expect(tl.x).toBeCloseTo(16, 3)
    expect(br.x).toBeCloseTo(16 + 1888, 3)
    expect((tl.y + br.y) / 2).toBeCloseTo(100 + 964 / 2, 3)
  })

  test('a phone never goes below a readable zoom: the region\'s left edge at 12 px card text, centred on the axis that fits', () => {
    const area = { x: 8, y: 56, w: 374, h: 680 }
    const c = followerCamera({ region: actors.bounds, area, textPageSize: 34.2 })
    expect(c.z).toBeCloseTo(MIN_CARD_TEXT_PX / 34.2, 6)
    expect(toScreen(c, { x: 2800, y: 0 }).x).toBeCloseTo(8, 3)
    // 1580 page units at this zoom are 554 px: they fit the 680 px area, so the map is centred vertically.
    expect((toScreen(c, { x: 2800, y: 0 }).y + toScreen(c, { x: 2800, y: 1580 }).y) / 2).toBeCloseTo(56 + 340, 3)
    // A taller region (the issues map, 1800 high, at a larger text size): its top edge at the area's top.
    const tall = followerCamera({ region: { x: 0, y: 0, w: 2600, h: 3000 }, area, textPageSize: 14.4 })
    expect(toScreen(tall, { x: 0, y: 0 }).y).toBeCloseTo(56, 3)
    // The plain fit would have been far smaller (what phones copied before: text of ~1.7 px).
    expect(374 / 3240).toBeLessThan(c.z / 2)
  })

  test('never beyond the largest zoom; the median card decides, not one odd card', () => {
    expect(followerCamera({ region: { x: 0, y: 0, w: 10, h: 10 }, area: { x: 0, y: 0, w: 1000, h: 1000 }, textPageSize: 20, maxZoom: 8 }).z).toBe(8)
    expect(typicalTextSize([14.4, 34.2, 34.2, 2], 22)).toBe(34.2)
    expect(typicalTextSize([], 22)).toBe(22)
  })
})

describe('cards as large as their place allows (issue 19 item 6)', () => {
  const cell = { x: 430, y: 210, w: 460, h: 440 }
  test('one card in an actor cell takes the largest scale; two share the cell side by side; every card stays inside', () => {
    expect(cardScaleFor(cell, 1, 40)).toBe(MAX_CARD_SCALE)
    for (const count of [1, 2, 3, 4]) {
      const scale = cardScaleFor(cell, count, 40)
      for (let slot = 0; slot < count; slot++) {
        const p = slotPosition(cell, slot, 40, scale)
        expect(p.x + 200 * scale).toBeLessThanOrEqual(cell.x + cell.w)
        expect(p.y + 200 * scale).toBeLessThanOrEqual(cell.y + cell.h)
      }
    }
    expect(cardScaleFor(cell, 2, 40)).toBeLessThan(MAX_CARD_SCALE)
  })
})
