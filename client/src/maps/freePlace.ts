/**
 * Where a new map goes: inside the view when the view has room, never on top of what is already on the page
 * (a map dropped over people's cards would hide them behind its structure). Pure over boxes.
 */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

function overlaps(a: Box, b: Box, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
}

/**
 * The top-left corner for a `size` box: centred in the viewport if that spot is free; otherwise the free spot
 * nearest to the viewport's centre among positions next to the existing content (right of, below, left of, above
 * each occupied box), `gap` away from everything.
 */
export function findFreePlace(size: { w: number; h: number }, viewport: Box, occupied: readonly Box[], gap = 80): { x: number; y: number } {
  const cx = viewport.x + viewport.w / 2
  const cy = viewport.y + viewport.h / 2
  const centred = { x: Math.round(cx - size.w / 2), y: Math.round(cy - size.h / 2) }
  const isFree = (p: { x: number; y: number }) => occupied.every((b) => !overlaps({ ...p, ...size }, b, gap))
  if (isFree(centred)) return centred
  const candidates: Array<{ x: number; y: number }> = []
  for (const b of occupied) {
    candidates.push(
      { x: b.x + b.w + gap, y: centred.y },
      { x: b.x + b.w + gap, y: b.y },
      { x: centred.x, y: b.y + b.h + gap },
      { x: b.x, y: b.y + b.h + gap },
      { x: b.x - gap - size.w, y: centred.y },
      { x: centred.x, y: b.y - gap - size.h },
    )
  }
  let best: { x: number; y: number } | null = null
  let bestDistance = Infinity
  for (const c of candidates) {
    const p = { x: Math.round(c.x), y: Math.round(c.y) }
    if (!isFree(p)) continue
    const d = Math.hypot(p.x + size.w / 2 - cx, p.y + size.h / 2 - cy)
    if (d < bestDistance) {
      best = p
      bestDistance = d
    }
  }
  if (best) return best
  // Every neighbouring spot is taken: right of all the content, level with the view.
  const right = Math.max(...occupied.map((b) => b.x + b.w))
  return { x: Math.round(right + gap), y: centred.y }
}
