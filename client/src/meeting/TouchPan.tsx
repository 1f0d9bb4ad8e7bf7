import { useEffect } from 'react'
import { useEditor } from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'

/**
 * Participants on touch screens: one finger on empty canvas or on a map's locked structure pans the board, as every
 * phone app does. tldraw would start a selection brush there (a finger on a phone is not a mouse), and a press on the
 * locked structure would raise the lock note at every attempt to scroll. A finger on a card still selects, moves and
 * opens it for typing (tldraw's own handling); two fingers still pinch (tldraw listens to touch events for that);
 * any tool other than the select tool keeps the finger (drawing).
 *
 * The press is taken before tldraw sees it (a capturing listener on the editor's container), so tldraw never
 * starts a brush nor hears of a press on a locked shape.
 */
/** Below this much movement a touch is a tap, not a pan. */
const TAP_SLOP_PX = 6

export function TouchPan() {
  const editor = useEditor()
  useEffect(() => {
    const container = editor.getContainer()
    let panning: { pointerId: number; x: number; y: number; moved: number } | null = null
    const touching = new Set<number>()

    const onDown = (e: PointerEvent) => {
      if (e.pointerType !== 'touch') return
      touching.add(e.pointerId)
      // A second finger: a pinch, which tldraw handles from touch events; our pan stops.
      if (touching.size > 1) {
        panning = null
        e.stopPropagation()
        return
      }
      if (!(e.target instanceof Element) || !e.target.closest('.tl-canvas')) return
      if (!editor.isIn('select.idle') || editor.getEditingShapeId() !== null) return
      const point = editor.screenToPage({ x: e.clientX, y: e.clientY })
      const hit = editor.getShapeAtPoint(point, { hitInside: true, hitLocked: true, margin: 0, renderingOnly: true })
      const onStructure = hit === undefined || isTavoloLocked(hit) || hit.type === 'frame'
      if (!onStructure) return
      e.stopPropagation()
      e.preventDefault()
      panning = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, moved: 0 }
    }
    const onMove = (e: PointerEvent) => {
      if (panning === null || e.pointerId !== panning.pointerId) return
      e.stopPropagation()
      const z = editor.getZoomLevel()
      const camera = editor.getCamera()
      editor.setCamera({ x: camera.x + (e.clientX - panning.x) / z, y: camera.y + (e.clientY - panning.y) / z, z }, { immediate: true })
      panning = { ...panning, x: e.clientX, y: e.clientY, moved: panning.moved + Math.hypot(e.clientX - panning.x, e.clientY - panning.y) }
    }
    const onUp = (e: PointerEvent) => {
      if (e.pointerType !== 'touch') return
      touching.delete(e.pointerId)
      if (panning === null || e.pointerId !== panning.pointerId) return
      e.stopPropagation()
      // A tap (no pan) on empty space or on the map: what a tap there means in tldraw, letting go of the selection.
      if (panning.moved < TAP_SLOP_PX) editor.selectNone()
      panning = null
    }
    container.addEventListener('pointerdown', onDown, true)
    container.addEventListener('pointermove', onMove, true)
    container.addEventListener('pointerup', onUp, true)
    container.addEventListener('pointercancel', onUp, true)
    return () => {
      container.removeEventListener('pointerdown', onDown, true)
      container.removeEventListener('pointermove', onMove, true)
      container.removeEventListener('pointerup', onUp, true)
      container.removeEventListener('pointercancel', onUp, true)
    }
  }, [editor])
  return null
}
