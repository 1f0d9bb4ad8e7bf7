import type express from 'express'
import type { Logger } from 'pino'
import type { AccessPolicy } from '../access/accessPolicy.ts'
import type { Config } from '../config.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { MeetingEraser } from '../store/meetingErasure.ts'
import type { DocGuard } from '../sync/Room.ts'
import { createActivityTracker } from './activityTracker.ts'
import { createMeetingAccessPolicy } from './meetingAccessPolicy.ts'
import type { CallerAuth } from './callerAuth.ts'
import { createLockGuard } from './lockGuard.ts'
import { createMeetingAccess, type MeetingAccessGuards } from './meetingAccess.ts'
import { createMeetingFactory, type MeetingFactory } from './meetingFactory.ts'
import { createSessionGuard } from './sessionGuard.ts'
import { createTextLimitGuard } from './textLimitGuard.ts'
import type { MeetingStore } from './meetingStore.ts'
import { createMeetingsRouter, type ConnectionCloser } from './meetingsRouter.ts'

export interface MeetingsFeature {
  /** Replaces openAccessPolicy: `/sync/<meetingId>?k=<key>`. */
  accessPolicy: AccessPolicy
  /** The REST API under /api/meetings; mounted after the routers of the features below it, as it answers 404 to the rest. */
  router: express.Router
  /** Lock, text-limit and closed-session enforcement and last-activity tracking on every loaded board. */
  docGuards: DocGuard[]
  /** The one way meetings are created (meetings SPEC M5): the routers, the versions' import and copy, the demo. */
  factory: MeetingFactory
  /** The one access check (meeting lookup + role), run before any route reads its body (B1). */
  access: MeetingAccessGuards
}

/**
 * Meetings, keys, locks and activity on a MeetingStore (server/src/meetings/SPEC.md). Knows no other feature: the
 * eraser, the rooms and the caller checks come in (server/src/tavoloFeatures.ts composes them).
 */
export function createMeetingsFeature(options: {
  store: MeetingStore
  config: Pick<Config, 'publicUrl' | 'meetingsPerMinute'>
  auth: CallerAuth
  eraser: MeetingEraser
  rooms: () => ConnectionCloser
  logger: Logger
  /** Whether a process exists (issue 22): a meeting's processId must name one. */
  processExists?: (id: string) => Promise<boolean>
  /** Whether a meeting's version n is stored, and its latest number: a meeting's outcome version must be one (M8). */
  outcomeVersions?: (id: MeetingId, n: number) => Promise<{ exists: boolean; latest: number | null }>
}): MeetingsFeature {
  const { store, config, auth, eraser, logger } = options
  const rooms: ConnectionCloser = { closeCredential: (...args) => options.rooms().closeCredential(...args) }
  const factory = createMeetingFactory({ store, meetingsPerMinute: config.meetingsPerMinute })
  // The one access check, run before any route reads its body (B1).
  const access = createMeetingAccess({ meetings: store, auth })
  return {
    accessPolicy: createMeetingAccessPolicy(store),
    router: createMeetingsRouter({
      store,
      factory,
      config,
      access,
      rooms,
      logger,
      eraser,
      processes: options.processExists === undefined ? undefined : { exists: options.processExists, isStaff: (req) => auth.isStaff(req) },
      outcomeVersions: options.outcomeVersions,
    }),
    factory,
    access,
    docGuards: [createLockGuard(logger), createTextLimitGuard(logger), createSessionGuard(logger), createActivityTracker(store, logger)],
  }
}
