import { tooManyRequests } from '../http/apiError.ts'

/** How many heavy requests (save, restore, diff, report, export, version read, import) may run at once. */
export interface HeavyWorkLimits {
  /** On the whole server. */
  perServer: number
  /** On one meeting (import counts against the server only). */
  perMeeting: number
}

/**
 * Bounds the heavy requests in flight, so that a burst of diffs or reports queues neither unbounded work in the
 * worker pool nor unbounded memory for their answers: past a bound the request is refused at once with `429
 * rate_limited` and `Retry-After` (README "Limits"), before it reads anything. `run` releases its slot however the
 * work ends.
 */
export function createHeavyWorkGate(limits: HeavyWorkLimits) {
  let total = 0
  const byMeeting = new Map<string, number>()
  return {
    async run<T>(meetingId: string | null, work: () => Promise<T>): Promise<T> {
      const mine = meetingId === null ? 0 : (byMeeting.get(meetingId) ?? 0)
      if (total >= limits.perServer) throw tooManyRequests('the server is busy with other large requests; try again in a moment', 1000)
      if (meetingId !== null && mine >= limits.perMeeting) {
        throw tooManyRequests('this meeting already has large requests under way (saves, diffs, reports, exports); try again in a moment', 1000)
      }
      total++
      if (meetingId !== null) byMeeting.set(meetingId, mine + 1)
      try {
        return await work()
      } finally {
        total--
        if (meetingId !== null) {
          const left = (byMeeting.get(meetingId) ?? 1) - 1
          if (left === 0) byMeeting.delete(meetingId)
          else byMeeting.set(meetingId, left)
        }
      }
    },
    /** Heavy requests in flight (tests, metrics). */
    get inFlight(): number {
      return total
    },
  }
}

export type HeavyWorkGate = ReturnType<typeof createHeavyWorkGate>
