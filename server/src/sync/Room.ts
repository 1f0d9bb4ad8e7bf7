import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import type { Logger } from '../log.ts'
import type { DocStore } from '../store/DocStore.ts'
import { Connection, type ConnectionLimits } from './Connection.ts'
import {
  ProtocolError,
  decodeClientMessage,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdateMessage,
  isEmptyStateVector,
  type AwarenessEntry,
  type ClientMessage,
} from './protocol.ts'
import { isClientOrigin, type ConnectionInfo, type RoomSocket } from './RoomSocket.ts'
import { encodeAwarenessEntries, sanitizeAwarenessEntries } from './awarenessIdentity.ts'

export type { ClientOrigin, ServerOrigin } from './RoomSocket.ts'

/** Server-side code attached to a room's doc while it is loaded (e.g. reverting changes to locked shapes). */
export type DocGuard = (boardId: BoardId, doc: Y.Doc) => { destroy(): void }

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

interface PendingUpdate {
  update: Uint8Array
  origin: unknown
}

interface SyncWaiter {
  connection: Connection
  stateVector: Uint8Array
}

/**
 * One live board. Rules (see SPEC.md):
 * R1 no message is answered before the stored state is loaded; frames received meanwhile are queued.
 * R2 every doc update (client or server origin) is appended to the store, and only after the append resolved is it
 *    relayed; one append per event-loop turn. Joining clients get only committed state.
 * R3 a connection whose role cannot edit never changes the doc: empty updates are tolerated, others close 4403.
 * R4 a bad frame closes only its connection (4400, 1009, 4429); the room and others carry on.
 * R5 awareness changes of one turn go out as one message; a closed connection's awareness states are removed at once.
 * R7 awareness roles are stamped with the key's role; a client id belongs to the credential that introduced it.
 */
export class Room {
  readonly boardId: BoardId
  private state: RoomState = 'loading'
  private readonly doc = new Y.Doc()
  private readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private readonly connections = new Set<Connection>()
  private readonly queued = new Map<Connection, Uint8Array[]>()
  private guards: Array<{ destroy(): void }> = []
  private pending: PendingUpdate[] = []
  private syncWaiters: SyncWaiter[] = []
  private flushScheduled = false
  private awarenessTimer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null
  private compacting = false
  private logRows = 0
  private awarenessDirty = new Set<number>()
  private awarenessOrigins = new Set<Connection>()
  /** R7: which connection currently speaks for each awareness client id. */
  private readonly awarenessOwners = new Map<number, Connection>()
  /** [sync step 2 of the full state], encoded once per change and shared by every fresh joining client. */
  private fullStateMessage: Uint8Array | null = null
  private fullState: Uint8Array | null = null
  readonly loaded: Promise<void>
  private readonly options: RoomOptions
  private readonly now: () => number

