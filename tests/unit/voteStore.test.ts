import { describe, expect, it } from 'vitest'
import { createMemoryVoteStore, type MemoryVoteStorage } from '../../server/src/facilitation/memoryVoteStore.ts'
import { createWorkerBallotWriter } from '../../server/src/facilitation/ballotWriter.ts'
import { createSqliteVoteStore } from '../../server/src/facilitation/sqliteVoteStore.ts'
import { openSqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { sqliteContractHarness } from '../helpers/sqliteHarness.ts'
import { createPgVoteStore } from '../../server/src/facilitation/pgVoteStore.ts'
import { openPgPool } from '../../server/src/store/pg/pgDatabase.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { PG_TEST_URL, describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { storedVote } from '../helpers/voteFixture.ts'
import { runVoteStoreContract } from './voteStoreContract.ts'

runVoteStoreContract('memory', () => {
  const storage: MemoryVoteStorage = new Map()
  return { open: () => createMemoryVoteStore(storage), dispose: () => {} }
})

runVoteStoreContract('sqlite', sqliteContractHarness('tavolo-votes-', (db) => ({ store: createSqliteVoteStore(db) })))
// as main.ts wires it: ballots committed by a worker thread on its own connection
runVoteStoreContract(
  'sqlite, ballots in a worker',
  sqliteContractHarness('tavolo-votes-', (db, file) => {
    const ballots = createWorkerBallotWriter(file)
    return { store: createSqliteVoteStore(db, { ballots }), close: () => ballots.close() }
  }),
)

// the same contract on PostgreSQL (issue 23): ballots commit through the pool
describePg('VoteStore', () => {
  const pg = pgTestSchema()
  runVoteStoreContract('postgresql', () => ({ open: () => createPgVoteStore(pg.pool()), dispose: () => pg.reset() }))

  it('VS3 across instances: ballots racing a close on another instance are each stored before it or refused', async () => {
    const poolB = openPgPool(PG_TEST_URL, { searchPath: pg.searchPath() })
    const a = createPgVoteStore(pg.pool())
    const b = createPgVoteStore(poolB)
    try {
      const m = 'race' as MeetingId
      const t0 = Date.parse('2025-09-15T09:00:00.000Z')
      await a.create(m, storedVote())
      const voters = Array.from({ length: 30 }, (_, i) => `device-${String(i).padStart(10, '0')}`)
      const puts = voters.map((voterId) => a.putBallot(m, 'vote_one', { voterId, cardIds: ['shape:a'] }, t0))
      const closing = b.close(m, 'vote_one', '2025-09-15T09:00:01.000Z')
      const outcomes = await Promise.all(puts)
      expect((await closing)?.state).toBe('closed')
      const stored = (await b.ballots(m, 'vote_one')).map((ballot) => ballot.voterId)
      expect(stored.sort()).toEqual(voters.filter((_, i) => outcomes[i] === 'ok').sort())
      expect(outcomes.every((o) => o === 'ok' || o === 'closed')).toBe(true)
      expect(await a.putBallot(m, 'vote_one', { voterId: voters[0]!, cardIds: ['shape:b'] }, t0)).toBe('closed')
    } finally {
      await poolB.end()
      await pg.reset()
    }
  })
})

describe('sqlite vote store specifics', () => {
  it('refuses a database whose vote tables come from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteVoteStore(db)
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'votes'").run()
    expect(() => createSqliteVoteStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })
})
