import { createShapeId, toRichText, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { CARD_SCALE } from '../../../shared/src/maps/cards.ts'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { placeCardInCell, placeInCell, type CellPlacement, type MapCell, type PlacedCard } from '../../../shared/src/maps/cellPlacement.ts'
import { BoardIndex, isCard } from '../../../shared/src/maps/meaning.ts'
import { MAP_META_KEY } from '../../../shared/src/maps/instantiate.ts'

/**
 * The edits "Testo della lavagna" makes for a keyboard or screen-reader participant: a card added in a cell, moved
 * to another, its text changed, deleted. Plain tldraw changes by the person (`source: 'user'`), so they travel and
 * are judged by the server's locks exactly like a change made on the canvas.
 */

/** A note's size at the cards' scale (200 × 200 in tldraw, scaled). */
const NOTE = { w: 200 * CARD_SCALE, h: 200 * CARD_SCALE }
/** Meaning fields a move must clear, or they would win over the new position (maps SPEC MP6). */
const PLACE_FIELDS = ['facet', 'category', 'level', 'phase', 'row']

/** A shape's numeric `props.scale` (notes, geo shapes, text), or null. */
function scaleOf(shape: TLShape): number | null {
  const scale = (shape.props as { scale?: unknown }).scale
  return typeof scale === 'number' && scale > 0 ? scale : null
}

/** The cards (boxes in frame coordinates, scales) that belong to the map, except `except`. */
function cardsInFrame(editor: Editor, frameId: TLShapeId, except: TLShapeId | null): PlacedCard[] {
  const records = [...editor.store.query.records('shape').get()]
  const index = new BoardIndex(records)
  const cards: PlacedCard[] = []
  for (const r of records) {
    if (r.id === except || !isCard(index.byId.get(r.id)) || index.frameOf(r.id)?.id !== frameId) continue
    const b = editor.getShapePageBounds(r.id)
    if (!b) continue
    const a = editor.getPointInShapeSpace(frameId, { x: b.minX, y: b.minY })
    const c = editor.getPointInShapeSpace(frameId, { x: b.maxX, y: b.maxY })
    const scale = scaleOf(r)
    cards.push({
      id: r.id,
      rect: { x: Math.min(a.x, c.x), y: Math.min(a.y, c.y), w: Math.abs(c.x - a.x), h: Math.abs(c.y - a.y) },
      scale: scale ?? 1,
      // resizing keeps a card's own top-left corner, which is its box's only when it is not rotated
      fixed: scale === null || r.isLocked || isTavoloLocked(r) || editor.getShapePageTransform(r.id).rotation() !== 0,
    })
  }
  return cards
}

/** The cards made smaller to make room in a full cell (maps SPEC MP14), in the same change as the card placed. */
function shrinkForRoom(editor: Editor, placement: CellPlacement): void {
  const updates = placement.resized.flatMap(({ id, scale }) => {
    const shape = editor.getShape(id as TLShapeId)
    return shape ? [{ id: shape.id, type: shape.type, props: { scale } }] : []
  })
  if (updates.length > 0) editor.updateShapes(updates as Parameters<Editor['updateShapes']>[0])
}

/** Adds a note with `text` inside `cell` of the map `frameId`, clear of the other cards (room made in a full cell). Returns its id. */
export function addCardInCell(editor: Editor, frameId: TLShapeId, cell: MapCell, text: string): TLShapeId {
  const id = createShapeId()
  const at = placeCardInCell(cell.rect, NOTE, CARD_SCALE, cardsInFrame(editor, frameId, null))
  editor.markHistoryStoppingPoint('add card from the board text')
  editor.run(() => {
    shrinkForRoom(editor, at)
    editor.createShape({ id, type: 'note', parentId: frameId, x: at.x, y: at.y, props: { richText: toRichText(text), scale: at.scale, size: 's' } })
  })
  return id
}

/** Moves a card into `cell` of the map `frameId` (its child from then on), clear of the others; place overrides go. */
export function moveCardToCell(editor: Editor, cardId: TLShapeId, frameId: TLShapeId, cell: MapCell): void {
  const shape = editor.getShape(cardId)
  const bounds = editor.getShapePageBounds(cardId)
  if (!shape || !bounds) return
  const size = { w: bounds.w, h: bounds.h }
  const ownScale = scaleOf(shape)
  const others = cardsInFrame(editor, frameId, cardId)
  // a shape without a scale keeps its size, and no room is made for it (MP12 alone)
  const at: CellPlacement =
    ownScale === null
      ? { ...placeInCell(cell.rect, size, others.map((c) => c.rect)), scale: 1, resized: [] }
      : placeCardInCell(cell.rect, size, ownScale, others)
  editor.markHistoryStoppingPoint('move card from the board text')
  editor.run(() => {
    shrinkForRoom(editor, at)
    if (shape.parentId !== frameId) editor.reparentShapes([cardId], frameId)
    const current = editor.getShape(cardId) ?? shape
    const meta: Record<string, unknown> = { ...(current.meta as Record<string, unknown>) }
    const map = meta[MAP_META_KEY]
    if (typeof map === 'object' && map !== null && !Array.isArray(map)) {
      const kept = Object.fromEntries(Object.entries(map).filter(([k]) => !PLACE_FIELDS.includes(k)))
      if (Object.keys(kept).length === 0) delete meta[MAP_META_KEY]
      else meta[MAP_META_KEY] = kept
    }
    const props = ownScale === null || at.scale === ownScale ? current.props : { ...current.props, scale: at.scale }
    // Written whole: updateShape merges `meta` and could not drop a field.
    editor.store.put([{ ...current, x: at.x, y: at.y, rotation: 0, meta, props } as TLShape])
  })
}

/** Whether the card has text a person can change here (notes, geo shapes, text). */
export function hasEditableText(shape: TLShape | undefined): boolean {
  return shape !== undefined && 'richText' in (shape.props as object)
}

export function setCardText(editor: Editor, cardId: TLShapeId, text: string): void {
  const shape = editor.getShape(cardId)
  if (!shape || !hasEditableText(shape)) return
  editor.markHistoryStoppingPoint('edit card text from the board text')
  editor.updateShape({ id: cardId, type: shape.type, props: { richText: toRichText(text) } } as Parameters<Editor['updateShape']>[0])
}

export function deleteCard(editor: Editor, cardId: TLShapeId): void {
  editor.markHistoryStoppingPoint('delete card from the board text')
  editor.deleteShapes([cardId])
}
