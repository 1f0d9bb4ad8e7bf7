import { describe, expect, test } from 'vitest'
import { placeLockBadge } from '../../client/src/meeting/lockBadgePlacement.ts'

const screen = { w: 1280, h: 800 }
const stylePanel = { x: 1120, y: 50, w: 150, h: 330 }
const statusStrip = { x: 700, y: 0, w: 580, h: 44 }

describe('the padlock of a locked shape', () => {
  test('a shape in the middle: at its top-right corner', () => {
    expect(placeLockBadge({ x: 200, y: 300, w: 200, h: 200 }, screen, [stylePanel, statusStrip])).toEqual({ x: 400, y: 300 })
  })

  test('a locked frame filling the screen: inside its visible part, clear of tldraw\'s panels', () => {
    const place = placeLockBadge({ x: -50, y: -40, w: 1400, h: 900 }, screen, [stylePanel, statusStrip])!
    const badge = { x: place.x - 16, y: place.y - 16, w: 32, h: 32 }
    for (const panel of [stylePanel, statusStrip]) {
      const overlaps = badge.x < panel.x + panel.w && panel.x < badge.x + badge.w && badge.y < panel.y + panel.h && panel.y < badge.y + badge.h
      expect(overlaps, JSON.stringify({ badge, panel })).toBe(false)
    }
    expect(place.x).toBeGreaterThan(0)
    expect(place.x).toBeLessThan(screen.w)
    expect(place.y).toBeGreaterThan(0)
    expect(place.y).toBeLessThan(screen.h)
  })

  test('a shape entirely off screen: no badge', () => {
    expect(placeLockBadge({ x: 2000, y: 300, w: 200, h: 200 }, screen, [])).toBeNull()
  })
})

describe('the padlock never covers a text (issue 19 item 17)', () => {
  const overlaps = (place: { x: number; y: number }, r: { x: number; y: number; w: number; h: number }) =>
    place.x - 16 < r.x + r.w && r.x < place.x + 16 && place.y - 16 < r.y + r.h && r.y < place.y + 16
  test('a map wider than a phone: clamped to the visible right edge, it steps off the header it would sit on', () => {
    const phone = { w: 390, h: 844 }
    const map = { x: 10, y: 57, w: 520, h: 210 }
    const header = { x: 313, y: 64, w: 120, h: 20 }
    const cards = [{ x: 316, y: 90, w: 50, h: 50 }, { x: 376, y: 210, w: 50, h: 50 }]
    const place = placeLockBadge(map, phone, [{ x: 0, y: 0, w: 390, h: 44 }], [header, ...cards])!
    for (const t of [header, ...cards]) expect(overlaps(place, t), JSON.stringify({ place, t })).toBe(false)
    expect(place.x + 16).toBeLessThanOrEqual(390)
    expect(place.y - 16).toBeGreaterThanOrEqual(57)
  })
  test('a clear corner stays where it was', () => {
    expect(placeLockBadge({ x: 200, y: 300, w: 200, h: 200 }, screen, [], [{ x: 210, y: 320, w: 100, h: 40 }])).toEqual({ x: 400, y: 300 })
  })
})

describe('the padlock stays whole on screen (issue 19: the architecture map on a phone)', () => {
  const phone = { w: 390, h: 844 }
  test('a frame whose right edge is at the phone\'s right edge: the padlock inside the screen, at the corner\'s height', () => {
    const place = placeLockBadge({ x: 10, y: 120, w: 378, h: 600 }, phone, [{ x: 0, y: 0, w: 390, h: 56 }])!
    expect(place.x + 16).toBeLessThanOrEqual(390)
    expect(place.x - 16).toBeGreaterThanOrEqual(0)
    expect(place.y).toBe(120)
  })
  test('a frame whose top edge is just below the screen\'s top: the padlock not cut by it', () => {
    const place = placeLockBadge({ x: 10, y: 4, w: 300, h: 600 }, phone, [])!
    expect(place.y - 16).toBeGreaterThanOrEqual(0)
    expect(place.x).toBe(310)
  })
})
