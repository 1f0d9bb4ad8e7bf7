import * as Y from 'yjs'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import { readRecordsEntries, readRecordsEntry } from '../../../shared/src/board/recordsEntries.ts'
import type { BoardRecord, SerializedBoardSchema } from '../../../shared/src/versions/versionSchemas.ts'
import { jsonEqual } from '../../../shared/src/versions/canonicalJson.ts'

/** A board's content as plain JSON, detached from any Y.Doc. */
export interface BoardContent {
  records: BoardRecord[]
  /** `meta.schema` of the doc: the tldraw schema of the client that last wrote records; null on a board never written. */
  schema: SerializedBoardSchema | null
  /** Entries of the records array that are no records (shared/src/board/recordsEntries.ts E1): left out. */
  skipped: number
}

type Entry = { key: string; val: unknown }

/**
 * Reads the records of a board's doc (the y-utility YKeyValue layout of shared/src/boardDocument.ts: for a key seen
 * more than once, the rightmost entry wins). Yjs hands out the very objects it keeps: with `copy` (the default) the
 * records are deep copies, safe to keep and change; without, they are the doc's own objects, for code that only
 * reads them at once (hash, count, serialise) and keeps nothing (SPEC V2).
 */
export function readBoardContent(doc: Y.Doc, options: { copy?: boolean } = {}): BoardContent {
  const copy = options.copy ?? true
  const reading = readRecordsEntries(doc.getArray<unknown>(RECORDS_ARRAY).toArray())
  const schema = doc.getMap<unknown>(META_MAP).get(SCHEMA_KEY)
  const records = reading.records as BoardRecord[]
  const skipped = reading.skipped.length
  return {
    // a JSON round trip copies plain JSON several times faster than structuredClone
    records: copy ? (JSON.parse(JSON.stringify(records)) as BoardRecord[]) : records,
    schema: typeof schema === 'object' && schema !== null ? (structuredClone(schema) as SerializedBoardSchema) : null,
    skipped,
  }
}

/**
 * How to change a board's records array forward to `target` (SPEC V9): the index ranges of entries to delete (records
 * gone or different, older duplicates, entries that are no records; descending, so each delete leaves the next range's
 * indices valid), the records to append (copies), and whether `meta.schema` must be replaced. Pure over the array's
 * entries: the worker plans on the committed board, the room's turn only applies (applyBoardWrite).
 */
export interface BoardWritePlan {
  deletes: Array<[start: number, length: number]>
  push: BoardRecord[]
  schema: SerializedBoardSchema | null
  counts: { removed: number; added: number; updated: number }
}

export function planBoardWrite(
  entries: readonly unknown[],
  currentSchema: unknown,
  target: readonly BoardRecord[],
  schema: SerializedBoardSchema | null,
): BoardWritePlan {
  const wanted = new Map(target.map((record) => [record.id, record]))
  const current = new Map<string, { index: number; val: unknown }>()
  entries.forEach((entry, index) => {
    const reading = readRecordsEntry(entry)
    if (reading.ok) current.set(reading.key, { index, val: reading.val })
  })
  const keep = new Set<number>()
  for (const [id, { index, val }] of current) {
    const goal = wanted.get(id)
    if (goal !== undefined && jsonEqual(goal, val)) keep.add(index)
  }
  let removed = 0
  let updated = 0
  for (const id of current.keys()) {
    if (!wanted.has(id)) removed++
    else if (!keep.has(current.get(id)!.index)) updated++
  }
  // every entry not kept goes: replaced values, removed records, older duplicates and entries that are no records
  const deletes: Array<[number, number]> = []
  let end = entries.length
  for (let i = entries.length - 1; i >= -1; i--) {
    if (i >= 0 && !keep.has(i)) continue
    const start = i + 1
    if (end > start) deletes.push([start, end - start])
    end = i
  }
  const fresh = target.filter((record) => {
    const held = current.get(record.id)
    return held === undefined || !keep.has(held.index)
  })
  // the doc gets its own copies (one JSON round trip for all): the caller's objects stay the caller's
  const push = JSON.parse(JSON.stringify(fresh)) as BoardRecord[]
  const newSchema = schema !== null && !jsonEqual(currentSchema, schema) ? schema : null
  return { deletes, push, schema: newSchema, counts: { removed, added: push.length - updated, updated } }
}

/** Applies a plan made on this very array state (planBoardWrite). Must run inside the caller's transaction. */
export function applyBoardWrite(doc: Y.Doc, plan: BoardWritePlan): BoardWritePlan['counts'] {
  const array = doc.getArray<Entry>(RECORDS_ARRAY)
  for (const [start, length] of plan.deletes) array.delete(start, length)
  if (plan.push.length > 0) array.push(plan.push.map((record) => ({ key: record.id, val: record })))
  if (plan.schema !== null) doc.getMap<unknown>(META_MAP).set(SCHEMA_KEY, structuredClone(plan.schema))
  return plan.counts
}

/**
 * Changes a board's doc forward so that its records equal `target` (SPEC V9): deletes the entries of records that
 * are gone or differ, appends the new values, and leaves every unchanged record's entry alone, so that concurrent and
 * offline edits of untouched records merge as usual. Must run inside the caller's transaction. `schema`, when given
 * and different, replaces `meta.schema` (it must describe the records it sits next to). Returns how many records were removed, added and updated.
 */
export function writeBoardRecords(
  doc: Y.Doc,
  target: readonly BoardRecord[],
  schema: SerializedBoardSchema | null,
): { removed: number; added: number; updated: number } {
  const plan = planBoardWrite(doc.getArray<unknown>(RECORDS_ARRAY).toArray(), doc.getMap<unknown>(META_MAP).get(SCHEMA_KEY), target, schema)
  return applyBoardWrite(doc, plan)
}

/** A Yjs update that builds a fresh board doc holding `records` (a new meeting made by import or copy). */
export function encodeBoardUpdate(records: readonly BoardRecord[], schema: SerializedBoardSchema): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => writeBoardRecords(doc, records, schema))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
