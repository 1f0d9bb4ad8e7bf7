import type { Box } from './leading.ts'

/**
 * What a device that follows the presenter (a phone arriving or summoned, the projector) shows: pure rules,
 * unit-tested in tests/unit/followerView.test.ts, checked on real devices in tests/e2e/devices.test.ts.
 *
 * SPEC (tests cite these numbers)
 * V1  The presented frame: among the frames at the top of the page, those the presenter's view shows almost whole
 *     (at least 90 % of the frame's area inside the view) and large enough to be what is shown (at least 20 % of the
 *     view's area); the largest of them. None: the presenter shows a region, not a frame.
 * V2  A follower fits the presented frame (else the presenter's view) to its OWN screen, never the presenter's zoom:
 *     a 390 px phone and a 1366 px laptop show the same frame at different zooms.
 * V3  Never a zoom at which a card's text is smaller than MIN_CARD_TEXT_PX (12 CSS px): when the fit would be
 *     smaller, the follower shows the region at the readable zoom from its start along each axis that does not fit
 *     (its left edge, its top edge: the map's row headers and title), centred along an axis that fits, and may pan
 *     inside the frame from there.
 */

export const MIN_CARD_TEXT_PX = 12

export interface Camera {
  x: number
  y: number
  z: number
}

function area(b: Box): number {
  return b.w * b.h
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** V1: the frame the presenter shows, or null. */
export function presentedFrame<T extends { bounds: Box }>(frames: readonly T[], view: Box): T | null {
  let best: T | null = null
  for (const frame of frames) {
    const a = area(frame.bounds)
    if (a <= 0 || overlap(frame.bounds, view) < 0.9 * a || a < 0.2 * area(view)) continue
    if (best === null || a > area(best.bounds)) best = frame
  }
  return best
}

/**
 * V2, V3: the camera (tldraw's: page point p is at screen (p + camera) * z) that shows `region` inside `area`, the
 * part of the screen (CSS px, from the screen's top-left) that the device's own chrome leaves free. `textPageSize` is
 * a card's text size in page units.
 */
export function followerCamera(input: { region: Box; area: Box; textPageSize: number; maxZoom?: number }): Camera {
  const { region, area } = input
  const fit = Math.min(area.w / region.w, area.h / region.h)
  const readable = input.textPageSize > 0 ? MIN_CARD_TEXT_PX / input.textPageSize : 0
  const z = Math.min(input.maxZoom ?? 8, Math.max(fit, readable))
  // Along each axis: centred in the area when the region fits, else its start (top, left) at the area's start.
  const start = (regionStart: number, regionSize: number, areaStart: number, areaSize: number) =>
    regionSize * z <= areaSize + 0.5 ? regionStart - (areaStart + (areaSize - regionSize * z) / 2) / z : regionStart - areaStart / z
  return { x: -start(region.x, region.w, area.x, area.w), y: -start(region.y, region.h, area.y, area.h), z }
}

/** The typical card text size (page units) among `sizes`: the median, so one odd card does not decide the zoom. */
export function typicalTextSize(sizes: readonly number[], fallback: number): number {
  const valid = sizes.filter((s) => Number.isFinite(s) && s > 0).sort((a, b) => a - b)
  if (valid.length === 0) return fallback
  return valid[Math.floor(valid.length / 2)] ?? fallback
}
