import type express from 'express'
import type { Logger } from 'pino'
import type * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import type { AccessPolicy } from './access/accessPolicy.ts'
import type { Config } from './config.ts'
import { createFacilitationFeature, type FacilitationFeature } from './facilitation/facilitationFeature.ts'
import type { VoteStore } from './facilitation/VoteStore.ts'
import { createCallerAuth } from './meetings/callerAuth.ts'
import { createMeetingsFeature } from './meetings/meetingsFeature.ts'
import type { ConnectionCloser } from './meetings/meetingsRouter.ts'
import type { MeetingFactory } from './meetings/meetingFactory.ts'
import type { MeetingStore } from './meetings/meetingStore.ts'
import { METRICS_NEED_STAFF } from './ops/prometheus.ts'
import type { AttendanceTracker } from './reports/attendance.ts'
import { createReportsRouter } from './reports/reportsRouter.ts'
import type { DocStore } from './store/DocStore.ts'
import type { MeetingEraser } from './store/meetingErasure.ts'
import type { DocGuard, PresenceObserver } from './sync/Room.ts'
import { MAX_VALUE_DEPTH } from './sync/updateScan.ts'
import { createHeavyWorkGate } from './work/heavyWork.ts'
import type { BoardWork } from './work/workerPool.ts'
import { createVersionService, type BoardRooms, type VersionService } from './versions/versionService.ts'
import { createVersionsRouter } from './versions/versionsRouter.ts'
import type { VersionStore } from './versions/VersionStore.ts'
import type { PrivateCardStore } from './facilitation/PrivateCardStore.ts'
import { createProcessesRouter } from './processes/processesRouter.ts'
import type { ProcessStore } from './processes/ProcessStore.ts'

/** The stores the features run on; main.ts chooses their implementations (tests/helpers/meetingTestServer.ts too). */
export interface TavoloStores {
  docStore: DocStore
  meetings: MeetingStore
  versions: VersionStore
  attendance: AttendanceTracker
  /** Dot-votes and their ballots (issue 20). */
  votes: VoteStore
  /** Private brainstorming rounds and their cards (issue 20). */
  privateCards: PrivateCardStore
  /** Processes: meetings grouped across a participatory process (issue 22). */
  processes: ProcessStore
}

export interface TavoloFeatures {
  store: MeetingStore
  versions: VersionStore
  attendance: AttendanceTracker
  eraser: MeetingEraser
  /** Replaces openAccessPolicy: `/sync/<meetingId>?k=<key>`. */
  accessPolicy: AccessPolicy
  /** Mounts the REST API under /api/meetings (versions, reports, then meetings, which answers 404 to the rest). */
  mountRoutes: (app: express.Express) => void
  docGuards: DocGuard[]
  /** For the RoomManager (sync SPEC R15): the automatic session-end version. */
  onBeforeIdleUnload: (boardId: BoardId, doc: Y.Doc) => Promise<void>
  /** For the rooms: feeds `attendance` from every board's presence. */
  presenceObservers: PresenceObserver[]
  /** Saves versions, reads boards (the demo meeting uses it). */
  service: VersionService
  /** Dot-voting and the shared timer (issue 20); dispose() stops the votes' closing timers. */
  facilitation: FacilitationFeature
  /** The one way meetings are created (meetings SPEC M5): the routers, the versions' import and copy, the demo. */
  factory: MeetingFactory
  /** GET /metrics's staff check (app.ts staffAccess): the routers' CallerAuth, so it spends the same budget (Q3). */
  metricsAccess: (req: express.Request) => void
}

/**
 * Composes meetings, versions and reports on the given stores (interfaces only: no implementation is chosen here).
 * `rooms` is a getter because the rooms are created by createTavoloServer, which also mounts the routes; it is called
 * only at request time (a key rotated, a version saved or restored).
 */
