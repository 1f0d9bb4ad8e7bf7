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
  db.pragma('journal_mode = WAL')
  // FULL makes every committed transaction durable across power loss, not only process crashes:
  // an update relayed to others must already be on disk.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}
