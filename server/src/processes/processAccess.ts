import type { Request } from 'express'
import { PROCESS_ID_PATTERN } from '../../../shared/src/process/processSchemas.ts'
import { ApiError } from '../http/apiError.ts'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import { authenticateKey } from '../meetings/meetingAuth.ts'
import { bearerToken } from '../meetings/meetingKeys.ts'
import type { MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import type { Process, ProcessStore } from './ProcessStore.ts'

/** Who opened a process: staff, or the facilitator of some of its meetings (PS2). */
export interface ProcessCaller {
  process: Process
  /** Its meetings in date order (PS4). */
  meetings: StoredMeeting[]
  staff: boolean
  /** The meetings whose facilitator key the caller presented (empty for staff). */
  facilitatorOf: ReadonlySet<string>
}

/** PS4: date order: the start (or, without one, the creation), then the creation. */
export function inDateOrder(meetings: StoredMeeting[]): StoredMeeting[] {
  const when = (s: StoredMeeting) => {
    const start = s.meeting.startsAt === null ? Number.NaN : Date.parse(s.meeting.startsAt)
    return Number.isNaN(start) ? Date.parse(s.meeting.createdAt) : start
  }
  return [...meetings].sort((a, b) => when(a) - when(b) || (a.meeting.createdAt < b.meeting.createdAt ? -1 : a.meeting.createdAt > b.meeting.createdAt ? 1 : 0))
}

const STAFF_MESSAGES = {
  missing: 'this needs the staff token (Authorization: Bearer <staff token>) or a facilitator key of one of the process\'s meetings',
  wrong: 'invalid staff token or key',
}

/**
 * PS2 in the order of meetings SPEC A2: unknown process 404 → no token 401 → a token that is neither the staff token
 * nor a key of one of its meetings 401 (counted by the wrong-token throttle, Q3) → a participant or viewer key 403.
 */
export function createProcessAccess(options: { processes: ProcessStore; meetings: Pick<MeetingStore, 'listByProcess'>; auth: CallerAuth }) {
  const { processes, meetings, auth } = options
  return async (req: Request): Promise<ProcessCaller> => {
    const raw = req.params.id
    const process = typeof raw === 'string' && PROCESS_ID_PATTERN.test(raw) ? await processes.get(raw) : null
    if (process === null) throw new ApiError('not_found', 'no process with this id')
    const token = bearerToken(req.headers.authorization)
    if (token === null) throw new ApiError('unauthorized', STAFF_MESSAGES.missing)
    const list = inDateOrder(await meetings.listByProcess(process.id))
    if (auth.isStaff(req)) return { process, meetings: list, staff: true, facilitatorOf: new Set() }
    const roles = list.map((stored) => ({ id: stored.meeting.id, role: authenticateKey(stored, token)?.role ?? null }))
    const facilitatorOf = new Set(roles.filter((r) => r.role === 'facilitator').map((r) => r.id))
    if (facilitatorOf.size > 0) return { process, meetings: list, staff: false, facilitatorOf }
    if (roles.some((r) => r.role !== null)) throw new ApiError('forbidden', 'a participant or viewer key does not open a process: ask its facilitator or staff')
    // neither: counted as a wrong token, like every other route
    auth.requireStaff(req, STAFF_MESSAGES)
    throw new ApiError('unauthorized', STAFF_MESSAGES.wrong)
  }
}
