import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { refuseIfErased } from '../store/meetingErasure.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase, type SqliteMigration } from '../store/sqliteDatabase.ts'
import { sqliteErasedCheck } from '../store/sqliteErasedMeetings.ts'
import type { DemoStore } from './demoStore.ts'

/** `DEMO_MIGRATIONS[i]` upgrades the demo table from version i to i + 1 (component 'demo' in tavolo_schema). */
const DEMO_MIGRATIONS: readonly SqliteMigration[] = [
  (db) =>
    db.exec(`CREATE TABLE demo_meeting (
      only_one INTEGER PRIMARY KEY CHECK (only_one = 1),
      meeting_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`),
  // v2: erasing the demo meeting clears its id (meetings SPEC E1) and keeps the row ("a demo was made").
  (db) =>
    db.exec(`CREATE TABLE demo_meeting_v2 (
      only_one INTEGER PRIMARY KEY CHECK (only_one = 1),
      meeting_id TEXT,
      created_at TEXT NOT NULL
    );
    INSERT INTO demo_meeting_v2 (only_one, meeting_id, created_at) SELECT only_one, meeting_id, created_at FROM demo_meeting;
    DROP TABLE demo_meeting;
    ALTER TABLE demo_meeting_v2 RENAME TO demo_meeting`),
  // v3: when the demo's process (issue 22) was made; NULL on a data dir whose demo predates processes, which gets it once
  (db) => db.exec('ALTER TABLE demo_meeting ADD COLUMN process_made_at TEXT'),
]
export const DEMO_SCHEMA_VERSION = DEMO_MIGRATIONS.length

/** The DemoStore in the shared SQLite database (table `demo_meeting`, one row at most). */
export function createSqliteDemoStore(db: SqliteDatabase): DemoStore {
  migrateSchema(db, 'demo', DEMO_MIGRATIONS)
  const isErased = sqliteErasedCheck(db)
  const select = db.prepare<[], { meeting_id: string | null }>('SELECT meeting_id FROM demo_meeting WHERE only_one = 1')
  const insert = db.prepare<[string, string]>('INSERT INTO demo_meeting (only_one, meeting_id, created_at) VALUES (1, ?, ?)')
  const clear = db.prepare<[string]>('UPDATE demo_meeting SET meeting_id = NULL WHERE meeting_id = ?')
  const selectProcessMade = db.prepare<[], { process_made_at: string | null }>('SELECT process_made_at FROM demo_meeting WHERE only_one = 1')
  const markProcess = db.prepare<[string]>('UPDATE demo_meeting SET process_made_at = ? WHERE only_one = 1 AND process_made_at IS NULL')
  const selectRecord = db.prepare<[], { meeting_id: string | null; created_at: string; process_made_at: string | null }>(
    'SELECT meeting_id, created_at, process_made_at FROM demo_meeting WHERE only_one = 1',
  )
  const insertRecord = db.prepare<[string | null, string, string | null]>(
    'INSERT INTO demo_meeting (only_one, meeting_id, created_at, process_made_at) VALUES (1, ?, ?, ?)',
  )
  const rememberTx = db.transaction((meetingId: MeetingId, at: string) => {
    refuseIfErased(isErased, meetingId)
    insert.run(meetingId, at)
  })
  return {
    component: 'demo',
    async made() {
      const row = select.get()
      return row === undefined ? null : { meetingId: row.meeting_id as MeetingId | null }
    },
    async remember(meetingId, at) {
      rememberTx.immediate(meetingId, at)
    },
    async processMade() {
      const at = selectProcessMade.get()?.process_made_at
      return at !== undefined && at !== null
    },
    async rememberProcess(at) {
      markProcess.run(at)
    },
    async exportRecord() {
      const row = selectRecord.get()
      return row === undefined ? null : { meetingId: row.meeting_id as MeetingId | null, createdAt: row.created_at, processMadeAt: row.process_made_at }
    },
    async importRecord(record) {
      insertRecord.run(record.meetingId, record.createdAt, record.processMadeAt)
    },
    async eraseMeeting(meetingId) {
      return securelyDeleting(db, () => clear.run(meetingId).changes)
    },
    async meetingIds() {
      const id = select.get()?.meeting_id
      return id === undefined || id === null ? [] : [id]
    },
  }
}
