/**
 * The outline of a board: for each record, what a diff must know of it without parsing it (server/src/versions/SPEC.md
 * V8, V14): its id, what it is, the record it hangs from and, for a binding, the two records it binds. A stored version
 * keeps its outline next to its records, so that a diff parses only the records that differ and their context
 * (diffScope.ts) instead of 10,000 records per side. Pure.
 */

export interface RecordOutline {
  id: string
  typeName: string
  /** A shape's or a binding's `type`; null for other records. */
  type: string | null
  /** The `parentId` of a shape (a page or another shape); null when it has none. */
  parentId: string | null
  /** A binding's `fromId` (the arrow) and `toId` (the shape it is bound to); null for other records. */
  fromId: string | null
  toId: string | null
}

const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/** The outline of one record (any value: what is not a string field counts as absent). */
export function outlineOfRecord(record: unknown): RecordOutline {
  const r = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>
  const typeName = stringOr(r.typeName) ?? ''
  const binding = typeName === 'binding'
  return {
    id: stringOr(r.id) ?? '',
    typeName,
    type: typeName === 'shape' || binding ? stringOr(r.type) : null,
    parentId: stringOr(r.parentId),
    fromId: binding ? stringOr(r.fromId) : null,
    toId: binding ? stringOr(r.toId) : null,
  }
}

/** The outline of a board's records, in their order. */
export function outlineOf(records: readonly unknown[]): RecordOutline[] {
  return records.map(outlineOfRecord)
}

/**
 * Stored form, format 1: columns rather than one object per record (10,000 records parse in a few milliseconds), with
 * references to other records as positions in `ids` (-1: none) when the record is on the board, else as the id itself.
 */
interface StoredOutline {
  format: 1
  ids: string[]
  /** [typeName, type] pairs, referred to by position from `kind`. */
  kinds: Array<[string, string | null]>
  kind: number[]
  parent: Array<number | string>
  /** For each binding: its position, then its from and to (position, -1 or id). */
  ends: Array<number | string>
}

/** The outline as stored text (JSON). */
export function serializeOutline(outline: readonly RecordOutline[]): string {
  const position = new Map<string, number>()
  outline.forEach((o, i) => position.set(o.id, i))
  const ref = (id: string | null): number | string => (id === null ? -1 : (position.get(id) ?? id))
  const kinds: StoredOutline['kinds'] = []
  const kindIndex = new Map<string, number>()
  const kind: number[] = []
  const parent: StoredOutline['parent'] = []
  const ends: StoredOutline['ends'] = []
  outline.forEach((o, i) => {
    const key = o.type === null ? o.typeName : `${o.typeName}/${o.type}`
    let k = kindIndex.get(key)
    if (k === undefined) {
      k = kinds.length
      kinds.push([o.typeName, o.type])
      kindIndex.set(key, k)
    }
    kind.push(k)
    parent.push(ref(o.parentId))
    if (o.fromId !== null || o.toId !== null) ends.push(i, ref(o.fromId), ref(o.toId))
  })
  const stored: StoredOutline = { format: 1, ids: outline.map((o) => o.id), kinds, kind, parent, ends }
  return JSON.stringify(stored)
}

const isRef = (v: unknown): v is number | string => typeof v === 'string' || (Number.isInteger(v) && (v as number) >= -1)

/**
 * The outline back from its stored text, or null when the text is not an outline of `count` records (then the caller
 * outlines the records themselves: a damaged outline costs time, never a wrong diff).
 */
export function parseOutline(text: string, count: number): RecordOutline[] | null {
  let stored: StoredOutline
  try {
    stored = JSON.parse(text) as StoredOutline
  } catch {
    return null
  }
  if (typeof stored !== 'object' || stored === null || stored.format !== 1) return null
  const { ids, kinds, kind, parent, ends } = stored
  if (![ids, kinds, kind, parent, ends].every(Array.isArray)) return null
  if (ids.length !== count || kind.length !== count || parent.length !== count || ends.length % 3 !== 0) return null
  const resolve = (ref: number | string): string | null | undefined => {
    if (typeof ref === 'string') return ref
    if (ref === -1) return null
    return ids[ref]
  }
  const out: RecordOutline[] = new Array<RecordOutline>(count)
  for (let i = 0; i < count; i++) {
    const id = ids[i]
    const k = kinds[kind[i]!]
    const p = parent[i]!
    if (typeof id !== 'string' || !Array.isArray(k) || typeof k[0] !== 'string' || !isRef(p)) return null
    const parentId = resolve(p)
    if (parentId === undefined) return null
    out[i] = { id, typeName: k[0], type: typeof k[1] === 'string' ? k[1] : null, parentId, fromId: null, toId: null }
  }
  for (let e = 0; e < ends.length; e += 3) {
    const at = ends[e]
    const from = ends[e + 1]
    const to = ends[e + 2]
    if (typeof at !== 'number' || out[at] === undefined || !isRef(from) || !isRef(to)) return null
    const fromId = resolve(from)
    const toId = resolve(to)
    if (fromId === undefined || toId === undefined) return null
    out[at] = { ...out[at]!, fromId, toId }
  }
  return out
}
