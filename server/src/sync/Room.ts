import * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import type { Logger } from '../log.ts'
import type { AppendReceipt, DocStore, SharedDocStore } from '../store/DocStore.ts'
import { MeetingErasedError } from '../store/meetingErasure.ts'
import { createInlineMerger, type BoardStateWork } from '../store/mergeUpdates.ts'
import { Connection, type ConnectionLimits } from './Connection.ts'
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from './limits.ts'
import { ProtocolError, decodeClientMessage, encodeSyncStep1, type ClientMessage } from './protocol.ts'
import { MessageRefusal, leavesPending, scanUpdate, type UpdateShape } from './updateScan.ts'
import { REMOTE_ORIGIN, type ConnectionInfo, type RoomSocket } from './RoomSocket.ts'
import { BoardSequence } from './boardSequence.ts'
import { RoomAwareness } from './RoomAwareness.ts'
import { RoomPersistence } from './RoomPersistence.ts'
import { noSyncMetrics, type SyncMetrics } from './syncMetrics.ts'

/** R18: how long one slice of a board's load may hold the event loop before the room yields to other work. */
const LOAD_SLICE_MS = 15
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export type { ClientOrigin, ServerOrigin } from './RoomSocket.ts'

/** Server-side code attached to a room's doc while it is loaded (e.g. reverting changes to locked shapes). */
/** What a doc guard may ask of its room: close the connection whose update it refused (R4, R8). */
export interface DocGuardRoom {
  closeConnection(connectionId: string, code: number, reason: string): void
}

export type DocGuard = (boardId: BoardId, doc: Y.Doc, room: DocGuardRoom) => { destroy(): void }
/**
 * R17: judges an editor's update against the doc before anything of it is applied (after R9-R11); a reason refuses
 * the whole update (4400). Must not change the doc.
 */
export type UpdateJudge = (doc: Y.Doc, update: Uint8Array, info: ConnectionInfo) => UpdateRefusal | null
/** Why an update is refused: `reason` is the close reason (short, stable), `detail` goes to the log. */
export interface UpdateRefusal {
  reason: string
  detail?: string
}
/** Sees the awareness (presence) states a client connection sent, after R7; must not throw or keep them. */
/** Told about the presence states one connection (`sender`, as the access policy admitted it) just published. */
export type PresenceObserver = (boardId: BoardId, sender: ConnectionInfo, states: readonly unknown[]) => void

export interface RoomLimits extends ConnectionLimits, Partial<SyncLimits> {
  /** Compact the stored log once it holds more rows than this. */
  compactAfterUpdates: number
  /**
   * Awareness changes are collected for this long and sent as one message per connection (0: per event-loop turn).
   * Awareness traffic grows with the square of the room size; a short window bounds it to one message per window
   * per connection.
   */
  awarenessBatchMs?: number
  /** R19: committed bytes above which a joiner's sync answer is encoded off the event loop (default 1 MiB). */
  syncAnswerOffLoopBytes?: number
}

export interface RoomOptions {
  boardId: BoardId
  store: DocStore
  logger: Logger
  limits: RoomLimits
  docGuards?: readonly DocGuard[]
  /** R17: what an editor's update may insert (every board: server/src/board/boardUpdateJudge.ts). */
  updateJudges?: readonly UpdateJudge[]
  presenceObservers?: readonly PresenceObserver[]
  /** Resolves when the previous instance of this board finished unloading; loading waits for it. */
  after?: Promise<void>
  /** Called when the last connection left (the manager starts the grace timer). */
  onIdle?: (room: Room) => void
  /** Called once when the room stops (unloaded or failed), so the manager can forget it. */
  onClosed?: (room: Room) => void
  now?: () => number
  /** Monitoring counters (no-op by default). */
  metrics?: SyncMetrics
  /** R19: where big boards' sync answers and merges run (default: on the calling thread, for tests). */
  work?: BoardStateWork
  /** Cluster SPEC: this board is served by several instances on one shared store. */
  cluster?: RoomCluster
}

