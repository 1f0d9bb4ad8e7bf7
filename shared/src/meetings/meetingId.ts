import { BOARD_ID_PATTERN, type BoardId } from '../boardId.ts'

/**
 * A validated meeting id. A meeting's id is also the id of its board (the live document), so every MeetingId is a
 * BoardId; the server generates them as 16 random URL-safe characters (96 bits).
 */
export type MeetingId = BoardId & { readonly __meetingBrand: 'MeetingId' }

/** Returns the value as a MeetingId when it is a well-formed board id, otherwise null. */
export function parseMeetingId(value: string): MeetingId | null {
  return BOARD_ID_PATTERN.test(value) ? (value as MeetingId) : null
}
