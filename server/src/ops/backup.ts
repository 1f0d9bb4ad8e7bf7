import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { DEMO_SCHEMA_VERSION } from '../demo/sqliteDemoStore.ts'
import { countSqliteMeetings, MEETING_SCHEMA_VERSION } from '../meetings/sqliteMeetingStore.ts'
import { schemaVersionsOf } from '../store/sqliteDatabase.ts'
import { DOC_SCHEMA_VERSION } from '../store/sqliteDocStore.ts'
import { ERASURE_SCHEMA_VERSION } from '../store/sqliteErasedMeetings.ts'
import { VERSION_SCHEMA_VERSION } from '../versions/sqliteVersionStore.ts'
import { PRIVATE_SCHEMA_VERSION } from '../facilitation/sqlitePrivateCardStore.ts'
import { VOTE_SCHEMA_VERSION } from '../facilitation/sqliteVoteStore.ts'
import { PROCESS_SCHEMA_VERSION } from '../processes/sqliteProcessStore.ts'
import { LOCK_FILE, tryLockDataDir } from './dataDirLock.ts'

/** The database file inside DATA_DIR (server/src/main.ts opens the same one). */
export const DATABASE_FILE = 'tavolo.sqlite'

/**
 * The schema version of every component this Tavolo knows (rows of `tavolo_schema`). A component that keeps tables
 * in the database adds its line here (versions: `versions: VERSION_SCHEMA_VERSION`), so that restore accepts it.
 */
export const KNOWN_SCHEMA: Readonly<Record<string, number>> = {
  docs: DOC_SCHEMA_VERSION,
  meetings: MEETING_SCHEMA_VERSION,
  versions: VERSION_SCHEMA_VERSION,
  demo: DEMO_SCHEMA_VERSION,
  erasure: ERASURE_SCHEMA_VERSION,
  votes: VOTE_SCHEMA_VERSION,
  private_rounds: PRIVATE_SCHEMA_VERSION,
  processes: PROCESS_SCHEMA_VERSION,
}

/** A refusal with a message for the person at the terminal; nothing was changed. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupRefused'
  }
}

export interface BackupResult {
  file: string
  bytes: number
  durationMs: number
  meetings: number
}

/** An absolute path with every symlink resolved, also when its last parts do not exist yet. */
function realPathOf(path: string): string {
  if (existsSync(path)) return realpathSync(path)
  const parent = dirname(path)
  return parent === path ? path : join(realPathOf(parent), basename(path))
}

/**
 * Where a backup may be written (README "Backup and restore"): never inside DATA_DIR (the live database, its -wal and
 * -shm, the lock, the staff token) and never onto one of the database's files wherever they really are, after every
 * symlink is resolved (a link to the data dir, or a file that is a link to the live WAL). Returns the real path.
 */
export function checkBackupTarget(dataDir: string, target: string): string {
  const dataReal = realpathSync(dataDir)
  const real = realPathOf(resolve(target))
  const inside = (path: string) => path === dataReal || path.startsWith(dataReal + sep)
  const live = join(dataDir, DATABASE_FILE)
  const protectedFiles = ['', '-wal', '-shm', '-journal'].map((suffix) => live + suffix).concat(join(dataDir, LOCK_FILE))
  if (inside(real) || protectedFiles.some((file) => existsSync(file) && realpathSync(file) === real)) {
    throw new BackupRefused(
      `${target} is inside DATA_DIR (${dataReal}) or one of the live database's files: a backup there would overwrite ` +
        'the data it copies. Choose a file outside DATA_DIR, e.g. /var/backups/tavolo/.',
    )
  }
  return real
}

/**
 * Copies the live database with SQLite's online backup API, on a connection of its own: the server keeps relaying
 * and appending meanwhile (WAL). The whole copy is one backup step, so it is one read transaction: a consistent
 * snapshot containing every transaction committed before it started (hence every update already relayed: R2).
 * Refuses a target inside DATA_DIR or onto the database's files (checkBackupTarget). Written to a temporary file
 * beside the target (mode 0600: it holds every key) and renamed when complete and checked, so a failed backup never
 * leaves a file that looks like a good one, nor replaces a good one.
 */
