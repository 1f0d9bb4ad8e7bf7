import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMemoryVoteStore, type MemoryVoteStorage } from '../../server/src/facilitation/memoryVoteStore.ts'
import { createWorkerBallotWriter, type BallotWriter } from '../../server/src/facilitation/ballotWriter.ts'
import { createSqliteVoteStore } from '../../server/src/facilitation/sqliteVoteStore.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { runVoteStoreContract } from './voteStoreContract.ts'

runVoteStoreContract('memory', () => {
  const storage: MemoryVoteStorage = new Map()
  return { open: () => createMemoryVoteStore(storage), dispose: () => {} }
})

function sqliteHarness(ballotsInWorker: boolean) {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'tavolo-votes-'))
    const dbs: SqliteDatabase[] = []
    const writers: BallotWriter[] = []
    return {
      open: () => {
        // a new handle each time, like a restarted process
        const file = join(dir, 'tavolo.sqlite')
        const db = openSqliteDatabase(file)
        dbs.push(db)
        if (!ballotsInWorker) return createSqliteVoteStore(db)
        const ballots = createWorkerBallotWriter(file)
        writers.push(ballots)
        return createSqliteVoteStore(db, { ballots })
      },
      dispose: async () => {
        for (const writer of writers) await writer.close()
        for (const db of dbs) if (db.open) db.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
}

runVoteStoreContract('sqlite', sqliteHarness(false))
// as main.ts wires it: ballots committed by a worker thread on its own connection
runVoteStoreContract('sqlite, ballots in a worker', sqliteHarness(true))

describe('sqlite vote store specifics', () => {
  it('refuses a database whose vote tables come from a newer Tavolo', () => {
    const db = openSqliteDatabase(':memory:')
    createSqliteVoteStore(db)
    db.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'votes'").run()
    expect(() => createSqliteVoteStore(db)).toThrow(/newer than this Tavolo knows/)
    db.close()
  })
})
