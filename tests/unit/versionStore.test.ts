import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { createMemoryErasedMeetings } from '../../server/src/store/meetingErasure.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteErasedMeetings } from '../../server/src/store/sqliteErasedMeetings.ts'
import { createMemoryVersionStore, type MemoryVersionStorage } from '../../server/src/versions/memoryVersionStore.ts'
import { createSqliteVersionStore, VERSION_SCHEMA_VERSION } from '../../server/src/versions/sqliteVersionStore.ts'
import { outlineOf } from '../../shared/src/versions/recordOutline.ts'
import { createPgVersionStore } from '../../server/src/versions/pgVersionStore.ts'
import { createPgErasedMeetings } from '../../server/src/store/pg/pgErasedMeetings.ts'
import { openPgPool } from '../../server/src/store/pg/pgDatabase.ts'
import { PG_TEST_URL, describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { runVersionStoreContract } from './versionStoreContract.ts'

runVersionStoreContract('memory', () => {
  const storage: MemoryVersionStorage = new Map()
  const erased = createMemoryErasedMeetings()
  return { open: () => createMemoryVersionStore(storage, erased), erased: () => erased, dispose: () => {} }
})

runVersionStoreContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-versions-'))
  const dbs: SqliteDatabase[] = []
  return {
    open: () => {
      // a new handle each time, like a restarted process
      const db = openSqliteDatabase(join(dir, 'tavolo.sqlite'))
      dbs.push(db)
      return createSqliteVersionStore(db)
    },
    erased: () => createSqliteErasedMeetings(dbs.at(-1)!),
    dispose: () => {
      for (const db of dbs) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

// the same contract on PostgreSQL (issue 23)
describePg('VersionStore', () => {
  const pg = pgTestSchema()
  runVersionStoreContract('postgresql', () => ({
    open: () => createPgVersionStore(pg.pool()),
    erased: () => createPgErasedMeetings(pg.pool()),
    dispose: () => pg.reset(),
  }))

  it('1, 2: two instances saving one meeting at once get distinct consecutive numbers, and one version per content', async () => {
    const poolB = openPgPool(PG_TEST_URL, { searchPath: pg.searchPath() })
    const a = createPgVersionStore(pg.pool())
    const b = createPgVersionStore(poolB)
    try {
      const base = {
        label: 'l', note: null, kind: 'manual' as const, author: null, createdAt: 't', counts: { shapes: 0, byType: {} },
        restoredFrom: null, schema: { schemaVersion: 2 }, records: [],
      }
      const m = 'shared' as MeetingId
      const added = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).add(m, { ...base, contentHash: `h${i}` })))
      expect(added.map((v) => v.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1))
      const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).addIfChanged(m, { ...base, contentHash: 'same' })))
      expect(racing.filter((r) => r.created)).toHaveLength(1)
      expect(await b.count(m)).toBe(11)
    } finally {
      await poolB.end()
      await pg.reset()
    }
  })
})

