/**
 * The forgiving reading of the board's records array (shared/src/boardDocument.ts): ONE rule for every reader (the
 * browser's bridge, the server's room and lock guard, versions, report, export, restore) and for the server's judge
 * of incoming updates (sync SPEC R17). Pure: no Yjs, no DOM, no Node; safe in worker threads.
 *
 * E1 An entry is readable when it is `{ key, val }` (a plain object) whose `key` is a string and
 *    whose `val` is a plain object naming itself: `val.id === key`, `val.typeName` one of BOARD_RECORD_TYPES, and
 *    the id prefixed by its type (`shape:…`), as tldraw makes every id.
 * E2 An entry that is not readable is skipped, with a reason, never thrown over: one bad entry must not hide the
 *    others (finding 1 of issue 17: a single `null` made y-utility's YKeyValue throw on every read of the board).
 * E3 For a key seen more than once, the rightmost readable entry wins (YKeyValue's rule).
 */

/** The tldraw record types that belong to a board document (session and presence records never do). */
// Every document-scope type of tldraw 5, `user` included: tldraw writes one per editing person into the board.
export const BOARD_RECORD_TYPES: ReadonlySet<string> = new Set(['document', 'page', 'shape', 'binding', 'asset', 'user'])

/** A record as the records array holds it: plain JSON with an id and a type. */
export type RecordValue = { id: string; typeName: string } & Record<string, unknown>

/** A failed reading names the entry's key when it has a string one. */
export type EntryReading = { ok: true; key: string; val: RecordValue } | { ok: false; reason: string; key: string | null }

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** E1: reads one entry of the records array. */
export function readRecordsEntry(entry: unknown): EntryReading {
  if (!isPlainObject(entry)) {
    return { ok: false, key: null, reason: entry === null ? 'null entry' : `${Array.isArray(entry) ? 'array' : typeof entry} entry` }
  }
  const { key, val } = entry
  if (typeof key !== 'string') return { ok: false, key: null, reason: 'key is not a string' }
  const fail = (reason: string): EntryReading => ({ ok: false, key, reason })
  if (!isPlainObject(val)) return fail('its value is not an object')
  if (val.id !== key) return fail(`its id ${String(val.id).slice(0, 80)} is not its key`)
  const typeName = val.typeName
  if (typeof typeName !== 'string' || !BOARD_RECORD_TYPES.has(typeName)) return fail('not of a board record type')
  if (!key.startsWith(`${typeName}:`)) return fail(`its id does not start with ${typeName}:`)
  return { ok: true, key, val: val as RecordValue }
}

export interface SkippedEntry {
  /** Position in the array. */
  index: number
  /** The entry's key when it has a string one. */
  key: string | null
  reason: string
}

export interface RecordsReading {
  /** The value of the winning entry of each key (E3), in the order each key first appears. */
  records: RecordValue[]
  /** Position of each record's winning entry. */
  indexOf: Map<string, number>
  /** Entries left out (E2). Older duplicates of a readable key are not "skipped": they are simply overwritten. */
  skipped: SkippedEntry[]
}

/** E1-E3 over the whole array (its entries in order, as `Y.Array.toArray()` gives them). */
export function readRecordsEntries(entries: readonly unknown[]): RecordsReading {
  const latest = new Map<string, { index: number; val: RecordValue }>()
  const skipped: SkippedEntry[] = []
  entries.forEach((entry, index) => {
    const reading = readRecordsEntry(entry)
    if (!reading.ok) skipped.push({ index, key: reading.key, reason: reading.reason })
    else {
      latest.set(reading.key, { index, val: reading.val })
    }
  })
  const records: RecordValue[] = []
  const indexOf = new Map<string, number>()
  for (const [key, { index, val }] of latest) {
    records.push(val)
    indexOf.set(key, index)
  }
  return { records, indexOf, skipped }
}
