import { refuseIfErased } from '../store/meetingErasure.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase, type SqliteMigration } from '../store/sqliteDatabase.ts'
import { sqliteErasedCheck } from '../store/sqliteErasedMeetings.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { VERSIONS_VISIBLE_TO, type MeetingKeys, type VersionsVisibleTo } from '../../../shared/src/meetings/meetingSchemas.ts'
import { ROLES, type Role } from '../../../shared/src/roles.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from './meetingStore.ts'


const CREATE_V1 = `
  CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    reference TEXT,
    title TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    place TEXT,
    organisations TEXT NOT NULL DEFAULT '[]',
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_activity_at TEXT
  );
  CREATE INDEX meetings_created_at ON meetings (created_at);
  CREATE TABLE meeting_keys (
    meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'viewer')),
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, role)
  );
`

/** v2: who may see the meeting's versions (server/src/versions/SPEC.md). */
const ADD_VERSIONS_VISIBLE_TO = `
  ALTER TABLE meetings ADD COLUMN versions_visible_to TEXT NOT NULL DEFAULT 'facilitators'
    CHECK (versions_visible_to IN ('facilitators', 'participants', 'everyone'));
`

/** v3: the facilitator's count of participants (the report's and Decidim's attendees count). */
const ADD_ATTENDEES_COUNT = `
  ALTER TABLE meetings ADD COLUMN attendees_count INTEGER
    CHECK (attendees_count IS NULL OR (attendees_count BETWEEN 0 AND 999));
`

/** v4: the process the meeting belongs to (issue 22); the processes are the 'processes' component's tables. */
const ADD_PROCESS_ID = `
  ALTER TABLE meetings ADD COLUMN process_id TEXT;
  CREATE INDEX meetings_process_id ON meetings (process_id) WHERE process_id IS NOT NULL;
`

/** v5: the version chosen as the meeting's outcome in its process (issue 22); NULL = the latest. */
const ADD_OUTCOME_VERSION = `
  ALTER TABLE meetings ADD COLUMN outcome_version INTEGER CHECK (outcome_version IS NULL OR outcome_version >= 1);
`

export interface MeetingRow {
  id: string
  reference: string | null
  title: string
  starts_at: string | null
  ends_at: string | null
  place: string | null
  organisations: string
  description: string | null
  created_at: string
  updated_at: string
  last_activity_at: string | null
  versions_visible_to: string
  attendees_count: number | null
  process_id: string | null
  outcome_version: number | null
}

export interface KeyRow {
  meeting_id: string
  role: string
  key: string
  version: number
}

export const COLUMN: Record<keyof Required<MeetingFields>, string> = {
  title: 'title',
  reference: 'reference',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  place: 'place',
  organisations: 'organisations',
  description: 'description',
  versionsVisibleTo: 'versions_visible_to',
  attendeesCount: 'attendees_count',
  processId: 'process_id',
  outcomeVersion: 'outcome_version',
}

/** `MEETING_MIGRATIONS[i]` upgrades the meeting tables from version i to i + 1 (see migrateSchema). */
const MEETING_MIGRATIONS: readonly SqliteMigration[] = [
  (db) => db.exec(CREATE_V1),
  (db) => db.exec(ADD_VERSIONS_VISIBLE_TO),
  (db) => db.exec(ADD_ATTENDEES_COUNT),
  (db) => db.exec(ADD_PROCESS_ID),
  (db) => db.exec(ADD_OUTCOME_VERSION),
]

/** The current version of the meeting tables. */
export const MEETING_SCHEMA_VERSION = MEETING_MIGRATIONS.length

/** How many meetings a Tavolo database file holds (backup and restore report it), read on any handle. */
export function countSqliteMeetings(db: SqliteDatabase): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM meetings').get() as { n: number }).n
}

