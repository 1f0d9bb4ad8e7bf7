import { createMemoryPrivateCardStore, type MemoryPrivateCardStorage } from '../../server/src/facilitation/memoryPrivateCardStore.ts'
import { createSqlitePrivateCardStore } from '../../server/src/facilitation/sqlitePrivateCardStore.ts'
import { sqliteContractHarness } from '../helpers/sqliteHarness.ts'
import { runPrivateCardStoreContract } from './privateCardStoreContract.ts'

runPrivateCardStoreContract('memory', () => {
  const storage: MemoryPrivateCardStorage = new Map()
  return { open: () => createMemoryPrivateCardStore(storage), dispose: () => {} }
})

runPrivateCardStoreContract('sqlite', sqliteContractHarness('tavolo-private-', (db) => ({ store: createSqlitePrivateCardStore(db) })))
