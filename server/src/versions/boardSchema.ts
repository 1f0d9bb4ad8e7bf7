import type { TLRecord } from '@tldraw/tlschema'
import type { SerializedSchema } from '@tldraw/store'
import type { BoardRecord, SerializedBoardSchema } from '../../../shared/src/versions/versionSchemas.ts'
import { boardSchema, serverSerializedSchema } from '../board/tldrawSchema.ts'

/** Record types that belong to a board document (session and presence records never do). */
// Every document-scope type of tldraw 5, `user` included: tldraw writes one per editing person into the board (an id,
// no name), so every export holds some, and an export must import back as it was (SPEC V11).
const DOCUMENT_TYPES = new Set(['document', 'page', 'shape', 'binding', 'asset', 'user'])

export interface BoardProblem {
  /** Where: `records[3] (shape:abc)`, `records[3] (shape:abc).props.color`, `schema`. */
  path: string
  message: string
}

export type PreparedBoard =
  | { ok: true; records: BoardRecord[]; schema: SerializedBoardSchema; migrated: boolean }
  | { ok: false; newerSchema: boolean; problems: BoardProblem[] }

/** At most this many problems are listed: a file wrong everywhere says so in its first few. */
const MAX_PROBLEMS = 20

/**
 * A sequence of the given schema that this server's tldraw does not know, or knows at a lower version: the file was
 * written by a newer tldraw (or one with custom shapes), and cannot be migrated down.
 */
function newerSequences(given: SerializedBoardSchema): BoardProblem[] {
  if (given.schemaVersion !== 2 || given.sequences === undefined) return []
  const ours = serverSerializedSchema().sequences
  const problems: BoardProblem[] = []
  for (const [sequence, version] of Object.entries(given.sequences)) {
    const known = ours[sequence]
    if (known === undefined) {
      problems.push({ path: `schema.sequences.${sequence}`, message: `unknown to this server's tldraw (a newer tldraw, or a custom shape)` })
    } else if (version > known) {
      problems.push({
        path: `schema.sequences.${sequence}`,
        message: `version ${version} is newer than this server's tldraw knows (${known}): the file was made by a newer Tavolo`,
      })
    }
  }
  return problems
}

/**
 * Checks a board given as plain records with the schema they were written with (an import file, or a stored version
 * about to be restored), migrates it to the server's schema, and validates every record against it (SPEC V10).
 * Either every record is good and the migrated board comes back, or the problems are named (record index, id, field).
 */
export function prepareBoard(records: readonly unknown[], given: SerializedBoardSchema): PreparedBoard {
  const problems: BoardProblem[] = []
  const newer = newerSequences(given)
  if (newer.length > 0) return { ok: false, newerSchema: true, problems: newer.slice(0, MAX_PROBLEMS) }

  const byId: Record<string, TLRecord> = {}
  const where = new Map<string, string>()
  records.forEach((raw, index) => {
    if (problems.length >= MAX_PROBLEMS) return
    const at = `records[${index}]`
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ path: at, message: 'a record must be an object' })
      return
    }
    const { id, typeName } = raw as { id?: unknown; typeName?: unknown }
    if (typeof id !== 'string' || typeof typeName !== 'string') {
      problems.push({ path: at, message: 'a record needs a string id and typeName' })
      return
    }
    const named = `${at} (${id})`
    if (!DOCUMENT_TYPES.has(typeName)) {
      problems.push({ path: `${named}.typeName`, message: `"${typeName}" is not a board record type (${[...DOCUMENT_TYPES].join(', ')})` })
      return
    }
    if (!id.startsWith(`${typeName}:`)) {
      problems.push({ path: `${named}.id`, message: `the id of a ${typeName} record must start with "${typeName}:"` })
      return
    }
    if (where.has(id)) {
      problems.push({ path: `${named}.id`, message: `duplicate id (also ${where.get(id)})` })
      return
    }
    where.set(id, at)
    byId[id] = structuredClone(raw) as TLRecord
  })
  if (problems.length > 0) return { ok: false, newerSchema: false, problems }

  const schema = boardSchema()
  let migration: ReturnType<typeof schema.migrateStoreSnapshot>
  try {
    migration = schema.migrateStoreSnapshot({ schema: given as SerializedSchema, store: byId as Record<TLRecord['id'], TLRecord> })
  } catch (error) {
    // a migration that throws on these records (e.g. a schema that lies about their age: V16) is a problem to name,
    // never a crash of the reader
    const reason = error instanceof Error ? error.message : String(error)
    return { ok: false, newerSchema: false, problems: [{ path: 'schema', message: `the records cannot be migrated from this schema (${reason})` }] }
  }
  if (migration.type === 'error') {
    return { ok: false, newerSchema: false, problems: [{ path: 'schema', message: `the records cannot be migrated from this schema (${migration.reason})` }] }
  }
  const migrated = Object.values(migration.value) as TLRecord[]
  const ids = new Set<string>(migrated.map((r) => r.id))
  for (const record of migrated) {
    if (problems.length >= MAX_PROBLEMS) break
    const named = `${where.get(record.id) ?? 'records'} (${record.id})`
    const type = (schema.types as Record<string, { validate(r: unknown): unknown } | undefined>)[record.typeName]
    try {
      if (type === undefined) throw new Error(`unknown record type ${record.typeName}`)
      type.validate(record)
    } catch (error) {
      const path = (error as { path?: unknown }).path
      const raw = (error as { rawMessage?: unknown }).rawMessage
      const field = Array.isArray(path) ? path.filter((p) => typeof p === 'string' && !p.startsWith('(')).slice(1).join('.') : ''
      problems.push({
        path: field === '' ? named : `${named}.${field}`,
        message: typeof raw === 'string' ? raw : error instanceof Error ? error.message : String(error),
      })
      continue
    }
    const parentId = (record as { parentId?: unknown }).parentId
    if (typeof parentId === 'string' && !ids.has(parentId)) {
      problems.push({ path: `${named}.parentId`, message: `no page or shape ${parentId} in the file` })
    }
  }
  if (problems.length > 0) return { ok: false, newerSchema: false, problems }
  const ourSchema = serverSerializedSchema()
  return {
    ok: true,
    records: migrated as unknown as BoardRecord[],
    schema: ourSchema,
    migrated: JSON.stringify(given) !== JSON.stringify(ourSchema),
  }
}
