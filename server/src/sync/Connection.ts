import type { Logger } from '../log.ts'
import type { ClientOrigin, ConnectionInfo, RoomSocket } from './RoomSocket.ts'

/** Limits applied to every connection. */
export interface ConnectionLimits {
  maxMessageBytes: number
  rateLimitMessages: number
  rateLimitWindowMs: number
}

/** What a connection tells its room when the peer stops reading (R13). */
export type OverflowHandler = (connection: Connection) => void

/**
 * One client connection inside a room: its socket, identity, rate-limit window and the awareness client ids it
 * controls. Owned by exactly one Room; closing it is idempotent and reported to the room once.
 */
export class Connection {
  readonly info: ConnectionInfo
  readonly origin: ClientOrigin
  /** Awareness client ids this connection introduced; removed from the room's awareness when it closes. */
  readonly awarenessIds = new Set<number>()
  /** Whether the client answered the server's sync step 1 (its step 2 brings what it has and the room lacks). */
  sentSyncStep2 = false
  readonly openedAt: number
  private readonly socket: RoomSocket
  private windowStart: number
  private windowCount = 0
  /** R10: copy work (weighted element copies) charged to this connection in the current window. */
  private windowWork = 0
  private closedWith: { code: number; reason: string } | null = null
  /** R13: a sync step 2 answer for this connection is queued or not yet handed to the network. */
  private syncAnswerInFlight = false

  constructor(
    socket: RoomSocket,
    info: ConnectionInfo,
    private readonly now: () => number,
    private readonly maxBufferedBytes: number = Number.POSITIVE_INFINITY,
    private readonly onOverflow: OverflowHandler = () => {},
  ) {
    this.socket = socket
    this.info = info
    this.origin = Object.freeze({ kind: 'client', connectionId: info.connectionId, role: info.role, credential: info.credential })
    this.openedAt = now()
    this.windowStart = this.openedAt
  }

  get id(): string {
    return this.info.connectionId
  }

  get isClosed(): boolean {
    return this.closedWith !== null
  }

  get closeCode(): number | null {
    return this.closedWith?.code ?? null
  }

  /** Counts one incoming frame; returns false when the connection went over its rate limit. */
  countMessage(limits: ConnectionLimits): boolean {
    const t = this.now()
    if (t - this.windowStart >= limits.rateLimitWindowMs) {
      this.windowStart = t
      this.windowCount = 0
      this.windowWork = 0
    }
    this.windowCount++
    return this.windowCount <= limits.rateLimitMessages
  }

  /** R10: charges `work` to the current rate-limit window; false when the window's budget is spent. */
  countWork(work: number, maxPerWindow: number, windowMs: number): boolean {
    const t = this.now()
    if (t - this.windowStart >= windowMs) {
      this.windowStart = t
      this.windowCount = 0
      this.windowWork = 0
    }
    this.windowWork += work
    return this.windowWork <= maxPerWindow
  }

  /**
   * R13: true when this connection may get a sync step 2 answer now; false while the previous one is still queued
   * or unsent (the caller drops the request: the answer on its way and the relayed updates after it are complete).
   */
  beginSyncAnswer(): boolean {
    if (this.syncAnswerInFlight) return false
    this.syncAnswerInFlight = true
    return true
  }

  /** R13: true when the peer has more unsent bytes queued than allowed (then it is told to the room). */
  checkOverflow(): boolean {
    const buffered = this.socket.bufferedAmount
    if (buffered === undefined || buffered <= this.maxBufferedBytes || this.closedWith !== null) return false
    this.onOverflow(this)
    return true
  }

  /** The sync step 2 answer was not sent after all (the connection closed, or the answer failed). */
  endSyncAnswer(): void {
    this.syncAnswerInFlight = false
  }

  /**
   * Sends one frame. R13: when what is already queued for the peer passes maxBufferedBytes, nothing more is queued
   * and the room is told (it closes the connection with 4408); the check comes before the send, so one large frame
   * (a joiner's full board) always goes out. `syncAnswer` marks the frame that ends beginSyncAnswer().
   */
  send(data: Uint8Array, logger: Logger, syncAnswer = false): void {
    if (this.closedWith !== null || !this.socket.isOpen) {
      if (syncAnswer) this.syncAnswerInFlight = false
      return
    }
    const buffered = this.socket.bufferedAmount
    if (buffered !== undefined && buffered > this.maxBufferedBytes) {
      if (syncAnswer) this.syncAnswerInFlight = false
      this.onOverflow(this)
      return
    }
    try {
      if (syncAnswer && buffered !== undefined) this.socket.send(data, () => (this.syncAnswerInFlight = false))
      else {
        this.socket.send(data)
        if (syncAnswer) this.syncAnswerInFlight = false
      }
    } catch (error) {
      if (syncAnswer) this.syncAnswerInFlight = false
      logger.warn({ err: error, connectionId: this.id }, 'send failed')
    }
  }

  /** Marks the connection closed and closes the socket (unless the transport already closed it). Idempotent. */
  markClosed(code: number, reason: string, closeSocket: boolean, logger: Logger): boolean {
    if (this.closedWith !== null) return false
    this.closedWith = { code, reason }
    if (closeSocket) {
      try {
        this.socket.close(code, reason)
      } catch (error) {
        logger.warn({ err: error, connectionId: this.id }, 'close failed')
      }
    }
    return true
  }
}
