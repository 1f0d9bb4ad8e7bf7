/**
 * A test server wired with meetings exactly as `npm start` wires it (server/src/main.ts: createMeetingsFeature →
 * meeting access policy, REST router, lock guard, activity tracker), on top of startTestServer. For e2e (serve the
 * built client with `config: { clientDir: 'dist/client' }`) and anything else that needs a meetings server.
 */
import { createMeetingsFeature, type MeetingsFeature } from '../../server/src/meetings/meetingsFeature.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createWorkerPool } from '../../server/src/work/workerPool.ts'
import { TEST_STAFF_TOKEN } from './staffToken.ts'
import { startTestServer, type StartTestServerOptions, type TestServer } from './testServer.ts'

export interface MeetingTestServer extends TestServer {
  meetings: MeetingsFeature
}

export async function startMeetingTestServer(
  options: Omit<StartTestServerOptions, 'setup' | 'accessPolicy' | 'mountRoutes' | 'docGuards' | 'docStore'> & {
    /** The staff token (as ADMIN_TOKEN would set it); default TEST_STAFF_TOKEN. */
    adminToken?: string
    publicUrl?: string | null
  } = {},
): Promise<MeetingTestServer> {
  const { adminToken = TEST_STAFF_TOKEN, publicUrl = null, ...rest } = options
  let meetings: MeetingsFeature | null = null
  let server: TestServer | null = null
  // the board worker pool as main.ts wires it (one worker: tests run in parallel on a shared machine)
  const work = createWorkerPool({ size: 1 })
  server = await startTestServer({
    ...rest,
    // Tests create meetings in bursts: MEETINGS_PER_MINUTE is lifted unless a test sets it (the quota's own tests do).
    config: { meetingsPerMinute: 100_000, ...rest.config, adminToken, publicUrl },
    setup: ({ db, config, docStore }) => {
      if (!db) throw new Error('the meetings feature needs the default SQLite store')
      meetings = createMeetingsFeature({
        db,
        docStore,
        config,
        staffToken: adminToken,
        work,
        logger: rest.logger ?? createSilentLogger(),
        rooms: () => {
          if (!server) throw new Error('server not started yet')
          return server.server.rooms
        },
      })
      return meetings
    },
  })
  if (!meetings) throw new Error('meetings feature not built')
  // a worker starts in about a second under tsx (more on a busy machine): tests that time a save or an unload wait
  // for the work itself, not for the start
  await work.ready()
  const started = server
  return {
    ...started,
    meetings,
    async close() {
      await started.close()
      await work.close()
    },
  }
}
