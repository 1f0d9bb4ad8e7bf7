import type { Editor, TLShape } from 'tldraw'
import { orderedFramesOnPage, panelFreeArea } from './frames.ts'
import { followerCamera, presentedFrame, typicalTextSize } from './followerView.ts'
import type { Box } from './leading.ts'

// tldraw 5.4.2's note and geo label sizes (theme font size 16 × LABEL_FONT_SIZES), in page units before the shape's scale.
const NOTE_LABEL_SIZE: Record<string, number> = { s: 18, m: 22, l: 26, xl: 32 }
/** A note of the default size: what a card's text is when the region has no card to measure. */
const DEFAULT_TEXT_PAGE_SIZE = 22

/** A note's text size in page units: its label size, times tldraw's shrink-to-fit adjustment, times its scale. */
export function noteTextPageSize(shape: TLShape): number | null {
  if (shape.type !== 'note') return null
  const props = shape.props as { size?: string; scale?: number; fontSizeAdjustment?: number | null }
  const base = NOTE_LABEL_SIZE[props.size ?? 'm'] ?? DEFAULT_TEXT_PAGE_SIZE
  return base * (props.fontSizeAdjustment || 1) * (props.scale ?? 1)
}

/** The text size in page units of a card or of a labelled box (an architecture's instrument: a geo shape), else null. */
export function labelTextPageSize(shape: TLShape): number | null {
  if (shape.type !== 'geo') return noteTextPageSize(shape)
  const props = shape.props as { size?: string; scale?: number }
  return (NOTE_LABEL_SIZE[props.size ?? 'm'] ?? DEFAULT_TEXT_PAGE_SIZE) * (props.scale ?? 1)
}

/** The typical card text size (page units) of the notes inside `region` on the current page. */
export function cardTextPageSize(editor: Editor, region: Box): number {
  const sizes: number[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    const size = noteTextPageSize(shape)
    if (size === null) continue
    const b = editor.getShapePageBounds(shape)
    if (b && b.maxX > region.x && b.x < region.x + region.w && b.maxY > region.y && b.y < region.y + region.h) sizes.push(size)
  }
  return typicalTextSize(sizes, DEFAULT_TEXT_PAGE_SIZE)
}

/** The region a follower shows for the presenter's view `target` (followerView.ts V1): its frame, else the view. */
export function followedRegion(editor: Editor, target: Box): Box {
  return presentedFrame(orderedFramesOnPage(editor), target)?.bounds ?? target
}

/**
 * Moves this editor's camera to show the presenter's view `target` the way followerView.ts V2–V3 say: the presented
 * frame (or the view) fitted to this screen, never below a readable card text size.
 */
export function showToFollower(editor: Editor, target: Box, options: { animate?: boolean } = {}): void {
  const region = followedRegion(editor, target)
  const camera = followerCamera({
    region,
    area: panelFreeArea(editor),
    textPageSize: cardTextPageSize(editor, region),
    maxZoom: editor.getCameraOptions().zoomSteps.at(-1) ?? 8,
  })
  editor.setCamera(camera, options.animate === false ? undefined : { animation: { duration: 300 } })
}