describe('sqlite version store specifics', () => {
  it('records its schema version and refuses a database from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteVersionStore(db)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'versions'").get()).toEqual({ version: VERSION_SCHEMA_VERSION })
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'versions'").run()
    expect(() => createSqliteVersionStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })

  it('V14: a version stored before outlines existed (schema 1, no outline) still reads; its outline is made once and kept', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteVersionStore(db)
    const records = [
      { id: 'page:p', typeName: 'page', name: 'Pagina' },
      { id: 'shape:f', typeName: 'shape', type: 'frame', parentId: 'page:p' },
      { id: 'shape:n', typeName: 'shape', type: 'note', parentId: 'shape:f', props: { text: 'riga\ndue' } },
      { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: 'shape:a', toId: 'shape:n' },
    ]
    const meetingId = 'm1' as MeetingId
    await store.add(meetingId, {
      label: 'l', note: null, kind: 'manual', author: null, createdAt: 't', contentHash: 'h', counts: { shapes: 2, byType: {} },
      restoredFrom: null, schema: { schemaVersion: 2 }, records,
    })
    // the database as a Tavolo before outlines left it: no column, schema version 1, the row in br-ndjson
    db.exec('ALTER TABLE versions DROP COLUMN records_outline')
    db.exec('DROP TABLE version_restore_intents')
    db.prepare("UPDATE tavolo_schema SET version = 1 WHERE component = 'versions'").run()
    const reopened = createSqliteVersionStore(db)
    const outlineColumn = () => (db.prepare('SELECT records_outline AS o, records_encoding AS e FROM versions').get() as { o: Buffer | null; e: string })
    expect(outlineColumn()).toEqual({ o: null, e: 'br-ndjson' })
    const first = await reopened.getRecordTexts(meetingId, 1)
    expect(first?.texts.map((t) => JSON.parse(t))).toEqual(records)
    expect(first?.outline).toEqual(outlineOf(records))
    expect(outlineColumn().o).not.toBeNull()
    expect((await reopened.getRecordTexts(meetingId, 1))?.outline).toEqual(outlineOf(records))
    expect((await reopened.get(meetingId, 1))?.records).toEqual(records)
    db.close()
  })

  it('V9: a database from before restore intents (schema 2) opens with its versions and gets the intents table (schema 3)', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteVersionStore(db)
    const meetingId = 'm1' as MeetingId
    await store.add(meetingId, {
      label: 'l', note: null, kind: 'manual', author: null, createdAt: 't', contentHash: 'h', counts: { shapes: 0, byType: {} },
      restoredFrom: null, schema: { schemaVersion: 2 }, records: [],
    })
    // the database as a Tavolo before restore intents left it
    db.exec('DROP TABLE version_restore_intents')
    db.prepare("UPDATE tavolo_schema SET version = 2 WHERE component = 'versions'").run()
    const reopened = createSqliteVersionStore(db)
    expect(VERSION_SCHEMA_VERSION).toBe(4)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'versions'").get()).toEqual({ version: 4 })
    expect(await reopened.pendingRestores()).toEqual([])
    const begun = await reopened.beginRestore(meetingId, {
      restoredFrom: 1, targetHash: 'h', author: null, createdAt: 't', writer: { clientId: 1, clock: 0 },
    })
    expect((await reopened.completeRestore(meetingId, begun.id, {
      label: 'r', note: null, kind: 'restored', author: null, createdAt: 't', contentHash: 'h', counts: { shapes: 0, byType: {} },
      restoredFrom: 1, schema: { schemaVersion: 2 }, records: [],
    }))?.number).toBe(2)
    db.close()
  })

  it('v4 (issue 22): a database from before kind `continued` keeps its versions and accepts the new kind', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteVersionStore(db)
    const meetingId = 'm1' as MeetingId
    const base = { label: 'l', note: null, author: null, createdAt: 't', contentHash: 'h', counts: { shapes: 0, byType: {} }, restoredFrom: null, schema: { schemaVersion: 2 }, records: [] }
    await store.add(meetingId, { ...base, kind: 'manual' })
    // the version table as schema 3 made it: the CHECK without `continued`
    db.exec(`CREATE TABLE v3 AS SELECT * FROM versions; DROP TABLE versions;
      CREATE TABLE versions (meeting_id TEXT NOT NULL, number INTEGER NOT NULL, label TEXT NOT NULL, note TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'session-end', 'before-restore', 'restored', 'imported')),
        author_name TEXT, author_role TEXT, created_at TEXT NOT NULL, content_hash TEXT NOT NULL, counts TEXT NOT NULL,
        restored_from INTEGER, schema TEXT NOT NULL, records BLOB NOT NULL, records_encoding TEXT NOT NULL, records_outline BLOB,
        PRIMARY KEY (meeting_id, number)) WITHOUT ROWID;
      INSERT INTO versions SELECT * FROM v3; DROP TABLE v3;`)
    db.prepare("UPDATE tavolo_schema SET version = 3 WHERE component = 'versions'").run()
    const reopened = createSqliteVersionStore(db)
    expect((await reopened.get(meetingId, 1))?.kind).toBe('manual')
    expect((await reopened.add(meetingId, { ...base, kind: 'continued' })).kind).toBe('continued')
    expect((await reopened.list(meetingId)).map((v) => v.kind)).toEqual(['continued', 'manual'])
    db.close()
  })

  it('V9: erasing a meeting removes its restore intents too (meetings SPEC E1)', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteVersionStore(db)
    const writer = { clientId: 1, clock: 0 }
    await store.beginRestore('m1' as MeetingId, { restoredFrom: 1, targetHash: 'h', author: null, createdAt: 't', writer })
    const kept = await store.beginRestore('m2' as MeetingId, { restoredFrom: 1, targetHash: 'h', author: null, createdAt: 't', writer })
    await store.eraseMeeting('m1')
    expect(await store.pendingRestores()).toEqual([kept])
    db.close()
  })

  it('V14: a damaged outline costs time, never a wrong outline: the records are outlined instead', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteVersionStore(db)
    const records = [{ id: 'shape:n', typeName: 'shape', type: 'note', parentId: 'page:p' }]
    const meetingId = 'm1' as MeetingId
    await store.add(meetingId, {
      label: 'l', note: null, kind: 'manual', author: null, createdAt: 't', contentHash: 'h', counts: { shapes: 1, byType: {} },
      restoredFrom: null, schema: { schemaVersion: 2 }, records,
    })
    const { brotliCompressSync } = await import('node:zlib')
    db.prepare('UPDATE versions SET records_outline = ?').run(brotliCompressSync(Buffer.from('{"format":1,"ids":[]}')))
    expect((await store.getRecordTexts(meetingId, 1))?.outline).toEqual(outlineOf(records))
    db.close()
  })

  it('stores records compressed: a repetitive board takes far less than its JSON', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteVersionStore(db)
    const records = Array.from({ length: 500 }, (_, i) => ({
      id: `shape:n${i}`,
      typeName: 'shape',
      type: 'note',
      x: i * 10,
      y: i * 7,
      props: { color: 'yellow', richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `idea ${i}` }] }] } },
    }))
    const meetingId = 'm1' as MeetingId
    await store.add(meetingId, {
      label: 'l', note: null, kind: 'manual', author: null, createdAt: 't', contentHash: 'h', counts: { shapes: 500, byType: { note: 500 } },
      restoredFrom: null, schema: { schemaVersion: 2 }, records,
    })
    const bytes = await store.storedBytes(meetingId, 1)
    expect(bytes).toBeLessThan(JSON.stringify(records).length * 0.5)
    db.close()
  })
})
