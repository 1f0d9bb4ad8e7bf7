import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { Meeting, MeetingFields, MeetingKeys } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'
import type { PerMeetingStore } from '../store/meetingErasure.ts'

// The store keeps the fields as shared/ declares them once; its users import them from here, beside the store.
export type { MeetingFields }

/** A meeting with its current keys, as the store holds it. */
export interface StoredMeeting {
  meeting: Meeting
  keys: MeetingKeys
  keyVersions: Record<Role, number>
}

/** Where a page of the staff list ends: the last meeting's creation time and its insertion order (ties). */
export interface MeetingCursor {
  createdAt: string
  seq: number
}

/**
 * Persistence of meetings and their keys. SQLite today; a PostgreSQL implementation can come later, hence the
 * Promise-returning methods. Keys are stored as they are (not hashed), because staff must be able to open any link
 * of any meeting from the staff list (see server/src/meetings/SPEC.md, K4).
 *
 * Contract (checked by tests/unit/meetingStoreContract.ts against every implementation):
 * 1. `create` stores the meeting with its three keys at version 1; `get` returns exactly what was stored and shares
 *    no mutable state with the store (changing an answer never changes a stored meeting).
 * 2. `list` is newest first (creation time, then insertion order); `listPage` pages through the same order with a
 *    cursor that stays stable while meetings are created.
 * 3. `update` replaces only the given fields and `updatedAt`; `rotateKey` replaces one role's key and bumps its
 *    version; both answer null for an unknown meeting. `touchActivity` keeps the latest time and ignores unknown ids.
 * 4. `eraseMeeting` removes the meeting and its keys (returns the rows removed; 0 when there was none);
 *    `meetingIds` names every stored meeting.
 * 5. Once the meeting is erased (tombstone, meetingErasure.ts), `create`, `update` and `rotateKey` reject with
 *    MeetingErasedError and change nothing; `touchActivity` does nothing.
 * 6. After re-opening the same storage everything stored is still there.
 * 7. `listByProcess` lists the meetings whose `processId` is the given one (creation order); a meeting moved to
 *    another process or out of any (`update` with `processId`) leaves the list.
 * 8. `withReference` answers every meeting whose reference equals the given one, ignoring case (a copy or an import
 *    keeps its source's reference: meetings SPEC M6), newest first; none for a reference no meeting has.
 * 10. `importMeeting` stores a meeting exactly as another store answered it (times, key versions, its place in the list
 *    order after the meetings stored before it), for `npm run migrate-to-postgres`; it rejects an id already stored or
 *    erased. A key's own creation time is not part of StoredMeeting: it becomes the meeting's `updatedAt`.
 * 9. `outcomeVersion` (issue 22: the version a process takes as the meeting's outcome; null = the latest) is null when
 *    `create` is not given one, is set or cleared (null) by `update`, and an update that does not name it keeps it.
 *    The store does not check that the version exists (the versions are another store's): the PATCH route does.
 */
export interface MeetingStore extends PerMeetingStore {
  /** Creates a meeting with its three keys (version 1). `now` is an ISO time. */
  create(id: MeetingId, fields: MeetingFields, keys: MeetingKeys, now: string): Promise<StoredMeeting>
  get(id: MeetingId): Promise<StoredMeeting | null>
  /** Every meeting, newest first (createdAt descending). */
  list(): Promise<StoredMeeting[]>
  /** Up to `limit` meetings in list() order after `after` (null: from the newest), and the cursor of the next page. */
  listPage(limit: number, after: MeetingCursor | null): Promise<{ meetings: StoredMeeting[]; next: MeetingCursor | null }>
  /** Replaces the given fields; returns the updated meeting, or null when it does not exist. */
  update(id: MeetingId, fields: Partial<MeetingFields>, now: string): Promise<StoredMeeting | null>
  /** The meetings of a process (issue 22), oldest created first. */
  listByProcess(processId: string): Promise<StoredMeeting[]>
  /** Replaces the key of one role and bumps its version; returns the meeting after rotation, or null. */
  rotateKey(id: MeetingId, role: Role, newKey: string, now: string): Promise<StoredMeeting | null>
  /** M6: the meetings with this reference (case ignored), newest first. */
  withReference(reference: string): Promise<StoredMeeting[]>
  /** Records activity on the meeting's board (no-op when the id is not a meeting). Keeps the latest time. */
  touchActivity(id: MeetingId, at: string): Promise<void>
  /** Rule 10: stores a meeting as read from another store (the migration to PostgreSQL). */
  importMeeting(stored: StoredMeeting): Promise<void>
}