/** What a room of a board that several instances serve needs (cluster SPEC C2-C4). */
export interface RoomCluster {
  store: SharedDocStore
  /** C3: a batch this room committed, with where it landed in the board's log. */
  publishUpdates(boardId: BoardId, firstSeq: number, updates: readonly Uint8Array[]): void
  /** C4: awareness changes of this instance's connections. */
  publishAwareness(boardId: BoardId, update: Uint8Array): void
  /** C4: asks the other instances for their connections' awareness states (the room just loaded). */
  queryAwareness(boardId: BoardId): void
}

/** What another instance told this room, kept while the room loads. */
type RemoteNote = { kind: 'updates'; firstSeq: number; count: number; updates: Uint8Array[] | null } | { kind: 'awareness'; update: Uint8Array }

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
 * R3 a connection whose role cannot edit never changes the doc: its updates are dropped unread.
 * R4 a bad frame closes only its connection (4400, 1009, 4429); the room and others carry on.
 * R5 awareness changes of one turn go out as one message; a closed connection's awareness states are removed at once.
 * R7 awareness roles are stamped with the key's role; a client id belongs to the credential that introduced it.
 *    (R5, R7: RoomAwareness)
 * R8 a `meta.schema` the server does not recognise is put back (a doc guard: server/src/board/schemaGuard.ts).
 * R9 an editor's update is scanned before Yjs sees it: malformed or sub-documents 4400; too many structs or a
 *    full board 4413. (updateScan) R10 the copies Yjs would make merging and splitting items are bounded per update
 *    (4413) and per connection per window (4429).
 * R11 an update that would leave pending structs or deletes in the doc is refused with 4400.
 * R12 awareness states are bounded in size, depth and number (4413). R13 back-pressure (4408).
 * R17 an update whose content the board's judges refuse is refused whole before it is applied (4400).
 */
export class Room {
  readonly boardId: BoardId
  private state: RoomState = 'loading'
  private readonly doc = new Y.Doc()
  private readonly awareness: RoomAwareness
  private readonly persistence: RoomPersistence
  private readonly connections = new Set<Connection>()
  private failedWith: unknown = null
  private readonly queued = new Map<Connection, Uint8Array[]>()
  private guards: Array<{ destroy(): void }> = []
  readonly loaded: Promise<void>
  private readonly options: RoomOptions
  private readonly limits: RoomLimits & SyncLimits
  private readonly now: () => number
  /**
   * R9: an upper bound of the board's encoded size: measured (encoded state) at load and when the bound nears the
   * limit, plus the bytes of every update applied since.
   */
  private boardBytes = 0
  private boardBytesMeasuredAt = 0
  /** Which merge of the committed parts the last measurement saw (RoomPersistence.merges). */
  private boardBytesMerges = -1
  private readonly metrics: SyncMetrics
  /** C2: the rows of the board's shared log this doc holds (null without a cluster). */
  private sequence: BoardSequence | null = null
  private readonly remoteWhileLoading: RemoteNote[] = []
  private catchingUp: Promise<void> | null = null
  private catchUpAgain = false
  /** R11/C7: connections whose frames wait for what an update of theirs builds on. */
  private readonly heldForDependencies = new Map<Connection, { step2: Uint8Array[]; frames: Uint8Array[]; bytes: number; caughtUp: boolean }>()

