import { useCallback, useEffect, useRef } from 'react'
import { clockOffsetMs } from '../../../shared/src/facilitation/timer.ts'
import { serverTime } from './facilitationApi.ts'

/** Round trips measured at start; the one with the shortest trip gives the offset (least network noise). */
const SAMPLES = 3

/**
 * T3: the server's clock as this device can know it: `Date.now()` corrected by the offset measured against
 * `GET /api/time` when the board opens (and again when the connection comes back). 0 until measured.
 */
export function useServerClock(connected: boolean): () => number {
  const offset = useRef(0)
  useEffect(() => {
    if (!connected) return
    const controller = new AbortController()
    void (async () => {
      let best: { rtt: number; offset: number } | null = null
      for (let i = 0; i < SAMPLES && !controller.signal.aborted; i++) {
        const sentAt = Date.now()
        const answer = await serverTime(controller.signal).catch(() => null)
        const receivedAt = Date.now()
        if (answer === null || !answer.ok) continue
        const rtt = receivedAt - sentAt
        if (best === null || rtt < best.rtt) best = { rtt, offset: clockOffsetMs(sentAt, answer.value.now, receivedAt) }
      }
      if (best !== null && !controller.signal.aborted) offset.current = best.offset
    })()
    return () => controller.abort()
  }, [connected])
  return useCallback(() => Date.now() + offset.current, [])
}
