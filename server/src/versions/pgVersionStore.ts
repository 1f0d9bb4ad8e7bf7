import type pg from 'pg'
import { outlineOf } from '../../../shared/src/versions/recordOutline.ts'
import type { VersionDetail, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import { MeetingErasedError } from '../store/meetingErasure.ts'
import { inPgTransaction, migratePg, pgLockKey, type PgMigration, type PgPool } from '../store/pg/pgDatabase.ts'
import { migratePgErasure, pgIsErased } from '../store/pg/pgErasedMeetings.ts'
import type { NewVersion, VersionStore } from './VersionStore.ts'
import { SUMMARY_COLUMNS, intentOf, summaryOf, type IntentRow, type SummaryRow } from './versionRows.ts'
import {
  decodeJson,
  decodeOutline,
  decodeRecords,
  decompress,
  encode,
  encodeJson,
  encodeOutline,
  recordTexts,
  RECORDS_ENCODING,
  type Encoded,
} from './versionEncoding.ts'

/**
 * The tables of sqliteVersionStore.ts at its latest version, in PostgreSQL types. `created_at` stays the text the
 * caller gave (the contract returns it unchanged); a Yjs client id needs BIGINT.
 */
const VERSION_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE versions (
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
     records BYTEA NOT NULL,
     records_encoding TEXT NOT NULL,
     records_outline BYTEA,
     PRIMARY KEY (meeting_id, number)
   );
   CREATE TABLE version_counters (meeting_id TEXT PRIMARY KEY, last_number INTEGER NOT NULL);
   CREATE TABLE version_images (
     meeting_id TEXT NOT NULL,
     number INTEGER NOT NULL,
     position INTEGER NOT NULL,
     frame_id TEXT NOT NULL,
     svg BYTEA NOT NULL,
     PRIMARY KEY (meeting_id, number, position)
   );
   CREATE TABLE version_restore_intents (
     id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     meeting_id TEXT NOT NULL,
     restored_from INTEGER NOT NULL,
     target_hash TEXT NOT NULL,
     author_name TEXT,
     author_role TEXT CHECK (author_role IS NULL OR author_role IN ('facilitator', 'participant', 'viewer')),
     created_at TEXT NOT NULL,
     writer_client BIGINT NOT NULL,
     writer_clock BIGINT NOT NULL
   );
   CREATE INDEX version_restore_intents_meeting ON version_restore_intents (meeting_id)`,
]

interface TextsRow {
  schema: string
  records: Buffer
  records_encoding: string
  records_outline: Buffer | null
}

/**
 * Every write of a meeting's versions runs in a transaction that first takes the meeting's lock, then checks the
 * tombstone (E5): an erase takes the same lock before deleting, so a write either commits before the erase deletes
 * (and is deleted) or sees the tombstone (written before the erase began) and is refused. The lock also makes
 * `addIfChanged`'s check and insert one step across instances (contract rule 2).
 */
async function lockMeeting(client: pg.PoolClient, meetingId: string, refuseErased: boolean): Promise<void> {
  await pgLockKey(client, `tavolo-versions:${meetingId}`)
  if (refuseErased && (await pgIsErased(client, meetingId))) throw new MeetingErasedError(meetingId)
}

/**
 * The VersionStore on PostgreSQL (DATABASE_URL): the same contract as the SQLite store (versionStore.test.ts runs the
 * one suite against memory, SQLite and PostgreSQL) and the same stored bytes (versionEncoding.ts), compressed before
 * the transaction begins. Tables are created (migrated) at the first use; `close()` leaves the shared pool to its owner.
 */
export function createPgVersionStore(pool: PgPool): VersionStore {
  const ready = migratePgErasure(pool).then(() => migratePg(pool, 'versions', VERSION_MIGRATIONS))
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> => {
    await ready
    return (await pool.query<R>(text, values)).rows
  }
  const write = async <T>(meetingId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    await ready
    return inPgTransaction(pool, async (client) => {
      await lockMeeting(client, meetingId, true)
      return work(client)
    })
  }

  const latestOf = async (client: pg.PoolClient | PgPool, meetingId: string): Promise<SummaryRow | undefined> =>
    (await client.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM versions v WHERE meeting_id = $1 ORDER BY number DESC LIMIT 1`, [meetingId]))
      .rows[0]

  const insertVersion = async (client: pg.PoolClient, meetingId: string, version: NewVersion, encoded: Encoded): Promise<VersionSummary> => {
    const counter = await client.query<{ last_number: number }>(
      `INSERT INTO version_counters (meeting_id, last_number) VALUES ($1, 1)
       ON CONFLICT (meeting_id) DO UPDATE SET last_number = version_counters.last_number + 1 RETURNING last_number`,
      [meetingId],
    )
    const number = counter.rows[0]!.last_number
    await client.query(
      `INSERT INTO versions (meeting_id, number, label, note, kind, author_name, author_role, created_at, content_hash, counts,
         restored_from, schema, records, records_encoding, records_outline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        meetingId,
        number,
        version.label,
        version.note,
        version.kind,
        version.author?.name ?? null,
        version.author?.role ?? null,
        version.createdAt,
        version.contentHash,
        JSON.stringify(version.counts),
        version.restoredFrom,
        JSON.stringify(version.schema),
        encoded.records,
        RECORDS_ENCODING,
        encoded.outline,
      ],
    )
    // a new version has no images yet
    return summaryOf({
      number,
      label: version.label,
      note: version.note,
      kind: version.kind,
      author_name: version.author?.name ?? null,
      author_role: version.author?.role ?? null,
      created_at: version.createdAt,
      content_hash: version.contentHash,
      counts: JSON.stringify(version.counts),
      restored_from: version.restoredFrom,
      has_images: false,
    })
  }

  const textsOf = async (meetingId: string, number: number): Promise<TextsRow | undefined> =>
    (await query<TextsRow>('SELECT schema, records, records_encoding, records_outline FROM versions WHERE meeting_id = $1 AND number = $2', [meetingId, number]))[0]

  const exists = async (client: pg.PoolClient | PgPool, meetingId: string, number: number) =>
    (await client.query('SELECT 1 FROM versions WHERE meeting_id = $1 AND number = $2', [meetingId, number])).rowCount !== 0

  return {
    async add(meetingId, version) {
      const encoded = await encode(version)
      return write(meetingId, (client) => insertVersion(client, meetingId, version, encoded))
    },
    async addIfChanged(meetingId, version) {
      await ready
      if (await pgIsErased(pool, meetingId)) throw new MeetingErasedError(meetingId)
      const latest = await latestOf(pool, meetingId)
      // the common unchanged case answers without compressing anything; the transaction checks again
      if (latest !== undefined && latest.content_hash === version.contentHash) return { version: summaryOf(latest), created: false }
      const encoded = await encode(version)
      return write(meetingId, async (client) => {
        const again = await latestOf(client, meetingId)
        if (again !== undefined && again.content_hash === version.contentHash) return { version: summaryOf(again), created: false }
        return { version: await insertVersion(client, meetingId, version, encoded), created: true }
      })
    },
    async list(meetingId, options = {}) {
      const rows = await query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM versions v WHERE meeting_id = $1 AND number < $2 ORDER BY number DESC LIMIT $3`,
        [meetingId, options.before ?? 2_147_483_647, options.limit ?? null],
      )
      return rows.map(summaryOf)
    },
    async count(meetingId) {
      return (await query<{ n: number }>('SELECT COUNT(*)::integer AS n FROM versions WHERE meeting_id = $1', [meetingId]))[0]!.n
    },
    async latest(meetingId) {
      await ready
      const row = await latestOf(pool, meetingId)
      return row === undefined ? null : summaryOf(row)
    },
    async get(meetingId, number) {
      const row = (
        await query<SummaryRow & { schema: string; records: Buffer; records_encoding: string }>(
          `SELECT ${SUMMARY_COLUMNS}, schema, records, records_encoding FROM versions v WHERE meeting_id = $1 AND number = $2`,
          [meetingId, number],
        )
      )[0]
      if (row === undefined) return null
      const detail: VersionDetail = {
        ...summaryOf(row),
        schema: JSON.parse(row.schema) as VersionDetail['schema'],
        records: (await decodeRecords(row.records, row.records_encoding)) as VersionDetail['records'],
      }
      return detail
    },
    async getRecordTexts(meetingId, number) {
      const row = await textsOf(meetingId, number)
      if (row === undefined) return null
      const texts = recordTexts(row.records, row.records_encoding)
      const [all, stored] = await Promise.all([texts, decodeOutline(row.records_outline, texts.then((t) => t.length))])
      let outline = stored
      if (outline === null) {
        outline = outlineOf(all.map((text) => JSON.parse(text) as unknown))
        // only a missing outline is written (a damaged one is outlined at every read, never overwritten)
        if (row.records_outline === null) {
          await pool.query('UPDATE versions SET records_outline = $1 WHERE meeting_id = $2 AND number = $3 AND records_outline IS NULL', [
            await encodeOutline(outline),
            meetingId,
            number,
          ])
        }
      }
      return { schema: JSON.parse(row.schema) as VersionDetail['schema'], texts: all, outline }
    },
    async getRecordsText(meetingId, number) {
      const row = await textsOf(meetingId, number)
      if (row === undefined) return null
      const [records, outline] = await Promise.all([
        decompress(row.records),
        row.records_outline === null ? Promise.resolve(null) : decompress(row.records_outline),
      ])
      const text = records.toString('utf8')
      const ndjson = row.records_encoding === RECORDS_ENCODING ? text : (await recordTexts(row.records, row.records_encoding)).join('\n')
      return { schema: JSON.parse(row.schema) as VersionDetail['schema'], ndjson, outlineText: outline === null ? null : outline.toString('utf8') }
    },
    async putImages(meetingId, number, images) {
      const blobs = await Promise.all(images.map(async (image) => ({ frameId: image.frameId, blob: await encodeJson(image.svg) })))
      return write(meetingId, async (client) => {
        if (!(await exists(client, meetingId, number))) return false
        await client.query('DELETE FROM version_images WHERE meeting_id = $1 AND number = $2', [meetingId, number])
        if (blobs.length > 0) {
          await client.query(
            `INSERT INTO version_images (meeting_id, number, position, frame_id, svg)
             SELECT $1, $2, n - 1, f, s FROM unnest($3::text[], $4::bytea[]) WITH ORDINALITY AS t(f, s, n)`,
            [meetingId, number, blobs.map((b) => b.frameId), blobs.map((b) => b.blob)],
          )
        }
        return true
      })
    },
    async getImages(meetingId, number) {
      await ready
      if (!(await exists(pool, meetingId, number))) return null
      const rows = await query<{ frame_id: string; svg: Buffer }>(
        'SELECT frame_id, svg FROM version_images WHERE meeting_id = $1 AND number = $2 ORDER BY position',
        [meetingId, number],
      )
      return Promise.all(rows.map(async (row) => ({ frameId: row.frame_id, svg: (await decodeJson(row.svg)) as string })))
    },
    async storedBytes(meetingId, number) {
      const row = (
        await query<{ bytes: number }>(
          'SELECT (octet_length(records) + coalesce(octet_length(records_outline), 0))::integer AS bytes FROM versions WHERE meeting_id = $1 AND number = $2',
          [meetingId, number],
        )
      )[0]
      return row === undefined ? null : row.bytes
    },
    async beginRestore(meetingId, intent) {
      const row = await write(meetingId, async (client) =>
        (
          await client.query<IntentRow>(
            `INSERT INTO version_restore_intents (meeting_id, restored_from, target_hash, author_name, author_role, created_at,
               writer_client, writer_clock)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
            [
              meetingId,
              intent.restoredFrom,
              intent.targetHash,
              intent.author?.name ?? null,
              intent.author?.role ?? null,
              intent.createdAt,
              intent.writer.clientId,
              intent.writer.clock,
            ],
          )
        ).rows[0]!,
      )
      return intentOf(row)
    },
    async completeRestore(meetingId, intentId, version) {
      const encoded = await encode(version)
      return write(meetingId, async (client) => {
        const removed = await client.query('DELETE FROM version_restore_intents WHERE meeting_id = $1 AND id = $2', [meetingId, intentId])
        if (removed.rowCount === 0) return null
        return insertVersion(client, meetingId, version, encoded)
      })
    },
    async abandonRestore(meetingId, intentId) {
      await ready
      return ((await pool.query('DELETE FROM version_restore_intents WHERE meeting_id = $1 AND id = $2', [meetingId, intentId])).rowCount ?? 0) > 0
    },
    async pendingRestores() {
      return (await query<IntentRow>('SELECT * FROM version_restore_intents ORDER BY id', [])).map(intentOf)
    },
    async deleteAllOf(meetingId) {
      await ready
      return inPgTransaction(pool, async (client) => {
        await lockMeeting(client, meetingId, false)
        await client.query('DELETE FROM version_images WHERE meeting_id = $1', [meetingId])
        await client.query('DELETE FROM version_restore_intents WHERE meeting_id = $1', [meetingId])
        return (await client.query('DELETE FROM versions WHERE meeting_id = $1', [meetingId])).rowCount ?? 0
      })
    },
    component: 'versions',
    async eraseMeeting(meetingId) {
      await ready
      return inPgTransaction(pool, async (client) => {
        // after the writes that hold the lock: what they committed is deleted here (E5)
        await lockMeeting(client, meetingId, false)
        await client.query('DELETE FROM version_images WHERE meeting_id = $1', [meetingId])
        await client.query('DELETE FROM version_restore_intents WHERE meeting_id = $1', [meetingId])
        // the counter goes too: an erased meeting's id is never used again (its tombstone refuses it)
        await client.query('DELETE FROM version_counters WHERE meeting_id = $1', [meetingId])
        return (await client.query('DELETE FROM versions WHERE meeting_id = $1', [meetingId])).rowCount ?? 0
      })
    },
    async meetingIds() {
      const rows = await query<{ id: string }>(
        `SELECT meeting_id AS id FROM versions UNION SELECT meeting_id FROM version_counters
         UNION SELECT meeting_id FROM version_images UNION SELECT meeting_id FROM version_restore_intents`,
        [],
      )
      return rows.map((r) => r.id)
    },
    async close() {
      // the pool is shared and ended by its owner (main.ts)
    },
  }
}
