import type { Logger } from '../log.ts'
import type { MeetingStore } from '../meetings/meetingStore.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { retentionDeadline } from '../../../shared/src/ops/retention.ts'
import type { MeetingEraser } from './meetingEraser.ts'

export interface RetentionOptions {
  retainDays: number
  store: MeetingStore
  eraser: MeetingEraser
  logger: Logger
  /** Clock, for tests. */
  now?: () => Date
  /** How often to look for expired meetings; default hourly (deadlines are in days). */
  intervalMs?: number
}

export interface Retention {
  /** Erases every meeting past its deadline now; resolves with how many were erased. */
  sweep(): Promise<number>
  stop(): void
}

/**
 * RETAIN_DAYS: meetings whose last activity (or creation, when the board never changed) is older than `retainDays`
 * are erased automatically, like DELETE /api/meetings/:id (connections closed with 4410), with a log line each.
 * Sweeps once at start and then every `intervalMs`. Staff see each meeting's deadline in the list (same function,
 * shared/src/ops/retention.ts).
 */
export function startRetention(options: RetentionOptions): Retention {
  const { retainDays, store, eraser } = options
  const now = options.now ?? (() => new Date())
  const log = options.logger.child({ component: 'retention' })
  let running: Promise<number> | null = null

  async function sweepOnce(): Promise<number> {
    const at = now()
    let erased = 0
    for (const { meeting } of await store.list()) {
      const deadline = retentionDeadline(meeting, retainDays)
      if (deadline === null || deadline.getTime() > at.getTime()) continue
      try {
        const report = await eraser.erase(meeting.id as MeetingId, 'retention')
        if (report === null) continue
        erased++
        log.info(
          { meetingId: meeting.id, reference: meeting.reference, lastActivityAt: meeting.lastActivityAt, createdAt: meeting.createdAt, retainDays },
          `meeting deleted: no activity for more than ${retainDays} days (RETAIN_DAYS)`,
        )
      } catch (error) {
        log.error({ err: error, meetingId: meeting.id }, 'retention could not delete the meeting; retrying at the next sweep')
      }
    }
    return erased
  }

  const sweep = (): Promise<number> => {
    // One sweep at a time: a slow erase (VACUUM) must not let the next tick erase the same meetings again.
    running ??= sweepOnce().finally(() => {
      running = null
    })
    return running
  }

  const onTick = () => {
    sweep().catch((error: unknown) => log.error({ err: error }, 'retention sweep failed'))
  }
  const timer = setInterval(onTick, options.intervalMs ?? 60 * 60 * 1000)
  timer.unref()
  queueMicrotask(onTick)
  log.info({ retainDays }, `meetings with no activity for ${retainDays} days are deleted automatically`)
  return {
    sweep,
    stop: () => clearInterval(timer),
  }
}
