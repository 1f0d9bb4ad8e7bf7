import { createPgDemoStore } from '../../server/src/demo/pgDemoStore.ts'
import { createSqliteDemoStore } from '../../server/src/demo/sqliteDemoStore.ts'
import { createPgErasedMeetings } from '../../server/src/store/pg/pgErasedMeetings.ts'
import { createSqliteErasedMeetings } from '../../server/src/store/sqliteErasedMeetings.ts'
import { describePg, pgTestSchema } from '../helpers/pgHarness.ts'
import { sqliteContractHarness } from '../helpers/sqliteHarness.ts'
import { runDemoStoreContract } from './demoStoreContract.ts'

const sqlite = sqliteContractHarness('tavolo-demo-', (db) => ({ store: createSqliteDemoStore(db) }))
runDemoStoreContract('sqlite', () => {
  const h = sqlite()
  return { ...h, erased: () => createSqliteErasedMeetings(h.lastDb()) }
})

describePg('DemoStore', () => {
  const pg = pgTestSchema()
  runDemoStoreContract('postgresql', () => ({
    open: () => createPgDemoStore(pg.pool()),
    erased: () => createPgErasedMeetings(pg.pool()),
    dispose: () => pg.reset(),
  }))
})
