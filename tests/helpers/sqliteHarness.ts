import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'

/**
 * The storage of a store contract suite run against SQLite: one database file in a temporary directory, and a new
 * handle at every `open`, like a restarted process. `make` builds the store on a handle; what it returns as `close`
 * (a worker writer, say) runs before the handles close at `dispose`.
 */
export function sqliteContractHarness<S>(
  prefix: string,
  make: (db: SqliteDatabase, file: string) => { store: S; close?: () => Promise<void> },
): () => { open(): S; lastDb(): SqliteDatabase; dispose(): Promise<void> } {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    const file = join(dir, 'tavolo.sqlite')
    const dbs: SqliteDatabase[] = []
    const closers: Array<() => Promise<void>> = []
    return {
      open: () => {
        const db = openSqliteDatabase(file)
        dbs.push(db)
        const { store, close } = make(db, file)
        if (close !== undefined) closers.push(close)
        return store
      },
      lastDb: () => dbs.at(-1)!,
      dispose: async () => {
        for (const close of closers) await close()
        for (const db of dbs) if (db.open) db.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
}
