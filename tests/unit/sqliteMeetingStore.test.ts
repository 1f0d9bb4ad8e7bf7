import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSqliteMeetingStore, MEETING_SCHEMA_VERSION } from '../../server/src/meetings/sqliteMeetingStore.ts'
import type { MeetingFields, MeetingStore } from '../../server/src/meetings/meetingStore.ts'
import { migrateSchema, openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { parseMeetingId, type MeetingId } from '../../shared/src/meetings/meetingId.ts'

const fields = (over: Partial<MeetingFields> = {}): MeetingFields => ({
  title: 'Laboratorio',
  reference: 'par-MEET-2025-09-622',
  startsAt: '2025-09-18T17:30:00+02:00',
  endsAt: null,
  place: 'Sala civica',
  organisations: ['Comune', 'Pro Loco'],
  description: null,
  versionsVisibleTo: 'facilitators',
  attendeesCount: null,
  ...over,
})
const keys = (p: string) => ({ facilitator: `${p}-f`, participant: `${p}-p`, viewer: `${p}-v` })
const id = (s: string): MeetingId => parseMeetingId(s)!

/** The MeetingStore contract; run against every implementation (SQLite only, for now). */
function meetingStoreContract(name: string, make: () => { store: MeetingStore; reopen: () => MeetingStore; cleanup: () => void }) {
  describe(`MeetingStore contract: ${name}`, () => {
    let cleanup = () => {}
    afterEach(() => cleanup())
    const setup = () => {
      const s = make()
      cleanup = s.cleanup
      return s
    }

    it('creates and reads back a meeting with its keys at version 1', async () => {
      const { store } = setup()
      const created = await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      expect(created.meeting).toEqual({
        id: 'm1',
        ...fields(),
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
        lastActivityAt: null,
      })
      expect(created.keys).toEqual(keys('a'))
      expect(created.keyVersions).toEqual({ facilitator: 1, participant: 1, viewer: 1 })
      expect(await store.get(id('m1'))).toEqual(created)
      expect(await store.get(id('nope'))).toBeNull()
    })

    it('refuses a duplicate id', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await expect(store.create(id('m1'), fields(), keys('b'), '2025-01-01T00:00:00.000Z')).rejects.toThrow()
    })

    it('lists newest first, ties in creation order reversed', async () => {
      const { store } = setup()
      await store.create(id('old'), fields(), keys('o'), '2025-01-01T00:00:00.000Z')
      await store.create(id('new'), fields(), keys('n'), '2025-02-01T00:00:00.000Z')
      await store.create(id('new2'), fields(), keys('n2'), '2025-02-01T00:00:00.000Z')
      expect((await store.list()).map((m) => m.meeting.id)).toEqual(['new2', 'new', 'old'])
      expect((await store.list())[2]?.keys).toEqual(keys('o'))
    })

    it('updates only the given fields, and null clears', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      const u = await store.update(id('m1'), { title: 'Nuovo', place: null, organisations: [] }, '2025-01-02T00:00:00.000Z')
      expect(u?.meeting).toMatchObject({ title: 'Nuovo', place: null, organisations: [], reference: 'par-MEET-2025-09-622', updatedAt: '2025-01-02T00:00:00.000Z' })
      expect(await store.update(id('nope'), { title: 'x' }, '2025-01-02T00:00:00.000Z')).toBeNull()
    })

    it('rotates one key and bumps its version only', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      const r = await store.rotateKey(id('m1'), 'participant', 'fresh', '2025-01-02T00:00:00.000Z')
      expect(r?.keys).toEqual({ ...keys('a'), participant: 'fresh' })
      expect(r?.keyVersions).toEqual({ facilitator: 1, participant: 2, viewer: 1 })
      expect(await store.rotateKey(id('nope'), 'viewer', 'x', '2025-01-02T00:00:00.000Z')).toBeNull()
    })

    it('keeps the latest activity time', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.touchActivity(id('m1'), '2025-01-03T00:00:00.000Z')
      await store.touchActivity(id('m1'), '2025-01-02T00:00:00.000Z')
      await store.touchActivity(id('not-a-meeting'), '2025-01-02T00:00:00.000Z')
      expect((await store.get(id('m1')))?.meeting.lastActivityAt).toBe('2025-01-03T00:00:00.000Z')
    })

    it('keeps everything across a reopen', async () => {
      const { store, reopen } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.rotateKey(id('m1'), 'viewer', 'v2', '2025-01-02T00:00:00.000Z')
      const again = reopen()
      expect((await again.get(id('m1')))?.keys.viewer).toBe('v2')
      expect((await again.get(id('m1')))?.keyVersions.viewer).toBe(2)
    })
  })
}

meetingStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-meetings-'))
  const file = join(dir, 'tavolo.db')
  const dbs: SqliteDatabase[] = [openSqliteDatabase(file)]
  return {
    store: createSqliteMeetingStore(dbs[0]!),
    reopen: () => {
      dbs[dbs.length - 1]!.close()
      const db = openSqliteDatabase(file)
      dbs.push(db)
      return createSqliteMeetingStore(db)
    },
    cleanup: () => {
      for (const db of dbs) if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

describe('SQLite meeting tables', () => {
  it('record their schema version and refuse a newer one', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteMeetingStore(db)
    expect(MEETING_SCHEMA_VERSION).toBe(3)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'meetings'").get()).toEqual({ version: MEETING_SCHEMA_VERSION })
    createSqliteMeetingStore(db) // opening again keeps the tables
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'meetings'").run()
    expect(() => createSqliteMeetingStore(db)).toThrow(/schema version 99/)
    db.close()
  })

  it('v2 adds versionsVisibleTo to meetings made by v1, defaulting to facilitators (versions SPEC V12)', async () => {
    const db = openSqliteDatabase(':memory:')
    // a database written by the previous Tavolo: the v1 tables, one meeting
    migrateSchema(db, 'meetings', [])
    db.exec(`CREATE TABLE meetings (id TEXT PRIMARY KEY, reference TEXT, title TEXT NOT NULL, starts_at TEXT, ends_at TEXT,
      place TEXT, organisations TEXT NOT NULL DEFAULT '[]', description TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      last_activity_at TEXT);
      CREATE TABLE meeting_keys (meeting_id TEXT NOT NULL, role TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,
      created_at TEXT NOT NULL, PRIMARY KEY (meeting_id, role));
      INSERT INTO meetings (id, title, created_at, updated_at) VALUES ('old1', 'Vecchia', 't', 't');
      INSERT INTO meeting_keys VALUES ('old1', 'facilitator', 'f', 1, 't'), ('old1', 'participant', 'p', 1, 't'), ('old1', 'viewer', 'v', 1, 't');
      UPDATE tavolo_schema SET version = 1 WHERE component = 'meetings';`)
    const store = createSqliteMeetingStore(db)
    expect((await store.get(id('old1')))?.meeting.versionsVisibleTo).toBe('facilitators')
    const updated = await store.update(id('old1'), { versionsVisibleTo: 'everyone' }, 't2')
    expect(updated?.meeting.versionsVisibleTo).toBe('everyone')
    expect(() => db.prepare("UPDATE meetings SET versions_visible_to = 'nobody'").run()).toThrow(/CHECK/)
    db.close()
  })

  it('v3 adds attendeesCount (null for older meetings), kept between 0 and 999', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = createSqliteMeetingStore(db)
    await store.create(id('m3'), fields(), keys('m3'), 't')
    expect((await store.get(id('m3')))?.meeting.attendeesCount).toBeNull()
    expect((await store.update(id('m3'), { attendeesCount: 6 }, 't2'))?.meeting.attendeesCount).toBe(6)
    expect((await store.create(id('m4'), fields({ attendeesCount: 12 }), keys('m4'), 't'))?.meeting.attendeesCount).toBe(12)
    expect(() => db.prepare('UPDATE meetings SET attendees_count = 1000').run()).toThrow(/CHECK/)
    db.close()
  })
})
