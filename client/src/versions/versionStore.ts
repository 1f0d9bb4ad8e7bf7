import { createTLStore, type SerializedSchema, type TLRecord, type TLStore } from 'tldraw'
import { boardBindingUtils, boardShapeUtils } from '../board/boardStore.ts'
import { sameSchema } from '../board/yjsBridge.ts'

export interface SkippedRecord {
  id: string
  reason: string
}

export interface LoadedVersionStore {
  store: TLStore
  /** Records left out because they could not be migrated or validated, or hang off a missing parent. */
  skipped: SkippedRecord[]
}

function isSerializedSchema(value: unknown): value is SerializedSchema {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { schemaVersion?: unknown }
  return v.schemaVersion === 1 || v.schemaVersion === 2
}

/**
 * A fresh tldraw store holding the records of a saved version (or of an export), for the read-only views. It never
 * touches the live board: no Y.Doc, no provider, no IndexedDB. Every record is migrated from the schema it was saved
 * with and validated one by one, so one bad record is left out (and reported) instead of failing the whole version;
 * shapes whose parent is missing and bindings to missing shapes are left out too (tldraw would otherwise refuse or
 * repair the snapshot in ways nobody sees). The survivors are loaded in one transaction (`createTLStore({ snapshot })`).
 */
export function loadVersionStore(records: readonly unknown[], schema: unknown): LoadedVersionStore {
  const probe = createTLStore({ shapeUtils: boardShapeUtils, bindingUtils: boardBindingUtils })
  const ourSchema = probe.schema.serialize()
  const persisted = isSerializedSchema(schema) ? schema : ourSchema
  const skipped: SkippedRecord[] = []
  const byId = new Map<string, TLRecord>()

  for (const raw of records) {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : '?'
    const typeName = typeof raw === 'object' && raw !== null ? (raw as { typeName?: unknown }).typeName : undefined
    // Document-scope types only (page, shape, binding, asset, document, and tldraw's own `user` records), as the bridge.
    const type = typeof typeName === 'string' ? (probe.schema.types as Record<string, { scope: string } | undefined>)[typeName] : undefined
    if (type?.scope !== 'document') {
      skipped.push({ id, reason: `not a document record (${String(typeName)})` })
      continue
    }
    let record = structuredClone(raw) as TLRecord
    if (!sameSchema(persisted, ourSchema)) {
      const migrated = probe.schema.migratePersistedRecord(record, persisted)
      if (migrated.type === 'error') {
        skipped.push({ id, reason: `migration failed: ${migrated.reason}` })
        continue
      }
      record = migrated.value
    }
    try {
      byId.set(record.id, probe.schema.validateRecord(probe, record, 'createRecord', null))
    } catch (error) {
      skipped.push({ id, reason: error instanceof Error ? error.message : String(error) })
    }
  }

  dropOrphans(byId, skipped)
  const store = createTLStore({
    shapeUtils: boardShapeUtils,
    bindingUtils: boardBindingUtils,
    snapshot: { store: Object.fromEntries(byId) as Record<TLRecord['id'], TLRecord>, schema: ourSchema },
  })
  return { store, skipped }
}

/** Removes shapes whose parent is absent (repeatedly: a removed frame takes its children along) and dangling bindings. */
function dropOrphans(byId: Map<string, TLRecord>, skipped: SkippedRecord[]): void {
  let removed = true
  while (removed) {
    removed = false
    for (const [id, record] of byId) {
      if (record.typeName === 'shape' && !byId.has(record.parentId)) {
        byId.delete(id)
        skipped.push({ id, reason: `its parent ${record.parentId} is missing` })
        removed = true
      }
    }
  }
  for (const [id, record] of byId) {
    if (record.typeName === 'binding' && (!byId.has(record.fromId) || !byId.has(record.toId))) {
      byId.delete(id)
      skipped.push({ id, reason: 'it binds a missing shape' })
    }
  }
}
