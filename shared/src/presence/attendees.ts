/**
 * Who counts as a person taking part, in ONE place: the board's participant count (client), the report's suggested
 * count and so Decidim's `attendeesCount` (server) all apply this rule.
 *
 * A presence counts when its role is participant or facilitator (the role the server stamps for the connection's
 * key, sync R7, never what a client claims) and it carries a real name: not empty, not the placeholder a page
 * publishes before its person has typed a name (`UNNAMED_PRESENCE_NAME`), not absurdly long. Viewers (projector,
 * observers) never count. People are told apart by their name, trimmed and case-insensitive: two tabs or two devices
 * of one person are one; two people who typed the same name are one too (the facilitator corrects the figure).
 * A count never exceeds `ATTENDEES_MAX`, Decidim's own limit.
 */
import { ATTENDEES_MAX } from '../meetings/meetingSchemas.ts'

/** The name a page shows for its person until they type one (and on pages that are no person). Never counted. */
export const UNNAMED_PRESENCE_NAME = '…'
/** Longer "names" are not names (a hostile client's padding): they do not count. */
export const MAX_ATTENDEE_NAME_LENGTH = 100

/** The key a presence is counted under, or null when it is no person taking part (see the module comment). */
export function attendeeKey(role: unknown, name: unknown): string | null {
  if (role !== 'participant' && role !== 'facilitator') return null
  if (typeof name !== 'string') return null
  const key = name.trim().toLocaleLowerCase('it')
  if (key === '' || key === UNNAMED_PRESENCE_NAME || key === '...' || key.length > MAX_ATTENDEE_NAME_LENGTH) return null
  return key
}

/** The number of distinct keys (nulls skipped), at most ATTENDEES_MAX. */
export function countAttendees(keys: Iterable<string | null>): number {
  const distinct = new Set<string>()
  for (const key of keys) {
    if (key === null) continue
    distinct.add(key)
    if (distinct.size >= ATTENDEES_MAX) return ATTENDEES_MAX
  }
  return distinct.size
}
