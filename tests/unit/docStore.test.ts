import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deferred, waitFor } from '../helpers/waitFor.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { createInlineMerger, createWorkerMerger, type UpdateMerger } from '../../server/src/store/mergeUpdates.ts'
import { createMemoryErasedMeetings } from '../../server/src/store/meetingErasure.ts'
import { createMemoryDocStore, type MemoryDocStorage } from '../../server/src/store/memoryDocStore.ts'
import { createSqliteErasedMeetings } from '../../server/src/store/sqliteErasedMeetings.ts'
import { migrateSchema, openSqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { DOC_SCHEMA_VERSION, createSqliteDocStore } from '../../server/src/store/sqliteDocStore.ts'
import { createWorkerAppender } from '../../server/src/store/workerAppender.ts'
import { sqliteContractHarness } from '../helpers/sqliteHarness.ts'
import { PG_TEST_URL, describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { openPgPool } from '../../server/src/store/pg/pgDatabase.ts'
import { MeetingErasedError } from '../../server/src/store/meetingErasure.ts'
import { createPgDocStore } from '../../server/src/store/pg/pgDocStore.ts'
import { createPgErasedMeetings } from '../../server/src/store/pg/pgErasedMeetings.ts'
import { runDocStoreContract } from './docStoreContract.ts'

runDocStoreContract('memory', () => {
  const storage: MemoryDocStorage = new Map()
  const erased = createMemoryErasedMeetings()
  return { open: () => createMemoryDocStore(storage, erased), erased: () => erased, dispose: () => {} }
})

/** SQLite stores on one temp file; `workers` moves merging and/or appending to worker threads (as main.ts does). */
function sqliteHarness(workers: { merge?: boolean; append?: boolean } = {}) {
  const harness = sqliteContractHarness('tavolo-store-', (db, file) => {
    const merger = workers.merge ? createWorkerMerger() : undefined
    // the tables exist once a store was made on this handle; the appender gets its own connection to them
    const appender = workers.append ? (createSqliteDocStore(db), createWorkerAppender(file)) : undefined
    return {
      store: createSqliteDocStore(db, { merger, appender }),
      close: async () => {
        await merger?.close()
        await appender?.close()
      },
    }
  })
  return () => {
    const h = harness()
    return { ...h, erased: () => createSqliteErasedMeetings(h.lastDb()) }
  }
}

runDocStoreContract('sqlite (appending and merging in worker threads)', sqliteHarness({ merge: true, append: true }))



runDocStoreContract('sqlite', sqliteHarness())

// the same contract on PostgreSQL (issue 23): several instances share one database
describePg('DocStore', () => {
  const pg = pgTestSchema()
  runDocStoreContract('postgresql', () => ({
    open: () => createPgDocStore(pg.pool()),
    erased: () => createPgErasedMeetings(pg.pool()),
    dispose: () => pg.reset(),
  }))

  /** A second Tavolo instance on the same database: its own pool (connections) and store. */
  const otherInstance = () => openPgPool(PG_TEST_URL, { searchPath: pg.searchPath() })

  it('two instances append to one board at once: every update is kept, in one gapless sequence', async () => {
    const poolB = otherInstance()
    const a = createPgDocStore(pg.pool())
    const b = createPgDocStore(poolB)
    try {
      const wa = new Y.Doc()
      const wb = new Y.Doc()
      const appends: Promise<unknown>[] = []
      wa.on('update', (u: Uint8Array) => appends.push(a.append('shared' as BoardId, [u])))
      wb.on('update', (u: Uint8Array) => appends.push(b.append('shared' as BoardId, [u])))
      for (let i = 0; i < 40; i++) {
        wa.getMap('m').set(`a${i}`, i)
        wb.getMap('m').set(`b${i}`, i)
      }
      await Promise.all(appends)
      const seqs = (await pg.pool().query<{ seq: string }>("SELECT seq FROM doc_updates WHERE board_id = 'shared' ORDER BY seq")).rows.map((r) => Number(r.seq))
      expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1))
      const doc = new Y.Doc()
      for (const u of (await b.load('shared' as BoardId)).updates) Y.applyUpdate(doc, u)
      expect(Object.keys(doc.getMap('m').toJSON())).toHaveLength(80)
    } finally {
      await a.close()
      await b.close()
      await poolB.end()
    }
  })

  it('one instance compacts while another appends: nothing is lost, the state loads without pending structs', async () => {
    const poolB = otherInstance()
    const a = createPgDocStore(pg.pool())
    const b = createPgDocStore(poolB)
    try {
      const w = new Y.Doc()
      const list = w.getArray<number>('a')
      const updates: Uint8Array[] = []
      w.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 30; i++) {
        list.push([i])
        await a.append('b1' as BoardId, updates.splice(0))
      }
      const compaction = a.compact('b1' as BoardId)
      for (let i = 30; i < 60; i++) {
        list.push([i])
        await b.append('b1' as BoardId, updates.splice(0))
      }
      expect(await compaction).toBeGreaterThan(0)
      const doc = new Y.Doc()
      for (const u of (await b.load('b1' as BoardId)).updates) {
        Y.applyUpdate(doc, u)
        expect(doc.store.pendingStructs).toBeNull()
      }
      expect(doc.getArray('a').toArray()).toEqual(Array.from({ length: 60 }, (_, i) => i))
    } finally {
      await a.close()
      await b.close()
      await poolB.end()
    }
  })

  it('meetings SPEC E5: an erase racing another instance\'s appends leaves nothing behind', async () => {
    const poolB = otherInstance()
    const a = createPgDocStore(pg.pool())
    const b = createPgDocStore(poolB)
    const erased = createPgErasedMeetings(pg.pool())
    try {
      const w = new Y.Doc()
      const outcomes: Array<Promise<unknown>> = []
      w.on('update', (u: Uint8Array) => outcomes.push(b.append('gone' as BoardId, [u]).catch((e: unknown) => e)))
      for (let i = 0; i < 20; i++) w.getMap('m').set(`k${i}`, i)
      // the eraser's order: the tombstone, then every store's delete
      await erased.add('gone')
      for (let i = 20; i < 40; i++) w.getMap('m').set(`k${i}`, i)
      await a.eraseMeeting('gone')
      const results = await Promise.all(outcomes)
      expect(results.slice(20).every((r) => r instanceof MeetingErasedError)).toBe(true)
      expect((await a.load('gone' as BoardId)).updates).toEqual([])
      const left = await pg.pool().query("SELECT (SELECT count(*) FROM doc_updates WHERE board_id = 'gone') + (SELECT count(*) FROM doc_boards WHERE board_id = 'gone') AS n")
      expect(Number(left.rows[0].n)).toBe(0)
    } finally {
      await a.close()
      await b.close()
      await poolB.end()
    }
  })

  it("meetings SPEC E5: a board's first append and its erase wait for the board's lock in turn, and nothing of it is left", async () => {
    // another session holds the board's lock: the append (the board's first: it inserts the doc_boards row, which an
    // erase's DELETE could neither see nor wait for) waits for it inside its one statement, then the erase queues
    const holder = await pg.pool().connect()
    const store = createPgDocStore(pg.pool())
    const eraser = createPgDocStore(pg.pool())
    const erased = createPgErasedMeetings(pg.pool())
    const waitingLocks = async () =>
      Number((await pg.pool().query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'advisory'")).rows[0]!.n)
    try {
      await store.load('first' as BoardId) // migrated before the lock is taken
      await holder.query('BEGIN')
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('tavolo-board:first', 0))")
      const appending = store.append('first' as BoardId, [new Uint8Array([0, 0])]).catch((e: unknown) => e)
      await waitFor(async () => (await waitingLocks()) >= 1 || null, 5_000)
      await erased.add('first')
      const erase = eraser.eraseMeeting('first')
      await waitFor(async () => (await waitingLocks()) >= 2 || null, 5_000)
      await holder.query('COMMIT')
      // the append got the lock first and saw the tombstone, written while it waited: refused, nothing written
      expect(await appending).toBeInstanceOf(MeetingErasedError)
      await erase
      const left = await pg.pool().query("SELECT (SELECT count(*) FROM doc_updates WHERE board_id = 'first') + (SELECT count(*) FROM doc_boards WHERE board_id = 'first') AS n")
      expect(Number(left.rows[0].n)).toBe(0)
    } finally {
      await holder.query('ROLLBACK').catch(() => {})
      holder.release()
      await store.close()
      await eraser.close()
    }
  })
})

