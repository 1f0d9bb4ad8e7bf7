import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { MeetingKeys } from '../../../shared/src/meetings/meetingSchemas.ts'
import { tooManyRequests } from '../http/apiError.ts'
import { FixedWindowLimiter, retryAfterSeconds } from '../http/quotas.ts'
import { generateKey, generateMeetingId } from './meetingKeys.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from './meetingStore.ts'

export interface NewMeetingPlan {
  /**
   * Writes what the meeting starts with (its board, its first version) under the new id before the meeting row
   * exists: until then no route or socket can reach them, so the meeting row is the commit point (versions SPEC V11).
   */
  prepare?: (id: MeetingId) => Promise<void>
  /** Removes what `prepare` wrote, when it or the meeting row failed. */
  undo?: (id: MeetingId) => Promise<unknown>
  /**
   * False for the server's own meetings (the demo at start): they are not requests and do not spend the quota.
   * Default true (meetings SPEC Q2).
   */
  countsTowardQuota?: boolean
}

/**
 * The one place a meeting comes into being (meetings SPEC M5): POST /api/meetings, import, copy and the demo all
 * create through it, so all get a fresh id and keys (M1, K1) and every request spends MEETINGS_PER_MINUTE (Q2).
 */
export interface MeetingFactory {
  /** Throws `429 rate_limited` (ApiError with Retry-After) when the quota is spent, before anything is written. */
  create(fields: MeetingFields, plan?: NewMeetingPlan): Promise<StoredMeeting>
}

export function createMeetingFactory(options: {
  store: Pick<MeetingStore, 'create'>
  /** MEETINGS_PER_MINUTE, on the whole server. */
  meetingsPerMinute: number
  now?: () => Date
}): MeetingFactory {
  const { store, meetingsPerMinute } = options
  const now = options.now ?? (() => new Date())
  const creations = new FixedWindowLimiter({ limit: meetingsPerMinute, windowMs: 60_000 })

  return {
    async create(fields, plan = {}) {
      if (plan.countsTowardQuota !== false) {
        const wait = creations.hit('server', now().getTime())
        if (wait > 0) {
          throw tooManyRequests(
            `more than ${meetingsPerMinute} meetings created in a minute (MEETINGS_PER_MINUTE): try again in ${retryAfterSeconds(wait)} s`,
            wait,
          )
        }
      }
      const id = generateMeetingId()
      const keys: MeetingKeys = { facilitator: generateKey(), participant: generateKey(), viewer: generateKey() }
      try {
        await plan.prepare?.(id)
        return await store.create(id, fields, keys, now().toISOString())
      } catch (error) {
        await plan.undo?.(id)
        throw error
      }
    },
  }
}
