import { migratePg, type PgMigration, type PgPool } from '../store/pg/pgDatabase.ts'
import type { Process, ProcessFields, ProcessStore } from './ProcessStore.ts'
import { COLUMN, toProcess, type ProcessRow } from './sqliteProcessStore.ts'

/** sqliteProcessStore.ts's table; `seq` stands for SQLite's rowid (ties in the list), times compare byte by byte. */
const PROCESS_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE processes (
     id TEXT PRIMARY KEY,
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     title TEXT NOT NULL,
     description TEXT,
     decidim_url TEXT,
     not_same_actors TEXT NOT NULL DEFAULT '[]',
     created_at TEXT COLLATE "C" NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX processes_created_at ON processes (created_at, seq)`,
]

/** The ProcessStore on PostgreSQL (DATABASE_URL): the contract of ProcessStore.ts; each write is one statement. */
export function createPgProcessStore(pool: PgPool): ProcessStore {
  const ready = migratePg(pool, 'processes', PROCESS_MIGRATIONS)
  const rows = async (text: string, values: unknown[]): Promise<Process[]> => {
    await ready
    return (await pool.query<ProcessRow>(text, values)).rows.map(toProcess)
  }
  return {
    async create(id, fields, now) {
      const [created] = await rows(
        `INSERT INTO processes (id, title, description, decidim_url, not_same_actors, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [id, fields.title, fields.description, fields.decidimUrl, JSON.stringify(fields.notSameActors), now],
      )
      if (created === undefined) throw new Error(`process ${id} vanished while being created`)
      return created
    },
    async get(id) {
      return (await rows('SELECT * FROM processes WHERE id = $1', [id]))[0] ?? null
    },
    async list() {
      return rows('SELECT * FROM processes ORDER BY created_at DESC, seq DESC', [])
    },
    async update(id, fields, now) {
      const sets: string[] = []
      const values: unknown[] = []
      for (const name of Object.keys(COLUMN) as Array<keyof ProcessFields>) {
        const value = fields[name]
        if (value === undefined) continue
        values.push(name === 'notSameActors' ? JSON.stringify(value) : value)
        sets.push(`${COLUMN[name]} = $${values.length}`)
      }
      values.push(now)
      sets.push(`updated_at = $${values.length}`)
      values.push(id)
      return (await rows(`UPDATE processes SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING *`, values))[0] ?? null
    },
    async delete(id) {
      await ready
      return ((await pool.query('DELETE FROM processes WHERE id = $1', [id])).rowCount ?? 0) > 0
    },
  }
}
