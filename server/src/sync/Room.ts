import * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import type { Logger } from '../log.ts'
import type { DocStore } from '../store/DocStore.ts'
import { Connection, type ConnectionLimits } from './Connection.ts'
import { ProtocolError, decodeClientMessage, encodeSyncStep1, type ClientMessage } from './protocol.ts'
import type { ConnectionInfo, RoomSocket } from './RoomSocket.ts'
import { RoomAwareness } from './RoomAwareness.ts'
import { RoomPersistence } from './RoomPersistence.ts'

export type { ClientOrigin, ServerOrigin } from './RoomSocket.ts'

/** Server-side code attached to a room's doc while it is loaded (e.g. reverting changes to locked shapes). */
export type DocGuard = (boardId: BoardId, doc: Y.Doc) => { destroy(): void }
/** Sees the awareness (presence) states a client connection sent, after R7; must not throw or keep them. */
export type PresenceObserver = (boardId: BoardId, states: readonly unknown[]) => void

export interface RoomLimits extends ConnectionLimits {
  /** Compact the stored log once it holds more rows than this. */
  compactAfterUpdates: number
  /**
   * Awareness changes are collected for this long and sent as one message per connection (0: per event-loop turn).
   * Awareness traffic grows with the square of the room size; a short window bounds it to one message per window
   * per connection.
   */
  awarenessBatchMs?: number
}

export interface RoomOptions {
  boardId: BoardId
  store: DocStore
  logger: Logger
  limits: RoomLimits
  docGuards?: readonly DocGuard[]
  presenceObservers?: readonly PresenceObserver[]
  /** Resolves when the previous instance of this board finished unloading; loading waits for it. */
  after?: Promise<void>
  /** Called when the last connection left (the manager starts the grace timer). */
  onIdle?: (room: Room) => void
  /** Called once when the room stops (unloaded or failed), so the manager can forget it. */
  onClosed?: (room: Room) => void
  now?: () => number
}

/** What the transport shell does with a connection: feed frames in, report the socket closed. */
export interface RoomConnectionHandle {
  readonly connectionId: string
  receive(frame: Uint8Array): void
  /** The transport closed (peer closed, ping timeout, error); `code` as seen by the transport. */
  transportClosed(code: number, reason?: string): void
}

type RoomState = 'loading' | 'ready' | 'unloading' | 'closed'

/**
 * One live board. Rules (see SPEC.md):
 * R1 no message is answered before the stored state is loaded; frames received meanwhile are queued.
 * R2 every doc update (client or server origin) is appended to the store, and only after the append resolved is it
 *    relayed; one append per event-loop turn. Joining clients get only committed state. (RoomPersistence)
 * R3 a connection whose role cannot edit never changes the doc: empty updates are tolerated, others close 4403.
 * R4 a bad frame closes only its connection (4400, 1009, 4429); the room and others carry on.
 * R5 awareness changes of one turn go out as one message; a closed connection's awareness states are removed at once.
 * R7 awareness roles are stamped with the key's role; a client id belongs to the credential that introduced it.
 *    (R5, R7: RoomAwareness)
 */
export class Room {
  readonly boardId: BoardId
  private state: RoomState = 'loading'
  private readonly doc = new Y.Doc()
  private readonly awareness: RoomAwareness
  private readonly persistence: RoomPersistence
  private readonly connections = new Set<Connection>()
  private readonly queued = new Map<Connection, Uint8Array[]>()
  private guards: Array<{ destroy(): void }> = []
  readonly loaded: Promise<void>
  private readonly options: RoomOptions
  private readonly now: () => number

  constructor(options: RoomOptions) {
    this.options = options
    this.boardId = options.boardId
    this.now = options.now ?? Date.now
    const { boardId, store, logger, limits } = options
    const sendToConnections = (message: Uint8Array, skip: (connection: Connection) => boolean): void => {
      for (const connection of this.connections) {
        if (!skip(connection)) connection.send(message, logger)
      }
    }
    this.awareness = new RoomAwareness({
      boardId,
      doc: this.doc,
      logger,
      limits,
      sendToConnections,
      scheduleFlush: () => this.persistence.scheduleFlush(),
      presenceObservers: options.presenceObservers,
    })
    this.persistence = new RoomPersistence({
      boardId,
      doc: this.doc,
      store,
      logger,
      limits,
      roomIsReady: () => this.state === 'ready',
      sendToConnections,
      closeConnection: (connection, code, reason) => this.detach(connection, code, reason, true),
      fail: (reason) => this.fail(reason),
      // Without an awareness window, the turn's awareness goes out in the same turn, ahead of the doc updates.
      beforeFlush: () => this.awareness.flushTurn(),
    })
    this.loaded = this.load()
  }

