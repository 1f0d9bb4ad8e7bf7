import { createShapeId, type Editor, type TLShapePartial } from 'tldraw'
import { instantiateTemplate } from '../../../shared/src/maps/instantiate.ts'
import type { Locale, MapTemplate } from '../../../shared/src/maps/templateSchema.ts'
import { findFreePlace, type Box } from './freePlace.ts'

/**
 * Inserts a map template on the current page as one undoable step: the frame and its locked structure, from the
 * shared `instantiateTemplate` (labels in `locale`), at a free place in view; then the view zooms to it.
 * `obscuredLeft`: screen pixels on the left covered by a panel (the facilitator bar), kept out of the zoom.
 * Returns the frame's id, or null when tldraw refused the shapes (board full: BoardFullNotice says so).
 */
export function insertMap(editor: Editor, template: MapTemplate, locale: Locale, obscuredLeft = 0): string | null {
  const pageId = editor.getCurrentPageId()
  const occupied: Box[] = []
  for (const id of editor.getSortedChildIdsForParent(pageId)) {
    const b = editor.getShapePageBounds(id)
    if (b) occupied.push({ x: b.x, y: b.y, w: b.w, h: b.h })
  }
  const v = editor.getViewportPageBounds()
  const at = findFreePlace(template.size, { x: v.x, y: v.y, w: v.w, h: v.h }, occupied)
  const records = instantiateTemplate(template, {
    x: at.x,
    y: at.y,
    locale,
    makeId: () => createShapeId(),
    parentId: pageId,
    index: editor.getHighestIndexForParent(pageId),
  })
  const frame = records[0]
  if (!frame) return null
  editor.markHistoryStoppingPoint(`insert map ${template.id}`)
  editor.run(() => {
    // The records are complete tldraw shapes; createShapes checks them and the page's shape limit.
    editor.createShapes(records as unknown as TLShapePartial[])
    editor.selectNone()
  })
  if (!editor.getShape(frame.id as TLShapePartial['id'])) return null
  zoomToBox(editor, { x: at.x, y: at.y, w: template.size.w, h: template.size.h }, obscuredLeft)
  return frame.id
}

/** Zooms to a page box so that all of it shows right of `obscuredLeft` screen pixels. */
export function zoomToBox(editor: Editor, box: Box, obscuredLeft = 0): void {
  const screen = editor.getViewportScreenBounds()
  const free = Math.max(1, screen.w - obscuredLeft)
  // The box fills the free part of the screen; the page under the covered part is added on its left.
  const extra = obscuredLeft > 0 && obscuredLeft < screen.w * 0.6 ? (box.w * obscuredLeft) / free : 0
  editor.stopFollowingUser()
  editor.zoomToBounds({ x: box.x - extra, y: box.y, w: box.w + extra, h: box.h }, { inset: 40, animation: { duration: 400 } })
}
