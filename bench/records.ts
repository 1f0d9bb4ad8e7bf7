import type * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { RECORDS_ARRAY } from '../shared/src/boardDocument.ts'

/** A tldraw 5 note shape, as the board layout stores it; plain JSON so the server bench needs no tldraw import. */
export interface NoteRecord {
  id: string
  typeName: 'shape'
  type: 'note'
  x: number
  y: number
  rotation: number
  index: string
  parentId: string
  isLocked: boolean
  opacity: number
  meta: Record<string, unknown>
  props: Record<string, unknown>
}

const COLUMNS = 50
const GAP = 240

/** Fractional indices in creation order: 'c' heads a 3-digit integer key, valid for tldraw and never ending in a bad digit. */
function indexKey(i: number): string {
  // Fixed width keeps lexicographic order equal to numeric order.
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  let n = i + 1
  let key = ''
  for (let d = 0; d < 3; d++) {
    key = digits[n % 62] + key
    n = Math.floor(n / 62)
  }
  return `c${key}`
}

export function noteRecord(i: number, pageId = 'page:page'): NoteRecord {
  return {
    id: `shape:bench${String(i).padStart(5, '0')}`,
    typeName: 'shape',
    type: 'note',
    x: (i % COLUMNS) * GAP,
    y: Math.floor(i / COLUMNS) * GAP,
    rotation: 0,
    index: indexKey(i),
    parentId: pageId,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 0,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      textLastEditedBy: null,
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Idea ${i}` }] }] },
    },
  }
}

export function boardRecords(doc: Y.Doc): YKeyValue<unknown> {
  return new YKeyValue<unknown>(doc.getArray<{ key: string; val: unknown }>(RECORDS_ARRAY))
}

/**
 * The relay benches' edit: note `seq % notes` moves, carrying the edit's sequence number in its meta. A board record,
 * as the server requires of every update since sync SPEC R17 (a stamp in a map of its own is refused with 4400).
 */
export function stampedNote(seq: number, notes = 1): NoteRecord {
  const note = noteRecord(seq % notes)
  return { ...note, x: note.x + (seq % 7) * 10, meta: { benchSeq: seq } }
}

/** Calls `onStamp` with the sequence number of every stamped note that reaches `doc` (stampedNote). */
export function onStamps(doc: Y.Doc, onStamp: (seq: number) => void): void {
  boardRecords(doc).on('change', (changes: Map<string, { newValue?: unknown }>) => {
    for (const change of changes.values()) {
      const seq = (change.newValue as { meta?: { benchSeq?: unknown } } | undefined)?.meta?.benchSeq
      if (typeof seq === 'number') onStamp(seq)
    }
  })
}

/** Writes `count` note records in chunks, so no single frame is unrealistically large. */
export function seedNotes(doc: Y.Doc, count: number, chunk = 500): void {
  const kv = boardRecords(doc)
  for (let start = 0; start < count; start += chunk) {
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + chunk); i++) {
        const note = noteRecord(i)
        kv.set(note.id, note)
      }
    })
  }
}

/** Number of records a client sees, read from the array so that no YKeyValue observer is built per joiner. */
export function recordCount(doc: Y.Doc): number {
  return doc.getArray(RECORDS_ARRAY).length
}