  get connectionCount(): number {
    return this.connections.size
  }

  get isReady(): boolean {
    return this.state === 'ready'
  }

  get isClosed(): boolean {
    return this.state === 'closed'
  }

  /** Adds a client connection. Frames it sends before the room is loaded are queued (R1). */
  addConnection(socket: RoomSocket, info: ConnectionInfo): RoomConnectionHandle {
    const connection = new Connection(socket, info, this.now)
    if (this.state === 'unloading' || this.state === 'closed') {
      connection.markClosed(CloseCode.GOING_AWAY, 'room unloading, reconnect', true, this.options.logger)
    } else {
      this.connections.add(connection)
      this.options.logger.info(
        { boardId: this.boardId, connectionId: info.connectionId, role: info.role, event: 'open' },
        'connection open',
      )
      if (this.state === 'ready') this.greet(connection)
      else this.queued.set(connection, [])
    }
    return {
      connectionId: info.connectionId,
      receive: (frame) => this.receive(connection, frame),
      transportClosed: (code, reason) => this.detach(connection, code, reason ?? '', false),
    }
  }

  /** Closes every connection matching the filter (key rotation); returns how many were closed. */
  closeConnections(filter: (c: ConnectionInfo) => boolean, code: number, reason: string): number {
    let count = 0
    for (const connection of [...this.connections]) {
      if (filter(connection.info)) {
        this.detach(connection, code, reason, true)
        count++
      }
    }
    return count
  }

  /** Resolves once every doc update applied so far is committed and relayed. */
  flushed(): Promise<void> {
    return this.persistence.flushed()
  }

  /**
   * Runs server-side code on the loaded doc (versions: reading a board, writing a restore). Its changes must carry a
   * `{ kind: 'server' }` origin; they are persisted and relayed like any update (R2). Throws unless the room is ready.
   */
  useDoc<T>(fn: (doc: Y.Doc) => T): T {
    if (this.state !== 'ready') throw new Error(`the room of ${this.boardId} is not ready (${this.state})`)
    return fn(this.doc)
  }

  /** Closes remaining connections (code 1001), flushes, compacts, and frees the doc. Idempotent. */
  async unload(): Promise<void> {
    if (this.state === 'closed' || this.state === 'unloading') return
    await this.loaded
    if (this.isClosed) return
    this.state = 'unloading'
    for (const connection of [...this.connections]) this.detach(connection, CloseCode.GOING_AWAY, 'room unloading', true)
    try {
      await this.persistence.flushed()
      if (this.persistence.logRows > 1) await this.options.store.compact(this.boardId)
    } catch (error) {
      this.options.logger.error({ err: error, boardId: this.boardId }, 'final flush or compaction failed')
    }
    this.destroy()
  }

