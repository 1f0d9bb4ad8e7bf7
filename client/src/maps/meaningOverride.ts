import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { MAP_META_KEY, type MeaningField } from '../../../shared/src/maps/index.ts'

/**
 * Sets (an id) or clears (null: "Automatico, dalla posizione") one field of a card's explicit meaning, in
 * `meta.tavoloMap`, which shared/src/maps/meaning.ts reads and lets win over the position. The record is written
 * whole (`store.put`): tldraw's updateShape merges `meta` one level deep and could not drop a cleared field.
 * One undoable step.
 */
export function setMeaningOverride(editor: Editor, shapeId: TLShapeId, field: MeaningField, value: string | null): void {
  const shape = editor.getShape(shapeId)
  if (!shape) return
  const meta: Record<string, unknown> = { ...(shape.meta as Record<string, unknown>) }
  const current = meta[MAP_META_KEY]
  const map: Record<string, unknown> = typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...current } : {}
  if (value === null) delete map[field]
  else map[field] = value
  if (Object.keys(map).length === 0) delete meta[MAP_META_KEY]
  else meta[MAP_META_KEY] = map
  editor.markHistoryStoppingPoint('set card meaning')
  editor.run(() => editor.store.put([{ ...shape, meta } as TLShape]))
}
