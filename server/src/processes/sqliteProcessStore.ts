import { migrateSchema, type SqliteDatabase, type SqliteMigration } from '../store/sqliteDatabase.ts'
import type { Process, ProcessFields, ProcessStore } from './ProcessStore.ts'

const CREATE_V1 = `
  CREATE TABLE processes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    decidim_url TEXT,
    not_same_actors TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX processes_created_at ON processes (created_at);
`

/** `PROCESS_MIGRATIONS[i]` upgrades the process tables from version i to i + 1 (component 'processes'). */
const PROCESS_MIGRATIONS: readonly SqliteMigration[] = [(db) => db.exec(CREATE_V1)]
export const PROCESS_SCHEMA_VERSION = PROCESS_MIGRATIONS.length

export interface ProcessRow {
  id: string
  title: string
  description: string | null
  decidim_url: string | null
  not_same_actors: string
  created_at: string
  updated_at: string
}

export const COLUMN: Record<keyof ProcessFields, string> = {
  title: 'title',
  description: 'description',
  decidimUrl: 'decidim_url',
  notSameActors: 'not_same_actors',
}

/** The undo list as stored; a damaged value reads as empty (readers are forgiving). */
function parseNotSame(json: string): Process['notSameActors'] {
  try {
    const value: unknown = JSON.parse(json)
    if (!Array.isArray(value)) return []
    return value.flatMap((v: unknown) => {
      const o = v as { meetingId?: unknown; cardId?: unknown } | null
      return typeof o?.meetingId === 'string' && typeof o.cardId === 'string' ? [{ meetingId: o.meetingId, cardId: o.cardId }] : []
    })
  } catch {
    return []
  }
}

export function toProcess(row: ProcessRow): Process {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    decidimUrl: row.decidim_url,
    notSameActors: parseNotSame(row.not_same_actors),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** A ProcessStore in the shared SQLite database (table `processes`, component 'processes' in `tavolo_schema`). */
export function createSqliteProcessStore(db: SqliteDatabase): ProcessStore {
  migrateSchema(db, 'processes', PROCESS_MIGRATIONS)
  const select = db.prepare<[string], ProcessRow>('SELECT * FROM processes WHERE id = ?')
  const selectAll = db.prepare<[], ProcessRow>('SELECT * FROM processes ORDER BY created_at DESC, rowid DESC')
  const insert = db.prepare(
    `INSERT INTO processes (id, title, description, decidim_url, not_same_actors, created_at, updated_at)
     VALUES (@id, @title, @description, @decidimUrl, @notSameActors, @now, @now)`,
  )
  const remove = db.prepare<[string]>('DELETE FROM processes WHERE id = ?')
  const get = (id: string) => {
    const row = select.get(id)
    return row === undefined ? null : toProcess(row)
  }
  const updateTx = db.transaction((id: string, fields: Partial<ProcessFields>, now: string) => {
    const sets: string[] = []
    const values: unknown[] = []
    for (const name of Object.keys(COLUMN) as Array<keyof ProcessFields>) {
      const value = fields[name]
      if (value === undefined) continue
      sets.push(`${COLUMN[name]} = ?`)
      values.push(name === 'notSameActors' ? JSON.stringify(value) : value)
    }
    sets.push('updated_at = ?')
    values.push(now)
    const result = db.prepare(`UPDATE processes SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
    return result.changes === 0 ? null : get(id)
  })
  return {
    async create(id, fields, now) {
      insert.run({ id, ...fields, notSameActors: JSON.stringify(fields.notSameActors), now })
      const created = get(id)
      if (created === null) throw new Error(`process ${id} vanished while being created`)
      return created
    },
    async get(id) {
      return get(id)
    },
    async list() {
      return selectAll.all().map(toProcess)
    },
    async update(id, fields, now) {
      return updateTx(id, fields, now)
    },
    async delete(id) {
      return remove.run(id).changes > 0
    },
  }
}
