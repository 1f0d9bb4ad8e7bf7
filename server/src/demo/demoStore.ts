import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { PerMeetingStore } from '../store/meetingErasure.ts'

/**
 * Remembers that this database made its demo meeting (demoMeeting.ts), so deleting or changing the meeting never brings
 * a second one back. Erasing the demo meeting removes its id here and keeps the fact that one was made.
 */
export interface DemoStore extends PerMeetingStore {
  /** null: no demo made yet; otherwise its meeting id, or null once that meeting was erased. */
  made(): Promise<{ meetingId: MeetingId | null } | null>
  /** Records the demo meeting; rejects with MeetingErasedError when the meeting was erased meanwhile. */
  remember(meetingId: MeetingId, at: string): Promise<void>
  /** Whether the demo's process (issue 22) was made, or judged not to be needed, once already. */
  processMade(): Promise<boolean>
  /** Records that the demo's process was made (after `remember`): no later start makes it again. */
  rememberProcess(at: string): Promise<void>
  /** The stored record as it is (null: no demo made yet), for `npm run migrate-to-postgres`. */
  exportRecord(): Promise<DemoRecord | null>
  /** Stores a record read from another store; rejects when this one already has one. */
  importRecord(record: DemoRecord): Promise<void>
}

/** The demo's one row: its meeting (null once erased), when it was made, when its process was (null: not yet). */
export interface DemoRecord {
  meetingId: MeetingId | null
  createdAt: string
  processMadeAt: string | null
}
