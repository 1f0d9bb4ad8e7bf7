import type pg from 'pg'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { acceptsBallots } from '../../../shared/src/facilitation/voteRules.ts'
import { inPgTransaction, migratePg, type PgMigration, type PgPool } from '../store/pg/pgDatabase.ts'
import type { BallotWrite } from './ballotCommit.ts'
import { closedVote, revealedVote, type PutBallotOutcome, type StoredVote, type VoteStore } from './VoteStore.ts'

/** sqliteVoteStore.ts's tables; `seq` (creation order, for `latest`) comes from an identity instead of MAX + 1. */
const VOTE_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE facilitation_votes (
     meeting_id TEXT NOT NULL,
     id TEXT NOT NULL,
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     vote TEXT NOT NULL,
     PRIMARY KEY (meeting_id, id)
   );
   CREATE TABLE facilitation_ballots (
     meeting_id TEXT NOT NULL,
     vote_id TEXT NOT NULL,
     voter_id TEXT NOT NULL,
     card_ids TEXT NOT NULL,
     PRIMARY KEY (meeting_id, vote_id, voter_id)
   )`,
]

interface QueuedBallot {
  write: BallotWrite
  resolve(outcome: PutBallotOutcome): void
  reject(error: unknown): void
}

/**
 * Votes and ballots on PostgreSQL (DATABASE_URL), the contract of VoteStore.ts (voteStore.test.ts runs the one suite on
 * memory, SQLite and PostgreSQL).
 * - VS3: a ballot reads its vote `FOR SHARE` in the transaction that writes it; close and reveal read it `FOR UPDATE`.
 *   A close waits for the ballots that read the vote open, and a ballot that comes after the close reads it closed,
 *   whichever instance each runs on.
 * - The ballots put in one event-loop turn share one transaction (one commit), like the SQLite ballot worker's batches;
 *   the commit's wait is IO on the pool, never on the event loop.
 */
export function createPgVoteStore(pool: PgPool): VoteStore {
  const ready = migratePg(pool, 'votes', VOTE_MIGRATIONS)
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> => {
    await ready
    return (await pool.query<R>(text, values)).rows
  }
  let queue: QueuedBallot[] = []

  const putOne = async (client: pg.PoolClient, { meetingId, voteId, voterId, cardIds, nowMs }: BallotWrite): Promise<PutBallotOutcome> => {
    const row = await client.query<{ vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = $1 AND id = $2 FOR SHARE', [meetingId, voteId])
    if (row.rowCount === 0) return 'missing'
    if (!acceptsBallots(JSON.parse(row.rows[0]!.vote) as StoredVote, nowMs)) return 'closed'
    await client.query(
      `INSERT INTO facilitation_ballots (meeting_id, vote_id, voter_id, card_ids) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, vote_id, voter_id) DO UPDATE SET card_ids = excluded.card_ids`,
      [meetingId, voteId, voterId, JSON.stringify(cardIds)],
    )
    return 'ok'
  }

  const flush = async () => {
    const batch = queue
    queue = []
    try {
      await ready
      const outcomes = await inPgTransaction(pool, async (client) => {
        const done: PutBallotOutcome[] = []
        for (const queued of batch) done.push(await putOne(client, queued.write))
        return done
      })
      batch.forEach((queued, i) => queued.resolve(outcomes[i]!))
    } catch (error) {
      // nothing of the batch was committed: every voter's device retries
      for (const queued of batch) queued.reject(error)
    }
  }

  const change = async (meetingId: MeetingId, voteId: string, next: (vote: StoredVote) => StoredVote | null) => {
    await ready
    return inPgTransaction(pool, async (client) => {
      const row = await client.query<{ vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = $1 AND id = $2 FOR UPDATE', [
        meetingId,
        voteId,
      ])
      if (row.rowCount === 0) return null
      const vote = JSON.parse(row.rows[0]!.vote) as StoredVote
      const changed = next(vote)
      if (changed === null) return vote
      await client.query('UPDATE facilitation_votes SET vote = $1 WHERE meeting_id = $2 AND id = $3', [JSON.stringify(changed), meetingId, voteId])
      return changed
    })
  }

  const parse = (rows: Array<{ vote: string }>): StoredVote | null => (rows[0] === undefined ? null : (JSON.parse(rows[0].vote) as StoredVote))

  return {
    async create(meetingId, vote) {
      await query('INSERT INTO facilitation_votes (meeting_id, id, vote) VALUES ($1, $2, $3)', [meetingId, vote.id, JSON.stringify(vote)])
    },
    async get(meetingId, voteId) {
      return parse(await query<{ vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = $1 AND id = $2', [meetingId, voteId]))
    },
    async latest(meetingId) {
      return parse(await query<{ vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 1', [meetingId]))
    },
    putBallot(meetingId, voteId, ballot, nowMs) {
      return new Promise((resolve, reject) => {
        queue.push({ write: { meetingId, voteId, voterId: ballot.voterId, cardIds: [...ballot.cardIds], nowMs }, resolve, reject })
        if (queue.length === 1) setImmediate(() => void flush())
      })
    },
    async getBallot(meetingId, voteId, voterId) {
      const rows = await query<{ card_ids: string }>(
        'SELECT card_ids FROM facilitation_ballots WHERE meeting_id = $1 AND vote_id = $2 AND voter_id = $3',
        [meetingId, voteId, voterId],
      )
      return rows[0] === undefined ? null : { voterId, cardIds: JSON.parse(rows[0].card_ids) as string[] }
    },
    async ballots(meetingId, voteId) {
      const rows = await query<{ voter_id: string; card_ids: string }>(
        'SELECT voter_id, card_ids FROM facilitation_ballots WHERE meeting_id = $1 AND vote_id = $2 ORDER BY voter_id COLLATE "C"',
        [meetingId, voteId],
      )
      return rows.map((row) => ({ voterId: row.voter_id, cardIds: JSON.parse(row.card_ids) as string[] }))
    },
    async close(meetingId, voteId, at) {
      return change(meetingId, voteId, (vote) => closedVote(vote, at))
    },
    async reveal(meetingId, voteId, outcome) {
      return change(meetingId, voteId, (vote) => revealedVote(vote, outcome))
    },
    async deleteMeeting(meetingId) {
      await ready
      return inPgTransaction(pool, async (client) => {
        const ballots = (await client.query('DELETE FROM facilitation_ballots WHERE meeting_id = $1', [meetingId])).rowCount ?? 0
        return ballots + ((await client.query('DELETE FROM facilitation_votes WHERE meeting_id = $1', [meetingId])).rowCount ?? 0)
      })
    },
    async meetingIds() {
      const rows = await query<{ meeting_id: string }>('SELECT meeting_id FROM facilitation_votes UNION SELECT meeting_id FROM facilitation_ballots', [])
      return rows.map((row) => row.meeting_id)
    },
    async exportMeeting(meetingId) {
      const votes = await query<{ vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = $1 ORDER BY seq', [meetingId])
      const ballots = await query<{ vote_id: string; voter_id: string; card_ids: string }>(
        'SELECT vote_id, voter_id, card_ids FROM facilitation_ballots WHERE meeting_id = $1 ORDER BY vote_id, voter_id COLLATE "C"',
        [meetingId],
      )
      return votes.map((row) => {
        const vote = JSON.parse(row.vote) as StoredVote
        const own = ballots.filter((b) => b.vote_id === vote.id).map((b) => ({ voterId: b.voter_id, cardIds: JSON.parse(b.card_ids) as string[] }))
        return { vote, ballots: own }
      })
    },
    async importVote(meetingId, { vote, ballots }) {
      await ready
      await inPgTransaction(pool, async (client) => {
        await client.query('INSERT INTO facilitation_votes (meeting_id, id, vote) VALUES ($1, $2, $3)', [meetingId, vote.id, JSON.stringify(vote)])
        await client.query(
          'INSERT INTO facilitation_ballots (meeting_id, vote_id, voter_id, card_ids) SELECT $1, $2, v, c FROM unnest($3::text[], $4::text[]) AS t(v, c)',
          [meetingId, vote.id, ballots.map((b) => b.voterId), ballots.map((b) => JSON.stringify(b.cardIds))],
        )
      })
    },
  }
}
