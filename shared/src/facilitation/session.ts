/**
 * The session's public state in the board document (FACILITATION_MAP, written by the server only), read by every
 * client and by the server's session guard. Rules SE1.. in server/src/versions/SPEC.md; tests cite them.
 * - SESSION_KEY: whether the facilitator closed the session ("Chiudi sessione"). While it is closed only the
 *   facilitator (and the server) change the board; participants see it read-only. Absent: open.
 * - RESTORED_KEY: the latest restore of a version, so that people on the board are told what just happened.
 * Both live in the document because the document is what every client and the server already share, persist and
 * reload together: the closed state survives a restart with the board, and a copy of a version starts open.
 */
import { z } from 'zod'
import type { Role } from '../roles.ts'

export const SESSION_KEY = 'session'
export const RESTORED_KEY = 'restored'

export const SessionStateSchema = z.object({
  state: z.enum(['open', 'closed']),
  /** When the state last changed (server time, ISO). */
  changedAt: z.string(),
  /** The session-end version the closing saved or found (null: the board was empty); null while open. */
  version: z.number().int().positive().nullable(),
})
export type SessionState = z.infer<typeof SessionStateSchema>

export const RestoreNoticeSchema = z.object({
  /** The version that was restored ("la versione 3"). */
  restoredFrom: z.number().int().positive(),
  /** The `restored` version that records the result. */
  version: z.number().int().positive(),
  at: z.string(),
})
export type RestoreNotice = z.infer<typeof RestoreNoticeSchema>

/** The session state as the document holds it; anything unreadable or absent counts as open (forgiving reader). */
export function readSessionState(value: unknown): SessionState | null {
  const parsed = SessionStateSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

export function isSessionClosed(value: unknown): boolean {
  return readSessionState(value)?.state === 'closed'
}

export function readRestoreNotice(value: unknown): RestoreNotice | null {
  const parsed = RestoreNoticeSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/** SE2: who may change the board while the session is closed: the facilitator alone (viewers never may). */
export function mayEditInSession(role: Role, closed: boolean): boolean {
  if (role === 'viewer') return false
  return !closed || role === 'facilitator'
}
