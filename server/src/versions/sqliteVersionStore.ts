import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { outlineOf } from '../../../shared/src/versions/recordOutline.ts'
import type { VersionDetail } from '../../../shared/src/versions/versionSchemas.ts'
import { refuseIfErased } from '../store/meetingErasure.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase, type SqliteMigration } from '../store/sqliteDatabase.ts'
import { sqliteErasedCheck } from '../store/sqliteErasedMeetings.ts'
import type { NewVersion, VersionStore } from './VersionStore.ts'
import { SUMMARY_COLUMNS, intentOf, summaryOf, type IntentRow, type SummaryRow } from './versionRows.ts'
import { decodeJson, decodeOutline, decodeRecords, decompress, encode, encodeJson, encodeOutline, recordTexts, RECORDS_ENCODING, type Encoded } from './versionEncoding.ts'

const CREATE_V1 = `
  CREATE TABLE versions (
    meeting_id TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    label TEXT NOT NULL,
    note TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('manual', 'session-end', 'before-restore', 'restored', 'imported')),
    author_name TEXT,
    author_role TEXT CHECK (author_role IS NULL OR author_role IN ('facilitator', 'participant', 'viewer')),
    created_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    counts TEXT NOT NULL,
    restored_from INTEGER,
    schema TEXT NOT NULL,
    records BLOB NOT NULL,
    records_encoding TEXT NOT NULL,
    PRIMARY KEY (meeting_id, number)
  ) WITHOUT ROWID;
  CREATE TABLE version_counters (meeting_id TEXT PRIMARY KEY, last_number INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE version_images (
    meeting_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    frame_id TEXT NOT NULL,
    svg BLOB NOT NULL,
    PRIMARY KEY (meeting_id, number, position)
  ) WITHOUT ROWID;
`

/**
 * Version 2: the outline of each version's records (recordOutline.ts), brotli of its JSON, so that a diff parses only
 * the records that differ. NULL in rows written before: outlined from their records when first read, then stored.
 */
const ADD_OUTLINE_V2 = 'ALTER TABLE versions ADD COLUMN records_outline BLOB'

/**
 * Version 3: restores under way (SPEC V9 "Crash safety"), one row from before a restore changes the live doc until
 * its `restored` version is added (same transaction) or the start-up recovery settles it. An older database simply
 * has none.
 */
const ADD_RESTORE_INTENTS_V3 = `
  CREATE TABLE version_restore_intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id TEXT NOT NULL,
    restored_from INTEGER NOT NULL,
    target_hash TEXT NOT NULL,
    author_name TEXT,
    author_role TEXT CHECK (author_role IS NULL OR author_role IN ('facilitator', 'participant', 'viewer')),
    created_at TEXT NOT NULL,
    writer_client INTEGER NOT NULL,
    writer_clock INTEGER NOT NULL
  );
  CREATE INDEX version_restore_intents_meeting ON version_restore_intents (meeting_id);
`

/**
 * Version 4: kind `continued` (issue 22, the first version of a meeting continued from another). SQLite cannot change
 * a CHECK constraint in place: the table is rebuilt with the same rows, inside migrateSchema's transaction.
 */
const ADD_CONTINUED_KIND_V4 = `
  CREATE TABLE versions_v4 (
    meeting_id TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    label TEXT NOT NULL,
    note TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('manual', 'session-end', 'before-restore', 'restored', 'imported', 'continued')),
    author_name TEXT,
    author_role TEXT CHECK (author_role IS NULL OR author_role IN ('facilitator', 'participant', 'viewer')),
    created_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    counts TEXT NOT NULL,
    restored_from INTEGER,
    schema TEXT NOT NULL,
    records BLOB NOT NULL,
    records_encoding TEXT NOT NULL,
    records_outline BLOB,
    PRIMARY KEY (meeting_id, number)
  ) WITHOUT ROWID;
  INSERT INTO versions_v4 (meeting_id, number, label, note, kind, author_name, author_role, created_at, content_hash, counts,
      restored_from, schema, records, records_encoding, records_outline)
    SELECT meeting_id, number, label, note, kind, author_name, author_role, created_at, content_hash, counts,
      restored_from, schema, records, records_encoding, records_outline FROM versions;
  DROP TABLE versions;
  ALTER TABLE versions_v4 RENAME TO versions;
`