  constructor(options: RoomOptions) {
    this.options = options
    this.boardId = options.boardId
    this.now = options.now ?? Date.now
    this.awareness.setLocalState(null)
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
  async flushed(): Promise<void> {
    while (this.flushing !== null || this.pending.length > 0) {
      if (this.flushing === null) this.runFlush()
      await this.flushing
    }
  }

  /** Closes remaining connections (code 1001), flushes, compacts, and frees the doc. Idempotent. */
  async unload(): Promise<void> {
    if (this.state === 'closed' || this.state === 'unloading') return
    await this.loaded
    if (this.isClosed) return
    this.state = 'unloading'
    for (const connection of [...this.connections]) this.detach(connection, CloseCode.GOING_AWAY, 'room unloading', true)
    try {
      await this.flushed()
      if (this.logRows > 1) await this.options.store.compact(this.boardId)
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
      this.logRows = stored.updates.length
      this.doc.on('update', this.onDocUpdate)
      this.awareness.on('update', this.onAwarenessUpdate)
      for (const guard of this.options.docGuards ?? []) this.guards.push(guard(this.boardId, this.doc))
    } catch (error) {
      logger.error({ err: error, boardId: this.boardId }, 'loading the board failed')
      this.fail('could not load the board')
      return
    }
    if (this.state !== 'loading') return
    this.state = 'ready'
    logger.debug({ boardId: this.boardId, rows: this.logRows }, 'room loaded')
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
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) {
      connection.send(
        encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)),
        this.options.logger,
      )
    }
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
        this.answerSyncStep1(connection, message.stateVector)
        return
      case 'sync-step2':
      case 'update':
        this.applyClientUpdate(connection, message.update)
        return
      case 'awareness':
        this.applyClientAwareness(connection, message.update, message.entries)
        return
      case 'query-awareness': {
        const states = [...this.awareness.getStates().keys()]
        connection.send(
          encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)),
          this.options.logger,
        )
        return
      }
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
      // Whatever Yjs integrated before throwing went through onDocUpdate and is persisted like any change.
      this.options.logger.warn({ err: error, boardId: this.boardId, connectionId: connection.id }, 'update could not be applied')
      this.detach(connection, CloseCode.MALFORMED_MESSAGE, 'update could not be applied', true)
    }
  }

  /** R7: stamp roles and keep other keys' client ids out, then apply (re-encoding only when something changed). */
  private applyClientAwareness(connection: Connection, update: Uint8Array, entries: AwarenessEntry[]): void {
    const result = sanitizeAwarenessEntries(entries, connection.info, (id) => this.awarenessOwners.get(id)?.info)
    if (result.dropped > 0) {
      this.options.logger.info(
        { boardId: this.boardId, connectionId: connection.id, dropped: result.dropped },
        "awareness entries for another key's client ids dropped",
      )
    }
    if (result.entries.length === 0) return
    const applied = result.changed ? encodeAwarenessEntries(result.entries) : update
    awarenessProtocol.applyAwarenessUpdate(this.awareness, applied, connection)
  }

  /** R2: a joining client gets committed state only; if something is being committed, it waits for that commit. */
  private answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    if (this.pending.length === 0 && this.flushing === null) {
      connection.send(this.syncStep2For(this.currentState(), stateVector), this.options.logger)
    } else {
      this.syncWaiters.push({ connection, stateVector })
    }
  }

  private syncStep2For(state: Uint8Array, stateVector: Uint8Array): Uint8Array {
    if (isEmptyStateVector(stateVector)) {
      if (state === this.fullState && this.fullStateMessage !== null) return this.fullStateMessage
      const message = encodeSyncStep2(state)
      if (state === this.fullState) this.fullStateMessage = message
      return message
    }
    return encodeSyncStep2(Y.diffUpdate(state, stateVector))
  }

  private currentState(): Uint8Array {
    if (this.fullState === null) this.fullState = Y.encodeStateAsUpdate(this.doc)
    return this.fullState
  }

  // ---- updates: persist, then relay ----------------------------------------------------------------------

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState = null
    this.fullStateMessage = null
    this.pending.push({ update, origin })
    this.scheduleFlush()
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const from = origin instanceof Connection ? origin : null
    for (const id of [...change.added, ...change.updated]) {
      this.awarenessDirty.add(id)
      if (from !== null) this.takeAwarenessId(from, id)
    }
    for (const id of change.removed) {
      this.awarenessDirty.add(id)
      from?.awarenessIds.delete(id)
      this.awarenessOwners.get(id)?.awarenessIds.delete(id)
      this.awarenessOwners.delete(id)
    }
    if (from !== null) this.awarenessOrigins.add(from)
    else this.awarenessOrigins.add(NO_CONNECTION)
    this.scheduleAwarenessFlush()
  }

  private takeAwarenessId(connection: Connection, id: number): void {
    const previous = this.awarenessOwners.get(id)
    if (previous === connection) return
    previous?.awarenessIds.delete(id)
    this.awarenessOwners.set(id, connection)
    connection.awarenessIds.add(id)
  }

  private scheduleAwarenessFlush(): void {
    const window = this.options.limits.awarenessBatchMs ?? 0
    if (window <= 0) {
      this.scheduleFlush()
      return
    }
    if (this.awarenessTimer !== null) return
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null
      this.flushAwareness()
    }, window)
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      // With a window, only its timer sends awareness. Sending it here as well put an awareness message to every
      // connection (and its decoding by every client) in front of each doc update: ~1 ms of relay latency at 20 readers.
      if ((this.options.limits.awarenessBatchMs ?? 0) <= 0) this.flushAwareness()
      if (this.flushing === null && (this.pending.length > 0 || this.syncWaiters.length > 0)) this.runFlush()
    })
  }

  private flushAwareness(): void {
    if (this.awarenessDirty.size === 0 || this.state === 'closed') return
    const ids = [...this.awarenessDirty]
    const origins = [...this.awarenessOrigins]
    this.awarenessDirty.clear()
    this.awarenessOrigins.clear()
    const message = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    // When one connection caused every change of this turn, it already knows them.
    const skip = origins.length === 1 ? origins[0] : undefined
    for (const connection of this.connections) {
      if (connection !== skip) connection.send(message, this.options.logger)
    }
  }

  private runFlush(): void {
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null
      if (this.pending.length > 0 || this.syncWaiters.length > 0) this.scheduleFlush()
    })
  }

  private async flushLoop(): Promise<void> {
    const { store, logger } = this.options
    while (this.state !== 'closed') {
      const batch = this.pending
      const waiters = this.syncWaiters
      if (batch.length === 0) {
        // Nothing uncommitted in the doc: the current state is committed state.
        this.syncWaiters = []
        for (const w of waiters) this.answerWaiter(w, this.currentState())
        return
      }
      this.pending = []
      this.syncWaiters = []
      // The doc now holds exactly committed state + this batch: once the batch commits, this is what joiners get.
      const snapshot = waiters.length > 0 ? this.currentState() : null
      try {
        await store.append(this.boardId, batch.map((p) => p.update))
      } catch (error) {
        logger.error({ err: error, boardId: this.boardId, updates: batch.length }, 'store append failed; nothing relayed')
        this.fail('storage error')
        return
      }
      this.logRows += batch.length
      for (const { update, origin } of batch) {
        const message = encodeUpdateMessage(update)
        const sender = isClientOrigin(origin) ? origin.connectionId : null
        for (const connection of this.connections) {
          if (connection.id !== sender) connection.send(message, logger)
        }
      }
      if (snapshot !== null) for (const w of waiters) this.answerWaiter(w, snapshot)
      if (this.logRows > this.options.limits.compactAfterUpdates) this.scheduleCompaction()
    }
  }

  private answerWaiter(waiter: SyncWaiter, state: Uint8Array): void {
    if (waiter.connection.isClosed) return
    try {
      waiter.connection.send(this.syncStep2For(state, waiter.stateVector), this.options.logger)
    } catch (error) {
      this.options.logger.error({ err: error, connectionId: waiter.connection.id }, 'answering sync step 1 failed')
      this.detach(waiter.connection, CloseCode.INTERNAL_ERROR, 'internal error', true)
    }
  }

  private scheduleCompaction(): void {
    if (this.compacting) return
    this.compacting = true
    setImmediate(() => {
      if (this.state !== 'ready') {
        this.compacting = false
        return
      }
      let progressed = false
      this.options.store
        .compact(this.boardId)
        .then((merged) => {
          progressed = merged > 1
          if (merged > 0) this.logRows = this.logRows - merged + 1
          this.options.logger.debug({ boardId: this.boardId, merged, rows: this.logRows }, 'log compacted')
        })
        .catch((error: unknown) => this.options.logger.error({ err: error, boardId: this.boardId }, 'compaction failed'))
        .finally(() => {
          this.compacting = false
          // Appends that arrived while merging may already be over the threshold again.
          if (progressed && this.state === 'ready' && this.logRows > this.options.limits.compactAfterUpdates) {
            this.scheduleCompaction()
          }
        })
    })
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
    if (connection.awarenessIds.size > 0 && this.state !== 'closed') {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], connection)
    }
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
    if (this.awarenessTimer !== null) clearTimeout(this.awarenessTimer)
    this.awarenessTimer = null
    this.doc.off('update', this.onDocUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.pending = []
    this.syncWaiters = []
    this.fullState = null
    this.fullStateMessage = null
    this.options.onClosed?.(this)
  }
}

const NO_CONNECTION = Symbol('server') as unknown as Connection

/** True when applying `update` would not change `doc` (e.g. a read-only client's reply to our sync step 1). */
export function updateChangesNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update)
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return true
  return Y.snapshotContainsUpdate(Y.snapshot(doc), update)
}
