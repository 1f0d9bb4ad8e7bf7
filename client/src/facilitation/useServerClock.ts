import { useCallback, useEffect, useRef, useState } from 'react'
import { clockOffsetMs } from '../../../shared/src/facilitation/timer.ts'
import { serverTime } from './facilitationApi.ts'

/** Round trips measured at start; the one with the shortest trip gives the offset (least network noise). */
const SAMPLES = 3

export interface ServerClock {
  /** The server's time as this device knows it (ms). */
  now: () => number
  /**
   * False until the first measurement has answered (or every sample of the first try failed: then the device's
   * own clock is the best there is). A countdown shown before that could be off by the device's clock error (T3).
   */
  known: boolean
}

/**
 * T3: the server's clock as this device can know it: `Date.now()` corrected by the offset measured against
 * `GET /api/time`. `measure` is true while the board is connected and a timer is on it: the clock is measured
 * then (again after the connection comes back, and for each new timer), not by every device at every connect
 * of a board without a timer. The first answer sets the offset at once; later samples replace it when their
 * round trip was shorter.
 */
export function useServerClock(measure: boolean): ServerClock {
  const offset = useRef(0)
  const [known, setKnown] = useState(false)
  useEffect(() => {
    if (!measure) return
    const controller = new AbortController()
    void (async () => {
      let bestRtt = Infinity
      for (let i = 0; i < SAMPLES && !controller.signal.aborted; i++) {
        const sentAt = Date.now()
        const answer = await serverTime(controller.signal).catch(() => null)
        const receivedAt = Date.now()
        if (controller.signal.aborted) return
        if (answer === null || !answer.ok) continue
        const rtt = receivedAt - sentAt
        if (rtt < bestRtt) {
          bestRtt = rtt
          offset.current = clockOffsetMs(sentAt, answer.value.now, receivedAt)
          setKnown(true)
        }
      }
      if (!controller.signal.aborted) setKnown(true)
    })()
    return () => controller.abort()
  }, [measure])
  const now = useCallback(() => Date.now() + offset.current, [])
  return { now, known }
}
