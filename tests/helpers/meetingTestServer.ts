/**
 * A test server wired with meetings exactly as `npm start` wires it (server/src/main.ts: createMeetingsFeature →
 * meeting access policy, REST router, lock guard, activity tracker), on top of startTestServer. For e2e (serve the
 * built client with `config: { clientDir: 'dist/client' }`) and anything else that needs a meetings server.
 */
import { createMeetingsFeature, type MeetingsFeature } from '../../server/src/meetings/meetingsFeature.ts'
import { createFacilitationFeature, votesEraseStep, type FacilitationFeature } from '../../server/src/facilitation/facilitationFeature.ts'
import { createSqliteVoteStore } from '../../server/src/facilitation/sqliteVoteStore.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { TEST_STAFF_TOKEN } from './staffToken.ts'
import { startTestServer, type StartTestServerOptions, type TestServer } from './testServer.ts'

export interface MeetingTestServer extends TestServer {
  meetings: MeetingsFeature
  facilitation: FacilitationFeature
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
  let facilitation: FacilitationFeature | null = null
  let server: TestServer | null = null
  server = await startTestServer({
    ...rest,
    // Tests create meetings in bursts: MEETINGS_PER_MINUTE is lifted unless a test sets it (the quota's own tests do).
    config: { meetingsPerMinute: 100_000, ...rest.config, adminToken, publicUrl },
    setup: ({ db, config, docStore }) => {
      if (!db) throw new Error('the meetings feature needs the default SQLite store')
      const votes = createSqliteVoteStore(db)
      const rooms = () => {
        if (!server) throw new Error('server not started yet')
        return server.server.rooms
      }
      meetings = createMeetingsFeature({
        eraseSteps: [votesEraseStep(votes)],
        db,
        docStore,
        config,
        staffToken: adminToken,
        logger: rest.logger ?? createSilentLogger(),
        rooms: () => {
          if (!server) throw new Error('server not started yet')
          return server.server.rooms
        },
      })
      const fac = createFacilitationFeature({ votes, meetings: meetings.store, auth: meetings.auth, rooms, logger: rest.logger ?? createSilentLogger() })
      facilitation = fac
      const m = meetings
      return {
        ...m,
        mountRoutes: (app) => {
          fac.mountRoutes(app)
          m.mountRoutes(app)
        },
        docGuards: [...m.docGuards, ...fac.docGuards],
      }
    },
  })
  if (!meetings || !facilitation) throw new Error('meetings feature not built')
  return { ...server, meetings, facilitation }
}
