// maps SPEC MP17: a card stays inside the cell it was put in.
import { describe, expect, test } from 'vitest'
import { cellOfCard, fitCardInCell } from '../../shared/src/maps/cardFit.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { gridCellRect } from '../../shared/src/maps/layout.ts'

const cell = { x: 430, y: 210, w: 460, h: 440 }

describe('MP17 fitCardInCell', () => {
  test('a card inside its cell is left alone', () => {
    expect(fitCardInCell({ x: 440, y: 250, w: 160, h: 160 }, 0.8, cell)).toBeNull()
  })
  test('a card grown many cells tall shrinks to fit and stays where it started when it can', () => {
    const fitted = fitCardInCell({ x: 440, y: 250, w: 160, h: 3000 }, 0.8, cell)!
    const h = 3000 * (fitted.scale / 0.8)
    expect(fitted.scale).toBeCloseTo(0.8 * (424 / 3000), 5)
    expect(fitted.x).toBe(440)
    expect(fitted.y).toBe(218)
    expect(fitted.y + h).toBeLessThanOrEqual(cell.y + cell.h - 8 + 1e-9)
  })
  test('a card sticking out on the right moves back in without shrinking', () => {
    expect(fitCardInCell({ x: 800, y: 300, w: 160, h: 160 }, 0.8, cell)).toEqual({ scale: 0.8, x: 722, y: 300 })
  })
})

describe('MP17 cellOfCard', () => {
  test('the actor map: the cell holding the card\'s top-left corner; none on the headers', () => {
    const t = getTemplate('actors')!
    if (t.kind !== 'actors' || t.layout.type !== 'grid') throw new Error('actors grid')
    const c = gridCellRect(t.layout, 2, 1)
    expect(cellOfCard(t, { x: c.x + 10, y: c.y + 10, w: 160, h: 5000 })).toEqual(c)
    expect(cellOfCard(t, { x: t.layout.x + 5, y: t.layout.y + 5, w: 100, h: 100 })).toBeNull()
  })
})
