import type express from 'express'
import type { Logger } from 'pino'
import type { AccessPolicy } from '../access/accessPolicy.ts'
import { createMeetingAccessPolicy } from '../access/meetingAccessPolicy.ts'
import type { Config } from '../config.ts'
import { boardLogEraseStep, createMeetingEraser, meetingRowsEraseStep, type BoardDiscarder, type EraseStep, type MeetingEraser } from '../ops/meetingEraser.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { DocStore } from '../store/DocStore.ts'
import type { SqliteDatabase } from '../store/sqliteDatabase.ts'
import type { DocGuard, PresenceObserver } from '../sync/Room.ts'
import { createSqliteVersionStore, versionsEraseStep } from '../versions/sqliteVersionStore.ts'
import { createVersionService, type BoardRooms, type VersionService } from '../versions/versionService.ts'
import { createVersionsRouter } from '../versions/versionsRouter.ts'
import type { VersionStore } from '../versions/VersionStore.ts'
import { attendanceEraseStep, createAttendanceTracker, type AttendanceTracker } from '../reports/attendance.ts'
import { createReportsRouter } from '../reports/reportsRouter.ts'
import { semanticDiff } from '../../../shared/src/maps/semanticDiff.ts'
import type * as Y from 'yjs'
import { createActivityTracker } from './activityTracker.ts'
import { createCallerAuth, type CallerAuth } from './callerAuth.ts'
import { createLockGuard } from './lockGuard.ts'
import type { MeetingStore } from './meetingStore.ts'
import { createMeetingsRouter, type ConnectionCloser } from './meetingsRouter.ts'
import { createSqliteMeetingStore } from './sqliteMeetingStore.ts'
import { METRICS_NEED_STAFF } from '../ops/prometheus.ts'

export interface MeetingsFeature {
  store: MeetingStore
  /** Replaces openAccessPolicy: `/sync/<meetingId>?k=<key>`. */
  accessPolicy: AccessPolicy
  /** Mounts the REST API under /api/meetings. */
  mountRoutes: (app: express.Express) => void
  /** Lock enforcement and last-activity tracking on every loaded board. */
  docGuards: DocGuard[]
  /** Erases a meeting with its board and everything stored for it (DELETE /api/meetings/:id, retention). */
  eraser: MeetingEraser
  /** The meetings' versions (server/src/versions/SPEC.md); the report reads them too. */
  versions: VersionStore
  /** For the RoomManager (sync SPEC R15): the automatic session-end version. */
  onBeforeIdleUnload: (boardId: BoardId, doc: Y.Doc) => Promise<void>
  /** Named people seen in each board's presence: the report's suggested participant count (fed by the rooms). */
  attendance: AttendanceTracker
  /** For the rooms: feeds `attendance` from every board's presence. */
  presenceObservers: PresenceObserver[]
  /** Saves versions, reads boards (the demo meeting uses it). */
  service: VersionService
  /** GET /metrics's staff check (app.ts staffAccess): the routers' CallerAuth, so it spends the same budget (Q3). */
  metricsAccess: (req: express.Request) => void
  /** The routers' caller checks (one wrong-token budget, Q3), for features mounted beside them (facilitation). */
  auth: CallerAuth
}

/**
 * Everything the server needs for meetings and their versions, built on the shared SQLite handle. `rooms` is a getter
 * because the rooms are created by createTavoloServer, which also mounts the routes; it is called only at request
 * time (a key rotated, a version saved or restored).
 */
export function createMeetingsFeature(options: {
  db: SqliteDatabase
  config: Pick<Config, 'publicUrl' | 'meetingsPerMinute' | 'authFailureLimit' | 'authFailureWindowMs'>
  /** The staff token: ADMIN_TOKEN or the generated one (server/src/http/staffToken.ts). */
  staffToken: string
  docStore: DocStore
  logger: Logger
  rooms: () => ConnectionCloser & BoardDiscarder & BoardRooms
  /**
   * Erase steps of other components that keep rows per meeting. They run in the erase transaction, with this
   * feature's own (versions), before the board log and the meeting row.
   */
  eraseSteps?: readonly EraseStep[]
}): MeetingsFeature {
  const { db, config, logger, staffToken } = options
  const store = createSqliteMeetingStore(db)
  const rooms: ConnectionCloser = { closeConnections: (...args) => options.rooms().closeConnections(...args) }
  const versions = createSqliteVersionStore(db)
  const attendance = createAttendanceTracker()
  const service = createVersionService({ versions, meetings: store, docStore: options.docStore, rooms: options.rooms, logger })
  // One for every router under /api/meetings: a wrong token on any of them spends the same per-address budget (Q3).
  const auth = createCallerAuth({ staffToken, failureLimit: config.authFailureLimit, failureWindowMs: config.authFailureWindowMs, logger })
  const eraser = createMeetingEraser({
    db,
    rooms: options.rooms,
    steps: [...(options.eraseSteps ?? []), attendanceEraseStep(attendance), versionsEraseStep(db), boardLogEraseStep(db), meetingRowsEraseStep(db)],
    logger,
  })
  return {
    store,
    eraser,
    accessPolicy: createMeetingAccessPolicy(store),
    mountRoutes: (app) => {
      // first: the versions routes live under /api/meetings too, and the meetings router answers 404 to the rest
      app.use(createVersionsRouter({ service, versions, meetings: store, config, auth, logger, semanticDiff }))
      app.use(createReportsRouter({ service, versions, meetings: store, attendance, auth, logger }))
      app.use(createMeetingsRouter({ store, config, auth, rooms, logger, eraser }))
    },
    docGuards: [createLockGuard(logger), createActivityTracker(store, logger)],
    versions,
    onBeforeIdleUnload: (boardId, doc) => service.onBoardIdle(boardId, doc),
    attendance,
    presenceObservers: [(boardId, states) => attendance.observe(boardId, states)],
    service,
    metricsAccess: (req) => auth.requireStaff(req, { missing: METRICS_NEED_STAFF, wrong: `invalid staff token: ${METRICS_NEED_STAFF}` }),
    auth,
  }
}
