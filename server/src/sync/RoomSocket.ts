import type { Role } from '../../../shared/src/roles.ts'

/** The only thing a room knows about a transport: the ws shell adapts a WebSocket to this, tests use memory pairs. */
export interface RoomSocket {
  /**
   * Sends one binary frame. Must not throw when the socket is already closing (the room checks isOpen first).
   * `onSent` (when the transport reports it) is called once the frame left the process.
   */
  send(data: Uint8Array, onSent?: () => void): void
  /** Closes the transport with a WebSocket close code and a short reason (<= 123 bytes). */
  close(code: number, reason: string): void
  readonly isOpen: boolean
  /**
   * Bytes accepted by send() but not yet handed to the network (ws `bufferedAmount`), for back-pressure (R13).
   * Undefined for transports that do not buffer (in-memory tests): every frame then counts as sent at once.
   */
  readonly bufferedAmount?: number
}

/** Who is on the other end of a connection, decided once by the access policy at upgrade time. */
export interface ConnectionInfo {
  connectionId: string
  role: Role
  /** Identifies the key/credential used, so that rotating it can close exactly these connections. */
  credential: string
}

/** Transaction origin of every update applied on behalf of a client connection. */
export interface ClientOrigin {
  readonly kind: 'client'
  readonly connectionId: string
  readonly role: Role
  readonly credential: string
}

/**
 * Transaction origin for changes made by server-side code (guards, version restore). Such changes are persisted and
 * relayed to every connection, including the one whose message triggered them.
 */
export interface ServerOrigin {
  readonly kind: 'server'
  /** Free text for logs, e.g. 'lock-guard' or 'restore-version'. */
  readonly reason?: string
}

/**
 * Transaction origin of updates another Tavolo instance committed (cluster SPEC C3): already durable, so they are relayed
 * at once and never appended again; trusted like server changes (they were judged where they came in).
 */
export interface RemoteOrigin {
  readonly kind: 'remote'
}

export const REMOTE_ORIGIN: RemoteOrigin = Object.freeze({ kind: 'remote' })

export function isClientOrigin(origin: unknown): origin is ClientOrigin {
  return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'client'
}
