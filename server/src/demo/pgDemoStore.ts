import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { MeetingErasedError } from '../store/meetingErasure.ts'
import { inPgTransaction, migratePg, pgLockKey, type PgMigration, type PgPool } from '../store/pg/pgDatabase.ts'
import { migratePgErasure, pgIsErased } from '../store/pg/pgErasedMeetings.ts'
import type { DemoStore } from './demoStore.ts'

/** sqliteDemoStore.ts's table at its latest version: one row at most, its id cleared when the demo meeting is erased. */
const DEMO_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE demo_meeting (
     only_one INTEGER PRIMARY KEY CHECK (only_one = 1),
     meeting_id TEXT,
     created_at TEXT NOT NULL
   )`,
  // when the demo's process (issue 22) was made; NULL until then
  'ALTER TABLE demo_meeting ADD COLUMN process_made_at TEXT',
]

/**
 * The DemoStore on PostgreSQL (DATABASE_URL). `remember` and the erase take the meeting's lock (pgLockKey) before the
 * tombstone check and the clear: a demo remembered while its meeting is erased is cleared or refused (E5).
 */
export function createPgDemoStore(pool: PgPool): DemoStore {
  const ready = migratePgErasure(pool).then(() => migratePg(pool, 'demo', DEMO_MIGRATIONS))
  const lockKey = (meetingId: string) => `tavolo-demo:${meetingId}`
  const select = async () => {
    await ready
    return (await pool.query<{ meeting_id: string | null }>('SELECT meeting_id FROM demo_meeting WHERE only_one = 1')).rows[0]
  }
  return {
    component: 'demo',
    async made() {
      const row = await select()
      return row === undefined ? null : { meetingId: row.meeting_id as MeetingId | null }
    },
    async remember(meetingId, at) {
      await ready
      await inPgTransaction(pool, async (client) => {
        await pgLockKey(client, lockKey(meetingId))
        if (await pgIsErased(client, meetingId)) throw new MeetingErasedError(meetingId)
        await client.query('INSERT INTO demo_meeting (only_one, meeting_id, created_at) VALUES (1, $1, $2)', [meetingId, at])
      })
    },
    async processMade() {
      await ready
      const row = (await pool.query<{ process_made_at: string | null }>('SELECT process_made_at FROM demo_meeting WHERE only_one = 1')).rows[0]
      return row !== undefined && row.process_made_at !== null
    },
    async rememberProcess(at) {
      await ready
      await pool.query('UPDATE demo_meeting SET process_made_at = $1 WHERE only_one = 1 AND process_made_at IS NULL', [at])
    },
    async exportRecord() {
      await ready
      const row = (
        await pool.query<{ meeting_id: string | null; created_at: string; process_made_at: string | null }>(
          'SELECT meeting_id, created_at, process_made_at FROM demo_meeting WHERE only_one = 1',
        )
      ).rows[0]
      return row === undefined ? null : { meetingId: row.meeting_id as MeetingId | null, createdAt: row.created_at, processMadeAt: row.process_made_at }
    },
    async importRecord(record) {
      await ready
      await pool.query('INSERT INTO demo_meeting (only_one, meeting_id, created_at, process_made_at) VALUES (1, $1, $2, $3)', [
        record.meetingId,
        record.createdAt,
        record.processMadeAt,
      ])
    },
    async eraseMeeting(meetingId) {
      await ready
      return inPgTransaction(pool, async (client) => {
        await pgLockKey(client, lockKey(meetingId))
        return (await client.query('UPDATE demo_meeting SET meeting_id = NULL WHERE meeting_id = $1', [meetingId])).rowCount ?? 0
      })
    },
    async meetingIds() {
      const id = (await select())?.meeting_id
      return id === undefined || id === null ? [] : [id]
    },
  }
}
