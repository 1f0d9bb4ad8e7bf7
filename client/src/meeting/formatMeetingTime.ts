import { DEFAULT_MEETING_TIME_ZONE } from '../../../shared/src/meetings/meetingTimeZone.ts'
import type { Locale } from '../i18n/translate.ts'

/**
 * "giovedì 18 settembre 2025, 17:30–19:30" from ISO start/end (either may be missing), in the meeting's time zone
 * (shared/src/meetings/meetingTimeZone.ts), never the browser's. Pure. Returns null when there is no start.
 */
export function formatMeetingTime(
  startsAt: string | null,
  endsAt: string | null,
  locale: Locale,
  timeZone: string = DEFAULT_MEETING_TIME_ZONE,
): string | null {
  if (!startsAt) return null
  const start = new Date(startsAt)
  if (Number.isNaN(start.getTime())) return null
  const tag = locale === 'it' ? 'it-IT' : 'en-GB'
  const day = new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone })
  const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', timeZone })
  const end = endsAt ? new Date(endsAt) : null
  if (!end || Number.isNaN(end.getTime())) return `${day.format(start)}, ${time.format(start)}`
  if (day.format(start) === day.format(end)) return `${day.format(start)}, ${time.format(start)}–${time.format(end)}`
  return `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)}`
}

/** A short date and time ("18 set 2025, 17:30") for lists, in the meeting's time zone; null for a missing or bad value. */
export function formatShortDateTime(iso: string | null, locale: Locale, timeZone: string = DEFAULT_MEETING_TIME_ZONE): string | null {
  if (!iso) return null
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return null
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d)
}
