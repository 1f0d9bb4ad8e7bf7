/**
 * Keyed test values stored the way a board stores records (shared/src/boardDocument.ts), for tests that run against
 * the production server: since sync SPEC R17 it refuses any other content (a map 'm', a text 't'). Key `k` is the
 * record `shape:k` with the value in its `value` field. Reads go through the same forgiving key-value view as the
 * server and the browser.
 */
import type * as Y from 'yjs'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { RecordsKeyValue } from '../../shared/src/board/RecordsKeyValue.ts'

export interface BoardKeys {
  set(key: string, value: unknown): void
  get(key: string): unknown
  keys(): string[]
  readonly size: number
  /** Called after every change of the keyed values (remote ones included). */
  observe(listener: () => void): void
}

const views = new WeakMap<Y.Doc, BoardKeys>()

export function boardKeys(doc: Y.Doc): BoardKeys {
  let view = views.get(doc)
  if (view !== undefined) return view
  const kv = new RecordsKeyValue(doc.getArray<unknown>(RECORDS_ARRAY))
  const prefix = 'shape:'
  view = {
    set: (key, value) => kv.set(`${prefix}${key}`, { id: `${prefix}${key}`, typeName: 'shape', value }),
    get: (key) => kv.get(`${prefix}${key}`)?.value,
    keys: () => [...kv.map.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
    get size() {
      return kv.map.size
    },
    observe: (listener) => kv.on('change', () => listener()),
  }
  views.set(doc, view)
  return view
}
