import type { Meeting } from '../../../shared/src/meetings/meetingSchemas.ts'
import { MeetingSchema, RoleSchema } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { z } from 'zod'

/**
 * The last meeting details and role seen for a board and key, so a board opened offline (service worker + IndexedDB)
 * still knows its title and the person's role. The key itself is not stored, only a short fingerprint of it
 * (the key is in the page's URL and history anyway; the fingerprint tells a rotated key from the current one).
 */
const CachedSchema = z.object({ keyPrint: z.string(), meeting: MeetingSchema, role: RoleSchema })

function fingerprint(key: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}

const storageKey = (boardId: string) => `tavolo.meeting.${boardId}`

export function readCachedMeeting(storage: Storage | null, boardId: string, key: string): { meeting: Meeting; role: Role } | null {
  try {
    const parsed = CachedSchema.safeParse(JSON.parse(storage?.getItem(storageKey(boardId)) ?? 'null'))
    return parsed.success && parsed.data.keyPrint === fingerprint(key) ? { meeting: parsed.data.meeting, role: parsed.data.role } : null
  } catch {
    return null
  }
}

export function writeCachedMeeting(storage: Storage | null, boardId: string, key: string, meeting: Meeting, role: Role): void {
  try {
    storage?.setItem(storageKey(boardId), JSON.stringify({ keyPrint: fingerprint(key), meeting, role }))
  } catch {
    // not fatal: only the offline start loses the title
  }
}
