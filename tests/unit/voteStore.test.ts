import { describe, expect, it } from 'vitest'
import { createMemoryVoteStore, type MemoryVoteStorage } from '../../server/src/facilitation/memoryVoteStore.ts'
import { createWorkerBallotWriter } from '../../server/src/facilitation/ballotWriter.ts'
import { createSqliteVoteStore } from '../../server/src/facilitation/sqliteVoteStore.ts'
import { openSqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { sqliteContractHarness } from '../helpers/sqliteHarness.ts'
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

describe('sqlite vote store specifics', () => {
  it('refuses a database whose vote tables come from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteVoteStore(db)
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'votes'").run()
    expect(() => createSqliteVoteStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })
})
