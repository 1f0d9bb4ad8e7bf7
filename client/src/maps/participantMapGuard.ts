import type { Editor, TLShapeId } from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'

/**
 * A participant's editor never selects, changes or deletes a Tavolo-locked shape.
 *
 * Why: a map frame carries the Tavolo lock in `meta` but not tldraw's `isLocked` (tldraw treats the children of a
 * locked frame as locked and refuses drops into it, and cards must stay free: shared/src/maps/instantiate.ts). So
 * tldraw alone would let a participant grab the frame; the server's lock guard would put it back (meetings SPEC G3)
 * but the map would jump under everyone's fingers, and deleting a selected frame would take the cards in it along.
 * Only the person's own changes are judged (`source === 'user'`): remote changes and the server's corrections pass.
 * Returns the cleanup.
 */
export function guardLockedShapesForParticipant(editor: Editor): () => void {
  const locked = (id: TLShapeId) => {
    const shape = editor.getShape(id)
    return shape !== undefined && isTavoloLocked(shape)
  }
  const offSelection = editor.sideEffects.registerBeforeChangeHandler('instance_page_state', (prev, next, source) => {
    if (source !== 'user') return next
    const kept = next.selectedShapeIds.filter((id) => !locked(id))
    const hovered = next.hoveredShapeId !== null && locked(next.hoveredShapeId) ? null : next.hoveredShapeId
    if (kept.length === next.selectedShapeIds.length && hovered === next.hoveredShapeId) return next
    return { ...next, selectedShapeIds: kept, hoveredShapeId: hovered }
  })
  const offChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && isTavoloLocked(prev) ? prev : next,
  )
  const offDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
    source === 'user' && isTavoloLocked(shape) ? false : undefined,
  )
  return () => {
    offSelection()
    offChange()
    offDelete()
  }
}
