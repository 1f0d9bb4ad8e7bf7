import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type SqliteDatabase = Database.Database

/**
 * Opens (creating if needed) Tavolo's single SQLite database file in WAL mode.
 * One handle is shared by every SQLite-backed store (documents, meetings, later versions).
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  // Takes effect only on a new, empty file; erasing a meeting then gives its pages back with `incremental_vacuum`
  // (server/src/ops/meetingEraser.ts reclaimSpace converts an older file once with VACUUM).
  db.pragma('auto_vacuum = INCREMENTAL')
  db.pragma('journal_mode = WAL')
  // FULL makes every committed transaction durable across power loss, not only process crashes:
  // an update relayed to others must already be on disk.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
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
