import { computed, type Computed, type Editor, type TLShape } from 'tldraw'
import { BoardIndex, mapFrameMeta } from '../../../shared/src/maps/index.ts'

export interface PageMapIndex {
  index: BoardIndex
  shapes: TLShape[]
}

/**
 * One shared meaning index (shared/src/maps/meaning.ts) over the current page's shapes per editor, rebuilt once per
 * change of the page however many readers there are (badges, the meaning control, «Aggiungi strumento»). Null when
 * the page has no map, the common case, which costs one scan.
 */
const indexes = new WeakMap<Editor, Computed<PageMapIndex | null>>()

function pageMapIndexSignal(editor: Editor): Computed<PageMapIndex | null> {
  let signal = indexes.get(editor)
  if (!signal) {
    signal = computed('page map index', () => {
      const shapes = editor.getCurrentPageShapes()
      if (!shapes.some((s) => mapFrameMeta(s) !== null)) return null
      return { index: new BoardIndex(shapes), shapes }
    })
    indexes.set(editor, signal)
  }
  return signal
}

/** Read inside a tldraw reactive context (useValue, computed), it updates as shapes move. */
export function currentPageMapIndex(editor: Editor): PageMapIndex | null {
  return pageMapIndexSignal(editor).get()
}
