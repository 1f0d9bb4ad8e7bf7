import { tombstoneOf, type ErasedMeetings } from '../meetingErasure.ts'
import { migratePg, type PgMigration, type PgPool } from './pgDatabase.ts'
import type pg from 'pg'

/** Table `erased_meetings` (component 'erasure'): the SHA-256 of each erased meeting's id (meetingErasure.ts). */
const ERASURE_MIGRATIONS: readonly PgMigration[] = ['CREATE TABLE erased_meetings (id_hash TEXT PRIMARY KEY, erased_at TIMESTAMPTZ NOT NULL)']

export function migratePgErasure(pool: PgPool): Promise<void> {
  return migratePg(pool, 'erasure', ERASURE_MIGRATIONS)
}

/**
 * The tombstone check of the PostgreSQL stores, run INSIDE their write transactions, after the write locked the row
 * that orders it with an erase (meetings SPEC E5; see pgDocStore.ts for the order of the locks).
 */
export async function pgIsErased(client: pg.PoolClient | PgPool, meetingId: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM erased_meetings WHERE id_hash = $1', [tombstoneOf(meetingId)])
  return result.rowCount !== 0
}

/** The ids among `meetingIds` that are erased, checked inside a write transaction like pgIsErased. */
export async function pgErasedAmong(client: pg.PoolClient, meetingIds: readonly string[]): Promise<string[]> {
  const hashes = meetingIds.map(tombstoneOf)
  const found = await client.query<{ id_hash: string }>('SELECT id_hash FROM erased_meetings WHERE id_hash = ANY($1)', [hashes])
  const erased = new Set(found.rows.map((r) => r.id_hash))
  return meetingIds.filter((_, i) => erased.has(hashes[i]!))
}

/** The tombstones in PostgreSQL. */
export function createPgErasedMeetings(pool: PgPool, now: () => Date = () => new Date()): ErasedMeetings {
  const ready = migratePgErasure(pool)
  return {
    async exportTombstones() {
      await ready
      const rows = await pool.query<{ id_hash: string; erased_at: Date }>('SELECT id_hash, erased_at FROM erased_meetings ORDER BY id_hash COLLATE "C"')
      return rows.rows.map((r) => ({ idHash: r.id_hash, erasedAt: r.erased_at.toISOString() }))
    },
    async importTombstones(tombstones) {
      await ready
      if (tombstones.length === 0) return
      await pool.query(
        'INSERT INTO erased_meetings (id_hash, erased_at) SELECT h, a FROM unnest($1::text[], $2::timestamptz[]) AS t(h, a) ON CONFLICT DO NOTHING',
        [tombstones.map((t) => t.idHash), tombstones.map((t) => t.erasedAt)],
      )
    },
    async add(meetingId) {
      await ready
      await pool.query('INSERT INTO erased_meetings (id_hash, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tombstoneOf(meetingId), now()])
    },
    async has(meetingId) {
      await ready
      return pgIsErased(pool, meetingId)
    },
    async erasedAmong(ids) {
      await ready
      if (ids.length === 0) return []
      const hashes = ids.map(tombstoneOf)
      const found = await pool.query<{ id_hash: string }>('SELECT id_hash FROM erased_meetings WHERE id_hash = ANY($1)', [hashes])
      const erased = new Set(found.rows.map((r) => r.id_hash))
      return ids.filter((_, i) => erased.has(hashes[i]!))
    },
  }
}
