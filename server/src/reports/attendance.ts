/**
 * Who was on each board while this server ran, per board. The report offers their number as a suggestion for the
 * participant count ("Conteggio dei partecipanti") and Decidim's `attendeesCount`, which stays the facilitator's
 * figure. In memory only (presence is never stored): after a restart it starts again.
 * Who counts is the shared rule (`shared/src/presence/attendees.ts`), applied with the role the server gave the
 * connection's key. Each connection counts once at most: it is remembered with the last real name it published, so a
 * person correcting their name, or a client publishing a thousand names in turn, is still one person.
 * Erasing a meeting forgets its names too: the tracker is one of the eraser's per-meeting stores (main.ts).
 */
import { attendeeKey, countAttendees } from '../../../shared/src/presence/attendees.ts'
import type { PerMeetingStore } from '../store/meetingErasure.ts'
import type { ConnectionInfo } from '../sync/RoomSocket.ts'

/** Bounds what hostile clients can make the server remember: connections remembered per board. */
const MAX_CONNECTIONS_PER_BOARD = 5000

export interface AttendanceTracker extends PerMeetingStore {
  /** Feeds the awareness states one connection (as the server admitted it) just published on a board. */
  observe(boardId: string, sender: Pick<ConnectionInfo, 'connectionId' | 'role'>, states: readonly unknown[]): void
  /** Distinct named people seen on the board since the server started (at most ATTENDEES_MAX); null when none. */
  count(boardId: string): number | null
  /** Forgets the board's names (its meeting was erased: names are personal data); returns how many there were. */
  forget(boardId: string): number
}

function nameOf(state: unknown): unknown {
  if (typeof state !== 'object' || state === null) return null
  const user = (state as { user?: unknown }).user
  if (typeof user !== 'object' || user === null) return null
  return (user as { name?: unknown }).name
}

export function createAttendanceTracker(): AttendanceTracker {
  /** board → connection id → the last counted name it published. */
  const boards = new Map<string, Map<string, string>>()
  const forget = (boardId: string) => {
    const seen = boards.get(boardId)
    const n = seen === undefined ? 0 : new Set(seen.values()).size
    boards.delete(boardId)
    return n
  }
  return {
    observe(boardId, sender, states) {
      let last: string | null = null
      for (const state of states) last = attendeeKey(sender.role, nameOf(state)) ?? last
      if (last === null) return
      let seen = boards.get(boardId)
      if (seen === undefined) {
        seen = new Map()
        boards.set(boardId, seen)
      }
      if (seen.has(sender.connectionId) || seen.size < MAX_CONNECTIONS_PER_BOARD) seen.set(sender.connectionId, last)
    },
    count(boardId) {
      const seen = boards.get(boardId)
      const n = seen === undefined ? 0 : countAttendees(seen.values())
      return n === 0 ? null : n
    },
    forget,
    component: 'attendance',
    eraseMeeting: async (meetingId) => forget(meetingId),
    meetingIds: async () => [...boards.keys()],
  }
}

