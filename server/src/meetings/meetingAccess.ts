import type { Request, RequestHandler, Response } from 'express'
import { parseMeetingId, type MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { canManageMeeting, type Role } from '../../../shared/src/roles.ts'
import { canSeeVersions } from '../../../shared/src/versions/versionAccess.ts'
import { ApiError } from '../http/apiError.ts'
import type { CallerAuth } from './callerAuth.ts'
import type { MeetingStore, StoredMeeting } from './meetingStore.ts'

/** What an access check found: the meeting of `/:id` and the caller's role on it. */
export interface MeetingAccess {
  id: MeetingId
  stored: StoredMeeting
  role: Role
}

/** Who may pass, on a `/:id` route. */
export type MeetingRule =
  /** Any current key of the meeting, or the staff token. */
  | { kind: 'member' }
  /** A facilitator key or the staff token (A1); `action` completes "only a facilitator may …". */
  | { kind: 'facilitator'; action: string }
  /** Whoever may read the meeting's versions (versions SPEC V12); `what` names what they would read. */
  | { kind: 'versionReader'; what: string }

/**
 * The one access check of every REST route under /api/meetings (meetings SPEC A2, B1): mounted before the route's
 * body reader, so that no body is read, inflated or parsed for a caller who may not do what the route does.
 */
export interface MeetingAccessGuards {
  /** S1: the staff token (creating and listing meetings, import). */
  staff(messages: { missing: string; wrong: string }): RequestHandler
  /** A2 order on `/:id`: unknown meeting 404 → no token 401 → wrong token 401 (Q3) → role not allowed 403. */
  meeting(rule: MeetingRule): RequestHandler
}

const LOCALS_KEY = 'meetingAccess'

/** The access a `meeting()` guard found for this request. */
export function accessOf(res: Response): MeetingAccess {
  const access = res.locals[LOCALS_KEY] as MeetingAccess | undefined
  if (access === undefined) throw new Error('no meeting access check ran before this handler')
  return access
}

function refusal(rule: MeetingRule, access: MeetingAccess): ApiError | null {
  switch (rule.kind) {
    case 'member':
      return null
    case 'facilitator':
      return canManageMeeting(access.role) ? null : new ApiError('forbidden', `only a facilitator may ${rule.action}`)
    case 'versionReader':
      return canSeeVersions(access.role, access.stored.meeting.versionsVisibleTo)
        ? null
        : new ApiError('forbidden', `the facilitator has not made ${rule.what} of this meeting visible to your role`)
  }
}

export function createMeetingAccess(options: { meetings: Pick<MeetingStore, 'get'>; auth: CallerAuth }): MeetingAccessGuards {
  const { meetings, auth } = options

  const lookUp = async (req: Request): Promise<MeetingAccess> => {
    const raw = req.params.id
    const id = typeof raw === 'string' ? parseMeetingId(raw) : null
    const stored = id === null ? null : await meetings.get(id)
    if (stored === null || id === null) throw new ApiError('not_found', 'no meeting with this id')
    return { id, stored, role: auth.callerRole(req, stored) }
  }

  return {
    staff(messages) {
      return (req, _res, next) => {
        auth.requireStaff(req, messages)
        next()
      }
    },
    meeting(rule) {
      return async (req, res, next) => {
        const access = await lookUp(req)
        const refused = refusal(rule, access)
        if (refused !== null) throw refused
        res.locals[LOCALS_KEY] = access
        next()
      }
    },
  }
}
