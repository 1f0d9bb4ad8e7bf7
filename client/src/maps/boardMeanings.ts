import type { Editor, TLShape } from 'tldraw'
import { BoardIndex, mapFrameMeta, type CardMeaning } from '../../../shared/src/maps/index.ts'

/**
 * The shared meaning index (shared/src/maps/meaning.ts) over the current page's shapes, or null when the page has
 * no map (the common case costs one scan). Read inside a tldraw reactive context (useValue, computed), it updates
 * as shapes move.
 */
export function currentPageMapIndex(editor: Editor): { index: BoardIndex; shapes: TLShape[] } | null {
  const shapes = editor.getCurrentPageShapes()
  if (!shapes.some((s) => mapFrameMeta(s) !== null)) return null
  return { index: new BoardIndex(shapes), shapes }
}

/** The meaning of one shape of the current page (null: not a card, or on no map). */
export function meaningOfShape(editor: Editor, id: string): CardMeaning | null {
  return currentPageMapIndex(editor)?.index.meaning(id) ?? null
}
