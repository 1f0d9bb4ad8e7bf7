import { describe, expect, test } from 'vitest'
import { BADGE_MAX_PX, BADGE_MIN_PX, badgeFontPx, badgeLeft, badgeWidthEstimate } from '../../client/src/maps/badgeSize.ts'

describe('a meaning badge is smaller than its card (issue 19)', () => {
  test('the wall and a zoomed-in laptop: 12 px, the cards larger', () => {
    expect(badgeFontPx(18)).toBe(BADGE_MAX_PX)
    expect(badgeFontPx(40)).toBe(BADGE_MAX_PX)
  })
  test('a phone at the readable zoom (cards at 12-15 px): smaller type than the card', () => {
    for (const card of [12, 13, 14.2, 15]) {
      expect(badgeFontPx(card)).toBeLessThan(card)
      expect(badgeFontPx(card)).toBeGreaterThanOrEqual(BADGE_MIN_PX)
    }
  })
  test('cards zoomed far out: still legible, 9 px', () => {
    expect(badgeFontPx(5)).toBe(BADGE_MIN_PX)
  })
  test('unknown card text: the usual 12 px', () => {
    expect(badgeFontPx(0)).toBe(BADGE_MAX_PX)
  })
})

describe('a badge stays on screen', () => {
  test('under the card\'s left corner when it fits', () => {
    expect(badgeLeft(100, 120, 390)).toBe(100)
  })
  test('a card at the right edge of a phone: moved left, whole on screen', () => {
    const width = badgeWidthEstimate(['Accordo di collaborazione'], 11, 150)
    const x = badgeLeft(345, width, 390)
    expect(x + width).toBeLessThanOrEqual(386)
    expect(x).toBeGreaterThanOrEqual(4)
  })
  test('a card partly past the left edge: at the screen\'s left margin', () => {
    expect(badgeLeft(-30, 100, 390)).toBe(4)
  })
})