describe('sqlite doc store specifics', () => {
  it('records its schema version and refuses a database from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteDocStore(db)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'docs'").get()).toEqual({ version: DOC_SCHEMA_VERSION })
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'docs'").run()
    expect(() => createSqliteDocStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })

  it('a database of docs version 1 (a compacted state in one row, not framed) migrates and loads as before', () => {
    const db = openSqliteDatabase(':memory:')
    db.exec(`CREATE TABLE doc_updates (id INTEGER PRIMARY KEY, board_id TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX doc_updates_by_board ON doc_updates (board_id, id);`)
    migrateSchema(db, 'docs', [() => {}])
    const w = new Y.Doc()
    w.getMap('m').set('a', 1)
    db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)').run('b1', Y.encodeStateAsUpdate(w))
    const store = createSqliteDocStore(db)
    return store.load('b1' as BoardId).then(({ updates }) => {
      const doc = new Y.Doc()
      for (const u of updates) Y.applyUpdate(doc, u)
      expect(doc.getMap('m').toJSON()).toEqual({ a: 1 })
      db.close()
    })
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
    const store = createSqliteDocStore(db, { onBadRow: (boardId, count) => bad.push(`${boardId}:${count}`) })
    const board = 'b1' as BoardId
    await store.append(board, [new Uint8Array([255, 255, 255, 1, 2, 3]), new Uint8Array([0, 0])])
    await store.compact(board)
    expect(bad).toEqual(['b1:1'])
    expect((await store.load(board)).updates).toHaveLength(1)
    db.close()
  })
})

