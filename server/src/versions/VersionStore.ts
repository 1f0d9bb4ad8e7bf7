import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { RecordOutline } from '../../../shared/src/versions/recordOutline.ts'
import type { PerMeetingStore } from '../store/meetingErasure.ts'
import type {
  BoardRecord,
  SerializedBoardSchema,
  VersionAuthor,
  VersionDetail,
  VersionImage,
  VersionSummary,
} from '../../../shared/src/versions/versionSchemas.ts'

/** A version to add: everything but its number (assigned by the store) and `hasImages` (false at first). */
export type NewVersion = Omit<VersionSummary, 'number' | 'hasImages'> & {
  schema: SerializedBoardSchema
  records: BoardRecord[]
  /**
   * The records as text, when already made off the event loop (the worker pool): one `JSON.stringify` per record,
   * joined by newlines, and `serializeOutline` of their outline. A store keeps them instead of serialising `records`.
   */
  prepared?: { ndjson: string; outlineText: string }
}

/**
 * A restore under way (SPEC V9 "Crash safety"): written before the live doc is changed, removed in the same
 * transaction as the `restored` version that records it, so that a restore interrupted between the two is completed
 * (or dropped) when the server starts again.
 */
export interface RestoreIntent {
  /** Assigned by the store. */
  id: number
  meetingId: MeetingId
  /** The version restored (k). */
  restoredFrom: number
  /** The content hash of the records the restore writes (version k's, migrated if it had to be). */
  targetHash: string
  author: VersionAuthor | null
  createdAt: string
  /**
   * The live doc's own Yjs client and its clock just before the write: the restore's update is the first one of that
   * client from that clock on, so a doc that holds such a struct was restored even if it was edited afterwards.
   */
  writer: { clientId: number; clock: number }
}

export type NewRestoreIntent = Omit<RestoreIntent, 'id' | 'meetingId'>

/**
 * Durable storage of meeting versions: immutable snapshots of a board's records (server/src/versions/SPEC.md).
 *
 * Contract (checked by tests/unit/versionStoreContract.ts against every implementation):
 * 1. `add` assigns the meeting's next number (1, 2, ...) in the same atomic step as the insert; numbers are never
 *    reused, even after `deleteAllOf`; concurrent adds get distinct consecutive numbers.
 * 2. `addIfChanged` adds only when the meeting's latest version has a different content hash; checking and adding are
 *    one atomic step (two concurrent identical saves make one version).
 * 3. What `get` returns equals what was added (records, schema, every field) and shares no mutable state with the
 *    store or with the caller's input: mutating either never changes a stored version. `getRecordTexts` parses to the
 *    same records, and its outline is `outlineOf` those records (also for versions stored before outlines existed).
 * 4. `list` is newest first, without records; `limit` and `before` page through it.
 * 5. `putImages` replaces a version's images; nothing else changes a stored version. `deleteAllOf` removes every
 *    version of a meeting (meeting deletion); nothing else deletes one.
 * 6. After `close` (and re-opening the same storage) everything added is still there, restore intents included.
 * 7. `beginRestore` stores an intent until `completeRestore` (which adds its `restored` version and removes it in one
 *    atomic step, and adds nothing when the intent is already gone) or `abandonRestore`; `pendingRestores` lists the
 *    intents left, oldest first; `deleteAllOf` removes a meeting's intents with its versions.
 * 8. `eraseMeeting` removes everything kept for a meeting (versions, images, intents, its number counter) and returns
 *    how many versions it removed; `meetingIds` names every meeting with anything stored. Once the meeting is erased
 *    (tombstone, meetingErasure.ts), `add`, `addIfChanged`, `putImages`, `beginRestore` and `completeRestore` reject
 *    with MeetingErasedError and store nothing, whenever they started (the check is part of the write).
 *
 * Methods return promises so that a networked implementation (PostgreSQL) fits the same interface.
 */
export interface VersionStore extends PerMeetingStore {
  add(meetingId: MeetingId, version: NewVersion): Promise<VersionSummary>
  addIfChanged(meetingId: MeetingId, version: NewVersion): Promise<{ version: VersionSummary; created: boolean }>
  /** Newest first; `before` = only versions with a smaller number; `limit` = at most this many. */
  list(meetingId: MeetingId, options?: { limit?: number; before?: number }): Promise<VersionSummary[]>
  count(meetingId: MeetingId): Promise<number>
  latest(meetingId: MeetingId): Promise<VersionSummary | null>
  get(meetingId: MeetingId, number: number): Promise<VersionDetail | null>
  /**
   * The JSON text of each record of a version (`JSON.parse` of each gives the records of `get`, in the same order),
   * with its schema and the outline of each record (same order); null when there is no such version. For diffs: equal
   * texts need no parsing, and the outline says which unchanged records a differing one needs (diffScope.ts).
   */
  getRecordTexts(
    meetingId: MeetingId,
    number: number,
  ): Promise<{ schema: SerializedBoardSchema; texts: string[]; outline: RecordOutline[] } | null>
  /**
   * What `getRecordTexts` reads, as the stored texts themselves: the records' JSON joined by newlines (`ndjson`, the
   * texts of getRecordTexts in order) and `serializeOutline` of their outline (null when the version has none
   * stored). Reading it parses nothing: the worker pool does.
   */
  getRecordsText(meetingId: MeetingId, number: number): Promise<{ schema: SerializedBoardSchema; ndjson: string; outlineText: string | null } | null>
  /** Replaces the images of a version; false when there is no such version. */
  putImages(meetingId: MeetingId, number: number, images: readonly VersionImage[]): Promise<boolean>
  /** The images of a version ([] when none), or null when there is no such version. */
  getImages(meetingId: MeetingId, number: number): Promise<VersionImage[] | null>
  /** Bytes the version's records and their outline take in storage (for the benchmark), or null when there is no such version. */
  storedBytes(meetingId: MeetingId, number: number): Promise<number | null>
  /** Records that a restore is about to change the live doc (rule 7). */
  beginRestore(meetingId: MeetingId, intent: NewRestoreIntent): Promise<RestoreIntent>
  /**
   * Adds the restore's `restored` version and removes its intent in one atomic step; null (and nothing added) when the
   * intent is no longer there (completed or abandoned already).
   */
  completeRestore(meetingId: MeetingId, intentId: number, version: NewVersion): Promise<VersionSummary | null>
  /** Removes an intent whose write never happened; false when it was not there. */
  abandonRestore(meetingId: MeetingId, intentId: number): Promise<boolean>
  /** Every intent left behind (all meetings), oldest first. */
  pendingRestores(): Promise<RestoreIntent[]>
  /** Deletes every version of a meeting (when the meeting is deleted), and its restore intents; returns how many versions. */
  deleteAllOf(meetingId: MeetingId): Promise<number>
  close(): Promise<void>
}
