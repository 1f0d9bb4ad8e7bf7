import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, WebSocket, type RawData } from 'ws'
import { parseBoardId, type BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import type { AccessPolicy } from '../access/accessPolicy.ts'
import { FOREIGN_ORIGIN_MESSAGE, MISDIRECTED_MESSAGE } from '../http/hostAllowList.ts'
import { ConcurrencyCounter } from '../http/quotas.ts'
import { RAW_SECURITY_HEADERS } from '../http/securityHeaders.ts'
import { pathOnly, type Logger } from '../log.ts'
import type { RoomManager } from './RoomManager.ts'
import type { RoomSocket } from './RoomSocket.ts'
import type { SyncMetrics } from './syncMetrics.ts'

export interface SyncEndpointOptions {
  rooms: RoomManager
  accessPolicy: AccessPolicy
  logger: Logger
  maxMessageBytes: number
  pingIntervalMs: number
  /** The Host allow-list (PUBLIC_URL set), or null: every Host accepted. */
  hostAllowed?: ((hostHeader: string | undefined) => boolean) | null
  /** The Origin allow-list of upgrades (PUBLIC_URL set: hostAllowList.ts createOriginAllowList), or null: any Origin. */
  originAllowed?: ((originHeader: string | undefined) => boolean) | null
  /** The client address behind a request (TRUST_PROXY rule); default: the socket's peer. */
  clientAddress?: (request: IncomingMessage) => string
  /** Open connections allowed per key (per board and credential) and per client address; default unlimited. */
  maxConnectionsPerKey?: number
  maxConnectionsPerAddress?: number
  metrics?: SyncMetrics
}

export interface SyncEndpoint {
  /** The http server's 'upgrade' listener. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Stops pinging and accepting; open sockets are closed by RoomManager.shutdown(). */
  close(): void
  /** Waits up to `graceMs` for sockets to finish their closing handshake, then terminates the rest. */
  terminateAll(graceMs: number): Promise<void>
}

const SYNC_PREFIX = '/sync/'

/** Writes a plain HTTP error response on a socket that has not been upgraded, then destroys it. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const statusText =
    status === 400 ? 'Bad Request' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : status === 421 ? 'Misdirected Request' : status === 503 ? 'Service Unavailable' : 'Error'
  const body = `${message}\n`
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n${RAW_SECURITY_HEADERS}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
  socket.destroy()
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/**
 * The WebSocket shell of the sync server: `/sync/<boardId>` upgrades, the access decision (once per upgrade), the
 * adaptation of `ws` sockets to RoomSocket, and ping/pong liveness. All room logic lives in Room.
 */
export function createSyncEndpoint(options: SyncEndpointOptions): SyncEndpoint {
  const { rooms, accessPolicy, logger } = options
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false })
  const alive = new WeakMap<WebSocket, boolean>()
  const clientAddress = options.clientAddress ?? ((request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown')
  const perKey = new ConcurrencyCounter(options.maxConnectionsPerKey ?? Number.POSITIVE_INFINITY)
  const perAddress = new ConcurrencyCounter(options.maxConnectionsPerAddress ?? Number.POSITIVE_INFINITY)
  let closed = false

  const pingTimer = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      try {
        ws.ping()
      } catch {
        ws.terminate()
      }
    }
  }, options.pingIntervalMs)
  pingTimer.unref()

  function accept(ws: WebSocket, boardId: BoardId, role: Role, credential: string): void {
    const connectionId = randomUUID()
    alive.set(ws, true)
    ws.on('pong', () => alive.set(ws, true))
    const socket: RoomSocket = {
      send: (data, onSent) => ws.send(data, { binary: true }, onSent === undefined ? undefined : () => onSent()),
      close: (code, reason) => ws.close(code, closeReason(reason)),
      get isOpen() {
        return ws.readyState === WebSocket.OPEN
      },
      // R13: what ws and the OS socket have not yet sent (a peer that does not read makes it grow).
      get bufferedAmount() {
        return ws.bufferedAmount
      },
    }
    const handle = rooms.connect(boardId, socket, { connectionId, role, credential })
    ws.on('message', (data, isBinary) => {
      try {
        if (!isBinary) {
          socket.close(CloseCode.MALFORMED_MESSAGE, 'binary frames only')
          handle.transportClosed(CloseCode.MALFORMED_MESSAGE, 'binary frames only')
          return
        }
        handle.receive(toBytes(data))
      } catch (error) {
        logger.error({ err: error, connectionId }, 'error in message handler')
      }
    })
    ws.on('close', (code, reason) => {
      try {
        handle.transportClosed(code, reason.toString())
      } catch (error) {
        logger.error({ err: error, connectionId }, 'error in close handler')
      }
    })
    ws.on('error', (error) => {
      // ws closes the socket itself after an error (e.g. 1009 for a frame over maxPayload); 'close' follows.
      logger.info({ connectionId, err: error.message }, 'socket error')
    })
  }

  return {
    handleUpgrade(request, socket, head) {
      socket.on('error', (error) => logger.debug({ err: error.message }, 'upgrade socket error'))
      const path = pathOnly(request.url)
      try {
        if (closed) return refuseUpgrade(socket, 503, 'server shutting down')
        if (options.hostAllowed && !options.hostAllowed(request.headers.host)) {
          logger.info({ path }, 'upgrade refused: host not allowed')
          return refuseUpgrade(socket, 421, MISDIRECTED_MESSAGE)
        }
        if (options.originAllowed && !options.originAllowed(request.headers.origin)) {
          logger.info({ path }, 'upgrade refused: foreign origin')
          return refuseUpgrade(socket, 403, FOREIGN_ORIGIN_MESSAGE)
        }
        if (!path.startsWith(SYNC_PREFIX)) return refuseUpgrade(socket, 404, 'not found')
        const rawId = decodeURIComponentSafe(path.slice(SYNC_PREFIX.length))
        const boardId = rawId === null ? null : parseBoardId(rawId)
        if (boardId === null) {
          logger.info({ path }, 'upgrade refused: invalid board id')
          return refuseUpgrade(socket, 400, 'invalid board id: expected 1-64 characters of A-Z a-z 0-9 _ -')
        }
        const url = new URL(request.url ?? '/', 'http://localhost')
        // An address already at its connection quota is refused before the access policy reads the store, so a
        // flood of upgrades from one machine costs no database work (Q1).
        const address = clientAddress(request)
        if (perAddress.isFull(address)) {
          wss.handleUpgrade(request, socket, head, (ws) => {
            logger.info({ boardId, code: CloseCode.RATE_LIMITED }, 'connection refused: too many connections from this address')
            ws.close(CloseCode.RATE_LIMITED, 'too many connections from this address')
          })
          return
        }
        Promise.resolve()
          .then(() => accessPolicy(boardId, { url, headers: request.headers }))
          .then(
            (decision) => {
              if (socket.destroyed) return
              wss.handleUpgrade(request, socket, head, (ws) => {
                if (decision.ok) {
                  // Quotas: one board's key is shared by a whole room of participants, so the key limit is high;
                  // the address limit stops one machine from opening sockets without end. Slots are given back
                  // when the socket closes, however it closes.
                  const keySlot = `${boardId}\u0000${decision.credential}`
                  if (!perAddress.tryAcquire(address)) {
                    logger.info({ boardId, code: CloseCode.RATE_LIMITED }, 'connection refused: too many connections from this address')
                    ws.close(CloseCode.RATE_LIMITED, 'too many connections from this address')
                    return
                  }
                  if (!perKey.tryAcquire(keySlot)) {
                    perAddress.release(address)
                    logger.info({ boardId, role: decision.role, code: CloseCode.RATE_LIMITED }, 'connection refused: too many connections with this key')
                    ws.close(CloseCode.RATE_LIMITED, 'too many connections with this key')
                    return
                  }
                  ws.once('close', () => {
                    perAddress.release(address)
                    perKey.release(keySlot)
                  })
                  accept(ws, boardId, decision.role, decision.credential)
                } else {
                  // Complete the upgrade and close with the code: a browser sees a pre-upgrade 401 only as 1006.
                  logger.info({ boardId, path, code: decision.closeCode, reason: decision.reason }, 'connection refused')
                  options.metrics?.connectionRefused(decision.closeCode)
                  ws.close(decision.closeCode, closeReason(decision.reason))
                }
              })
            },
            (error: unknown) => {
              logger.error({ err: error, boardId, path }, 'access policy failed')
              refuseUpgrade(socket, 500, 'internal error')
            },
          )
          .catch((error: unknown) => {
            logger.error({ err: error, path }, 'upgrade failed')
            if (!socket.destroyed) socket.destroy()
          })
      } catch (error) {
        logger.error({ err: error, path }, 'upgrade failed')
        if (!socket.destroyed) socket.destroy()
      }
    },
    close() {
      closed = true
      clearInterval(pingTimer)
    },
    async terminateAll(graceMs) {
      const deadline = Date.now() + graceMs
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

/** A WebSocket close reason may hold at most 123 UTF-8 bytes (ws throws otherwise): cut longer ones. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason
  let cut = reason.slice(0, 123)
  while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1)
  return `${cut}...`
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