describe('sqlite compaction races', () => {
  it('an append made while the log is being merged survives the compaction', async () => {
    const db = openSqliteDatabase(':memory:')
    const gate = deferred()
    const inline = createInlineMerger()
    const slowMerger: UpdateMerger = { merge: async (u) => (await gate.promise, inline.merge(u)), close: async () => {} }
    const store = createSqliteDocStore(db, { merger: slowMerger })
    const board = 'b1' as BoardId
    const w = new Y.Doc()
    const updates: Uint8Array[] = []
    w.on('update', (u: Uint8Array) => updates.push(u))
    w.getMap('m').set('a', 1)
    w.getMap('m').set('b', 2)
    await store.append(board, updates.splice(0))
    const compaction = store.compact(board)
    w.getMap('m').set('during', 3)
    await store.append(board, updates.splice(0))
    gate.resolve()
    expect(await compaction).toBe(2)
    const doc = new Y.Doc()
    for (const u of (await store.load(board)).updates) Y.applyUpdate(doc, u)
    expect(doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2, during: 3 })
    db.close()
  })

  it('the merged state takes the place of the rows it merged: appends made meanwhile load after it, never waiting for it', async () => {
    const db = openSqliteDatabase(':memory:')
    const gate = deferred()
    const inline = createInlineMerger()
    const store = createSqliteDocStore(db, { merger: { merge: async (u) => (await gate.promise, inline.merge(u)), close: async () => {} } })
    const board = 'b1' as BoardId
    const w = new Y.Doc()
    const updates: Uint8Array[] = []
    w.on('update', (u: Uint8Array) => updates.push(u))
    const list = w.getArray<number>('a')
    for (let i = 0; i < 20; i++) list.push([i])
    await store.append(board, updates.splice(0))
    const compaction = store.compact(board)
    // each depends on the one before, all on the merged rows
    for (let i = 20; i < 40; i++) {
      list.push([i])
      await store.append(board, updates.splice(0))
    }
    gate.resolve()
    expect(await compaction).toBe(20)
    const doc = new Y.Doc()
    // a row loaded before what it depends on is held by Yjs as pending and re-merged with every later row: a log of
    // thousands of such rows stalled a room's load for minutes after a crash (crashSafety)
    for (const u of (await store.load(board)).updates) {
      Y.applyUpdate(doc, u)
      expect(doc.store.pendingStructs).toBeNull()
    }
    expect(doc.getArray('a').toArray()).toEqual(Array.from({ length: 40 }, (_, i) => i))
    db.close()
  })

  it('a board deleted while its log is being merged stays deleted', async () => {
    const db = openSqliteDatabase(':memory:')
    const gate = deferred()
    const inline = createInlineMerger()
    const store = createSqliteDocStore(db, { merger: { merge: async (u) => (await gate.promise, inline.merge(u)), close: async () => {} } })
    const board = 'b1' as BoardId
    const w = new Y.Doc()
    const updates: Uint8Array[] = []
    w.on('update', (u: Uint8Array) => updates.push(u))
    w.getMap('m').set('a', 1)
    w.getMap('m').set('b', 2)
    await store.append(board, updates)
    const compaction = store.compact(board)
    await store.delete(board)
    gate.resolve()
    expect(await compaction).toBe(0)
    expect((await store.load(board)).updates).toEqual([])
    db.close()
  })

  it('the worker merger gives the same state as merging inline', async () => {
    const w = new Y.Doc()
    const updates: Uint8Array[] = []
    w.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 100; i++) w.getArray('a').insert(0, [i])
    w.getArray('a').delete(10, 50)
    const worker = createWorkerMerger()
    try {
      const viaWorker = await worker.merge(updates)
      const inline = await createInlineMerger().merge(updates)
      expect(viaWorker.chunks.map((c) => Array.from(c))).toEqual(inline.chunks.map((c) => Array.from(c)))
      expect(viaWorker.badRows).toBe(0)
    } finally {
      await worker.close()
    }
  })
})
