import type * as Y from 'yjs'
import type { SerializedSchema, TLRecord, TLStore } from 'tldraw'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import { RecordsKeyValue } from '../../../shared/src/board/RecordsKeyValue.ts'

/**
 * The Yjs bridge: keeps a tldraw store and a board's Y.Doc equal (layout: shared/src/boardDocument.ts).
 *
 * Rules (tests/unit/yjsBridge.test.ts cites them):
 * B1. On creation, the document records of the Y.Doc replace the document records of the store.
 * B2. Yjs → store: every change not made by this bridge enters the store inside `store.mergeRemoteChanges`,
 *     so tldraw's history never records it (undo stays local) and the outgoing listener never sees it (no echo).
 * B3. Store → Yjs: only `source: 'user', scope: 'document'` changes go out, one Yjs transaction per batch,
 *     with `origin` = the bridge's own origin object; that transaction also writes our schema into `meta.schema`.
 * B4. Every record read from the Y.Doc is migrated from `meta.schema` and validated against the store schema
 *     before it enters the store. An invalid one is skipped, counted and reported with its id; the rest applies.
 *     Under our own schema the store's put is the validation (once per record); a batch it refuses is rolled back
 *     whole by tldraw and validated record by record.
 * B5. A board written with an older schema is migrated on load, and the migrated records are written back
 *     together with the current schema (so `meta.schema` always describes the records it sits next to).
 * B6. `dispose()` removes every listener the bridge added.
 * B7. A read-only bridge (viewer: projector, observers) never writes to the Y.Doc: no B3, no B5 write-back. The
 *     server drops a viewer's document changes unread (sync SPEC R3), and tldraw itself writes document records on
 *     mount (its `user` record), so a viewer must not rely on "nothing will change": it must not send at all.
 * B8. A `meta.schema` that does not describe the records (migration from it fails or yields an invalid record) does
 *     not hide them: each such record is validated as it is against our schema and shown when valid, counted in
 *     `schemaMismatchCount` (the person is told). The server refuses such schema writes (sync SPEC R8); this is
 *     the second line, for boards written before that rule or by other tools.
 * B9. An entry of the records array that is no record (shared/src/board/recordsEntries.ts E1: `null`, a number, an
 *     entry without key or value...) is skipped and counted like an invalid record, never thrown over: the rest of
 *     the board shows (issue 17, finding 1: one `null` made y-utility's YKeyValue throw and the page go blank).
 */

export interface InvalidRecordReport {
  id: string
  reason: string
}

export interface YjsBridgeOptions {
  store: TLStore
  doc: Y.Doc
  /** Called for every record from the network that was skipped. Default: console.warn. */
  onInvalidRecord?: (report: InvalidRecordReport) => void
  /** B7: never write to the Y.Doc (viewers). Local store changes then stay local. */
  readOnly?: boolean
  /** Called with the ids of the records of every local batch that went out to the Y.Doc. */
  onLocalChange?: (recordIds: string[]) => void
  /** B8: called for every record that `meta.schema` did not describe and that was read as it is. */
  onSchemaMismatch?: (id: string) => void
}

export interface YjsBridge {
  /** The transaction origin of the bridge's own writes (a local origin: never a provider). */
  readonly origin: object
  /** How many records from the network were skipped as invalid since creation. */
  readonly invalidRecordCount: number
  /** How many records were migrated from an older schema on load. */
  readonly migratedOnLoadCount: number
  /** B8: how many records the board's `meta.schema` did not describe, and were read as they are instead. */
  readonly schemaMismatchCount: number
  dispose(): void
}

type RecordChange =
  | { action: 'add'; newValue: unknown }
  | { action: 'update'; newValue: unknown; oldValue: unknown }
  | { action: 'delete'; oldValue: unknown }

/** B9: the records of a board's doc as a forgiving key-value view; `onUnreadable` hears of every entry skipped. */
export function getRecordsKeyValue(doc: Y.Doc, onUnreadable?: (reason: string, key: string | null) => void): RecordsKeyValue {
  return new RecordsKeyValue(doc.getArray<unknown>(RECORDS_ARRAY), onUnreadable)
}

/** The id under which an unreadable entry without a string key is reported. */
export const UNREADABLE_ENTRY_ID = '(unreadable entry)'

