import type pg from 'pg'
import type { PrivateCard, PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import { inPgTransaction, migratePg, type PgMigration, type PgPool } from '../store/pg/pgDatabase.ts'
import type { PrivateCardStore } from './PrivateCardStore.ts'

/** sqlitePrivateCardStore.ts's tables; `seq` (creation order, for `latest`) comes from an identity instead of MAX + 1. */
const PRIVATE_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE facilitation_private_rounds (
     meeting_id TEXT NOT NULL,
     id TEXT NOT NULL,
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     round TEXT NOT NULL,
     PRIMARY KEY (meeting_id, id)
   );
   CREATE TABLE facilitation_private_cards (
     meeting_id TEXT NOT NULL,
     round_id TEXT NOT NULL,
     voter_id TEXT NOT NULL,
     name TEXT,
     cards TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (meeting_id, round_id, voter_id)
   )`,
]

type Row = { voter_id: string; name: string | null; cards: string; updated_at: string }

/**
 * Private rounds and their cards on PostgreSQL (DATABASE_URL), the contract of PrivateCardStore.ts. PS3: a device's
 * list reads its round `FOR SHARE` in the transaction that writes it, the reveal reads it `FOR UPDATE`: a list racing
 * the reveal, on any instance, is stored before it or refused.
 */
export function createPgPrivateCardStore(pool: PgPool): PrivateCardStore {
  const ready = migratePg(pool, 'private_rounds', PRIVATE_MIGRATIONS)
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> => {
    await ready
    return (await pool.query<R>(text, values)).rows
  }
  const parse = (rows: Array<{ round: string }>): PublicPrivateRound | null =>
    rows[0] === undefined ? null : (JSON.parse(rows[0].round) as PublicPrivateRound)
  const writer = (row: Row) => ({ voterId: row.voter_id, name: row.name, cards: JSON.parse(row.cards) as PrivateCard[], updatedAt: row.updated_at })
  const lockRound = async (client: pg.PoolClient, meetingId: string, roundId: string, mode: 'SHARE' | 'UPDATE') =>
    parse((await client.query<{ round: string }>(`SELECT round FROM facilitation_private_rounds WHERE meeting_id = $1 AND id = $2 FOR ${mode}`, [meetingId, roundId])).rows)

  return {
    async create(meetingId, round) {
      await query('INSERT INTO facilitation_private_rounds (meeting_id, id, round) VALUES ($1, $2, $3)', [meetingId, round.id, JSON.stringify(round)])
    },
    async get(meetingId, roundId) {
      return parse(await query<{ round: string }>('SELECT round FROM facilitation_private_rounds WHERE meeting_id = $1 AND id = $2', [meetingId, roundId]))
    },
    async latest(meetingId) {
      return parse(await query<{ round: string }>('SELECT round FROM facilitation_private_rounds WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 1', [meetingId]))
    },
    async putCards(meetingId, roundId, w) {
      await ready
      return inPgTransaction(pool, async (client) => {
        const round = await lockRound(client, meetingId, roundId, 'SHARE')
        if (round === null) return 'missing'
        if (round.state !== 'open') return 'closed'
        await client.query(
          `INSERT INTO facilitation_private_cards (meeting_id, round_id, voter_id, name, cards, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (meeting_id, round_id, voter_id) DO UPDATE SET name = excluded.name, cards = excluded.cards, updated_at = excluded.updated_at`,
          [meetingId, roundId, w.voterId, w.name, JSON.stringify(w.cards), w.updatedAt],
        )
        return 'ok'
      })
    },
    async getCards(meetingId, roundId, voterId) {
      const rows = await query<Row>(
        'SELECT voter_id, name, cards, updated_at FROM facilitation_private_cards WHERE meeting_id = $1 AND round_id = $2 AND voter_id = $3',
        [meetingId, roundId, voterId],
      )
      return rows[0] === undefined ? null : writer(rows[0])
    },
    async writers(meetingId, roundId) {
      const rows = await query<Row>(
        'SELECT voter_id, name, cards, updated_at FROM facilitation_private_cards WHERE meeting_id = $1 AND round_id = $2 ORDER BY voter_id COLLATE "C"',
        [meetingId, roundId],
      )
      return rows.map(writer)
    },
    async reveal(meetingId, roundId, at) {
      await ready
      return inPgTransaction(pool, async (client) => {
        const round = await lockRound(client, meetingId, roundId, 'UPDATE')
        if (round === null || round.state === 'revealed') return round
        const revealed: PublicPrivateRound = { ...round, state: 'revealed', revealedAt: at }
        await client.query('UPDATE facilitation_private_rounds SET round = $1 WHERE meeting_id = $2 AND id = $3', [JSON.stringify(revealed), meetingId, roundId])
        return revealed
      })
    },
    async deleteMeeting(meetingId) {
      await ready
      return inPgTransaction(pool, async (client) => {
        const cards = (await client.query('DELETE FROM facilitation_private_cards WHERE meeting_id = $1', [meetingId])).rowCount ?? 0
        return cards + ((await client.query('DELETE FROM facilitation_private_rounds WHERE meeting_id = $1', [meetingId])).rowCount ?? 0)
      })
    },
    async meetingIds() {
      const rows = await query<{ meeting_id: string }>(
        'SELECT meeting_id FROM facilitation_private_rounds UNION SELECT meeting_id FROM facilitation_private_cards',
        [],
      )
      return rows.map((row) => row.meeting_id)
    },
    async exportMeeting(meetingId) {
      const rounds = await query<{ round: string }>('SELECT round FROM facilitation_private_rounds WHERE meeting_id = $1 ORDER BY seq', [meetingId])
      const cards = await query<Row & { round_id: string }>(
        'SELECT round_id, voter_id, name, cards, updated_at FROM facilitation_private_cards WHERE meeting_id = $1 ORDER BY round_id, voter_id COLLATE "C"',
        [meetingId],
      )
      return rounds.map((row) => {
        const round = JSON.parse(row.round) as PublicPrivateRound
        return { round, writers: cards.filter((c) => c.round_id === round.id).map(writer) }
      })
    },
    async importRound(meetingId, { round, writers }) {
      await ready
      await inPgTransaction(pool, async (client) => {
        await client.query('INSERT INTO facilitation_private_rounds (meeting_id, id, round) VALUES ($1, $2, $3)', [meetingId, round.id, JSON.stringify(round)])
        for (const w of writers) {
          await client.query(
            'INSERT INTO facilitation_private_cards (meeting_id, round_id, voter_id, name, cards, updated_at) VALUES ($1, $2, $3, $4, $5, $6)',
            [meetingId, round.id, w.voterId, w.name, JSON.stringify(w.cards), w.updatedAt],
          )
        }
      })
    },
  }
}
