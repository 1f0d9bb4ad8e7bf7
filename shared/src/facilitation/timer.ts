/**
 * The shared timer: pure rules (SPEC T1..T4 in server/src/facilitation/SPEC.md). The board document holds its state
 * (FACILITATION_MAP / TIMER_KEY), written by the server in server time; each client reads it with its own clock
 * corrected by the offset it measured against the server (GET /api/time).
 */
import { z } from 'zod'

export const TIMER_DURATION_MAX_MS = 4 * 60 * 60 * 1000
export const TIMER_ADD_MS = 60_000

export interface TimerState {
  /** Server time (ms) at which the running countdown (re)started; null while paused. */
  startedAt: number | null
  /** Length of the countdown from startedAt. */
  durationMs: number
  /** Time left while paused; null while running. */
  pausedRemainingMs: number | null
  /** Whether devices that allow it play a sound at zero (the facilitator's choice). */
  sound: boolean
}

export const TimerStateSchema = z.object({
  startedAt: z.number().finite().nullable(),
  durationMs: z.number().finite().min(0),
  pausedRemainingMs: z.number().finite().min(0).nullable(),
  sound: z.boolean(),
})

export const TimerActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start'), durationMs: z.number().int().min(1000).max(TIMER_DURATION_MAX_MS), sound: z.boolean().default(false) }),
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  z.strictObject({ action: z.literal('add-minute') }),
  z.strictObject({ action: z.literal('stop') }),
])
export type TimerAction = z.output<typeof TimerActionSchema>

export function readTimerState(value: unknown): TimerState | null {
  const parsed = TimerStateSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/** T1: milliseconds left at server time `serverNow` (never below 0). */
export function timerRemainingMs(state: TimerState, serverNow: number): number {
  if (state.pausedRemainingMs !== null) return state.pausedRemainingMs
  if (state.startedAt === null) return state.durationMs
  return Math.max(0, state.startedAt + state.durationMs - serverNow)
}

/** T2: the timer after a facilitator's action at server time `serverNow`; null = no timer (stopped). */
export function applyTimerAction(state: TimerState | null, action: TimerAction, serverNow: number): TimerState | null {
  switch (action.action) {
    case 'start':
      return { startedAt: serverNow, durationMs: action.durationMs, pausedRemainingMs: null, sound: action.sound }
    case 'pause':
      if (state === null || state.pausedRemainingMs !== null) return state
      return { ...state, startedAt: null, pausedRemainingMs: timerRemainingMs(state, serverNow) }
    case 'resume':
      if (state === null || state.pausedRemainingMs === null) return state
      return { ...state, startedAt: serverNow, durationMs: state.pausedRemainingMs, pausedRemainingMs: null }
    case 'add-minute':
      if (state === null) return null
      if (state.pausedRemainingMs !== null) return { ...state, pausedRemainingMs: Math.min(TIMER_DURATION_MAX_MS, state.pausedRemainingMs + TIMER_ADD_MS) }
      // a countdown already at zero starts a fresh minute from now
      if (timerRemainingMs(state, serverNow) === 0) return { ...state, startedAt: serverNow, durationMs: TIMER_ADD_MS }
      return { ...state, durationMs: state.durationMs + TIMER_ADD_MS }
    case 'stop':
      return null
  }
}

/** T3: the clock offset (server minus client) from one round trip: the server's answer is taken as of its midpoint. */
export function clockOffsetMs(sentAt: number, serverNow: number, receivedAt: number): number {
  return serverNow - (sentAt + receivedAt) / 2
}

/** "mm:ss" (or "h:mm:ss") of a remaining time, rounded up so that 0:00 shows only at zero. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}
