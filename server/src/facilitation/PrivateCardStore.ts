import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { PrivateWriter, PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'

export type PutPrivateCardsOutcome = 'ok' | 'missing' | 'closed'

/**
 * Where private rounds and their cards are kept (server/src/facilitation/SPEC.md, contract rules PS1..PS6; one
 * contract suite, tests/unit/privateCardStoreContract.ts, runs against every implementation):
 * PS1 What is stored is copied in and out: a caller changing an object it passed or got changes nothing stored.
 * PS2 putCards replaces the device's previous list in that round; it is durable when putCards resolves.
 * PS3 putCards stores only while the round is open, checked atomically with the write: a list racing the reveal is
 *     either stored before it (and revealed) or refused.
 * PS4 reveal: open → revealed (with the time); a revealed round is returned unchanged.
 * PS5 deleteMeeting removes every round and card of the meeting and nothing else, and says how many rows it removed.
 * PS6 exportMeeting answers every round of the meeting with its writers' lists, in creation order; importRound stores
 *     one as given (revealed or not), after the meeting's rounds already stored. For `npm run migrate-to-postgres`.
 */
export interface PrivateCardStore {
  create(meetingId: MeetingId, round: PublicPrivateRound): Promise<void>
  get(meetingId: MeetingId, roundId: string): Promise<PublicPrivateRound | null>
  /** The meeting's most recently created round. */
  latest(meetingId: MeetingId): Promise<PublicPrivateRound | null>
  putCards(meetingId: MeetingId, roundId: string, writer: PrivateWriter): Promise<PutPrivateCardsOutcome>
  getCards(meetingId: MeetingId, roundId: string, voterId: string): Promise<PrivateWriter | null>
  writers(meetingId: MeetingId, roundId: string): Promise<PrivateWriter[]>
  reveal(meetingId: MeetingId, roundId: string, at: string): Promise<PublicPrivateRound | null>
  /** For the meeting eraser (server/src/ops/meetingEraser.ts); a promise, as a networked store (PostgreSQL) needs. */
  deleteMeeting(meetingId: MeetingId): Promise<number>
  /** The meetings it keeps rounds or cards for (the eraser's start-up sweep, meetings SPEC E6). */
  meetingIds(): Promise<string[]>
  /** PS6: every round of the meeting with its writers, oldest first. */
  exportMeeting(meetingId: MeetingId): Promise<ExportedRound[]>
  /** PS6: stores a round and its writers as read from another store. */
  importRound(meetingId: MeetingId, exported: ExportedRound): Promise<void>
}

/** A private round with every device's list, as exportMeeting answers it and importRound takes it. */
export interface ExportedRound {
  round: PublicPrivateRound
  writers: PrivateWriter[]
}
