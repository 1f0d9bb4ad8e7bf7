import { createMemoryPrivateCardStore, type MemoryPrivateCardStorage } from '../../server/src/facilitation/memoryPrivateCardStore.ts'
import { createSqlitePrivateCardStore } from '../../server/src/facilitation/sqlitePrivateCardStore.ts'
import { sqliteContractHarness } from '../helpers/sqliteHarness.ts'
import { createPgPrivateCardStore } from '../../server/src/facilitation/pgPrivateCardStore.ts'
import { describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { runPrivateCardStoreContract } from './privateCardStoreContract.ts'

runPrivateCardStoreContract('memory', () => {
  const storage: MemoryPrivateCardStorage = new Map()
  return { open: () => createMemoryPrivateCardStore(storage), dispose: () => {} }
})

runPrivateCardStoreContract('sqlite', sqliteContractHarness('tavolo-private-', (db) => ({ store: createSqlitePrivateCardStore(db) })))

// the same contract on PostgreSQL (issue 23)
describePg('PrivateCardStore', () => {
  const pg = pgTestSchema()
  runPrivateCardStoreContract('postgresql', () => ({ open: () => createPgPrivateCardStore(pg.pool()), dispose: () => pg.reset() }))
})
