import type express from 'express'
import type { Logger } from 'pino'
import type { AccessPolicy } from '../access/accessPolicy.ts'
import { createMeetingAccessPolicy } from '../access/meetingAccessPolicy.ts'
import type { Config } from '../config.ts'
import { boardLogEraseStep, createMeetingEraser, meetingRowsEraseStep, type BoardDiscarder, type EraseStep, type MeetingEraser } from '../ops/meetingEraser.ts'
import type { SqliteDatabase } from '../store/sqliteDatabase.ts'
import type { DocGuard } from '../sync/Room.ts'
import { createActivityTracker } from './activityTracker.ts'
import { createLockGuard } from './lockGuard.ts'
import type { MeetingStore } from './meetingStore.ts'
import { createMeetingsRouter, type ConnectionCloser } from './meetingsRouter.ts'
import { createSqliteMeetingStore } from './sqliteMeetingStore.ts'

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
}

/**
 * Everything the server needs for meetings, built on the shared SQLite handle. `rooms` is a getter because the
 * rooms are created by createTavoloServer, which also mounts the routes; it is called only when a key is rotated.
 */
export function createMeetingsFeature(options: {
  db: SqliteDatabase
  config: Pick<Config, 'publicUrl' | 'meetingsPerMinute' | 'authFailureLimit' | 'authFailureWindowMs'>
  /** The staff token: ADMIN_TOKEN or the generated one (server/src/http/staffToken.ts). */
  staffToken: string
  logger: Logger
  rooms: () => ConnectionCloser & BoardDiscarder
  /**
   * Erase steps of other components that keep rows per meeting (hook for the versions table: its step goes here).
   * They run in the erase transaction before the board log and the meeting row.
   */
  eraseSteps?: readonly EraseStep[]
}): MeetingsFeature {
  const { db, config, logger, staffToken } = options
  const store = createSqliteMeetingStore(db)
  const rooms: ConnectionCloser = { closeConnections: (...args) => options.rooms().closeConnections(...args) }
  const eraser = createMeetingEraser({
    db,
    rooms: options.rooms,
    steps: [...(options.eraseSteps ?? []), boardLogEraseStep(db), meetingRowsEraseStep(db)],
    logger,
  })
  return {
    store,
    eraser,
    accessPolicy: createMeetingAccessPolicy(store),
    mountRoutes: (app) => app.use(createMeetingsRouter({ store, config, staffToken, rooms, logger, eraser })),
    docGuards: [createLockGuard(logger), createActivityTracker(store, logger)],
  }
}
