import Database from 'better-sqlite3'
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'

export type SqliteDatabase = Database.Database

/**
 * Opens (creating if needed) Tavolo's single SQLite database file in WAL mode.
 * One handle is shared by every SQLite-backed store (documents, meetings, later versions).
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') {
    // The database holds every meeting key: a new DATA_DIR is 0700 and a new file 0600, whatever the umask (README
    // "File permissions"). SQLite gives the -wal and -shm files the mode of the database file.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
  }
  const db = new Database(file)
  // Takes effect only on a new, empty file; erasing a meeting then gives its pages back with `incremental_vacuum`
  // (reclaimFreePages below converts an older file once with VACUUM).
  db.pragma('auto_vacuum = INCREMENTAL')
  db.pragma('journal_mode = WAL')
  // FULL makes every committed transaction durable across power loss, not only process crashes:
  // an update relayed to others must already be on disk.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}

/**
 * Runs `erase` (a store's synchronous delete transaction for an erased meeting) with `secure_delete` on: the deleted
 * rows are overwritten with zeros and the pages they free are zeroed, not just unlinked, so no key, id or text of
 * the meeting stays readable in the file (meetings SPEC E4). Only for erasing: on every delete (compaction) it would
 * cost far more I/O (5,000 rows of 1 KB: ~230 ms instead of ~5 ms on this machine).
 */
export function securelyDeleting<T>(db: SqliteDatabase, erase: () => T): T {
  const before = db.pragma('secure_delete', { simple: true }) as number
  db.pragma('secure_delete = ON')
  try {
    return erase()
  } finally {
    db.pragma(`secure_delete = ${before}`)
  }
}

const pageBytes = (db: SqliteDatabase) =>
  (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)

/**
 * Gives the pages freed by deletes (an erased meeting) back to the file system; returns how many bytes the file
 * shrank by. New databases are created with auto_vacuum=INCREMENTAL (openSqliteDatabase), where `incremental_vacuum`
 * only truncates the free pages (fast, no rewrite). A database made before that has auto_vacuum=NONE: the first call
 * switches it and runs one full VACUUM (rewrites the whole file, blocks the server for about as long as copying it),
 * after which every call is incremental. The WAL is then checkpointed and truncated, so the deleted rows are not left
 * in the -wal file either.
 */
export function reclaimFreePages(db: SqliteDatabase): number {
  const before = pageBytes(db)
  if (db.pragma('auto_vacuum', { simple: true }) === 2) {
    db.pragma('incremental_vacuum')
  } else {
    db.pragma('auto_vacuum = INCREMENTAL')
    db.exec('VACUUM')
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  return Math.max(0, before - pageBytes(db))
}

/** The schema version of every component in a Tavolo database (`tavolo_schema`), or null when it is not one. */
export function schemaVersionsOf(db: SqliteDatabase): Record<string, number> | null {
  const hasSchema = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tavolo_schema'").get()
  if (hasSchema === undefined) return null
  const rows = db.prepare('SELECT component, version FROM tavolo_schema').all() as Array<{ component: string; version: number }>
  return Object.fromEntries(rows.map((r) => [r.component, r.version]))
}

/** One migration step of a component's tables; runs inside a transaction. */
export type SqliteMigration = (db: SqliteDatabase) => void

/**
 * Brings the tables of one component (e.g. 'docs', 'meetings') to the latest schema version.
 * Versions are kept per component in `tavolo_schema`, so stores sharing the database file evolve independently.
 * `migrations[i]` upgrades from version i to i + 1. Refuses to open a database written by a newer Tavolo.
 */
export function migrateSchema(db: SqliteDatabase, component: string, migrations: readonly SqliteMigration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS tavolo_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)')
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM tavolo_schema WHERE component = ?').get(component) as
      | { version: number }
      | undefined
    const current = row?.version ?? 0
    if (current > migrations.length) {
      throw new Error(
        `The database has schema version ${current} for "${component}", newer than this Tavolo knows (${migrations.length}). ` +
          'Upgrade Tavolo or restore a backup made by this version.',
      )
    }
    for (let version = current; version < migrations.length; version++) migrations[version]!(db)
    db.prepare(
      'INSERT INTO tavolo_schema (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version',
    ).run(component, migrations.length)
  }).immediate()
}

/** `/readyz`: whether the database answers a query (a closed or broken handle throws, and so answers no). */
export function createReadinessCheck(db: SqliteDatabase): () => boolean {
  const one = db.prepare('SELECT 1 AS one')
  return () => one.get() !== undefined
}