  constructor(options: RoomOptions) {
    this.options = options
    this.boardId = options.boardId
    this.now = options.now ?? Date.now
    this.metrics = options.metrics ?? noSyncMetrics
    const { boardId, store, logger } = options
    const limits = { ...DEFAULT_SYNC_LIMITS, ...options.limits }
    this.limits = limits
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
      closeConnection: (connection, code, reason) => this.detach(connection, code, reason, true),
      now: this.now,
      presenceObservers: options.presenceObservers,
      publish: options.cluster === undefined ? undefined : (update) => options.cluster!.publishAwareness(boardId, update),
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
      fail: (reason, cause) => this.fail(reason, cause),
      // Without an awareness window, the turn's awareness goes out in the same turn, ahead of the doc updates.
      beforeFlush: () => this.awareness.flushTurn(),
      onCommitted: (updates, receipt) => this.committed(updates, receipt),
      metrics: this.metrics,
      work: options.work ?? createInlineMerger(),
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

  /** Why the room failed (the append's error), for withBoardDoc's callers; null while it has not. */
  get failure(): unknown {
    return this.failedWith
  }

  /** Adds a client connection. Frames it sends before the room is loaded are queued (R1). */
  addConnection(socket: RoomSocket, info: ConnectionInfo): RoomConnectionHandle {
    const connection = new Connection(socket, info, this.now, this.limits.maxBufferedBytes, (c) => {
      this.options.logger.info({ boardId: this.boardId, connectionId: c.id }, 'connection does not read: closed')
      this.detach(c, CloseCode.SLOW_READER, 'too much unread data', true)
    })
    if (this.state === 'unloading' || this.state === 'closed') {
      connection.markClosed(CloseCode.GOING_AWAY, 'room unloading, reconnect', true, this.options.logger)
    } else {
      this.connections.add(connection)
      this.metrics.connectionOpened(info.role)
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
      // one row alone too: a whole board uploaded in one update is stored in chunks only once compacted (R18)
      if (this.persistence.logRows > 0) await this.options.store.compact(this.boardId)
    } catch (error) {
      this.options.logger.error({ err: error, boardId: this.boardId }, 'final flush or compaction failed')
    }
    this.destroy()
  }

  /**
   * For a board being erased: closes every connection with `code`, waits for the appends already on their way (so
   * none lands after the erase), and frees the doc WITHOUT the final compaction, which would write the board again.
   */
  async discard(code: number, reason: string): Promise<void> {
    if (this.state === 'closed') return
    await this.loaded.catch(() => {})
    if (this.isClosed) return
    this.state = 'unloading'
    for (const connection of [...this.connections]) this.detach(connection, code, reason, true)
    await this.persistence.flushed().catch(() => {})
    this.destroy()
  }

  // ---- loading -------------------------------------------------------------------------------------------

  private async load(): Promise<void> {
    const { logger, store } = this.options
    try {
      await this.options.after
      const stored = await store.load(this.boardId)
      if (this.options.cluster !== undefined) this.sequence = new BoardSequence((stored as { lastSeq?: number }).lastSeq ?? 0)
      const applied: Uint8Array[] = []
      const skipped = await this.applyInSlices(stored.updates, { kind: 'load' }, 'loading', (update) => applied.push(update))
      if (this.state !== 'loading') return
      if (skipped > 0) logger.warn({ boardId: this.boardId, skipped }, 'board loaded with unreadable updates skipped')
      this.persistence.start(stored.updates.length, applied)
      // R9's bound starts at the stored log's bytes (never below the encoded state): encoding a big board here would
      // stall every room; the real size is measured only if the bound nears the limit (measuredAt 0 allows it at once)
      this.boardBytes = stored.updates.reduce((sum, update) => sum + update.byteLength, 0)
      this.boardBytesMeasuredAt = 0
      this.awareness.start()
      const guardRoom: DocGuardRoom = {
        closeConnection: (connectionId, code, reason) => {
          for (const connection of this.connections) {
            if (connection.id === connectionId) this.detach(connection, code, reason, true)
          }
        },
      }
      // each guard reads the whole board once (its own index of the records): a turn each
      for (const guard of this.options.docGuards ?? []) {
        this.guards.push(guard(this.boardId, this.doc, guardRoom))
        await nextTurn()
        if (this.state !== 'loading') return
      }
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
    if (this.options.cluster !== undefined) {
      for (const note of this.remoteWhileLoading.splice(0)) this.handleRemote(note)
      this.options.cluster.queryAwareness(this.boardId)
    }
    if (this.connections.size === 0) this.options.onIdle?.(this)
  }

  /**
   * R18: applies stored updates a slice per event-loop turn, so a big board never holds the loop for long; stops when
   * the room leaves `state`. An update Yjs cannot apply is skipped (logged, counted in the result).
   */
  private async applyInSlices(
    updates: readonly Uint8Array[],
    origin: unknown,
    state: RoomState,
    onApplied?: (update: Uint8Array) => void,
  ): Promise<number> {
    let skipped = 0
    for (let next = 0; next < updates.length; ) {
      const sliceStarted = performance.now()
      this.doc.transact(() => {
        do {
          try {
            Y.applyUpdate(this.doc, updates[next]!)
            onApplied?.(updates[next]!)
          } catch (error) {
            skipped++
            this.options.logger.warn({ err: error, boardId: this.boardId }, 'skipped a stored update that Yjs cannot apply')
          }
          next++
        } while (next < updates.length && performance.now() - sliceStarted < LOAD_SLICE_MS)
      }, origin)
      await nextTurn()
      if (this.state !== state) return skipped
    }
    return skipped
  }

  // ---- other instances (cluster SPEC) --------------------------------------------------------------------

  /** C3: rows another instance committed; applied when they follow on what the doc holds, else read from the store. */
  receiveRemoteUpdates(firstSeq: number, count: number, updates: Uint8Array[] | null): void {
    this.handleRemote({ kind: 'updates', firstSeq, count, updates })
  }

  /** C4: awareness changes of another instance's connections. */
  receiveRemoteAwareness(update: Uint8Array): void {
    this.handleRemote({ kind: 'awareness', update })
  }

  /** C4: another instance loaded the board and asks for this instance's connections' states. */
  publishAwareness(): void {
    if (this.state === 'ready') this.awareness.publishOwnStates()
  }

  /** C6: the store's last row of this board, as seen by a sweep: read what the doc lacks. */
  noteStoredSeq(seq: number): void {
    if (this.state === 'ready' && this.sequence !== null && seq > this.sequence.last) void this.catchUp()
  }

  /** The last row of the shared log this doc holds with every one before it (C2; null without a cluster). */
  get seq(): number | null {
    return this.sequence?.last ?? null
  }

  private handleRemote(note: RemoteNote): void {
    if (this.state === 'loading') {
      this.remoteWhileLoading.push(note)
      return
    }
    if (this.state !== 'ready' || this.sequence === null) return
    try {
      if (note.kind === 'awareness') {
        this.awareness.applyRemoteUpdate(note.update)
        return
      }
      if (!this.sequence.isNew(note.firstSeq, note.count)) return
      if (note.updates === null || !this.sequence.follows(note.firstSeq) || this.catchingUp !== null) {
        void this.catchUp()
        return
      }
      this.doc.transact(() => {
        for (const update of note.updates!) Y.applyUpdate(this.doc, update)
      }, REMOTE_ORIGIN)
      this.sequence.add(note.firstSeq, note.count)
      // R9: the board grows by what other instances wrote too
      this.boardBytes += queuedBytes(note.updates)
    } catch (error) {
      this.options.logger.warn({ err: error, boardId: this.boardId, kind: note.kind }, 'a message from another instance could not be applied')
      if (note.kind === 'updates') void this.catchUp()
    }
  }

  /** C3: this room's own batch landed at receipt.firstSeq; rows of other instances before it are read if missing. */
  private committed(updates: readonly Uint8Array[], receipt: AppendReceipt | void): void {
    const cluster = this.options.cluster
    if (cluster === undefined || this.sequence === null || receipt === undefined) return
    this.sequence.add(receipt.firstSeq, updates.length)
    cluster.publishUpdates(this.boardId, receipt.firstSeq, updates)
    if (this.sequence.hasGap) void this.catchUp()
  }

  /**
   * C2/C6: reads the rows after the last one the doc holds with all before it, and applies them (what the doc already
   * has changes nothing). One read at a time; asked again meanwhile, it reads once more after.
   */
  private catchUp(): Promise<void> {
    const cluster = this.options.cluster
    if (cluster === undefined || this.sequence === null) return Promise.resolve()
    if (this.catchingUp !== null) {
      this.catchUpAgain = true
      return this.catchingUp
    }
    const sequence = this.sequence
    this.catchingUp = (async () => {
      for (let round = 0; round < 3; round++) {
        this.catchUpAgain = false
        const tail = await cluster.store.readAfter(this.boardId, sequence.last)
        if (this.state !== 'ready') return
        // a compacted state read here comes in causally ordered chunks (R18), like a load
        await this.applyInSlices(tail.updates, REMOTE_ORIGIN, 'ready')
        if (this.state !== 'ready') return
        // R9: an upper bound (rows this doc already held count again): measured again near the limit
        this.boardBytes += queuedBytes(tail.updates)
        sequence.caughtUpTo(tail.lastSeq)
        if (!this.catchUpAgain && !sequence.hasGap) return
      }
    })()
      .catch((error: unknown) => this.options.logger.error({ err: error, boardId: this.boardId }, 'reading the rows of other instances failed'))
      .finally(() => {
        this.catchingUp = null
      })
    return this.catchingUp
  }

  /**
   * A new connection gets our sync step 1 and every known awareness state. A greeting that fails detaches the
   * connection (4500), so it never stays in the room unanswered and the room can still unload.
   */
  private greet(connection: Connection): void {
    try {
      connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)), this.options.logger)
      this.awareness.greet(connection)
    } catch (error) {
      this.options.logger.error({ err: error, boardId: this.boardId, connectionId: connection.id }, 'greeting failed')
      this.detach(connection, CloseCode.INTERNAL_ERROR, 'internal error', true)
    }
  }

  // ---- incoming frames -----------------------------------------------------------------------------------

  private receive(connection: Connection, frame: Uint8Array): void {
    if (connection.isClosed) return
    const { logger } = this.options
    const limits = this.limits
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
      if (this.heldForDependencies.has(connection)) this.holdFrame(connection, frame)
      else if (queue === undefined) this.handleFrame(connection, frame)
      else if (queuedBytes(queue) + frame.byteLength > limits.maxMessageBytes) {
        // R1 + R9: what waits for the load is held in memory; an honest client sends a step 1 and its presence.
        this.detach(connection, CloseCode.TOO_LARGE, 'too much sent before the board loaded', true)
      } else queue.push(frame)
    } catch (error) {
      logger.error({ err: error, boardId: this.boardId, connectionId: connection.id }, 'error handling a frame')
      this.detach(connection, CloseCode.INTERNAL_ERROR, 'internal error', true)
    }
  }

  private handleFrame(connection: Connection, frame: Uint8Array, retried = false): void {
    if (connection.isClosed || this.state !== 'ready') return
    let message: ClientMessage
    try {
      message = decodeClientMessage(frame, this.limits)
    } catch (error) {
      if (error instanceof MessageRefusal) return this.refuse(connection, error)
      return this.refuseMalformed(connection, error)
    }
    try {
      this.handleMessage(connection, message, retried)
    } catch (error) {
      if (error instanceof MissingDependencies) return this.holdForDependencies(connection, frame)
      if (error instanceof MessageRefusal) return this.refuse(connection, error)
      // Awareness states are read only when they would change something (RoomAwareness), so after decoding.
      if (error instanceof ProtocolError) return this.refuseMalformed(connection, error)
      this.options.logger.error({ err: error, boardId: this.boardId, connectionId: connection.id }, 'error handling a message')
      this.detach(connection, CloseCode.INTERNAL_ERROR, 'internal error', true)
    }
  }

  /**
   * R11 / cluster SPEC C7: an update that builds on changes the room lacks, from a client that just (re)connected, is
   * held with the frames that follow it until what it builds on can be here: the client's sync step 2 (it brings the
   * client's own edits the room never committed, e.g. those a dying instance lost) and, with several instances, the
   * rows other instances committed that this room has not read yet. Then the frames are handled again, step 2 first;
   * an update that still builds on missing changes is refused (4400).
   */
  private holdForDependencies(connection: Connection, frame: Uint8Array): void {
    const held = { step2: [] as Uint8Array[], frames: [frame], bytes: frame.byteLength, caughtUp: this.options.cluster === undefined }
    this.heldForDependencies.set(connection, held)
    const release = () => {
      if (this.heldForDependencies.get(connection) === held && held.caughtUp && connection.sentSyncStep2) this.releaseHeld(connection)
    }
    if (!held.caughtUp) {
      void this.catchUp().then(() => {
        held.caughtUp = true
        release()
      })
    }
    // a client that never sends its step 2 does not keep its frames held for long
    setTimeout(() => {
      if (this.heldForDependencies.get(connection) === held) this.releaseHeld(connection)
    }, HOLD_FOR_DEPENDENCIES_MS).unref()
    release()
  }

  /** A frame from a connection whose frames are held (holdForDependencies): its step 2 is handled at once. */
  private holdFrame(connection: Connection, frame: Uint8Array): void {
    const held = this.heldForDependencies.get(connection)!
    if (held.bytes + frame.byteLength > this.limits.maxMessageBytes) {
      this.heldForDependencies.delete(connection)
      this.detach(connection, CloseCode.TOO_LARGE, 'too much sent while waiting for the board', true)
      return
    }
    held.bytes += frame.byteLength
    if (isSyncStep2Frame(frame)) {
      held.step2.push(frame)
      connection.sentSyncStep2 = true
      if (held.caughtUp) this.releaseHeld(connection)
      return
    }
    held.frames.push(frame)
  }

  private releaseHeld(connection: Connection): void {
    const held = this.heldForDependencies.get(connection)
    this.heldForDependencies.delete(connection)
    if (held === undefined || connection.isClosed) return
    for (const frame of [...held.step2, ...held.frames]) this.handleFrame(connection, frame, true)
  }

  private refuseMalformed(connection: Connection, error: unknown): void {
    const reason = error instanceof ProtocolError ? error.reason : 'malformed message'
    this.options.logger.info({ boardId: this.boardId, connectionId: connection.id, reason }, 'malformed frame')
    this.detach(connection, CloseCode.MALFORMED_MESSAGE, reason, true)
  }

  private handleMessage(connection: Connection, message: ClientMessage, retried: boolean): void {
    switch (message.type) {
      case 'sync-step1':
        this.persistence.answerSyncStep1(connection, message.stateVector)
        return
      case 'sync-step2':
        connection.sentSyncStep2 = true
        this.applyClientUpdate(connection, message.update, retried)
        return
      case 'update':
        this.applyClientUpdate(connection, message.update, retried)
        return
      case 'awareness':
        this.metrics.awarenessReceived()
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

  /** Closes a connection whose message was refused before anything of it was applied (R9, R11, R12). */
  private refuse(connection: Connection, refusal: MessageRefusal): void {
    const code =
      refusal.kind === 'too-large' ? CloseCode.TOO_LARGE : refusal.kind === 'rate' ? CloseCode.RATE_LIMITED : CloseCode.MALFORMED_MESSAGE
    this.options.logger.info({ boardId: this.boardId, connectionId: connection.id, code, reason: refusal.reason }, 'message refused')
    this.detach(connection, code, refusal.reason, true)
  }

  /**
   * R3: a read-only connection's sync step 2 and updates are dropped unread: never decoded, so they cost nothing.
   * Honest viewers send them (the reply to our step 1 carries their delete set; y-indexeddb replays its cache as
   * updates), and closing them would break every projector reload; whatever they hold, the room has.
   * R9, R11: an editor's update is scanned and judged against the doc before Yjs sees it.
   */
  private applyClientUpdate(connection: Connection, update: Uint8Array, retried: boolean): void {
    if (!canEditBoard(connection.info.role)) return
    const shape = scanUpdate(update, this.limits)
    if (shape.structs === 0) return
    if (leavesPending(shape, (client) => Y.getState(this.doc.store, client))) {
      // C7: a client that moved here from an instance that died may build on rows this doc has not read yet, or on its
      // own edits that instance never committed (its step 2 brings them)
      if (!retried) throw new MissingDependencies()
      throw new MessageRefusal('malformed', 'update depends on changes the board does not have')
    }
    const mergeWork = mergeWorkWithDoc(this.doc, shape)
    if (mergeWork > this.limits.maxMergeWork) throw new MessageRefusal('too-large', 'too many chained items in one update')
    const splitWork = splitWorkWithDoc(this.doc, shape, this.limits.maxSplitWork)
    if (splitWork > this.limits.maxSplitWork) throw new MessageRefusal('too-large', 'too many cuts into long items in one update')
    // R10: what one connection may make the server do per rate-limit window, in element copies: a merge copy costs
    // ~16 split copies, integrating a struct ~100, each byte ~1 (measured with Yjs 13 on this machine).
    const work = mergeWork * 16 + splitWork + shape.structs * 100 + update.byteLength
    if (!connection.countWork(work, this.limits.maxWorkPerWindow, this.limits.rateLimitWindowMs)) {
      throw new MessageRefusal('rate', 'too much work in the rate-limit window')
    }
    for (const judge of this.options.updateJudges ?? []) {
      const refusal = judge(this.doc, update, connection.info)
      if (refusal !== null) {
        this.options.logger.info({ boardId: this.boardId, connectionId: connection.id, detail: refusal.detail }, 'update content refused')
        throw new MessageRefusal('malformed', refusal.reason)
      }
    }
    this.reserveBoardBytes(update.byteLength)
    try {
      Y.applyUpdate(this.doc, update, connection.origin)
    } catch (error) {
      // Whatever Yjs integrated before throwing went through the doc's update event and is persisted like any change.
      this.options.logger.warn({ err: error, boardId: this.boardId, connectionId: connection.id }, 'update could not be applied')
      this.detach(connection, CloseCode.MALFORMED_MESSAGE, 'update could not be applied', true)
    } finally {
      this.dropPending(connection)
    }
  }

  /**
   * R11, second line: dependencies that only a cycle between the update's own structs leaves missing pass the scan;
   * Yjs then keeps them pending. They are dropped here, so no later transaction can apply them under its origin.
   */
  private dropPending(connection: Connection): void {
    const store = this.doc.store
    if (store.pendingStructs === null && store.pendingDs === null) return
    store.pendingStructs = null
    store.pendingDs = null
    this.options.logger.info({ boardId: this.boardId, connectionId: connection.id }, 'pending structs dropped')
    this.detach(connection, CloseCode.MALFORMED_MESSAGE, 'update depends on changes the board does not have', true)
  }

  /**
   * R9: refuses an update that would take the board past maxBoardBytes. The running bound over-counts (overwritten
   * records still count), so near the limit it is measured again from the committed parts (R19: their bytes, without
   * encoding anything on the event loop), at most once per eighth of the limit applied or once per merge of the parts.
   * A refusal asks for a merge, so the next measurement counts what was overwritten as gone.
   */
  private reserveBoardBytes(bytes: number): void {
    const max = this.limits.maxBoardBytes
    const stale = this.boardBytes - this.boardBytesMeasuredAt > max / 8 || this.persistence.merges !== this.boardBytesMerges
    if (this.boardBytes + bytes > max && stale) {
      this.boardBytes = this.persistence.stateBytes()
      this.boardBytesMeasuredAt = this.boardBytes
      this.boardBytesMerges = this.persistence.merges
    }
    if (this.boardBytes + bytes > max) {
      this.persistence.mergeSoon()
      throw new MessageRefusal('too-large', 'the board is full')
    }
    this.boardBytes += bytes
  }

  // ---- connections leaving, failure, teardown -----------------------------------------------------------

  private detach(connection: Connection, code: number, reason: string, closeSocket: boolean): void {
    if (!connection.markClosed(code, reason, closeSocket, this.options.logger)) return
    this.connections.delete(connection)
    this.queued.delete(connection)
    this.heldForDependencies.delete(connection)
    this.metrics.connectionClosed(connection.info.role, code)
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
  private fail(reason: string, cause?: unknown): void {
    if (this.state === 'closed') return
    this.state = 'unloading'
    this.failedWith = cause ?? null
    // An append refused because the meeting was erased (meetings SPEC E5): the board is gone, not broken.
    const [code, why] = cause instanceof MeetingErasedError ? [CloseCode.MEETING_DELETED, 'meeting deleted'] : [CloseCode.INTERNAL_ERROR, reason]
    for (const connection of [...this.connections]) this.detach(connection, code, why, true)
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

/** R11/C7: an update builds on changes the room may still get (handled again once they can be here). */
class MissingDependencies extends Error {}

/** How long a connection's frames wait for what its update builds on (holdForDependencies). */
const HOLD_FOR_DEPENDENCIES_MS = 1_000

/** [messageSync][syncStep2]: the client's answer to our sync step 1. */
function isSyncStep2Frame(frame: Uint8Array): boolean {
  return frame.byteLength > 1 && frame[0] === 0 && frame[1] === 1
}

function queuedBytes(frames: readonly Uint8Array[]): number {
  let bytes = 0
  for (const frame of frames) bytes += frame.byteLength
  return bytes
}

/**
 * R10: element copies Yjs makes splitting the doc's items where the update cuts them (content arrays and strings are
 * sliced; deleted items hold no content and cost nothing). Over-counts several cuts into one item (each is counted
 * at the item's whole length); stops counting past `cap`.
 */
export function splitWorkWithDoc(doc: Y.Doc, shape: UpdateShape, cap: number): number {
  let work = 0
  for (const { client, clock, madeBy } of shape.cuts) {
    if (work > cap) break
    if (madeBy !== null && Y.getState(doc.store, madeBy.client) >= madeBy.end) continue
    if (clock <= 0 || Y.getState(doc.store, client) <= clock) continue
    const structs = doc.store.clients.get(client)
    if (structs === undefined) continue
    const item = structs[Y.findIndexSS(structs, clock)]
    if (!(item instanceof Y.Item) || item.deleted || item.id.clock === clock) continue
    const content = item.content
    if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON || content instanceof Y.ContentString) work += item.length
  }
  return work
}

/**
 * R10: the element copies Yjs makes merging the update's items, counting the runs whose first item continues an
 * item already in the doc: each merge of the run into it copies that item's whole array again (items × its
 * length), on top of the copies the scan counted for the run alone.
 */
export function mergeWorkWithDoc(doc: Y.Doc, shape: UpdateShape): number {
  let work = shape.mergeWork
  for (const run of shape.docMergeCandidates) {
    const structs = doc.store.clients.get(run.client)
    if (structs === undefined || Y.getState(doc.store, run.client) < run.clock) continue
    const left = structs[Y.findIndexSS(structs, run.clock - 1)]
    const sameContent = run.content === 'any' ? Y.ContentAny : Y.ContentJSON
    if (left instanceof Y.Item && !left.deleted && left.content instanceof sameContent && left.id.clock + left.length === run.clock) {
      work += run.items * left.length + run.firstLength
    }
  }
  return work
}
