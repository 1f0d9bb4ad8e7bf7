import type { Editor, TLShape } from 'tldraw'
import { followerCamera } from './followerView.ts'
import { frameAt, orderFrames, stepFrame, type Box, type Frame } from './leading.ts'

/** The frames at the top of the current page, with their page bounds, in reading order (leading.ts F1). */
export function orderedFramesOnPage(editor: Editor): Array<Frame & { shape: TLShape }> {
  const pageId = editor.getCurrentPageId()
  const frames: Array<Frame & { shape: TLShape }> = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== 'frame' || shape.parentId !== pageId) continue
    const b = editor.getShapePageBounds(shape)
    if (b && b.w > 0 && b.h > 0) frames.push({ id: shape.id, bounds: { x: b.x, y: b.y, w: b.w, h: b.h }, shape })
  }
  return orderFrames(frames)
}

export function viewportBox(editor: Editor): Box {
  const v = editor.getViewportPageBounds()
  return { x: v.x, y: v.y, w: v.w, h: v.h }
}

/** F2: zooms this editor to the next (1) or previous (-1) frame; returns false when there is none. */
export function goToFrame(editor: Editor, direction: 1 | -1): boolean {
  const frames = orderedFramesOnPage(editor)
  const index = stepFrame(frames, viewportBox(editor), direction)
  const frame = index === null ? undefined : frames[index]
  if (!frame) return false
  editor.stopFollowingUser()
  // Fitted into what the panels leave free (the Conduci bar on the left, the style panel on the right, the menus
  // above, the toolbar below): fitted to the whole window, the bar would hide the row headers and the panel a column.
  const camera = followerCamera({ region: frame.bounds, area: panelFreeArea(editor), textPageSize: 0 })
  editor.setCamera(camera, { animation: { duration: 450 } })
  return true
}

// What covers the canvas on each side: the facilitator's bar and tldraw's menus on the left, tldraw's style panel on
// the right, the top bars, the toolbar and the navigation panel at the bottom.
const LEFT_PANELS = '.tavolo-lead-bar'
const RIGHT_PANELS = '.tlui-style-panel'
const TOP_PANELS = '.tlui-menu-zone, .tavolo-meeting-header, .tavolo-share-zone'
const BOTTOM_PANELS = '.tlui-toolbar, .tlui-navigation-panel'
const GAP = 12

/** The part of the canvas (CSS px from its top-left) that the panels on screen leave free. */
export function panelFreeArea(editor: Editor): Box {
  const container = editor.getContainer()
  const c = container.getBoundingClientRect()
  const screen = editor.getViewportScreenBounds()
  const rects = (selector: string) =>
    [...container.ownerDocument.querySelectorAll<HTMLElement>(selector)]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
  let left = 0
  let right = screen.w
  let top = 0
  let bottom = screen.h
  // A panel counts on one side only when it leaves most of the other dimension free (a phone's bar is not a column).
  for (const r of rects(LEFT_PANELS)) if (r.right - c.left < screen.w / 2) left = Math.max(left, r.right - c.left)
  for (const r of rects(RIGHT_PANELS)) if (r.left - c.left > screen.w / 2) right = Math.min(right, r.left - c.left)
  for (const r of rects(TOP_PANELS)) if (r.bottom - c.top < screen.h / 3) top = Math.max(top, r.bottom - c.top)
  for (const r of rects(BOTTOM_PANELS)) if (r.top - c.top > (screen.h * 2) / 3) bottom = Math.min(bottom, r.top - c.top)
  const x = left + GAP
  const y = top + GAP
  return { x, y, w: Math.max(1, right - GAP - x), h: Math.max(1, bottom - GAP - y) }
}

/** "frame 2 of 5" for the bar: the 1-based position of the frame the viewport is on (0: on none). */
export function currentFramePosition(editor: Editor): { position: number; total: number } {
  const frames = orderedFramesOnPage(editor)
  return { position: frameAt(frames, viewportBox(editor)) + 1, total: frames.length }
}
