import { acceptsBallots } from '../../../shared/src/facilitation/voteRules.ts'
import type { SqliteDatabase } from '../store/sqliteDatabase.ts'
import type { PutBallotOutcome, StoredVote } from './VoteStore.ts'

/** One ballot to write: what VoteStore.putBallot was given. Plain data, so it can cross to a worker thread. */
export interface BallotWrite {
  meetingId: string
  voteId: string
  voterId: string
  cardIds: string[]
  nowMs: number
}

/**
 * The one transaction that writes ballots (VS3: the vote's state is checked and the ballot written in the same
 * transaction, so a close cannot slip in between), for a batch: every ballot of the batch shares one commit (one
 * fsync). Used on the thread that owns `db`: the main thread (createInlineBallotWriter) or the ballot worker.
 * Statements are prepared at the first batch: a worker may open the file before the main thread created the tables.
 */
export function createBallotCommit(db: SqliteDatabase): (batch: readonly BallotWrite[]) => PutBallotOutcome[] {
  let commit: ((batch: readonly BallotWrite[]) => PutBallotOutcome[]) | null = null
  const prepare = () => {
    const selectVote = db.prepare<[string, string], { vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = ? AND id = ?')
    const upsertBallot = db.prepare<[string, string, string, string]>(
      'INSERT INTO facilitation_ballots (meeting_id, vote_id, voter_id, card_ids) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (meeting_id, vote_id, voter_id) DO UPDATE SET card_ids = excluded.card_ids',
    )
    const tx = db.transaction((batch: readonly BallotWrite[]): PutBallotOutcome[] =>
      batch.map(({ meetingId, voteId, voterId, cardIds, nowMs }) => {
        const row = selectVote.get(meetingId, voteId)
        if (row === undefined) return 'missing'
        if (!acceptsBallots(JSON.parse(row.vote) as StoredVote, nowMs)) return 'closed'
        upsertBallot.run(meetingId, voteId, voterId, JSON.stringify(cardIds))
        return 'ok'
      }),
    )
    return (batch: readonly BallotWrite[]) => tx.immediate(batch)
  }
  return (batch) => {
    commit ??= prepare()
    return commit(batch)
  }
}
