import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMemoryProcessStorage, createMemoryProcessStore } from '../../server/src/processes/memoryProcessStore.ts'
import { createSqliteProcessStore, PROCESS_SCHEMA_VERSION } from '../../server/src/processes/sqliteProcessStore.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createPgProcessStore } from '../../server/src/processes/pgProcessStore.ts'
import { describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { runProcessStoreContract } from './processStoreContract.ts'

runProcessStoreContract('memory', () => {
  const storage = createMemoryProcessStorage()
  return { store: createMemoryProcessStore(storage), reopen: () => createMemoryProcessStore(storage), cleanup: () => {} }
})

runProcessStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-processes-'))
  const file = join(dir, 'tavolo.db')
  const dbs: SqliteDatabase[] = [openSqliteDatabase(file)]
  return {
    store: createSqliteProcessStore(dbs[0]!),
    reopen: () => {
      dbs[dbs.length - 1]!.close()
      const db = openSqliteDatabase(file)
      dbs.push(db)
      return createSqliteProcessStore(db)
    },
    cleanup: () => {
      for (const db of dbs) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

describe('SQLite process tables', () => {
  it('record their schema version; a damaged undo list reads as empty', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteProcessStore(db)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'processes'").get()).toEqual({ version: PROCESS_SCHEMA_VERSION })
    await store.create('p', { title: 't', description: null, decidimUrl: null, notSameActors: [] }, 'now')
    db.prepare("UPDATE processes SET not_same_actors = 'not json'").run()
    expect((await store.get('p'))?.notSameActors).toEqual([])
    db.close()
  })
})

// the same contract on PostgreSQL (issue 23)
describePg('ProcessStore', () => {
  const pg = pgTestSchema()
  runProcessStoreContract('postgresql', () => ({
    store: createPgProcessStore(pg.pool()),
    reopen: () => createPgProcessStore(pg.pool()),
    cleanup: () => pg.reset(),
  }))
})
