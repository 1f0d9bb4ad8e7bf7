import { createContext, useContext } from 'react'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Meeting, MeetingLinks } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'

/** The meeting a board page belongs to, as `GET /api/meetings/:id` told this key (null fields: not known). */
export interface MeetingInfo {
  boardId: BoardId
  accessKey: string | null
  role: Role
  meeting: Meeting | null
  /** Facilitators only. Replaced after a key rotation. */
  links: MeetingLinks | null
  setLinks(links: MeetingLinks): void
  /** After the facilitator edited the details (PATCH). */
  setMeeting(meeting: Meeting): void
}

export const MeetingContext = createContext<MeetingInfo | null>(null)

export function useMeetingInfo(): MeetingInfo | null {
  return useContext(MeetingContext)
}
