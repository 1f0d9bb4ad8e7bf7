/**
 * The closed vocabulary of WebSocket close codes used by Tavolo's sync endpoint.
 * Codes 4xxx mirror the HTTP status they correspond to, so logs and clients read them the same way.
 */
export const CloseCode = {
  /** Server shutting down or room unloading: the client should reconnect. */
  GOING_AWAY: 1001,
  /** A frame larger than the configured limit (standard "message too big"). */
  MESSAGE_TOO_BIG: 1009,
  /** A frame that is not a valid y-websocket message (bad varint, unknown type, undecodable update). */
  MALFORMED_MESSAGE: 4400,
  /** Missing, wrong or revoked key. */
  UNAUTHORIZED: 4401,
  /** The connection tried something its role does not allow (e.g. a viewer sent a document update). */
  FORBIDDEN: 4403,
  /** The meeting/board does not exist. */
  NOT_FOUND: 4404,
  /**
   * The connection did not read what the server sent: its unsent buffer passed MAX_BUFFERED_BYTES. The client
   * reconnects (a slow phone gets a fresh sync).
   */
  SLOW_READER: 4408,
  /**
   * Over a size or complexity limit (README "Limits"): an update with too many structs or chained items, a board
   * that would pass MAX_BOARD_BYTES, an awareness state too large or too deep, too many awareness ids. Nothing of
   * that message was applied.
   */
  TOO_LARGE: 4413,
  /** The meeting was deleted (by its facilitator, staff, or retention): its board and data are gone for good. */
  MEETING_DELETED: 4410,
  /** Too many messages in the rate-limit window. */
  RATE_LIMITED: 4429,
  /** An unexpected server error while handling this connection's message. */
  INTERNAL_ERROR: 4500,
} as const

/** Close codes after which a client must NOT reconnect automatically: retrying cannot succeed. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.UNAUTHORIZED,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.MEETING_DELETED,
  // The same update would be refused again at every reconnect: say so instead of looping (README "Limits").
  CloseCode.TOO_LARGE,
])

/** True when a close code means "retrying will not help" (refused or revoked access, unknown meeting). */
export function isTerminalCloseCode(code: number): boolean {
  return TERMINAL_CLOSE_CODES.has(code)
}
