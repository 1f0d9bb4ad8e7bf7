import * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import type { Logger } from '../log.ts'
import type { AppendReceipt, DocStore } from '../store/DocStore.ts'
import type { BoardStateWork } from '../store/mergeUpdates.ts'
import type { Connection } from './Connection.ts'
import { DEFAULT_SYNC_LIMITS } from './limits.ts'
import { encodeSyncStep2, encodeUpdateMessage, isEmptyStateVector } from './protocol.ts'
import { REMOTE_ORIGIN, isClientOrigin } from './RoomSocket.ts'
import type { SyncMetrics } from './syncMetrics.ts'

export interface RoomPersistenceOptions {
  boardId: BoardId
  /** The room's doc: every update it emits is appended, then relayed. */
  doc: Y.Doc
  store: DocStore
  logger: Logger
  /** The room's limits object, read when needed (like the rest of the room). */
  limits: { readonly compactAfterUpdates: number; readonly syncAnswerOffLoopBytes?: number; readonly maxBoardBytes?: number }
  /** Sync answers and merges of the committed parts of a big board (a worker thread in production: R19). */
  work: BoardStateWork
  /** False once the room is unloading or closed: no background compaction starts then. */
  roomIsReady(): boolean
  /** Sends one message to every connection of the room for which `skip` returns false. */
  sendToConnections(message: Uint8Array, skip: (connection: Connection) => boolean): void
  /** Closes one connection of the room (answering its sync step 1 failed). */
  closeConnection(connection: Connection, code: number, reason: string): void
  /** An append failed: the room closes every connection with 4500 and drops itself (R2). */
  fail(reason: string, cause?: unknown): void
  /** Runs at the start of every flush turn, before that turn's updates are appended. */
  beforeFlush(): void
  /** Told about every batch this room committed, after it was relayed (cluster SPEC C3: where it landed in the log). */
  onCommitted?(updates: readonly Uint8Array[], receipt: AppendReceipt | void): void
  metrics: SyncMetrics
}

interface PendingUpdate {
  update: Uint8Array
  origin: unknown
}

interface SyncWaiter {
  connection: Connection
  stateVector: Uint8Array
}

/** R19: above this many committed bytes a sync answer is encoded off the event loop (~50 ms of encoding per MiB). */
export const DEFAULT_SYNC_ANSWER_OFF_LOOP_BYTES = 1024 * 1024
/**
 * R19: the committed parts are merged again (off the loop, garbage-collected) once the updates appended since the last
 * merge hold more bytes than this share of the merged state, or outnumber this many.
 */
const REMERGE_GROWTH = 1
const REMERGE_MIN_BYTES = 1024 * 1024
const REMERGE_MAX_NEW_PARTS = 2_000

/**
 * R2 for one room: every doc update is appended to the store (the updates of one event-loop turn together) and
 * relayed only after that append resolved; sync step 1 is answered with committed state only. Also keeps the log
 * compacted in the background.
 */
export class RoomPersistence {
  private pending: PendingUpdate[] = []
  private syncWaiters: SyncWaiter[] = []
  private flushScheduled = false
  private flushing: Promise<void> | null = null
  private compacting = false
  private rows = 0
  private destroyed = false
  /** [sync step 2 of the full state], encoded once per change and shared by every fresh joining client. */
  private fullStateMessage: Uint8Array | null = null
  private fullState: Uint8Array | null = null
  /**
   * R19: the committed state as a list of updates (the stored log as loaded, then every committed batch): what a joiner
   * of a big board is answered from, off the event loop. `base` of them come from the last merge.
   */
  private parts: Uint8Array[] = []
  private partsBytes = 0
  private baseParts = 0
  private baseBytes = 0
  private remerging: Promise<void> | null = null
  /**
   * Whether `parts[0]` is one whole state (a single stored update, or the worker's merge). `Y.mergeUpdates` needs that:
   * over the causally ordered chunks of a compacted row it returns updates that leave structs pending, depending on
   * the order of client ids (tests/unit/roomSyncAnswer.test.ts).
   */
  private baseIsState = false
  /** Counts every change of the committed parts (an append or a merge), so a cached answer knows when it is stale. */
  private partsVersion = 0
  private mergeCount = 0
  /** The off-loop answer to a fresh joiner (empty state vector), shared until the committed parts change. */
  private freshAnswer: { parts: number; message: Promise<Uint8Array> } | null = null
  /** R19: connections waiting for an off-loop answer, with the updates relayed meanwhile (sent after the answer). */
  private readonly held = new Map<Connection, Uint8Array[]>()
  private readonly options: RoomPersistenceOptions

