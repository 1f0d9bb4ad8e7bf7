import type pg from 'pg'
import type { MeetingKeys } from '../../../shared/src/meetings/meetingSchemas.ts'
import { ROLES } from '../../../shared/src/roles.ts'
import { MeetingErasedError, tombstoneOf } from '../store/meetingErasure.ts'
import { inPgTransaction, migratePg, pgLockKey, type PgMigration, type PgPool } from '../store/pg/pgDatabase.ts'
import { migratePgErasure, pgIsErased } from '../store/pg/pgErasedMeetings.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from './meetingStore.ts'
import { assemble, COLUMN, type KeyRow, type MeetingRow } from './sqliteMeetingStore.ts'

/**
 * sqliteMeetingStore.ts's tables at its latest version (v5), in PostgreSQL. `seq` stands for SQLite's rowid: the
 * insertion order that breaks ties in the list and the pages' cursor. Times stay the ISO texts the callers give,
 * compared byte by byte (COLLATE "C", as SQLite compares them) whatever the database's collation.
 */
const MEETING_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE meetings (
     id TEXT PRIMARY KEY,
     seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
     reference TEXT,
     title TEXT NOT NULL,
     starts_at TEXT,
     ends_at TEXT,
     place TEXT,
     organisations TEXT NOT NULL DEFAULT '[]',
     description TEXT,
     created_at TEXT COLLATE "C" NOT NULL,
     updated_at TEXT NOT NULL,
     last_activity_at TEXT COLLATE "C",
     versions_visible_to TEXT NOT NULL DEFAULT 'facilitators' CHECK (versions_visible_to IN ('facilitators', 'participants', 'everyone')),
     attendees_count INTEGER CHECK (attendees_count IS NULL OR (attendees_count BETWEEN 0 AND 999)),
     process_id TEXT,
     outcome_version INTEGER CHECK (outcome_version IS NULL OR outcome_version >= 1)
   );
   CREATE INDEX meetings_created_at ON meetings (created_at, seq);
   CREATE INDEX meetings_process_id ON meetings (process_id) WHERE process_id IS NOT NULL;
   CREATE INDEX meetings_reference ON meetings (lower(reference));
   CREATE TABLE meeting_keys (
     meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
     role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'viewer')),
     key TEXT NOT NULL,
     version INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (meeting_id, role)
   )`,
]

type Row = MeetingRow & { seq: string }

const KEYS_OF = 'SELECT meeting_id, role, key, version FROM meeting_keys WHERE meeting_id = ANY($1)'

/**
 * The MeetingStore on PostgreSQL (DATABASE_URL): the contract of meetingStore.ts (meetingStore.test.ts runs the one
 * suite on memory, SQLite and PostgreSQL). Every write of a meeting, and its erase, first takes the meeting's lock
 * (pgLockKey) and then checks the tombstone in the same transaction (E5), as every PostgreSQL store does.
 */
export function createPgMeetingStore(pool: PgPool): MeetingStore {
  const ready = migratePgErasure(pool).then(() => migratePg(pool, 'meetings', MEETING_MIGRATIONS))
  const lock = (client: pg.PoolClient, id: string) => pgLockKey(client, `tavolo-meetings:${id}`)

  /** The rows with their keys, in the rows' order: one query for the keys of them all. */
  const withKeys = async (client: pg.PoolClient | PgPool, rows: Row[]): Promise<StoredMeeting[]> => {
    if (rows.length === 0) return []
    const keys = (await client.query<KeyRow>(KEYS_OF, [rows.map((r) => r.id)])).rows
    const byMeeting = new Map<string, KeyRow[]>()
    for (const k of keys) byMeeting.set(k.meeting_id, [...(byMeeting.get(k.meeting_id) ?? []), k])
    return rows.map((row) => assemble(row, byMeeting.get(row.id) ?? []))
  }
  const select = async (client: pg.PoolClient | PgPool, text: string, values: unknown[]): Promise<StoredMeeting[]> => {
    await ready
    return withKeys(client, (await client.query<Row>(text, values)).rows)
  }
  const getOn = async (client: pg.PoolClient | PgPool, id: string) => (await select(client, 'SELECT * FROM meetings WHERE id = $1', [id]))[0] ?? null
  const write = async <T>(id: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    await ready
    return inPgTransaction(pool, async (client) => {
      await lock(client, id)
      if (await pgIsErased(client, id)) throw new MeetingErasedError(id)
      return work(client)
    })
  }

  return {
    component: 'meetings',
    async create(id, fields, keys, now) {
      const stored = await write(id, async (client) => {
        await client.query(
          `INSERT INTO meetings (id, reference, title, starts_at, ends_at, place, organisations, description, versions_visible_to,
             attendees_count, process_id, outcome_version, created_at, updated_at, last_activity_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, NULL)`,
          [
            id,
            fields.reference,
            fields.title,
            fields.startsAt,
            fields.endsAt,
            fields.place,
            JSON.stringify(fields.organisations),
            fields.description,
            fields.versionsVisibleTo,
            fields.attendeesCount,
            fields.processId,
            fields.outcomeVersion ?? null,
            now,
          ],
        )
        await client.query(
          'INSERT INTO meeting_keys (meeting_id, role, key, version, created_at) SELECT $1, r, k, 1, $4 FROM unnest($2::text[], $3::text[]) AS t(r, k)',
          [id, [...ROLES], ROLES.map((role) => (keys as MeetingKeys)[role]), now],
        )
        return getOn(client, id)
      })
      if (stored === null) throw new Error(`meeting ${id} vanished while being created`)
      return stored
    },
    async get(id) {
      return getOn(pool, id)
    },
    async list() {
      return select(pool, 'SELECT * FROM meetings ORDER BY created_at DESC, seq DESC', [])
    },
    async listPage(limit, after) {
      await ready
      // one row more than asked tells whether there is a next page; keyset, so stable while meetings are created
      const rows = (
        after === null
          ? await pool.query<Row>('SELECT * FROM meetings ORDER BY created_at DESC, seq DESC LIMIT $1', [limit + 1])
          : await pool.query<Row>(
              'SELECT * FROM meetings WHERE created_at < $1 OR (created_at = $1 AND seq < $2) ORDER BY created_at DESC, seq DESC LIMIT $3',
              [after.createdAt, after.seq, limit + 1],
            )
      ).rows
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        meetings: await withKeys(pool, page),
        next: rows.length > limit && last !== undefined ? { createdAt: last.created_at, seq: Number(last.seq) } : null,
      }
    },
    async withReference(reference) {
      return select(pool, 'SELECT * FROM meetings WHERE lower(reference) = lower($1) ORDER BY created_at DESC, seq DESC', [reference])
    },
    async update(id, fields, now) {
      return write(id, async (client) => {
        const sets: string[] = []
        const values: unknown[] = []
        for (const name of Object.keys(COLUMN) as Array<keyof Required<MeetingFields>>) {
          const value = fields[name]
          if (value === undefined) continue
          values.push(name === 'organisations' ? JSON.stringify(value) : value)
          sets.push(`${COLUMN[name]} = $${values.length}`)
        }
        values.push(now)
        sets.push(`updated_at = $${values.length}`)
        values.push(id)
        const result = await client.query(`UPDATE meetings SET ${sets.join(', ')} WHERE id = $${values.length}`, values)
        return result.rowCount === 0 ? null : getOn(client, id)
      })
    },
    async listByProcess(processId) {
      return select(pool, 'SELECT * FROM meetings WHERE process_id = $1 ORDER BY created_at, seq', [processId])
    },
    async rotateKey(id, role, newKey, now) {
      return write(id, async (client) => {
        const rotated = await client.query(
          'UPDATE meeting_keys SET key = $1, version = version + 1, created_at = $2 WHERE meeting_id = $3 AND role = $4',
          [newKey, now, id, role],
        )
        if (rotated.rowCount === 0) return null
        await client.query('UPDATE meetings SET updated_at = $1 WHERE id = $2', [now, id])
        return getOn(client, id)
      })
    },
    async touchActivity(id, at) {
      await ready
      // one statement: the tombstone check is part of it (no lock: an erase deletes the row whatever the time says)
      await pool.query(
        `UPDATE meetings SET last_activity_at = $1 WHERE id = $2 AND (last_activity_at IS NULL OR last_activity_at < $1)
           AND NOT EXISTS (SELECT 1 FROM erased_meetings WHERE id_hash = $3)`,
        [at, id, tombstoneOf(id)],
      )
    },
    async importMeeting({ meeting: m, keys, keyVersions }) {
      await write(m.id, async (client) => {
        await client.query(
          `INSERT INTO meetings (id, reference, title, starts_at, ends_at, place, organisations, description, versions_visible_to,
             attendees_count, process_id, outcome_version, created_at, updated_at, last_activity_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [m.id, m.reference, m.title, m.startsAt, m.endsAt, m.place, JSON.stringify(m.organisations), m.description, m.versionsVisibleTo,
            m.attendeesCount, m.processId, m.outcomeVersion, m.createdAt, m.updatedAt, m.lastActivityAt],
        )
        await client.query(
          'INSERT INTO meeting_keys (meeting_id, role, key, version, created_at) SELECT $1, r, k, v, $5 FROM unnest($2::text[], $3::text[], $4::int[]) AS t(r, k, v)',
          [m.id, [...ROLES], ROLES.map((role) => keys[role]), ROLES.map((role) => keyVersions[role]), m.updatedAt],
        )
      })
    },
    async eraseMeeting(id) {
      await ready
      return inPgTransaction(pool, async (client) => {
        await lock(client, id)
        const keys = (await client.query('DELETE FROM meeting_keys WHERE meeting_id = $1', [id])).rowCount ?? 0
        return keys + ((await client.query('DELETE FROM meetings WHERE id = $1', [id])).rowCount ?? 0)
      })
    },
    async meetingIds() {
      await ready
      return (await pool.query<{ id: string }>('SELECT id FROM meetings UNION SELECT meeting_id FROM meeting_keys')).rows.map((r) => r.id)
    },
  }
}