  // ---- loading -------------------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const { logger, store } = this.options
    try {
      await this.options.after
      const stored = await store.load(this.boardId)
      let skipped = 0
      this.doc.transact(() => {
        for (const update of stored.updates) {
          try {
            Y.applyUpdate(this.doc, update)
          } catch (error) {
            skipped++
            logger.warn({ err: error, boardId: this.boardId }, 'skipped a stored update that Yjs cannot apply')
          }
        }
      }, { kind: 'load' })
      if (skipped > 0) logger.warn({ boardId: this.boardId, skipped }, 'board loaded with unreadable updates skipped')
      this.persistence.start(stored.updates.length)
      this.awareness.start()
      for (const guard of this.options.docGuards ?? []) this.guards.push(guard(this.boardId, this.doc))
    } catch (error) {
      logger.error({ err: error, boardId: this.boardId }, 'loading the board failed')
      this.fail('could not load the board')
      return
    }
    if (this.state !== 'loading') return
    this.state = 'ready'
    logger.debug({ boardId: this.boardId, rows: this.persistence.logRows }, 'room loaded')
    for (const [connection, frames] of [...this.queued]) {
      this.queued.delete(connection)
      if (connection.isClosed) continue
      this.greet(connection)
      for (const frame of frames) this.handleFrame(connection, frame)
    }
    if (this.connections.size === 0) this.options.onIdle?.(this)
  }

  /** A new connection gets our sync step 1 and every known awareness state. */
  private greet(connection: Connection): void {
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)), this.options.logger)
    this.awareness.greet(connection)
  }

  // ---- incoming frames -----------------------------------------------------------------------------------

  private receive(connection: Connection, frame: Uint8Array): void {
    if (connection.isClosed) return
    const { limits, logger } = this.options
    try {
      if (frame.byteLength > limits.maxMessageBytes) {
        this.detach(connection, CloseCode.MESSAGE_TOO_BIG, 'message too big', true)
        return
      }
      if (!connection.countMessage(limits)) {
        this.detach(connection, CloseCode.RATE_LIMITED, 'too many messages', true)
        return
      }
      const queue = this.queued.get(connection)
      if (queue !== undefined) queue.push(frame)
      else this.handleFrame(connection, frame)
    } catch (error) {
      logger.error({ err: error, boardId: this.boardId, connectionId: connection.id }, 'error handling a frame')
      this.detach(connection, CloseCode.INTERNAL_ERROR, 'internal error', true)
    }
  }

  private handleFrame(connection: Connection, frame: Uint8Array): void {
    if (connection.isClosed || this.state !== 'ready') return
    let message: ClientMessage
    try {
      message = decodeClientMessage(frame)
    } catch (error) {
      const reason = error instanceof ProtocolError ? error.reason : 'malformed message'
      this.options.logger.info({ boardId: this.boardId, connectionId: connection.id, reason }, 'malformed frame')
      this.detach(connection, CloseCode.MALFORMED_MESSAGE, reason, true)
      return
    }
    try {
      this.handleMessage(connection, message)
    } catch (error) {
      this.options.logger.error({ err: error, boardId: this.boardId, connectionId: connection.id }, 'error handling a message')
      this.detach(connection, CloseCode.INTERNAL_ERROR, 'internal error', true)
    }
  }

  private handleMessage(connection: Connection, message: ClientMessage): void {
    switch (message.type) {
      case 'sync-step1':
        this.persistence.answerSyncStep1(connection, message.stateVector)
        return
      case 'sync-step2':
      case 'update':
        this.applyClientUpdate(connection, message.update)
        return
      case 'awareness':
        this.awareness.applyClientUpdate(connection, message.update, message.entries)
        return
      case 'query-awareness':
        this.awareness.answerQuery(connection)
        return
      default: {
        const never: never = message
        throw new Error(`unhandled message ${JSON.stringify(never)}`)
      }
    }
  }

  private applyClientUpdate(connection: Connection, update: Uint8Array): void {
    if (!canEditBoard(connection.info.role)) {
      if (!updateChangesNothing(this.doc, update)) {
        this.options.logger.info({ boardId: this.boardId, connectionId: connection.id }, 'read-only connection sent a change')
        this.detach(connection, CloseCode.FORBIDDEN, 'read-only connection cannot change the board', true)
      }
      return
    }
    try {
      Y.applyUpdate(this.doc, update, connection.origin)
    } catch (error) {
      // Whatever Yjs integrated before throwing went through the doc's update event and is persisted like any change.
      this.options.logger.warn({ err: error, boardId: this.boardId, connectionId: connection.id }, 'update could not be applied')
      this.detach(connection, CloseCode.MALFORMED_MESSAGE, 'update could not be applied', true)
    }
  }

  // ---- connections leaving, failure, teardown -----------------------------------------------------------

  private detach(connection: Connection, code: number, reason: string, closeSocket: boolean): void {
    if (!connection.markClosed(code, reason, closeSocket, this.options.logger)) return
    this.connections.delete(connection)
    this.queued.delete(connection)
    this.options.logger.info(
      {
        boardId: this.boardId,
        connectionId: connection.id,
        role: connection.info.role,
        event: 'close',
        code,
        reason: reason || undefined,
        durationMs: this.now() - connection.openedAt,
      },
      'connection closed',
    )
    if (this.state !== 'closed') this.awareness.removeStatesOf(connection)
    if (this.connections.size === 0 && this.state === 'ready') this.options.onIdle?.(this)
  }

  /**
   * The doc may now hold changes the store does not (append failed) or nothing at all (load failed): close every
   * connection with 4500 so clients reconnect and resend their state, and drop the room so the next connection
   * reloads from the store, the only source of truth.
   */
  private fail(reason: string): void {
    if (this.state === 'closed') return
    this.state = 'unloading'
    for (const connection of [...this.connections]) this.detach(connection, CloseCode.INTERNAL_ERROR, reason, true)
    this.destroy()
  }

  private destroy(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    for (const guard of this.guards) {
      try {
        guard.destroy()
      } catch (error) {
        this.options.logger.error({ err: error, boardId: this.boardId }, 'doc guard destroy failed')
      }
    }
    this.guards = []
    this.awareness.destroy()
    this.persistence.destroy()
    this.doc.destroy()
    this.options.onClosed?.(this)
  }
}

/** True when applying `update` would not change `doc` (e.g. a read-only client's reply to our sync step 1). */
export function updateChangesNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update)
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return true
  return Y.snapshotContainsUpdate(Y.snapshot(doc), update)
}
