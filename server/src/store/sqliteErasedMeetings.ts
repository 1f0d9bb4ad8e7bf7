import { tombstoneOf, type ErasedMeetings, type Tombstone } from './meetingErasure.ts'
import { migrateSchema, type SqliteDatabase, type SqliteMigration } from './sqliteDatabase.ts'

/**
 * Table `erased_meetings` (component 'erasure' in tavolo_schema): one row per erased meeting, the SHA-256 of its id
 * (meetingErasure.ts tombstoneOf). The append worker (appendWorker.mjs) reads it on its own connection.
 */
const ERASURE_MIGRATIONS: readonly SqliteMigration[] = [
  (db) => db.exec('CREATE TABLE erased_meetings (id_hash TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID'),
]
export const ERASURE_SCHEMA_VERSION = ERASURE_MIGRATIONS.length

/**
 * The synchronous tombstone check of the SQLite stores: called INSIDE their write transactions, so a write and the
 * tombstone are ordered by SQLite's one writer at a time (E5). Creates the table when it is missing.
 */
export function sqliteErasedCheck(db: SqliteDatabase): (meetingId: string) => boolean {
  migrateSchema(db, 'erasure', ERASURE_MIGRATIONS)
  const select = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM erased_meetings WHERE id_hash = ?')
  return (meetingId) => select.get(tombstoneOf(meetingId)) !== undefined
}

/** The tombstones in the shared SQLite database. */
export function createSqliteErasedMeetings(db: SqliteDatabase, now: () => Date = () => new Date()): ErasedMeetings {
  const isErased = sqliteErasedCheck(db)
  const insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO erased_meetings (id_hash, erased_at) VALUES (?, ?)')
  const selectAll = db.prepare<[], Tombstone>('SELECT id_hash AS idHash, erased_at AS erasedAt FROM erased_meetings ORDER BY id_hash')
  const importAll = db.transaction((tombstones: readonly Tombstone[]) => {
    for (const t of tombstones) insert.run(t.idHash, t.erasedAt)
  })
  return {
    async exportTombstones() {
      return selectAll.all()
    },
    async importTombstones(tombstones) {
      importAll.immediate(tombstones)
    },
    async add(meetingId) {
      insert.run(tombstoneOf(meetingId), now().toISOString())
    },
    async has(meetingId) {
      return isErased(meetingId)
    },
    async erasedAmong(ids) {
      return ids.filter(isErased)
    },
  }
}
