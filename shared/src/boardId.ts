/** A validated board id: the room name of a live document (and, with meetings, the meeting id). */
export type BoardId = string & { readonly __brand: 'BoardId' }

export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** Returns the id as a BoardId when it is well-formed, otherwise null. */
export function parseBoardId(value: string): BoardId | null {
  return BOARD_ID_PATTERN.test(value) ? (value as BoardId) : null
}
