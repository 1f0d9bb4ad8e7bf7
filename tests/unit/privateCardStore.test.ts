import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryPrivateCardStore, type MemoryPrivateCardStorage } from '../../server/src/facilitation/memoryPrivateCardStore.ts'
import { createSqlitePrivateCardStore } from '../../server/src/facilitation/sqlitePrivateCardStore.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { runPrivateCardStoreContract } from './privateCardStoreContract.ts'

runPrivateCardStoreContract('memory', () => {
  const storage: MemoryPrivateCardStorage = new Map()
  return { open: () => createMemoryPrivateCardStore(storage), dispose: () => {} }
})

runPrivateCardStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-private-'))
  const dbs: SqliteDatabase[] = []
  return {
    open: () => {
      // a new handle each time, like a restarted process
      const db = openSqliteDatabase(join(dir, 'tavolo.sqlite'))
      dbs.push(db)
      return createSqlitePrivateCardStore(db)
    },
    dispose: () => {
      for (const db of dbs) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
