import type { Box } from './leading.ts'

/**
 * Where a person arriving on a board looks first (tests/unit/landing.test.ts): the presenting facilitator's view
 * if someone presents, else the first frame in reading order (leading.ts F1), else the whole content; null on an
 * empty board (nothing to look at: tldraw's default view is fine).
 */
export type Landing =
  | { kind: 'presenter'; bounds: Box; pageId: string }
  | { kind: 'frame'; bounds: Box }
  | { kind: 'content'; bounds: Box }

export const LANDING_RANK: Record<Landing['kind'], number> = { content: 1, frame: 2, presenter: 3 }

export function chooseLanding(input: {
  presenter: { bounds: Box; pageId: string } | null
  firstFrame: Box | null
  content: Box | null
}): Landing | null {
  if (input.presenter && isUsable(input.presenter.bounds)) return { kind: 'presenter', ...input.presenter }
  if (input.firstFrame && isUsable(input.firstFrame)) return { kind: 'frame', bounds: input.firstFrame }
  if (input.content && isUsable(input.content)) return { kind: 'content', bounds: input.content }
  return null
}

const isUsable = (b: Box) => [b.x, b.y, b.w, b.h].every(Number.isFinite) && b.w > 0 && b.h > 0

/** The page area a peer sees, from its tldraw presence (camera and screen size): what "the presenter's view" is. */
export function viewportOfPresence(presence: {
  camera: { x: number; y: number; z: number } | null
  screenBounds: { w: number; h: number } | null
}): Box | null {
  const { camera, screenBounds } = presence
  if (!camera || !screenBounds || !(camera.z > 0)) return null
  return { x: -camera.x, y: -camera.y, w: screenBounds.w / camera.z, h: screenBounds.h / camera.z }
}
