import Database from 'better-sqlite3'
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The lock a running server holds on DATA_DIR (README "Backup and restore"): a small SQLite database written once in
 * `locking_mode = EXCLUSIVE`, so the connection keeps SQLite's exclusive file lock (a POSIX `fcntl` lock) until it is
 * closed or the process ends, however it ends: the kernel drops the locks of a dead process. Node has no `flock`;
 * better-sqlite3 is already here and its locking is what protects the database itself, so no package is added.
 * A pid file could not do this: after a crash or a reboot it may name a live process (pid reuse), and a backup
 * pointed at it could overwrite it.
 */
export const LOCK_FILE = 'tavolo.lock'

/** How long a starting server waits for the lock: a supervisor may restart it before the killed one is gone. */
export const SERVER_LOCK_WAIT_MS = 10_000

export interface DataDirLock {
  /** Lets the lock go (a clean stop); a crash releases it too. */
  release(): void
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
}

/**
 * Takes DATA_DIR's lock, waiting up to `waitMs` for a holder that is going away; null when another process (or
 * another connection of this one) still holds it. Creates DATA_DIR (0700) and the lock file (0600) when missing.
 */
export function tryLockDataDir(dataDir: string, waitMs: number): DataDirLock | null {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, LOCK_FILE)
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
  const db = new Database(file)
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(waitMs))}`)
    db.pragma('locking_mode = EXCLUSIVE')
    // The first write in exclusive locking mode takes the EXCLUSIVE lock and keeps it after the commit.
    db.exec('CREATE TABLE IF NOT EXISTS holder (only_one INTEGER PRIMARY KEY CHECK (only_one = 1), pid INTEGER NOT NULL, since TEXT NOT NULL)')
    db.prepare('INSERT OR REPLACE INTO holder (only_one, pid, since) VALUES (1, ?, ?)').run(process.pid, new Date().toISOString())
  } catch (error) {
    db.close()
    if (isBusy(error)) return null
    throw error
  }
  let held = true
  return {
    release() {
      if (!held) return
      held = false
      db.close()
    },
  }
}

/** For the server: takes the lock or throws the message a person needs. */
export function lockDataDir(dataDir: string, waitMs: number = SERVER_LOCK_WAIT_MS): DataDirLock {
  const lock = tryLockDataDir(dataDir, waitMs)
  if (lock === null) {
    throw new Error(
      `Another Tavolo server is using DATA_DIR ${dataDir} (it holds ${join(dataDir, LOCK_FILE)}). Stop it first; ` +
        'the lock goes away by itself when that process ends, even after a crash.',
    )
  }
  return lock
}