  constructor(options: RoomPersistenceOptions) {
    this.options = options
  }

  /** How many rows the board's stored log holds, as far as this room knows. */
  get logRows(): number {
    return this.rows
  }

  /**
   * Starts persisting the doc's updates. `storedRows` is the length of the log the doc was loaded from, `applied` the
   * stored updates the doc was built from (the ones Yjs could read): the committed state's first parts.
   */
  start(storedRows: number, applied: readonly Uint8Array[]): void {
    this.rows = storedRows
    this.parts = [...applied]
    this.partsBytes = this.parts.reduce((sum, part) => sum + part.byteLength, 0)
    this.baseParts = this.parts.length
    this.baseBytes = this.partsBytes
    this.baseIsState = this.parts.length <= 1
    this.options.doc.on('update', this.onDocUpdate)
  }

  /** Resolves once every doc update applied so far is committed and relayed. */
  async flushed(): Promise<void> {
    while (this.flushing !== null || this.pending.length > 0) {
      if (this.flushing === null) this.runFlush()
      await this.flushing
    }
  }

  /**
   * R2: a joining client gets committed state only; if something is being committed, it waits for that commit.
   * R13: one answer per connection at a time; a sync step 1 that arrives while the previous answer is queued or
   * unsent is dropped (that answer and the updates relayed after it bring the client up to date).
   */
  answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    if (!connection.beginSyncAnswer()) {
      if (!connection.checkOverflow()) {
        this.options.logger.debug({ boardId: this.options.boardId, connectionId: connection.id }, 'sync step 1 dropped: previous answer unsent')
      }
      return
    }
    if (this.partsBytes > this.offLoopBytes) {
      this.answerOffLoop(connection, stateVector)
      return
    }
    if (this.pending.length === 0 && this.flushing === null) {
      let message: Uint8Array
      try {
        message = this.syncStep2For(this.currentState(), stateVector)
      } catch (error) {
        connection.endSyncAnswer()
        throw error
      }
      connection.send(message, this.options.logger, true)
    } else {
      this.syncWaiters.push({ connection, stateVector })
    }
  }

  /**
   * R9's measured board size. A small board is encoded (exact, and cheap below the off-loop size); a big one is not
   * encoded on the event loop (R19): its size is the committed parts' bytes (a merged state, then the updates since)
   * plus the updates waiting for their commit, an upper bound that is exact right after a merge.
   */
  stateBytes(): number {
    if (this.partsBytes <= this.offLoopBytes) return this.currentState().byteLength
    return this.partsBytes + this.pending.reduce((sum, p) => sum + p.update.byteLength, 0)
  }

  /** How many merges of the committed parts have completed (R9 measures again after each). */
  get merges(): number {
    return this.mergeCount
  }

  /** Merges the committed parts in the background when updates were added since the last merge (R9: near the limit). */
  mergeSoon(): void {
    if (this.parts.length > this.baseParts || !this.baseIsState) this.remergeParts().catch(() => {})
  }

  /** Runs a flush turn at the end of this event-loop turn (once, however often it is asked for). */
  scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      this.options.beforeFlush()
      if (this.flushing === null && (this.pending.length > 0 || this.syncWaiters.length > 0)) this.runFlush()
    })
  }

  /** Stops listening to the doc and drops everything not committed yet (the room closed). */
  destroy(): void {
    this.destroyed = true
    this.options.doc.off('update', this.onDocUpdate)
    this.pending = []
    this.syncWaiters = []
    this.fullState = null
    this.fullStateMessage = null
    this.parts = []
    this.freshAnswer = null
    this.held.clear()
  }

  /**
   * R19: on a big board the answer is encoded in a worker from the committed parts, never from the doc: nothing of the
   * board is encoded on the event loop. Updates committed after the parts were taken are held for this connection and
   * sent after its answer, in order, so it never sees an update before the state it builds on.
   */
  private get offLoopBytes(): number {
    return this.options.limits.syncAnswerOffLoopBytes ?? DEFAULT_SYNC_ANSWER_OFF_LOOP_BYTES
  }

  private answerOffLoop(connection: Connection, stateVector: Uint8Array): void {
    const { logger, boardId } = this.options
    this.held.set(connection, [])
    this.partsAsState()
      .then(() => {
        if (!this.held.has(connection)) throw new Error('the room closed')
        // from here on, what is committed is not in this answer: it is held and sent after it
        this.held.set(connection, [])
        return isEmptyStateVector(stateVector) ? this.freshAnswerMessage() : this.encodeOffLoop(stateVector)
      })
      .then(
        (message) => {
          const relayed = this.held.get(connection)
          this.held.delete(connection)
          if (relayed === undefined || connection.isClosed) {
            connection.endSyncAnswer()
            return
          }
          connection.send(message, logger, true)
          for (const update of relayed) connection.send(update, logger)
        },
        (error: unknown) => {
          const wasHeld = this.held.delete(connection)
          connection.endSyncAnswer()
          if (!wasHeld) return
          logger.error({ err: error, boardId, connectionId: connection.id }, 'encoding a sync answer off the event loop failed')
          this.options.closeConnection(connection, CloseCode.INTERNAL_ERROR, 'internal error')
        },
      )
  }

  private freshAnswerMessage(): Promise<Uint8Array> {
    if (this.freshAnswer === null || this.freshAnswer.parts !== this.partsVersion) {
      const message = this.encodeOffLoop(new Uint8Array([0]))
      // a failed encoding is not kept: the next joiner tries again
      message.catch(() => {
        if (this.freshAnswer?.message === message) this.freshAnswer = null
      })
      this.freshAnswer = { parts: this.partsVersion, message }
    }
    return this.freshAnswer.message
  }

  private async encodeOffLoop(stateVector: Uint8Array): Promise<Uint8Array> {
    return encodeSyncStep2(await this.options.work.encodeSyncState(this.parts.slice(), stateVector))
  }

  /** Adds a committed batch to the parts, and merges them again off the loop when they have grown enough (R19). */
  private addCommittedParts(updates: readonly Uint8Array[]): void {
    for (const update of updates) {
      this.parts.push(update)
      this.partsBytes += update.byteLength
    }
    this.partsVersion++
    const newParts = this.parts.length - this.baseParts
    const newBytes = this.partsBytes - this.baseBytes
    const maxBoardBytes = this.options.limits.maxBoardBytes ?? DEFAULT_SYNC_LIMITS.maxBoardBytes
    // R9 measures the board from these parts: near the limit they are merged more often, so overwritten records do
    // not count for long
    const nearLimit = this.partsBytes > maxBoardBytes * 0.75 && newBytes > maxBoardBytes / 16
    if (nearLimit || newParts > REMERGE_MAX_NEW_PARTS || newBytes > Math.max(REMERGE_MIN_BYTES, this.baseBytes * REMERGE_GROWTH)) {
      this.remergeParts().catch(() => {})
    }
  }

  /** Resolves once the parts start with one whole state (what `encodeSyncState` needs), merging them if they do not. */
  private partsAsState(): Promise<void> {
    return this.baseIsState ? Promise.resolve() : this.remergeParts()
  }

  /**
   * Merges the parts into one garbage-collected state in the worker; the parts committed meanwhile stay after it, in
   * order. One merge at a time: a call while one runs shares it.
   */
  private remergeParts(): Promise<void> {
    if (this.remerging !== null) return this.remerging
    const taken = this.parts.slice()
    const merging = this.options.work
      .stateOf(taken)
      .then((state) => {
        if (this.destroyed) return
        const later = this.parts.slice(taken.length)
        this.parts = [state, ...later]
        this.baseIsState = true
        this.baseParts = 1
        this.baseBytes = state.byteLength
        this.partsBytes = this.baseBytes + later.reduce((sum, part) => sum + part.byteLength, 0)
        this.partsVersion++
        this.mergeCount++
      })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, boardId: this.options.boardId }, 'merging the committed parts failed')
        throw error
      })
      .finally(() => {
        this.remerging = null
      })
    this.remerging = merging
    return merging
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullState = null
    this.fullStateMessage = null
    if (origin === REMOTE_ORIGIN) {
      // committed by another instance (cluster SPEC C3): relayed now, never appended again
      this.rows++
      this.relayCommitted([{ update, origin }])
      return
    }
    this.pending.push({ update, origin })
    this.scheduleFlush()
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
    if (this.fullState === null) this.fullState = Y.encodeStateAsUpdate(this.options.doc)
    return this.fullState
  }

  private runFlush(): void {
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null
      if (this.pending.length > 0 || this.syncWaiters.length > 0) this.scheduleFlush()
    })
  }

  private async flushLoop(): Promise<void> {
    const { store, logger, boardId } = this.options
    while (!this.destroyed) {
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
      const appendStarted = performance.now()
      let receipt: AppendReceipt | void
      try {
        receipt = await store.append(boardId, batch.map((p) => p.update))
        this.options.metrics.appendSeconds((performance.now() - appendStarted) / 1000)
      } catch (error) {
        logger.error({ err: error, boardId, updates: batch.length }, 'store append failed; nothing relayed')
        this.options.fail('storage error', error)
        return
      }
      this.rows += batch.length
      this.relayCommitted(batch)
      this.options.onCommitted?.(batch.map((p) => p.update), receipt)
      if (snapshot !== null) for (const w of waiters) this.answerWaiter(w, snapshot)
      if (this.rows > this.options.limits.compactAfterUpdates) this.scheduleCompaction()
    }
  }

  /** Relays committed updates (R2) and adds them to the committed parts (R19). */
  private relayCommitted(batch: readonly PendingUpdate[]): void {
    this.addCommittedParts(batch.map((p) => p.update))
    let bytes = 0
    for (const { update, origin } of batch) {
      bytes += update.byteLength
      const message = encodeUpdateMessage(update)
      // A client's own update is not echoed to it; server-origin updates go to everyone.
      const sender = isClientOrigin(origin) ? origin.connectionId : null
      this.options.sendToConnections(message, (connection) => {
        if (connection.id === sender) return true
        // R19: a joiner waiting for its off-loop answer gets this after that answer
        const held = this.held.get(connection)
        if (held === undefined) return false
        held.push(message)
        return true
      })
    }
    this.options.metrics.updatesRelayed(batch.length, bytes)
  }

  private answerWaiter(waiter: SyncWaiter, state: Uint8Array): void {
    if (waiter.connection.isClosed) return
    try {
      waiter.connection.send(this.syncStep2For(state, waiter.stateVector), this.options.logger, true)
    } catch (error) {
      waiter.connection.endSyncAnswer()
      this.options.logger.error({ err: error, connectionId: waiter.connection.id }, 'answering sync step 1 failed')
      this.options.closeConnection(waiter.connection, CloseCode.INTERNAL_ERROR, 'internal error')
    }
  }

  private scheduleCompaction(): void {
    if (this.compacting) return
    this.compacting = true
    const { store, logger, boardId } = this.options
    setImmediate(() => {
      if (!this.options.roomIsReady()) {
        this.compacting = false
        return
      }
      let progressed = false
      store
        .compact(boardId)
        .then((merged) => {
          progressed = merged > 1
          if (merged > 0) this.rows = this.rows - merged + 1
          logger.debug({ boardId, merged, rows: this.rows }, 'log compacted')
        })
        .catch((error: unknown) => logger.error({ err: error, boardId }, 'compaction failed'))
        .finally(() => {
          this.compacting = false
          // Appends that arrived while merging may already be over the threshold again.
          if (progressed && this.options.roomIsReady() && this.rows > this.options.limits.compactAfterUpdates) {
            this.scheduleCompaction()
          }
        })
    })
  }
}
