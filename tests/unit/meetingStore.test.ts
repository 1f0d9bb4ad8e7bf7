import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMemoryMeetingStorage, createMemoryMeetingStore } from '../../server/src/meetings/memoryMeetingStore.ts'
import { createSqliteMeetingStore, MEETING_SCHEMA_VERSION } from '../../server/src/meetings/sqliteMeetingStore.ts'
import { createMemoryErasedMeetings } from '../../server/src/store/meetingErasure.ts'
import { migrateSchema, openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteErasedMeetings } from '../../server/src/store/sqliteErasedMeetings.ts'
import { parseMeetingId, type MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { createPgMeetingStore } from '../../server/src/meetings/pgMeetingStore.ts'
import { createPgErasedMeetings } from '../../server/src/store/pg/pgErasedMeetings.ts'
import { describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { meetingFields as fields, meetingKeysOf as keys, runMeetingStoreContract } from './meetingStoreContract.ts'

const id = (s: string): MeetingId => parseMeetingId(s)!

runMeetingStoreContract('memory', () => {
  const storage = createMemoryMeetingStorage()
  const erased = createMemoryErasedMeetings()
  return { store: createMemoryMeetingStore(storage, erased), erased, reopen: () => createMemoryMeetingStore(storage, erased), cleanup: () => {} }
})

runMeetingStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-meetings-'))
  const file = join(dir, 'tavolo.db')
  const dbs: SqliteDatabase[] = [openSqliteDatabase(file)]
  return {
    store: createSqliteMeetingStore(dbs[0]!),
    erased: createSqliteErasedMeetings(dbs[0]!),
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

// the same contract on PostgreSQL (issue 23)
describePg('MeetingStore', () => {
  const pg = pgTestSchema()
  runMeetingStoreContract('postgresql', () => ({
    store: createPgMeetingStore(pg.pool()),
    erased: createPgErasedMeetings(pg.pool()),
    reopen: () => createPgMeetingStore(pg.pool()),
    cleanup: () => pg.reset(),
  }))
})

describe('SQLite meeting tables', () => {
  it('record their schema version and refuse a newer one', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteMeetingStore(db)
    expect(MEETING_SCHEMA_VERSION).toBe(5)
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

  it('v5 adds outcomeVersion (null for the meetings of v4), a version number of 1 or more', async () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteMeetingStore(db)
    // back to a v4 database holding one meeting: drop the column the v5 migration adds
    db.exec(`ALTER TABLE meetings DROP COLUMN outcome_version;
      INSERT INTO meetings (id, title, created_at, updated_at, process_id) VALUES ('old4', 'Prima', 't', 't', NULL);
      INSERT INTO meeting_keys VALUES ('old4', 'facilitator', 'f', 1, 't'), ('old4', 'participant', 'p', 1, 't'), ('old4', 'viewer', 'v', 1, 't');
      UPDATE tavolo_schema SET version = 4 WHERE component = 'meetings';`)
    const store = createSqliteMeetingStore(db)
    expect(db.prepare("SELECT version FROM tavolo_schema WHERE component = 'meetings'").get()).toEqual({ version: 5 })
    expect((await store.get(id('old4')))?.meeting.outcomeVersion).toBeNull()
    expect((await store.update(id('old4'), { outcomeVersion: 3 }, 't2'))?.meeting.outcomeVersion).toBe(3)
    expect(() => db.prepare('UPDATE meetings SET outcome_version = 0').run()).toThrow(/CHECK/)
    db.close()
  })
})
