import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/src/boardId.ts'
import { createMemoryDocStore, type MemoryDocStorage } from '../../server/src/store/memoryDocStore.ts'
import { migrateSchema, openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteDocStore } from '../../server/src/store/sqliteDocStore.ts'
import { runDocStoreContract } from './docStoreContract.ts'

runDocStoreContract('memory', () => {
  const storage: MemoryDocStorage = new Map()
  return { open: () => createMemoryDocStore(storage), dispose: () => {} }
})

runDocStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-store-'))
  const dbs: SqliteDatabase[] = []
  return {
    open: () => {
      // A new handle each time, like a restarted process.
      const db = openSqliteDatabase(join(dir, 'tavolo.sqlite'))
      dbs.push(db)
      return createSqliteDocStore(db)
    },
    dispose: () => {
      for (const db of dbs) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

describe('sqlite doc store specifics', () => {
  it('records its schema version and refuses a database from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteDocStore(db)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'docs'").get()).toEqual({ version: 1 })
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'docs'").run()
    expect(() => createSqliteDocStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })

  it('runs each migration once, in order', () => {
    const db = openSqliteDatabase(':memory:')
    const ran: number[] = []
    migrateSchema(db, 'demo', [() => ran.push(1)])
    migrateSchema(db, 'demo', [() => ran.push(1), () => ran.push(2)])
    migrateSchema(db, 'demo', [() => ran.push(1), () => ran.push(2)])
    expect(ran).toEqual([1, 2])
    db.close()
  })

  it('skips a corrupt stored row while compacting and reports it', async () => {
    const db = openSqliteDatabase(':memory:')
    const bad: string[] = []
    const store = createSqliteDocStore(db, { onBadRow: (boardId) => bad.push(boardId) })
    const board = 'b1' as BoardId
    await store.append(board, [new Uint8Array([255, 255, 255, 1, 2, 3]), new Uint8Array([0, 0])])
    await store.compact(board)
    expect(bad).toEqual(['b1'])
    expect((await store.load(board)).updates).toHaveLength(1)
    db.close()
  })
})
