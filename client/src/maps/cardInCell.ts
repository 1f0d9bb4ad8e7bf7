import type { Editor, TLShape } from 'tldraw'
import { cellOfCard, fitCardInCell } from '../../../shared/src/maps/cardFit.ts'
import { mapFrameMeta } from '../../../shared/src/maps/meaning.ts'
import { getTemplate } from '../../../shared/src/maps/templates.ts'

/**
 * maps SPEC MP17 on the writer's board: after this person's change of a card lying on a map (a long paste, a card
 * grown by typing; not a move), the card is shrunk and moved back into its cell (shared/src/maps/cardFit.ts), so it never covers
 * other cells or maps on anyone's screen. Only changes made here ('user'): everyone else receives the fitted card.
 */
export function keepCardsInCells(editor: Editor): () => void {
  const fit = (shape: TLShape) => {
    if (shape.type !== 'note') return
    const parent = editor.getShape(shape.parentId as never)
    const meta = parent ? mapFrameMeta(parent) : null
    const template = meta ? getTemplate(meta.template) : null
    const bounds = editor.getShapeGeometry(shape).bounds
    if (!template) return
    const card = { x: shape.x, y: shape.y, w: bounds.w, h: bounds.h }
    const cell = cellOfCard(template, card)
    if (!cell) return
    const scale = (shape.props as { scale?: number }).scale ?? 1
    const fitted = fitCardInCell(card, scale, cell)
    if (fitted === null) return
    editor.updateShape({ id: shape.id, type: shape.type, x: fitted.x, y: fitted.y, props: { scale: fitted.scale } })
  }
  const offCreate = editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source === 'user') fit(shape)
  })
  // Only when the card itself changed (text, size, scale), not when it is moved: a card dragged across a cell's edge
  // is the person's choice of place and must not be pulled back under their finger.
  const offChange = editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
    if (source !== 'user' || prev.props === next.props || JSON.stringify(prev.props) === JSON.stringify(next.props)) return
    fit(next)
  })
  return () => {
    offCreate()
    offChange()
  }
}
