/**
 * Where a shape's padlock goes (tests/unit/lockBadgePlacement.test.ts). At the shape's top-right corner when that is
 * on screen and clear; when the shape fills the screen (a locked frame presented), at the top-right of its visible
 * part, moved below or beside tldraw's panels, never under them. Never over a text either (issue 19 item 17: clamped
 * into a map, it sat on the end of the last column's header): when the first place meets a text's box, the nearest
 * clear place along the shape's visible right edge, then further in, is taken. Always wholly on screen, also when the
 * corner itself is at the screen's edge. Viewport coordinates (the canvas's own).
 */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

const SIZE = 32
const MARGIN = 8

const intersects = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** The badge's centre, or null when no part of the shape is on screen. */
export function placeLockBadge(
  shape: Rect,
  viewport: { w: number; h: number },
  panels: readonly Rect[],
  texts: readonly Rect[] = [],
): { x: number; y: number } | null {
  const left = Math.max(shape.x, 0)
  const top = Math.max(shape.y, 0)
  const right = Math.min(shape.x + shape.w, viewport.w)
  const bottom = Math.min(shape.y + shape.h, viewport.h)
  if (right <= left || bottom <= top) return null
  const half = SIZE / 2
  // Inside the screen, and inside the visible part of the shape when it is big enough to hold the badge.
  const clampX = (x: number) => Math.min(Math.max(x, Math.max(left, 0) + half + MARGIN), right - half - MARGIN)
  const clampY = (y: number) => Math.min(Math.max(y, Math.max(top, 0) + half + MARGIN), bottom - half - MARGIN)
  const cornerVisible = shape.x + shape.w <= viewport.w && shape.y >= 0
  // A visible corner at the screen's edge (a map fitted to a phone's width) would put half the badge past it: kept
  // whole on screen (issue 19).
  let x = cornerVisible ? Math.min(shape.x + shape.w, viewport.w - half - MARGIN / 2) : clampX(shape.x + shape.w)
  let y = cornerVisible ? Math.max(shape.y, half + MARGIN / 2) : clampY(shape.y)
  if (!cornerVisible && right - left < SIZE + 2 * MARGIN) x = (left + right) / 2
  if (!cornerVisible && bottom - top < SIZE + 2 * MARGIN) y = (top + bottom) / 2
  // Step clear of panels: below one when there is room in the shape, else to its left.
  for (let pass = 0; pass < 4; pass++) {
    const badge = { x: x - half, y: y - half, w: SIZE, h: SIZE }
    const hit = panels.find((p) => intersects(badge, p))
    if (!hit) break
    const below = hit.y + hit.h + half + MARGIN
    if (below + half <= bottom) y = below
    else x = hit.x - half - MARGIN
  }
  const clear = (cx: number, cy: number) => {
    const badge = { x: cx - half, y: cy - half, w: SIZE, h: SIZE }
    return !panels.some((p) => intersects(badge, p)) && !texts.some((t) => intersects(badge, t))
  }
  if (texts.length === 0 || clear(x, y)) return { x, y }
  // Candidates: just outside the shape's visible top-right, then down the visible right edge and further in, in
  // badge-sized columns and small steps; all on screen. The first clear one wins; none clear: the first place.
  const onScreen = (cx: number, cy: number) => cx - half >= 0 && cx + half <= viewport.w && cy - half >= 0 && cy + half <= viewport.h
  const outside = [
    { x: right + half + MARGIN / 2, y: top + half },
    { x: right - half, y: top - half - MARGIN / 2 },
  ]
  for (const c of outside) if (onScreen(c.x, c.y) && clear(c.x, c.y)) return c
  const STEP = 8
  for (let column = 0; column < 12; column++) {
    const cx = right - half - MARGIN - column * (SIZE + MARGIN)
    if (cx - half < left) break
    for (let cy = top + half + MARGIN; cy + half <= bottom; cy += STEP) {
      if (onScreen(cx, cy) && clear(cx, cy)) return { x: cx, y: cy }
    }
  }
  return { x, y }
}
