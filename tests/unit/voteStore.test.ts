import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMemoryVoteStore, type MemoryVoteStorage } from '../../server/src/facilitation/memoryVoteStore.ts'
import { createSqliteVoteStore } from '../../server/src/facilitation/sqliteVoteStore.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { runVoteStoreContract } from './voteStoreContract.ts'

runVoteStoreContract('memory', () => {
  const storage: MemoryVoteStorage = new Map()
  return { open: () => createMemoryVoteStore(storage), dispose: () => {} }
})

runVoteStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-votes-'))
  const dbs: SqliteDatabase[] = []
  return {
    open: () => {
      // a new handle each time, like a restarted process
      const db = openSqliteDatabase(join(dir, 'tavolo.sqlite'))
      dbs.push(db)
      return createSqliteVoteStore(db)
    },
    dispose: () => {
      for (const db of dbs) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

describe('sqlite vote store specifics', () => {
  it('refuses a database whose vote tables come from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteVoteStore(db)
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'votes'").run()
    expect(() => createSqliteVoteStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })
})