/** `VERSION_MIGRATIONS[i]` upgrades the version tables from version i to i + 1 (component 'versions', migrateSchema). */
const VERSION_MIGRATIONS: readonly SqliteMigration[] = [
  (db) => db.exec(CREATE_V1),
  (db) => db.exec(ADD_OUTLINE_V2),
  (db) => db.exec(ADD_RESTORE_INTENTS_V3),
  (db) => db.exec(ADD_CONTINUED_KIND_V4),
]
export const VERSION_SCHEMA_VERSION = VERSION_MIGRATIONS.length


interface DetailRow extends SummaryRow {
  schema: string
  records: Buffer
  records_encoding: string
}

/**
 * A VersionStore in the shared SQLite database (tables `versions`, `version_counters`, `version_images`, `version_restore_intents`; schema
 * version: component 'versions' in `tavolo_schema`). Records are stored as brotli-compressed JSON lines, compressed off the
 * event loop (zlib's thread pool) before the insert transaction; numbers come from `version_counters` in that same
 * transaction.
 */
export function createSqliteVersionStore(db: SqliteDatabase): VersionStore {
  migrateSchema(db, 'versions', VERSION_MIGRATIONS)
  const isErased = sqliteErasedCheck(db)
  const selectLatest = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM versions v WHERE meeting_id = ? ORDER BY number DESC LIMIT 1`)
  const selectList = db.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM versions v WHERE meeting_id = ? AND number < ? ORDER BY number DESC LIMIT ?`,
  )
  const selectOne = db.prepare(
    `SELECT ${SUMMARY_COLUMNS}, schema, records, records_encoding FROM versions v WHERE meeting_id = ? AND number = ?`,
  )
  const selectTexts = db.prepare(
    'SELECT schema, records, records_encoding, records_outline FROM versions WHERE meeting_id = ? AND number = ?',
  )
  const backfillOutline = db.prepare(
    'UPDATE versions SET records_outline = ? WHERE meeting_id = ? AND number = ? AND records_outline IS NULL',
  )
  const selectSummary = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM versions v WHERE meeting_id = ? AND number = ?`)
  const selectCount = db.prepare('SELECT COUNT(*) AS n FROM versions WHERE meeting_id = ?')
  const selectBytes = db.prepare(
    'SELECT length(records) + coalesce(length(records_outline), 0) AS bytes FROM versions WHERE meeting_id = ? AND number = ?',
  )
  const bumpCounter = db.prepare(
    `INSERT INTO version_counters (meeting_id, last_number) VALUES (?, 1)
     ON CONFLICT (meeting_id) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
  )
  const insert = db.prepare(
    `INSERT INTO versions (meeting_id, number, label, note, kind, author_name, author_role, created_at, content_hash, counts,
       restored_from, schema, records, records_encoding, records_outline)
     VALUES (@meetingId, @number, @label, @note, @kind, @authorName, @authorRole, @createdAt, @contentHash, @counts,
       @restoredFrom, @schema, @records, @encoding, @outline)`,
  )
  const exists = db.prepare('SELECT 1 FROM versions WHERE meeting_id = ? AND number = ?')
  const deleteImages = db.prepare('DELETE FROM version_images WHERE meeting_id = ? AND number = ?')
  const insertImage = db.prepare('INSERT INTO version_images (meeting_id, number, position, frame_id, svg) VALUES (?, ?, ?, ?, ?)')
  const selectImages = db.prepare('SELECT frame_id, svg FROM version_images WHERE meeting_id = ? AND number = ? ORDER BY position')
  const deleteVersions = db.prepare('DELETE FROM versions WHERE meeting_id = ?')
  const deleteAllImages = db.prepare('DELETE FROM version_images WHERE meeting_id = ?')
  const insertIntent = db.prepare(
    `INSERT INTO version_restore_intents (meeting_id, restored_from, target_hash, author_name, author_role, created_at,
       writer_client, writer_clock)
     VALUES (@meetingId, @restoredFrom, @targetHash, @authorName, @authorRole, @createdAt, @writerClient, @writerClock)
     RETURNING *`,
  )
  const deleteIntent = db.prepare('DELETE FROM version_restore_intents WHERE meeting_id = ? AND id = ?')
  const deleteIntents = db.prepare('DELETE FROM version_restore_intents WHERE meeting_id = ?')
  const selectIntents = db.prepare('SELECT * FROM version_restore_intents ORDER BY id')
  const deleteCounter = db.prepare('DELETE FROM version_counters WHERE meeting_id = ?')
  const selectMeetingIds = db.prepare<[], { id: string }>(
    `SELECT meeting_id AS id FROM versions UNION SELECT meeting_id FROM version_counters
     UNION SELECT meeting_id FROM version_images UNION SELECT meeting_id FROM version_restore_intents`,
  )
  const beginTx = db.transaction((params: Record<string, unknown> & { meetingId: MeetingId }) => {
    refuseIfErased(isErased, params.meetingId)
    return insertIntent.get(params) as IntentRow
  })
  /** The counter goes too: an erased meeting's id is never used again (its tombstone refuses it). */
  const eraseTx = db.transaction((meetingId: string) => {
    deleteAllImages.run(meetingId)
    deleteIntents.run(meetingId)
    deleteCounter.run(meetingId)
    return deleteVersions.run(meetingId).changes
  })

  const insertTx = db.transaction((meetingId: MeetingId, version: NewVersion, encoded: Encoded, onlyIfChanged: boolean) => {
    refuseIfErased(isErased, meetingId)
    if (onlyIfChanged) {
      const latest = selectLatest.get(meetingId) as SummaryRow | undefined
      if (latest !== undefined && latest.content_hash === version.contentHash) return { version: summaryOf(latest), created: false }
    }
    const { last_number: number } = bumpCounter.get(meetingId) as { last_number: number }
    insert.run({
      meetingId,
      number,
      label: version.label,
      note: version.note,
      kind: version.kind,
      authorName: version.author?.name ?? null,
      authorRole: version.author?.role ?? null,
      createdAt: version.createdAt,
      contentHash: version.contentHash,
      counts: JSON.stringify(version.counts),
      restoredFrom: version.restoredFrom,
      schema: JSON.stringify(version.schema),
      records: encoded.records,
      encoding: RECORDS_ENCODING,
      outline: encoded.outline,
    })
    return { version: summaryOf(selectSummary.get(meetingId, number) as SummaryRow), created: true }
  })

  const imagesTx = db.transaction((meetingId: MeetingId, number: number, svgs: Array<{ frameId: string; blob: Buffer }>) => {
    refuseIfErased(isErased, meetingId)
    if (exists.get(meetingId, number) === undefined) return false
    deleteImages.run(meetingId, number)
    svgs.forEach((image, position) => insertImage.run(meetingId, number, position, image.frameId, image.blob))
    return true
  })

  const deleteTx = db.transaction((meetingId: MeetingId) => {
    deleteAllImages.run(meetingId)
    deleteIntents.run(meetingId)
    return deleteVersions.run(meetingId).changes
  })

  const completeTx = db.transaction((meetingId: MeetingId, intentId: number, version: NewVersion, encoded: Encoded) => {
    refuseIfErased(isErased, meetingId)
    if (deleteIntent.run(meetingId, intentId).changes === 0) return null
    return insertTx(meetingId, version, encoded, false).version
  })

  return {
    async add(meetingId, version) {
      return insertTx.immediate(meetingId, version, await encode(version), false).version
    },
    async addIfChanged(meetingId, version) {
      refuseIfErased(isErased, meetingId)
      const latest = selectLatest.get(meetingId) as SummaryRow | undefined
      // the common unchanged case answers without compressing anything; the transaction checks again
      if (latest !== undefined && latest.content_hash === version.contentHash) return { version: summaryOf(latest), created: false }
      return insertTx.immediate(meetingId, version, await encode(version), true)
    },
    async list(meetingId, options = {}) {
      const rows = selectList.all(meetingId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit ?? -1) as SummaryRow[]
      return rows.map(summaryOf)
    },
    async count(meetingId) {
      return (selectCount.get(meetingId) as { n: number }).n
    },
    async latest(meetingId) {
      const row = selectLatest.get(meetingId) as SummaryRow | undefined
      return row === undefined ? null : summaryOf(row)
    },
    async get(meetingId, number) {
      const row = selectOne.get(meetingId, number) as DetailRow | undefined
      if (row === undefined) return null
      const detail: VersionDetail = {
        ...summaryOf(row),
        schema: JSON.parse(row.schema) as VersionDetail['schema'],
        records: (await decodeRecords(row.records, row.records_encoding)) as VersionDetail['records'],
      }
      return detail
    },
    async getRecordTexts(meetingId, number) {
      const row = selectTexts.get(meetingId, number) as
        | { schema: string; records: Buffer; records_encoding: string; records_outline: Buffer | null }
        | undefined
      if (row === undefined) return null
      // both decompress at once on zlib's pool
      const texts = recordTexts(row.records, row.records_encoding)
      const [all, stored] = await Promise.all([texts, decodeOutline(row.records_outline, texts.then((t) => t.length))])
      let outline = stored
      if (outline === null) {
        outline = outlineOf(all.map((text) => JSON.parse(text) as unknown))
        // a row from before the outline (or a damaged one) is outlined once; only a missing outline is written
        if (row.records_outline === null) backfillOutline.run(await encodeOutline(outline), meetingId, number)
      }
      return { schema: JSON.parse(row.schema) as VersionDetail['schema'], texts: all, outline }
    },
    async getRecordsText(meetingId, number) {
      const row = selectTexts.get(meetingId, number) as
        | { schema: string; records: Buffer; records_encoding: string; records_outline: Buffer | null }
        | undefined
      if (row === undefined) return null
      const [records, outline] = await Promise.all([
        decompress(row.records),
        row.records_outline === null ? Promise.resolve(null) : decompress(row.records_outline),
      ])
      const text = records.toString('utf8')
      // br-json: rows of the first format; rare, converted here
      const ndjson = row.records_encoding === RECORDS_ENCODING ? text : (await recordTexts(row.records, row.records_encoding)).join('\n')
      return { schema: JSON.parse(row.schema) as VersionDetail['schema'], ndjson, outlineText: outline === null ? null : outline.toString('utf8') }
    },
    async putImages(meetingId, number, images) {
      const blobs = await Promise.all(images.map(async (image) => ({ frameId: image.frameId, blob: await encodeJson(image.svg) })))
      return imagesTx.immediate(meetingId, number, blobs)
    },
    async getImages(meetingId, number) {
      if (exists.get(meetingId, number) === undefined) return null
      const rows = selectImages.all(meetingId, number) as Array<{ frame_id: string; svg: Buffer }>
      return Promise.all(rows.map(async (row) => ({ frameId: row.frame_id, svg: (await decodeJson(row.svg)) as string })))
    },
    async storedBytes(meetingId, number) {
      const row = selectBytes.get(meetingId, number) as { bytes: number } | undefined
      return row === undefined ? null : row.bytes
    },
    async beginRestore(meetingId, intent) {
      const row = beginTx.immediate({
        meetingId,
        restoredFrom: intent.restoredFrom,
        targetHash: intent.targetHash,
        authorName: intent.author?.name ?? null,
        authorRole: intent.author?.role ?? null,
        createdAt: intent.createdAt,
        writerClient: intent.writer.clientId,
        writerClock: intent.writer.clock,
      })
      return intentOf(row)
    },
    async completeRestore(meetingId, intentId, version) {
      return completeTx.immediate(meetingId, intentId, version, await encode(version))
    },
    async abandonRestore(meetingId, intentId) {
      return deleteIntent.run(meetingId, intentId).changes > 0
    },
    async pendingRestores() {
      return (selectIntents.all() as IntentRow[]).map(intentOf)
    },
    async deleteAllOf(meetingId) {
      return deleteTx.immediate(meetingId)
    },
    component: 'versions',
    async eraseMeeting(meetingId) {
      return securelyDeleting(db, () => eraseTx.immediate(meetingId))
    },
    async meetingIds() {
      return selectMeetingIds.all().map((r) => r.id)
    },
    async close() {
      // the database handle is shared and closed by its owner (main.ts)
    },
  }
}