/** True when the Y.Doc holds no board records yet (nothing to load, so the board may be seeded). */
export function isBoardDocEmpty(doc: Y.Doc): boolean {
  return doc.getArray(RECORDS_ARRAY).length === 0
}

function isSerializedSchema(value: unknown): value is SerializedSchema {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { schemaVersion?: unknown }
  return v.schemaVersion === 1 || v.schemaVersion === 2
}

/** Same versions for every sequence on both sides (key order does not matter). */
export function sameSchema(a: SerializedSchema, b: SerializedSchema): boolean {
  if (a.schemaVersion !== 2 || b.schemaVersion !== 2) return false
  const ka = Object.keys(a.sequences)
  if (ka.length !== Object.keys(b.sequences).length) return false
  return ka.every((k) => a.sequences[k] === b.sequences[k])
}

export function createYjsBridge({
  store,
  doc,
  onInvalidRecord,
  onLocalChange,
  onSchemaMismatch,
  readOnly = false,
}: YjsBridgeOptions): YjsBridge {
  const origin = { name: 'tavolo-yjs-bridge' }
  let invalidRecordCount = 0
  let migratedOnLoadCount = 0
  let schemaMismatchCount = 0
  const report =
    onInvalidRecord ??
    ((r: InvalidRecordReport) => console.warn(`[tavolo] skipped invalid board record ${r.id}: ${r.reason}`))
  const yRecords = getRecordsKeyValue(doc, (reason, key) => void fail(key ?? UNREADABLE_ENTRY_ID, reason))
  const yMeta = doc.getMap<unknown>(META_MAP)
  const ourSchema = store.schema.serialize()

  function persistedSchema(): SerializedSchema {
    const value = yMeta.get(SCHEMA_KEY)
    // A doc without a schema was written by nobody we know: treat its records as current and let validation judge.
    return isSerializedSchema(value) ? value : ourSchema
  }

  /** B4's checks that need no validator: an object whose id is its key, of a known document type; null to skip. */
  function check(key: string, raw: unknown): TLRecord | null {
    if (typeof raw !== 'object' || raw === null) return fail(key, 'not an object')
    const r = raw as { id?: unknown; typeName?: unknown }
    if (r.id !== key) return fail(key, `id ${String(r.id)} does not match its key`)
    if (typeof r.typeName !== 'string') return fail(key, 'no typeName')
    const type = (store.schema.types as Record<string, { scope: string } | undefined>)[r.typeName]
    if (!type) return fail(key, `unknown type ${r.typeName}`)
    if (type.scope !== 'document') return fail(key, `type ${r.typeName} is not a document record`)
    return raw as TLRecord
  }

  function fail(key: string, reason: string): null {
    invalidRecordCount++
    report({ id: key, reason })
    return null
  }

  /** What the store's own put checks: the record's type validator, against the record it replaces. */
  function validate(record: TLRecord): TLRecord {
    const before = store.get(record.id) ?? null
    return store.schema.validateRecord(store, record, before ? 'updateRecord' : 'createRecord', before)
  }

  function validateOrSkip(record: TLRecord): TLRecord | null {
    try {
      return validate(record)
    } catch (error) {
      return fail(record.id, error instanceof Error ? error.message : String(error))
    }
  }

  /** B4 + B8 for a record written with another schema than ours: migrated and validated here, one by one. */
  function migrate(record: TLRecord, schema: SerializedSchema): TLRecord | null {
    // B8: a schema that does not describe the records (broken, or written by someone hostile) must not hide them:
    // when migrating from it fails or gives an invalid record, the record is tried as it is, against our schema.
    const migrated = store.schema.migratePersistedRecord(structuredClone(record), schema)
    let migrationProblem: string
    if (migrated.type === 'success') {
      try {
        return validate(migrated.value)
      } catch (error) {
        migrationProblem = error instanceof Error ? error.message : String(error)
      }
    } else {
      migrationProblem = `migration failed: ${migrated.reason}`
    }
    try {
      const asIs = validate(record)
      schemaMismatchCount++
      onSchemaMismatch?.(record.id)
      return asIs
    } catch {
      return fail(record.id, migrationProblem)
    }
  }

  /**
   * B4: the records of one batch from the Y.Doc, ready for the store. Under our own schema they are left to the
   * store's put to validate (mergeIntoStore), so each record is validated once, not twice: on a phone that second
   * pass was a visible part of opening a board.
   */
  function fromDoc(entries: Iterable<[string, unknown]>, schema: SerializedSchema): { records: TLRecord[]; validated: boolean } {
    const records: TLRecord[] = []
    const ours = sameSchema(schema, ourSchema)
    for (const [key, raw] of entries) {
      const checked = check(key, raw)
      const record = checked === null || ours ? checked : migrate(checked, schema)
      if (record) records.push(record)
    }
    return { records, validated: !ours }
  }

  function mergeIntoStore(toPut: TLRecord[], toRemove: TLRecord['id'][], validated: boolean) {
    if (toPut.length === 0 && toRemove.length === 0) return
    if (!validated) {
      try {
        store.mergeRemoteChanges(() => {
          if (toRemove.length > 0) store.remove(toRemove)
          store.put(toPut)
        })
        return
      } catch {
        // One record at least is invalid. The failed put was one tldraw transaction, rolled back whole: validate
        // the records one by one, so that only the invalid ones are skipped (and reported), and apply the rest.
        toPut = toPut.flatMap((record) => validateOrSkip(record) ?? [])
      }
    }
    try {
      store.mergeRemoteChanges(() => {
        if (toRemove.length > 0) store.remove(toRemove)
        if (toPut.length > 0) store.put(toPut)
      })
    } catch (error) {
      // Pre-validation makes this unexpected; the editor must survive it anyway.
      console.error('[tavolo] could not apply remote board changes', error)
    }
  }

  function writeSchemaIfNeeded() {
    const current = yMeta.get(SCHEMA_KEY)
    if (!isSerializedSchema(current) || !sameSchema(current, ourSchema)) yMeta.set(SCHEMA_KEY, ourSchema)
  }

  // B1 + B5: initial load.
  {
    const schema = persistedSchema()
    const needsMigration = !sameSchema(schema, ourSchema)
    const { records: toPut, validated } = fromDoc(
      Array.from(yRecords.map, ([key, entry]) => [key, entry.val] as [string, unknown]),
      schema,
    )
    const docIds = new Set(yRecords.map.keys())
    const toRemove = store
      .allRecords()
      .filter((r) => store.schema.types[r.typeName].scope === 'document' && !docIds.has(r.id))
      .map((r) => r.id)
    mergeIntoStore(toPut, toRemove, validated)
    if (needsMigration && toPut.length > 0 && !readOnly) {
      migratedOnLoadCount = toPut.length
      doc.transact(() => {
        for (const record of toPut) yRecords.set(record.id, record)
        yMeta.set(SCHEMA_KEY, ourSchema)
      }, origin)
    }
  }

  // B2: Yjs → store.
  const onYjsChange = (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    const toRemove: TLRecord['id'][] = []
    const written: [string, unknown][] = []
    for (const [key, change] of changes) {
      if (change.action === 'delete') {
        if (store.has(key as TLRecord['id'])) toRemove.push(key as TLRecord['id'])
      } else {
        written.push([key, change.newValue])
      }
    }
    const { records: toPut, validated } = fromDoc(written, persistedSchema())
    mergeIntoStore(toPut, toRemove, validated)
  }
  yRecords.on('change', onYjsChange)

  // B3: store → Yjs (B7: not for a read-only bridge).
  const stopListening = readOnly
    ? () => {}
    : store.listen(
        ({ changes }) => {
          doc.transact(() => {
            for (const record of Object.values(changes.added)) yRecords.set(record.id, record)
            for (const [, to] of Object.values(changes.updated)) yRecords.set(to.id, to)
            for (const record of Object.values(changes.removed)) yRecords.delete(record.id)
            writeSchemaIfNeeded()
          }, origin)
          onLocalChange?.([...Object.keys(changes.added), ...Object.keys(changes.updated), ...Object.keys(changes.removed)])
        },
        { source: 'user', scope: 'document' },
      )

  let disposed = false
  return {
    origin,
    get invalidRecordCount() {
      return invalidRecordCount
    },
    get migratedOnLoadCount() {
      return migratedOnLoadCount
    },
    get schemaMismatchCount() {
      return schemaMismatchCount
    },
    dispose() {
      if (disposed) return
      disposed = true
      yRecords.off('change', onYjsChange)
      stopListening()
      yRecords.destroy()
    },
  }
}