export async function backupDatabase(dataDir: string, target: string): Promise<BackupResult> {
  const source = join(dataDir, DATABASE_FILE)
  if (!existsSync(source)) throw new BackupRefused(`No database at ${source} (is DATA_DIR right?).`)
  const file = checkBackupTarget(dataDir, target)
  mkdirSync(dirname(file), { recursive: true })
  const partial = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.partial`)
  closeSync(openSync(partial, 'wx', 0o600))
  const started = performance.now()
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    // One step for all pages: a step-by-step copy restarts whenever the server commits, which it does every 50 ms
    // while people edit.
    await db.backup(partial, { progress: () => 0x7fffffff })
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  } finally {
    db.close()
  }
  let meetings: number
  try {
    // The copy inherits WAL mode from the live database; rollback-journal mode makes it ONE self-contained file that
    // can be copied anywhere (a WAL file would leave -wal and -shm companions next to it whenever it is opened).
    const copy = new Database(partial, { fileMustExist: true })
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    meetings = checkDatabaseFile(partial).meetings
    chmodSync(partial, 0o600)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
  renameSync(partial, file)
  return { file, bytes: statSync(file).size, durationMs: performance.now() - started, meetings }
}

/**
 * Checks that a file is a whole, readable Tavolo database this version can open: SQLite's integrity check, a
 * `tavolo_schema` table naming the docs and meetings components, and no component newer than this Tavolo knows.
 * Throws BackupRefused with the reason otherwise. Opens the file read-only.
 */
export function checkDatabaseFile(file: string): { meetings: number; schema: Record<string, number> } {
  if (!existsSync(file)) throw new BackupRefused(`No file at ${file}.`)
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new BackupRefused(`${file} cannot be opened as a database: ${(error as Error).message}`)
  }
  try {
    let problems: string[]
    try {
      problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check)
    } catch (error) {
      throw new BackupRefused(`${file} is not a usable SQLite database (${(error as Error).message}); it may be truncated or not a backup at all.`)
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupRefused(`${file} is damaged (SQLite integrity check: ${problems.slice(0, 5).join('; ')}).`)
    }
    const schema = schemaVersionsOf(db)
    if (schema === null) throw new BackupRefused(`${file} is a SQLite database but not a Tavolo one (no tavolo_schema table).`)
    for (const component of ['docs', 'meetings']) {
      if (schema[component] === undefined) throw new BackupRefused(`${file} is not a complete Tavolo database (no "${component}" tables).`)
    }
    for (const [component, version] of Object.entries(schema)) {
      const known = KNOWN_SCHEMA[component]
      if (known === undefined || version > known) {
        throw new BackupRefused(
          `${file} was written by a newer Tavolo ("${component}" schema version ${version}; this Tavolo knows ` +
            `${known === undefined ? 'no such component' : `up to ${known}`}). Upgrade Tavolo first, then restore.`,
        )
      }
    }
    const meetings = countSqliteMeetings(db)
    return { meetings, schema }
  } finally {
    db.close()
  }
}

export interface RestoreResult {
  /** Where the database that was replaced now is (null when there was none). */
  previous: string | null
  meetings: number
}

/** `2026-12-01T08-59-03Z`: a time for file names (no colons, sorts in order). */
export function fileTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-')
}

/**
 * Replaces the database of a STOPPED server with a backup: takes DATA_DIR's lock (dataDirLock.ts), so it refuses while
 * a server holds it and no server can start until it is done, then checks the backup (checkDatabaseFile) before
 * touching anything, then moves the current database (with its -wal and -shm files, which may hold committed
 * transactions of a server that crashed) aside as `tavolo.sqlite.before-restore-<time>`, and puts a copy of the backup
 * in place (copied next to it, mode 0600, then renamed).
 */
export function restoreDatabase(dataDir: string, backupFile: string, now: Date = new Date()): RestoreResult {
  const lock = tryLockDataDir(dataDir, 0)
  if (lock === null) {
    throw new BackupRefused(`A Tavolo server is running on DATA_DIR ${dataDir}. Stop it first (e.g. systemctl stop tavolo), then restore.`)
  }
  try {
    return replaceDatabase(dataDir, backupFile, now)
  } finally {
    lock.release()
  }
}

function replaceDatabase(dataDir: string, backupFile: string, now: Date): RestoreResult {
  const { meetings } = checkDatabaseFile(backupFile)
  const live = join(dataDir, DATABASE_FILE)
  const incoming = `${live}.restoring`
  copyFileSync(backupFile, incoming)
  // copyFile gives the copy the backup's mode; the database holds every key (README "File permissions")
  chmodSync(incoming, 0o600)
  let previous: string | null = null
  if (existsSync(live)) {
    previous = `${live}.before-restore-${fileTimestamp(now)}`
    for (const suffix of ['-wal', '-shm', '']) {
      if (existsSync(live + suffix)) renameSync(live + suffix, previous + suffix)
    }
  }
  renameSync(incoming, live)
  return { previous, meetings }
}
