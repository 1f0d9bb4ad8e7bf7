import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase, type SqliteMigration } from '../store/sqliteDatabase.ts'
import { createInlineBallotWriter, type BallotWriter } from './ballotWriter.ts'
import { closedVote, revealedVote, type ExportedVote, type StoredVote, type VoteStore } from './VoteStore.ts'

const CREATE_V1 = `
  CREATE TABLE facilitation_votes (
    meeting_id TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    vote TEXT NOT NULL,
    PRIMARY KEY (meeting_id, id)
  );
  CREATE TABLE facilitation_ballots (
    meeting_id TEXT NOT NULL,
    vote_id TEXT NOT NULL,
    voter_id TEXT NOT NULL,
    card_ids TEXT NOT NULL,
    PRIMARY KEY (meeting_id, vote_id, voter_id)
  );
`

/** `VOTE_MIGRATIONS[i]` upgrades the vote tables from version i to i + 1 (component 'votes', migrateSchema). */
const VOTE_MIGRATIONS: readonly SqliteMigration[] = [(db) => db.exec(CREATE_V1)]
export const VOTE_SCHEMA_VERSION = VOTE_MIGRATIONS.length

/**
 * Votes and ballots in the shared SQLite database (tables facilitation_votes, facilitation_ballots). Ballots are
 * written by `options.ballots` (ballotWriter.ts): the server's is a worker thread; by default, this thread.
 */
export function createSqliteVoteStore(db: SqliteDatabase, options: { ballots?: BallotWriter } = {}): VoteStore {
  migrateSchema(db, 'votes', VOTE_MIGRATIONS)
  const ballots = options.ballots ?? createInlineBallotWriter(db)
  const insertVote = db.prepare<[string, string, string, string]>(
    'INSERT INTO facilitation_votes (meeting_id, id, seq, vote) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM facilitation_votes WHERE meeting_id = ?), ?)',
  )
  const selectVote = db.prepare<[string, string], { vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = ? AND id = ?')
  const selectLatest = db.prepare<[string], { vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = ? ORDER BY seq DESC LIMIT 1')
  const updateVote = db.prepare<[string, string, string]>('UPDATE facilitation_votes SET vote = ? WHERE meeting_id = ? AND id = ?')
  const selectBallot = db.prepare<[string, string, string], { card_ids: string }>(
    'SELECT card_ids FROM facilitation_ballots WHERE meeting_id = ? AND vote_id = ? AND voter_id = ?',
  )
  const selectBallots = db.prepare<[string, string], { voter_id: string; card_ids: string }>(
    'SELECT voter_id, card_ids FROM facilitation_ballots WHERE meeting_id = ? AND vote_id = ? ORDER BY voter_id',
  )
  const deleteBallots = db.prepare<[string]>('DELETE FROM facilitation_ballots WHERE meeting_id = ?')
  const deleteVotes = db.prepare<[string]>('DELETE FROM facilitation_votes WHERE meeting_id = ?')
  const eraseTx = db.transaction((meetingId: string) => deleteBallots.run(meetingId).changes + deleteVotes.run(meetingId).changes)
  const selectMeetings = db.prepare<[], { meeting_id: string }>(
    'SELECT meeting_id FROM facilitation_votes UNION SELECT meeting_id FROM facilitation_ballots',
  )

  const selectVotes = db.prepare<[string], { vote: string }>('SELECT vote FROM facilitation_votes WHERE meeting_id = ? ORDER BY seq')
  const insertBallot = db.prepare<[string, string, string, string]>(
    'INSERT INTO facilitation_ballots (meeting_id, vote_id, voter_id, card_ids) VALUES (?, ?, ?, ?)',
  )
  const importTx = db.transaction((meetingId: string, { vote, ballots: given }: ExportedVote) => {
    insertVote.run(meetingId, vote.id, meetingId, JSON.stringify(vote))
    for (const b of given) insertBallot.run(meetingId, vote.id, b.voterId, JSON.stringify(b.cardIds))
  })

  const read = (meetingId: MeetingId, voteId: string): StoredVote | null => {
    const row = selectVote.get(meetingId, voteId)
    return row === undefined ? null : (JSON.parse(row.vote) as StoredVote)
  }
  const change = db.transaction((meetingId: MeetingId, voteId: string, next: (vote: StoredVote) => StoredVote | null) => {
    const vote = read(meetingId, voteId)
    if (vote === null) return null
    const changed = next(vote)
    if (changed === null) return vote
    updateVote.run(JSON.stringify(changed), meetingId, voteId)
    return changed
  })
  return {
    async create(meetingId, vote) {
      insertVote.run(meetingId, vote.id, meetingId, JSON.stringify(vote))
    },
    async get(meetingId, voteId) {
      return read(meetingId, voteId)
    },
    async latest(meetingId) {
      const row = selectLatest.get(meetingId)
      return row === undefined ? null : (JSON.parse(row.vote) as StoredVote)
    },
    putBallot(meetingId, voteId, ballot, nowMs) {
      return ballots.put({ meetingId, voteId, voterId: ballot.voterId, cardIds: [...ballot.cardIds], nowMs })
    },
    async getBallot(meetingId, voteId, voterId) {
      const row = selectBallot.get(meetingId, voteId, voterId)
      return row === undefined ? null : { voterId, cardIds: JSON.parse(row.card_ids) as string[] }
    },
    async ballots(meetingId, voteId) {
      return selectBallots.all(meetingId, voteId).map((row) => ({ voterId: row.voter_id, cardIds: JSON.parse(row.card_ids) as string[] }))
    },
    async close(meetingId, voteId, at) {
      return change.immediate(meetingId, voteId, (vote) => closedVote(vote, at))
    },
    async reveal(meetingId, voteId, outcome) {
      return change.immediate(meetingId, voteId, (vote) => revealedVote(vote, outcome))
    },
    async deleteMeeting(meetingId) {
      // meetings SPEC E4: what an erase deletes is overwritten, not left readable in free pages
      return securelyDeleting(db, () => eraseTx.immediate(meetingId))
    },
    async meetingIds() {
      return selectMeetings.all().map((row) => row.meeting_id)
    },
    async exportMeeting(meetingId) {
      return selectVotes.all(meetingId).map((row) => {
        const vote = JSON.parse(row.vote) as StoredVote
        const ballots = selectBallots.all(meetingId, vote.id).map((b) => ({ voterId: b.voter_id, cardIds: JSON.parse(b.card_ids) as string[] }))
        return { vote, ballots }
      })
    },
    async importVote(meetingId, exported) {
      importTx.immediate(meetingId, exported)
    },
  }
}