export function createTavoloFeatures(options: {
  stores: TavoloStores
  eraser: MeetingEraser
  config: Pick<
    Config,
    'publicUrl' | 'meetingsPerMinute' | 'authFailureLimit' | 'authFailureWindowMs' | 'syncLimits' | 'heavyRequestsPerServer' | 'heavyRequestsPerMeeting'
  >
  /** The board worker pool (main.ts): saves, restores, diffs, reports, exports and imports run their heavy part there. */
  work: BoardWork
  /** The staff token: ADMIN_TOKEN or the generated one (server/src/http/staffToken.ts). */
  staffToken: string
  logger: Logger
  rooms: () => ConnectionCloser & BoardRooms
}): TavoloFeatures {
  const { stores, config, logger, staffToken } = options
  const { meetings: store, versions, attendance, docStore, votes } = stores
  // One for every router under /api/meetings: a wrong token on any of them spends the same per-address budget (Q3).
  const auth = createCallerAuth({ staffToken, failureLimit: config.authFailureLimit, failureWindowMs: config.authFailureWindowMs, logger })
  // the versions read last are cached in memory: an erased meeting's go with its rows (versions SPEC V1)
  const eraser: MeetingEraser = {
    async erase(meetingId, why) {
      try {
        return await options.eraser.erase(meetingId, why)
      } finally {
        service.forget(meetingId as MeetingId)
      }
    },
  }
  const meetings = createMeetingsFeature({
    store,
    config,
    auth,
    eraser,
    rooms: options.rooms,
    logger,
    processExists: async (id) => (await stores.processes.get(id)) !== null,
    outcomeVersions: async (id, n) => {
      const [at, latest] = await Promise.all([versions.list(id, { before: n + 1, limit: 1 }), versions.latest(id)])
      return { exists: at[0]?.number === n, latest: latest?.number ?? null }
    },
  })
  const { factory, access } = meetings
  const service = createVersionService({ versions, meetings: store, docStore, rooms: options.rooms, factory, logger, work: options.work })
  const facilitation = createFacilitationFeature({ votes, privateCards: options.stores.privateCards, meetings: store, auth, rooms: options.rooms, logger })
  const heavy = createHeavyWorkGate({ perServer: config.heavyRequestsPerServer, perMeeting: config.heavyRequestsPerMeeting })
  // An import file is held to a live board's bounds: what one update may carry, the board size, the nesting of values.
  const importLimits = { maxRecords: config.syncLimits.maxUpdateStructs, maxBoardBytes: config.syncLimits.maxBoardBytes, maxDepth: MAX_VALUE_DEPTH }
  return {
    store,
    versions,
    attendance,
    eraser,
    accessPolicy: meetings.accessPolicy,
    mountRoutes: (app) => {
      // first: the versions routes live under /api/meetings too, and the meetings router answers 404 to the rest
      app.use(createVersionsRouter({ service, versions, config, auth, access, logger, semanticDiff: true, importLimits, heavy }))
      app.use(createReportsRouter({ service, versions, attendance, access, logger, heavy }))
      // before the meetings router, which answers 404 to the rest of /api/meetings (POST /api/meetings/:id/continue)
      app.use(createProcessesRouter({ processes: stores.processes, meetings: store, versions, service, auth, access, eraser, heavy, config, logger }))
      // before the meetings router, which answers 404 to the rest of /api/meetings
      facilitation.mountRoutes(app)
      app.use(meetings.router)
    },
    docGuards: [...meetings.docGuards, ...facilitation.docGuards],
    facilitation,
    onBeforeIdleUnload: (boardId, doc) => service.onBoardIdle(boardId, doc),
    presenceObservers: [(boardId, sender, states) => attendance.observe(boardId, sender, states)],
    service,
    factory,
    metricsAccess: (req) => auth.requireStaff(req, { missing: METRICS_NEED_STAFF, wrong: `invalid staff token: ${METRICS_NEED_STAFF}` }),
  }
}
