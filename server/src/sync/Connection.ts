import type { Logger } from '../log.ts'
import type { ClientOrigin, ConnectionInfo, RoomSocket } from './RoomSocket.ts'

/** Limits applied to every connection. */
export interface ConnectionLimits {
  maxMessageBytes: number
  rateLimitMessages: number
  rateLimitWindowMs: number
}

/**
 * One client connection inside a room: its socket, identity, rate-limit window and the awareness client ids it
 * controls. Owned by exactly one Room; closing it is idempotent and reported to the room once.
 */
export class Connection {
  readonly info: ConnectionInfo
  readonly origin: ClientOrigin
  /** Awareness client ids this connection introduced; removed from the room's awareness when it closes. */
  readonly awarenessIds = new Set<number>()
  readonly openedAt: number
  private readonly socket: RoomSocket
  private windowStart: number
  private windowCount = 0
  private closedWith: { code: number; reason: string } | null = null

  constructor(
    socket: RoomSocket,
    info: ConnectionInfo,
    private readonly now: () => number,
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
    }
    this.windowCount++
    return this.windowCount <= limits.rateLimitMessages
  }

  send(data: Uint8Array, logger: Logger): void {
    if (this.closedWith !== null || !this.socket.isOpen) return
    try {
      this.socket.send(data)
    } catch (error) {
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
