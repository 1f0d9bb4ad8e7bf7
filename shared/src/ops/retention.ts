/** What retention needs of a meeting: when it was created and when its board last changed (ISO times). */
export interface RetentionDates {
  createdAt: string
  lastActivityAt: string | null
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * When a meeting is due for automatic deletion under `RETAIN_DAYS` (null: retention is off): `retainDays` after its
 * last activity, or after its creation when its board never changed. Shared so that the staff list shows exactly the
 * date the server's sweep uses.
 */
export function retentionDeadline(meeting: RetentionDates, retainDays: number | null): Date | null {
  if (retainDays === null) return null
  const from = Date.parse(meeting.lastActivityAt ?? meeting.createdAt)
  if (Number.isNaN(from)) return null
  return new Date(from + retainDays * DAY_MS)
}
