import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createSqliteDemoStore } from '../demo/sqliteDemoStore.ts'
import { createSqlitePrivateCardStore } from '../facilitation/sqlitePrivateCardStore.ts'
import { createSqliteVoteStore } from '../facilitation/sqliteVoteStore.ts'
import { createSqliteMeetingStore } from '../meetings/sqliteMeetingStore.ts'
import { createSqliteProcessStore } from '../processes/sqliteProcessStore.ts'
import { openSqliteDatabase } from '../store/sqliteDatabase.ts'
import { createSqliteDocStore } from '../store/sqliteDocStore.ts'
import { createSqliteErasedMeetings } from '../store/sqliteErasedMeetings.ts'
import { createSqliteVersionStore } from '../versions/sqliteVersionStore.ts'
import { DATABASE_FILE } from './backup.ts'
import { LOCK_FILE, tryLockDataDir } from './dataDirLock.ts'
import { copyStores, meetingIdsOf, type CopyReport, type TavoloStores } from './migrateCopy.ts'
import { verifyStores, type VerifyRow } from './migrateVerify.ts'
import { openPgStores } from './pgStores.ts'

/** A refusal with the message for the person at the terminal; the target was not written. */
export class MigrationRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationRefused'
  }
}

export interface MigrationResult {
  report: CopyReport
  verification: VerifyRow[]
  durationMs: number
}

/**
 * What the target already holds, by kind (empty: nothing). Asked through the stores, so every table a store keeps
 * is covered without SQL here; the migrations that create the tables have run by then (openPgStores).
 */
export async function nonEmptyKinds(stores: TavoloStores): Promise<string[]> {
  const found: string[] = []
  if ((await stores.meetings.meetingIds()).length > 0) found.push('meetings')
  if ((await stores.docStore.list()).length > 0) found.push('boards')
  if ((await stores.versions.meetingIds()).length > 0 || (await stores.versions.pendingRestores()).length > 0) found.push('versions')
  if ((await stores.processes.list()).length > 0) found.push('processes')
  if ((await stores.demo.exportRecord()) !== null) found.push('the demo record')
  if ((await stores.votes.meetingIds()).length > 0) found.push('votes')
  if ((await stores.privateCards.meetingIds()).length > 0) found.push('private rounds')
  if ((await stores.erased.exportTombstones()).length > 0) found.push('tombstones of erased meetings')
  return found
}

/**
 * The SQLite stores of DATA_DIR, as main.ts builds them but on this thread (nothing is appended: no worker needed),
 * with DATA_DIR's lock held throughout: refused while a server runs on it, and no server can start on it meanwhile
 * (it would write to the source while it is being copied).
 */
function openSqliteSource(dataDir: string): { stores: TavoloStores; close(): void } {
  const file = join(dataDir, DATABASE_FILE)
  if (!existsSync(file)) throw new MigrationRefused(`No Tavolo database at ${file} (is DATA_DIR, or --from, right?).`)
  const lock = tryLockDataDir(dataDir, 0)
  if (lock === null) {
    throw new MigrationRefused(
      `A Tavolo server is running on DATA_DIR ${dataDir} (it holds ${join(dataDir, LOCK_FILE)}). Stop it first: the copy ` +
        'must not miss what people write meanwhile.',
    )
  }
  try {
    // opening migrates an older database's tables to this Tavolo's, as starting the server on it would
    const db = openSqliteDatabase(file)
    const stores: TavoloStores = {
      docStore: createSqliteDocStore(db),
      meetings: createSqliteMeetingStore(db),
      versions: createSqliteVersionStore(db),
      demo: createSqliteDemoStore(db),
      votes: createSqliteVoteStore(db),
      privateCards: createSqlitePrivateCardStore(db),
      processes: createSqliteProcessStore(db),
      erased: createSqliteErasedMeetings(db),
    }
    return {
      stores,
      close() {
        db.close()
        lock.release()
      },
    }
  } catch (error) {
    lock.release()
    throw error
  }
}

/**
 * `npm run migrate-to-postgres` (issue 23): copies a SQLite DATA_DIR into an empty PostgreSQL database, then reads both
 * back and compares counts and content hashes kind by kind (migrateVerify.ts). Refuses a target with anything in it,
 * and a DATA_DIR a server is running on. The caller decides what a mismatch or a skipped row means (the script exits
 * non-zero).
 */
export async function migrateToPostgres(options: { dataDir: string; databaseUrl: string; progress?: (line: string) => void }): Promise<MigrationResult> {
  const progress = options.progress ?? (() => {})
  const started = performance.now()
  const source = openSqliteSource(options.dataDir)
  try {
    const target = await openPgStores(options.databaseUrl, { poolSize: 4 }).catch((error: unknown) => {
      throw new MigrationRefused(`Cannot open the PostgreSQL database: ${(error as Error).message}`)
    })
    try {
      const present = await nonEmptyKinds(target)
      if (present.length > 0) {
        throw new MigrationRefused(
          `The PostgreSQL database is not empty (it holds ${present.join(', ')}). Migrate into a new, empty database: ` +
            'nothing was written.',
        )
      }
      progress(`copying ${(await meetingIdsOf(source.stores)).length} meetings' data from ${options.dataDir}`)
      const report = await copyStores(source.stores, target, progress)
      progress('verifying: reading both databases back')
      const verification = await verifyStores(source.stores, target)
      return { report, verification, durationMs: performance.now() - started }
    } finally {
      await target.docStore.close()
      await target.close()
    }
  } finally {
    source.close()
  }
}
