import { describe, expect, test } from 'vitest'
import { chooseLanding, viewportOfPresence } from '../../client/src/meeting/landing.ts'

const frame = { x: 3000, y: 2000, w: 800, h: 500 }
const content = { x: -200, y: -100, w: 5000, h: 3000 }
const presenterView = { x: 100, y: 100, w: 1280, h: 800 }

describe('where an arriving person lands', () => {
  test('the presenting facilitator\'s view first, then the first frame, then all the content', () => {
    expect(chooseLanding({ presenter: { bounds: presenterView, pageId: 'page:2' }, firstFrame: frame, content })).toEqual({
      kind: 'presenter',
      bounds: presenterView,
      pageId: 'page:2',
    })
    expect(chooseLanding({ presenter: null, firstFrame: frame, content })).toEqual({ kind: 'frame', bounds: frame })
    expect(chooseLanding({ presenter: null, firstFrame: null, content })).toEqual({ kind: 'content', bounds: content })
  })

  test('an empty board: nowhere in particular; a degenerate box is skipped', () => {
    expect(chooseLanding({ presenter: null, firstFrame: null, content: null })).toBeNull()
    expect(chooseLanding({ presenter: { bounds: { x: 0, y: 0, w: 0, h: 0 }, pageId: 'page:1' }, firstFrame: null, content })?.kind).toBe('content')
  })

  test('the presenter\'s view is read from their camera and screen size', () => {
    expect(viewportOfPresence({ camera: { x: -100, y: -50, z: 2 }, screenBounds: { w: 1280, h: 800 } })).toEqual({ x: 100, y: 50, w: 640, h: 400 })
    expect(viewportOfPresence({ camera: null, screenBounds: { w: 1280, h: 800 } })).toBeNull()
  })
})
