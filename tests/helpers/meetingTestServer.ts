/**
 * A test server wired with meetings exactly as `npm start` wires it (server/src/main.ts: the SQLite stores, the eraser
 * over every per-meeting store, createTavoloFeatures → meeting access policy, REST routers, lock guard, activity
 * tracker), on top of startTestServer. For e2e (serve the built client with `config: { clientDir: 'dist/client' }`)
 * and anything else that needs a meetings server.
 */
import { createSqliteDemoStore } from '../../server/src/demo/sqliteDemoStore.ts'
import type { DemoStore } from '../../server/src/demo/demoStore.ts'
import type { FacilitationFeature } from '../../server/src/facilitation/facilitationFeature.ts'
import { privateCardsPerMeetingStore, votesPerMeetingStore } from '../../server/src/facilitation/facilitationFeature.ts'
import type { PrivateCardStore } from '../../server/src/facilitation/PrivateCardStore.ts'
import { createSqlitePrivateCardStore } from '../../server/src/facilitation/sqlitePrivateCardStore.ts'
import { createSqliteVoteStore } from '../../server/src/facilitation/sqliteVoteStore.ts'
import type { VoteStore } from '../../server/src/facilitation/VoteStore.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createSqliteMeetingStore } from '../../server/src/meetings/sqliteMeetingStore.ts'
import { createSqliteProcessStore } from '../../server/src/processes/sqliteProcessStore.ts'
import type { ProcessStore } from '../../server/src/processes/ProcessStore.ts'
import { createMeetingEraser, type MeetingEraserService } from '../../server/src/ops/meetingEraser.ts'
import { createAttendanceTracker } from '../../server/src/reports/attendance.ts'
import { reclaimFreePages } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteErasedMeetings } from '../../server/src/store/sqliteErasedMeetings.ts'
import { createTavoloFeatures, type TavoloFeatures } from '../../server/src/tavoloFeatures.ts'
import { createSqliteVersionStore } from '../../server/src/versions/sqliteVersionStore.ts'
import type { VersionStore } from '../../server/src/versions/VersionStore.ts'
import { createWorkerPool } from '../../server/src/work/workerPool.ts'
import { TEST_STAFF_TOKEN } from './staffToken.ts'
import { startTestServer, type StartTestServerOptions, type TestServer } from './testServer.ts'

export interface MeetingTestServer extends TestServer {
  meetings: TavoloFeatures & { eraser: MeetingEraserService; demo: DemoStore; votes: VoteStore; privateCards: PrivateCardStore; processes: ProcessStore }
  /** Dot-voting and the timer (issue 20), as wired by createTavoloFeatures. */
  facilitation: FacilitationFeature
}

export async function startMeetingTestServer(
  options: Omit<StartTestServerOptions, 'setup' | 'accessPolicy' | 'mountRoutes' | 'docGuards' | 'docStore' | 'updateJudges'> & {
    /** The staff token (as ADMIN_TOKEN would set it); default TEST_STAFF_TOKEN. */
    adminToken?: string
    publicUrl?: string | null
    /** Wraps the version store (e.g. to hold a save in flight while a test erases the meeting). */
    wrapVersions?: (versions: VersionStore) => VersionStore
  } = {},
): Promise<MeetingTestServer> {
  const { adminToken = TEST_STAFF_TOKEN, publicUrl = null, wrapVersions = (v: VersionStore) => v, ...rest } = options
  let meetings: MeetingTestServer['meetings'] | null = null
  let server: TestServer | null = null
  const rooms = () => {
    if (!server) throw new Error('server not started yet')
    return server.server.rooms
  }
  // the board worker pool as main.ts wires it (one worker: tests run in parallel on a shared machine)
  const work = createWorkerPool({ size: 1 })
  server = await startTestServer({
    ...rest,
    // the board judge of production (sync SPEC R17)
    updateJudges: 'board',
    // Tests create meetings in bursts: MEETINGS_PER_MINUTE is lifted unless a test sets it (the quota's own tests do).
    config: { meetingsPerMinute: 100_000, ...rest.config, adminToken, publicUrl },
    setup: ({ db, config, docStore }) => {
      if (!db) throw new Error('the meetings feature needs the default SQLite store')
      const logger = rest.logger ?? createSilentLogger()
      const meetingStore = createSqliteMeetingStore(db)
      const versionStore = wrapVersions(createSqliteVersionStore(db))
      const demo = createSqliteDemoStore(db)
      const attendance = createAttendanceTracker()
      const votes = createSqliteVoteStore(db)
      const privateCards = createSqlitePrivateCardStore(db)
      const processes = createSqliteProcessStore(db)
      const eraser = createMeetingEraser({
        erased: createSqliteErasedMeetings(db),
        meetings: meetingStore,
        stores: [attendance, votesPerMeetingStore(votes), privateCardsPerMeetingStore(privateCards), versionStore, demo, docStore],
        rooms,
        reclaimSpace: async () => reclaimFreePages(db),
        logger,
      })
      const features = createTavoloFeatures({
        stores: { docStore, meetings: meetingStore, versions: versionStore, attendance, votes, privateCards, processes },
        eraser,
        config,
        staffToken: adminToken,
        work,
        logger,
        rooms,
      })
      meetings = { ...features, eraser, demo, votes, privateCards, processes }
      return meetings
    },
  })
  if (!meetings) throw new Error('meetings feature not built')
  // a worker starts in about a second under tsx (more on a busy machine): tests that time a save or an unload wait
  // for the work itself, not for the start
  await work.ready()
  const started = server
  const built: MeetingTestServer['meetings'] = meetings
  return {
    ...started,
    meetings: built,
    facilitation: built.facilitation,
    async close() {
      built.facilitation.dispose()
      await started.close()
      await work.close()
    },
  }
}
