import type { Editor, TLShape } from 'tldraw'
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
  editor.zoomToBounds(frame.bounds, { inset: 48, animation: { duration: 450 } })
  return true
}

/** "frame 2 of 5" for the bar: the 1-based position of the frame the viewport is on (0: on none). */
export function currentFramePosition(editor: Editor): { position: number; total: number } {
  const frames = orderedFramesOnPage(editor)
  return { position: frameAt(frames, viewportBox(editor)) + 1, total: frames.length }
}
