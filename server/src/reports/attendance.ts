/**
 * Who was on each board while this server ran: the distinct display names seen in awareness (presence), per board.
 * The report offers their number as a suggestion for the participant count ("Conteggio dei partecipanti"), which
 * stays the facilitator's figure. In memory only (presence is never stored): after a restart it starts again.
 * Names are compared trimmed and case-insensitively. Viewers (the projector, observers) do not count, like the
 * board's own participant count; the role in awareness is stamped by the server (sync R7), so it can be trusted.
 * Erasing a meeting forgets its names too: the tracker is one of the eraser's per-meeting stores (main.ts).
 */
import type { PerMeetingStore } from '../store/meetingErasure.ts'

/** Bounds what a hostile client can make the server remember. */
const MAX_NAMES_PER_BOARD = 1000
const MAX_NAME_LENGTH = 100

export interface AttendanceTracker extends PerMeetingStore {
  /** Feeds the awareness states a connection just sent for a board. */
  observe(boardId: string, states: readonly unknown[]): void
  /** Distinct named people seen on the board since the server started; null when none was seen. */
  count(boardId: string): number | null
  /** Forgets the board's names (its meeting was erased: names are personal data); returns how many there were. */
  forget(boardId: string): number
}

function nameOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null
  const user = (state as { user?: unknown }).user
  if (typeof user !== 'object' || user === null) return null
  const { name, role } = user as { name?: unknown; role?: unknown }
  if (role === 'viewer' || typeof name !== 'string') return null
  const key = name.trim().toLocaleLowerCase('it')
  return key === '' || key.length > MAX_NAME_LENGTH ? null : key
}

export function createAttendanceTracker(): AttendanceTracker {
  const names = new Map<string, Set<string>>()
  const forget = (boardId: string) => {
    const n = names.get(boardId)?.size ?? 0
    names.delete(boardId)
    return n
  }
  return {
    observe(boardId, states) {
      for (const state of states) {
        const name = nameOf(state)
        if (name === null) continue
        let seen = names.get(boardId)
        if (seen === undefined) {
          seen = new Set()
          names.set(boardId, seen)
        }
        if (seen.size < MAX_NAMES_PER_BOARD) seen.add(name)
      }
    },
    count(boardId) {
      const n = names.get(boardId)?.size ?? 0
      return n === 0 ? null : n
    },
    forget,
    component: 'attendance',
    eraseMeeting: async (meetingId) => forget(meetingId),
    meetingIds: async () => [...names.keys()],
  }
}