function parseOrganisations(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

function parseVersionsVisibleTo(value: string): VersionsVisibleTo {
  // the CHECK constraint keeps other values out; a hand-edited database falls back to the safest setting
  return (VERSIONS_VISIBLE_TO as readonly string[]).includes(value) ? (value as VersionsVisibleTo) : 'facilitators'
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function assemble(row: MeetingRow, keyRows: KeyRow[]): StoredMeeting {
  const keys: Partial<MeetingKeys> = {}
  const keyVersions: Partial<Record<Role, number>> = {}
  for (const k of keyRows) {
    if (!isRole(k.role)) continue
    keys[k.role] = k.key
    keyVersions[k.role] = k.version
  }
  for (const role of ROLES) {
    if (keys[role] === undefined || keyVersions[role] === undefined) {
      throw new Error(`meeting ${row.id} has no ${role} key in the database`)
    }
  }
  return {
    meeting: {
      id: row.id,
      reference: row.reference,
      title: row.title,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      place: row.place,
      organisations: parseOrganisations(row.organisations),
      description: row.description,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      lastActivityAt: row.last_activity_at,
      versionsVisibleTo: parseVersionsVisibleTo(row.versions_visible_to),
      attendeesCount: row.attendees_count,
      processId: row.process_id,
      outcomeVersion: row.outcome_version,
    },
    keys: keys as MeetingKeys,
    keyVersions: keyVersions as Record<Role, number>,
  }
}

/**
 * A MeetingStore in the shared SQLite database (tables `meetings` and `meeting_keys`; their schema version is the
 * 'meetings' component in `tavolo_schema`). Every write is one transaction.
 */
export function createSqliteMeetingStore(db: SqliteDatabase): MeetingStore {
  migrateSchema(db, 'meetings', MEETING_MIGRATIONS)
  const isErased = sqliteErasedCheck(db)
  const selectMeeting = db.prepare('SELECT * FROM meetings WHERE id = ?')
  const selectKeys = db.prepare('SELECT meeting_id, role, key, version FROM meeting_keys WHERE meeting_id = ?')
  const selectAllMeetings = db.prepare('SELECT * FROM meetings ORDER BY created_at DESC, rowid DESC')
  const selectAllKeys = db.prepare('SELECT meeting_id, role, key, version FROM meeting_keys')
  // Keyset pagination (no OFFSET): stable while meetings are created between two pages.
  const selectFirstPage = db.prepare('SELECT rowid AS seq, * FROM meetings ORDER BY created_at DESC, rowid DESC LIMIT ?')
  const selectPageAfter = db.prepare(
    'SELECT rowid AS seq, * FROM meetings WHERE created_at < @createdAt OR (created_at = @createdAt AND rowid < @seq) ' +
      'ORDER BY created_at DESC, rowid DESC LIMIT @limit',
  )
  const selectByReference = db.prepare('SELECT * FROM meetings WHERE reference = ? COLLATE NOCASE ORDER BY created_at DESC, rowid DESC')
  const insertMeeting = db.prepare(
    `INSERT INTO meetings (id, reference, title, starts_at, ends_at, place, organisations, description, versions_visible_to, attendees_count, process_id, outcome_version, created_at, updated_at, last_activity_at)
     VALUES (@id, @reference, @title, @startsAt, @endsAt, @place, @organisations, @description, @versionsVisibleTo, @attendeesCount, @processId, @outcomeVersion, @now, @now, NULL)`,
  )
  const insertKey = db.prepare(
    'INSERT INTO meeting_keys (meeting_id, role, key, version, created_at) VALUES (?, ?, ?, 1, ?)',
  )
  const importRow = db.prepare(
    `INSERT INTO meetings (id, reference, title, starts_at, ends_at, place, organisations, description, versions_visible_to, attendees_count, process_id, outcome_version, created_at, updated_at, last_activity_at)
     VALUES (@id, @reference, @title, @startsAt, @endsAt, @place, @organisations, @description, @versionsVisibleTo, @attendeesCount, @processId, @outcomeVersion, @createdAt, @updatedAt, @lastActivityAt)`,
  )
  const importKey = db.prepare('INSERT INTO meeting_keys (meeting_id, role, key, version, created_at) VALUES (?, ?, ?, ?, ?)')
  const rotate = db.prepare(
    'UPDATE meeting_keys SET key = ?, version = version + 1, created_at = ? WHERE meeting_id = ? AND role = ?',
  )
  const touch = db.prepare(
    'UPDATE meetings SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)',
  )
  const deleteKeys = db.prepare<[string]>('DELETE FROM meeting_keys WHERE meeting_id = ?')
  const deleteMeeting = db.prepare<[string]>('DELETE FROM meetings WHERE id = ?')
  const selectIds = db.prepare<[], { id: string }>('SELECT id FROM meetings UNION SELECT meeting_id FROM meeting_keys')
  const selectByProcess = db.prepare<[string], MeetingRow>('SELECT * FROM meetings WHERE process_id = ? ORDER BY created_at, rowid')

  const getSync = (id: MeetingId): StoredMeeting | null => {
    const row = selectMeeting.get(id) as MeetingRow | undefined
    return row === undefined ? null : assemble(row, selectKeys.all(id) as KeyRow[])
  }

  const createTx = db.transaction((id: MeetingId, fields: MeetingFields, keys: MeetingKeys, now: string) => {
    refuseIfErased(isErased, id)
    insertMeeting.run({ id, ...fields, outcomeVersion: fields.outcomeVersion ?? null, organisations: JSON.stringify(fields.organisations), now })
    for (const role of ROLES) insertKey.run(id, role, keys[role], now)
    return getSync(id)
  })

  const updateTx = db.transaction((id: MeetingId, fields: Partial<MeetingFields>, now: string) => {
    refuseIfErased(isErased, id)
    const sets: string[] = []
    const values: unknown[] = []
    for (const name of Object.keys(COLUMN) as Array<keyof Required<MeetingFields>>) {
      const value = fields[name]
      if (value === undefined) continue
      sets.push(`${COLUMN[name]} = ?`)
      values.push(name === 'organisations' ? JSON.stringify(value) : value)
    }
    sets.push('updated_at = ?')
    values.push(now)
    const result = db.prepare(`UPDATE meetings SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
    return result.changes === 0 ? null : getSync(id)
  })

  const rotateTx = db.transaction((id: MeetingId, role: Role, newKey: string, now: string) => {
    refuseIfErased(isErased, id)
    const result = rotate.run(newKey, now, id, role)
    if (result.changes === 0) return null
    db.prepare('UPDATE meetings SET updated_at = ? WHERE id = ?').run(now, id)
    return getSync(id)
  })

  const touchTx = db.transaction((id: MeetingId, at: string) => {
    if (!isErased(id)) touch.run(at, id, at)
  })
  const importTx = db.transaction(({ meeting, keys, keyVersions }: StoredMeeting) => {
    refuseIfErased(isErased, meeting.id)
    importRow.run({ ...meeting, organisations: JSON.stringify(meeting.organisations) })
    for (const role of ROLES) importKey.run(meeting.id, role, keys[role], keyVersions[role], meeting.updatedAt)
  })
  const eraseTx = db.transaction((id: string) => deleteKeys.run(id).changes + deleteMeeting.run(id).changes)

  return {
    component: 'meetings',
    async create(id, fields, keys, now) {
      const stored = createTx(id, fields, keys, now)
      if (stored === null) throw new Error(`meeting ${id} vanished while being created`)
      return stored
    },
    async get(id) {
      return getSync(id)
    },
    async list() {
      const byMeeting = new Map<string, KeyRow[]>()
      for (const k of selectAllKeys.all() as KeyRow[]) {
        const list = byMeeting.get(k.meeting_id) ?? []
        list.push(k)
        byMeeting.set(k.meeting_id, list)
      }
      return (selectAllMeetings.all() as MeetingRow[]).map((row) => assemble(row, byMeeting.get(row.id) ?? []))
    },
    async listPage(limit, after) {
      // One row more than asked tells whether there is a next page.
      const rows = (after === null ? selectFirstPage.all(limit + 1) : selectPageAfter.all({ ...after, limit: limit + 1 })) as Array<
        MeetingRow & { seq: number }
      >
      const page = rows.slice(0, limit)
      const meetings = page.map((row) => assemble(row, selectKeys.all(row.id) as KeyRow[]))
      const last = page.at(-1)
      return { meetings, next: rows.length > limit && last !== undefined ? { createdAt: last.created_at, seq: last.seq } : null }
    },
    async withReference(reference) {
      return (selectByReference.all(reference) as MeetingRow[]).map((row) => assemble(row, selectKeys.all(row.id) as KeyRow[]))
    },
    async update(id, fields, now) {
      return updateTx(id, fields, now)
    },
    async listByProcess(processId) {
      return selectByProcess.all(processId).map((row) => assemble(row, selectKeys.all(row.id) as KeyRow[]))
    },
    async rotateKey(id, role, newKey, now) {
      return rotateTx(id, role, newKey, now)
    },
    async touchActivity(id, at) {
      touchTx(id, at)
    },
    async importMeeting(stored) {
      importTx.immediate(stored)
    },
    async eraseMeeting(id) {
      return securelyDeleting(db, () => eraseTx.immediate(id))
    },
    async meetingIds() {
      return selectIds.all().map((r) => r.id)
    },
  }
}
