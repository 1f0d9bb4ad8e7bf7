/** Small fixtures shared by unit tests: an in-memory Web Storage and a valid tldraw note record. */
import { createShapeId, toRichText, type IndexKey, type TLNoteShape } from 'tldraw'
import { FIRST_PAGE_ID } from '../../client/src/board/boardStore.ts'

/** A Web Storage (localStorage/sessionStorage) kept in a Map, optionally pre-filled. */
export function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial))
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  }
}

/** A valid tldraw 5 note on the board's first page. */
export function noteRecord(id: string, text: string, x = 0, y = 0): TLNoteShape {
  return {
    id: createShapeId(id),
    typeName: 'shape',
    type: 'note',
    parentId: FIRST_PAGE_ID,
    index: 'a1' as IndexKey,
    x,
    y,
    rotation: 0,
    opacity: 1,
    isLocked: false,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 1,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: toRichText(text),
      scale: 1,
      textLastEditedBy: null,
    },
  } as TLNoteShape
}
