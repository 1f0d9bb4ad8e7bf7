import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { PrivateCard, PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase, type SqliteMigration } from '../store/sqliteDatabase.ts'
import type { ExportedRound, PrivateCardStore, PutPrivateCardsOutcome } from './PrivateCardStore.ts'

const CREATE_V1 = `
  CREATE TABLE facilitation_private_rounds (
    meeting_id TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
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
  );
`

/** `PRIVATE_MIGRATIONS[i]` upgrades the private-round tables from version i to i + 1 (component 'private_rounds'). */
const PRIVATE_MIGRATIONS: readonly SqliteMigration[] = [(db) => db.exec(CREATE_V1)]
export const PRIVATE_SCHEMA_VERSION = PRIVATE_MIGRATIONS.length

/** Private rounds and their cards in the shared SQLite database (tables facilitation_private_rounds, _cards). */
export function createSqlitePrivateCardStore(db: SqliteDatabase): PrivateCardStore {
  migrateSchema(db, 'private_rounds', PRIVATE_MIGRATIONS)
  const insertRound = db.prepare<[string, string, string, string]>(
    'INSERT INTO facilitation_private_rounds (meeting_id, id, seq, round) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM facilitation_private_rounds WHERE meeting_id = ?), ?)',
  )
  const selectRound = db.prepare<[string, string], { round: string }>('SELECT round FROM facilitation_private_rounds WHERE meeting_id = ? AND id = ?')
  const selectLatest = db.prepare<[string], { round: string }>('SELECT round FROM facilitation_private_rounds WHERE meeting_id = ? ORDER BY seq DESC LIMIT 1')
  const updateRound = db.prepare<[string, string, string]>('UPDATE facilitation_private_rounds SET round = ? WHERE meeting_id = ? AND id = ?')
  const upsertCards = db.prepare<[string, string, string, string | null, string, string]>(
    'INSERT INTO facilitation_private_cards (meeting_id, round_id, voter_id, name, cards, updated_at) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (meeting_id, round_id, voter_id) DO UPDATE SET name = excluded.name, cards = excluded.cards, updated_at = excluded.updated_at',
  )
  type Row = { voter_id: string; name: string | null; cards: string; updated_at: string }
  const selectCards = db.prepare<[string, string, string], Row>(
    'SELECT voter_id, name, cards, updated_at FROM facilitation_private_cards WHERE meeting_id = ? AND round_id = ? AND voter_id = ?',
  )
  const selectAll = db.prepare<[string, string], Row>(
    'SELECT voter_id, name, cards, updated_at FROM facilitation_private_cards WHERE meeting_id = ? AND round_id = ? ORDER BY voter_id',
  )
  const deleteCards = db.prepare<[string]>('DELETE FROM facilitation_private_cards WHERE meeting_id = ?')
  const deleteRounds = db.prepare<[string]>('DELETE FROM facilitation_private_rounds WHERE meeting_id = ?')
  const eraseTx = db.transaction((meetingId: string) => deleteCards.run(meetingId).changes + deleteRounds.run(meetingId).changes)
  const selectMeetings = db.prepare<[], { meeting_id: string }>(
    'SELECT meeting_id FROM facilitation_private_rounds UNION SELECT meeting_id FROM facilitation_private_cards',
  )
  const selectRounds = db.prepare<[string], { round: string }>('SELECT round FROM facilitation_private_rounds WHERE meeting_id = ? ORDER BY seq')
  const importTx = db.transaction((meetingId: string, { round, writers }: ExportedRound) => {
    insertRound.run(meetingId, round.id, meetingId, JSON.stringify(round))
    for (const w of writers) upsertCards.run(meetingId, round.id, w.voterId, w.name, JSON.stringify(w.cards), w.updatedAt)
  })
  const read = (meetingId: string, roundId: string): PublicPrivateRound | null => {
    const row = selectRound.get(meetingId, roundId)
    return row === undefined ? null : (JSON.parse(row.round) as PublicPrivateRound)
  }
  const writer = (row: Row) => ({ voterId: row.voter_id, name: row.name, cards: JSON.parse(row.cards) as PrivateCard[], updatedAt: row.updated_at })
  // PS3: the state check and the write in one transaction: the reveal cannot slip in between
  const put = db.transaction((meetingId: string, roundId: string, w: { voterId: string; name: string | null; cards: string; updatedAt: string }): PutPrivateCardsOutcome => {
    const round = read(meetingId, roundId)
    if (round === null) return 'missing'
    if (round.state !== 'open') return 'closed'
    upsertCards.run(meetingId, roundId, w.voterId, w.name, w.cards, w.updatedAt)
    return 'ok'
  })
  const reveal = db.transaction((meetingId: string, roundId: string, at: string) => {
    const round = read(meetingId, roundId)
    if (round === null || round.state === 'revealed') return round
    const revealed: PublicPrivateRound = { ...round, state: 'revealed', revealedAt: at }
    updateRound.run(JSON.stringify(revealed), meetingId, roundId)
    return revealed
  })
  return {
    async create(meetingId, round) {
      insertRound.run(meetingId, round.id, meetingId, JSON.stringify(round))
    },
    async get(meetingId, roundId) {
      return read(meetingId, roundId)
    },
    async latest(meetingId) {
      const row = selectLatest.get(meetingId)
      return row === undefined ? null : (JSON.parse(row.round) as PublicPrivateRound)
    },
    async putCards(meetingId, roundId, w) {
      return put.immediate(meetingId, roundId, { voterId: w.voterId, name: w.name, cards: JSON.stringify(w.cards), updatedAt: w.updatedAt })
    },
    async getCards(meetingId, roundId, voterId) {
      const row = selectCards.get(meetingId, roundId, voterId)
      return row === undefined ? null : writer(row)
    },
    async writers(meetingId, roundId) {
      return selectAll.all(meetingId, roundId).map(writer)
    },
    async reveal(meetingId, roundId, at) {
      return reveal.immediate(meetingId, roundId, at)
    },
    async deleteMeeting(meetingId: MeetingId) {
      // meetings SPEC E4: what an erase deletes is overwritten, not left readable in free pages
      return securelyDeleting(db, () => eraseTx.immediate(meetingId))
    },
    async meetingIds() {
      return selectMeetings.all().map((row) => row.meeting_id)
    },
    async exportMeeting(meetingId) {
      return selectRounds.all(meetingId).map((row) => {
        const round = JSON.parse(row.round) as PublicPrivateRound
        return { round, writers: selectAll.all(meetingId, round.id).map(writer) }
      })
    },
    async importRound(meetingId, exported) {
      importTx.immediate(meetingId, exported)
    },
  }
}
