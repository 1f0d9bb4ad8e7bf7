import type * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { canEditBoard, type Role } from '../../../shared/src/roles.ts'
import type { Logger } from '../log.ts'
import { isSharedDocStore, type DocStore, type SharedDocStore } from '../store/DocStore.ts'
import type { ClusterLink } from '../cluster/clusterBus.ts'
import type { ClusterMessage } from '../cluster/clusterMessages.ts'
import { MeetingErasedError } from '../store/meetingErasure.ts'
import type { BoardStateWork } from '../store/mergeUpdates.ts'
import { Room, type RoomCluster, type DocGuard, type PresenceObserver, type RoomConnectionHandle, type RoomLimits, type UpdateJudge } from './Room.ts'
import type { SyncMetrics } from './syncMetrics.ts'
import type { ConnectionInfo, RoomSocket } from './RoomSocket.ts'

export interface RoomManagerOptions {
  store: DocStore
  logger: Logger
  limits: RoomLimits
  /** How long a room with no connections stays loaded before it is flushed, compacted and unloaded. */
  roomGraceMs: number
  docGuards?: readonly DocGuard[]
  /** R17: see RoomOptions.updateJudges. */
  updateJudges?: readonly UpdateJudge[]
  presenceObservers?: readonly PresenceObserver[]
  now?: () => number
  metrics?: SyncMetrics
  /** R19: big boards' sync answers and merges (a worker thread in production; default: on the calling thread). */
  work?: BoardStateWork
  /**
   * R15: called when a room that had an editing connection reaches the end of its grace period, after its last flush
   * and before it unloads (not on shutdown), with its doc (read it, do not change it). The next room of the board
   * loads only after this resolved. Used for the automatic session-end version.
   */
  onBeforeIdleUnload?: (boardId: BoardId, doc: Y.Doc) => Promise<void>
  /** Several instances serve the boards of one shared store (cluster SPEC). */
  cluster?: RoomManagerCluster
}

export type RoomManagerCluster = ClusterLink

export interface RoomStats {
  roomsLoaded: number
  connections: number
}

/**
 * Owns the loaded rooms: creates a room on the first connection to a board, unloads it `roomGraceMs` after its last
 * connection left, and makes a new room for a board wait until the previous one finished unloading.
 */
export class RoomManager {
  private readonly rooms = new Map<BoardId, Room>()
  private readonly unloading = new Map<BoardId, Promise<void>>()
  private readonly graceTimers = new Map<Room, NodeJS.Timeout>()
  /** Rooms an editing (participant or facilitator) connection joined (R15). */
  private readonly edited = new WeakSet<Room>()
  /** Rooms held loaded by server-side code (withBoardDoc), with how many holders. */
  private readonly holds = new Map<Room, number>()
  private shuttingDown = false
  /** Boards being discarded: new connections are closed with this code until the discard is done. */
  private readonly held = new Map<BoardId, { code: number; reason: string }>()

  private readonly roomCluster: RoomCluster | undefined
  private sweepTimer: NodeJS.Timeout | null = null

  constructor(private readonly options: RoomManagerOptions) {
    const cluster = options.cluster
    if (cluster === undefined) return
    if (!isSharedDocStore(options.store)) throw new Error('several instances need a shared store (DATABASE_URL)')
    const store: SharedDocStore = options.store
    const { bus, instanceId: instance } = cluster
    this.roomCluster = {
      store,
      publishUpdates: (boardId, firstSeq, updates) =>
        bus.publish({ kind: 'updates', instance, boardId, firstSeq, count: updates.length, updates: [...updates] }),
      publishAwareness: (boardId, update) => bus.publish({ kind: 'awareness', instance, boardId, update }),
      queryAwareness: (boardId) => bus.publish({ kind: 'awareness-query', instance, boardId }),
    }
    bus.onMessage((message) => this.receiveCluster(message))
    bus.onResumed(() => void this.sweep())
    this.sweepTimer = setInterval(() => void this.sweep(), cluster.sweepMs)
    this.sweepTimer.unref()
  }

  /** Attaches a client connection to the board's room, creating and loading the room if needed. */
  connect(boardId: BoardId, socket: RoomSocket, info: ConnectionInfo): RoomConnectionHandle {
    if (this.shuttingDown) {
      socket.close(CloseCode.GOING_AWAY, 'server shutting down')
      return { connectionId: info.connectionId, receive: () => {}, transportClosed: () => {} }
    }
    const held = this.held.get(boardId)
    if (held !== undefined) {
      socket.close(held.code, held.reason)
      return { connectionId: info.connectionId, receive: () => {}, transportClosed: () => {} }
    }
    let room = this.rooms.get(boardId)
    if (room === undefined || room.isClosed) {
      room = this.createRoom(boardId)
    }
    this.cancelGrace(room)
    if (canEditBoard(info.role)) this.edited.add(room)
    return room.addConnection(socket, info)
  }

  /**
   * R16: runs server-side code on a board's live doc (versions), loading its room without any connection if needed.
   * `fn` runs once everything applied so far is committed; the promise resolves after what `fn` changed is committed
   * and relayed. The room stays loaded meanwhile, then gets the usual grace period if nobody is connected.
   */
  async withBoardDoc<T>(boardId: BoardId, fn: (doc: Y.Doc) => T): Promise<T> {
    if (this.shuttingDown) throw new Error('server shutting down')
    let room = this.rooms.get(boardId)
    if (room === undefined || room.isClosed) room = this.createRoom(boardId)
    this.cancelGrace(room)
    this.holds.set(room, (this.holds.get(room) ?? 0) + 1)
    try {
      await room.loaded
      await room.flushed()
      const result = room.useDoc(fn)
      await room.flushed()
      // a failed append closes the room (R2): then what fn wrote is not durable
      if (room.isClosed) throw room.failure instanceof MeetingErasedError ? room.failure : new Error(`the board ${boardId} could not be saved`)
      return result
    } finally {
      const left = (this.holds.get(room) ?? 1) - 1
      if (left > 0) this.holds.set(room, left)
      else {
        this.holds.delete(room)
        if (!room.isClosed && room.connectionCount === 0) this.startGrace(room)
      }
    }
  }

  /**
   * Resolves once every update applied so far to the board's room, if it is loaded (or unloading), is committed to
   * the store. Never loads the board: after this, the stored log holds the whole board as it was when called.
   */
  async committed(boardId: BoardId): Promise<void> {
    const room = this.rooms.get(boardId)
    if (room !== undefined && !room.isClosed) {
      await room.loaded
      await room.flushed()
    }
    await this.unloading.get(boardId)
  }

  /** Closes the connections of one board that match the filter (e.g. a rotated key); returns how many. */
  closeConnections(
    boardId: BoardId,
    filter: (c: { role: Role; credential: string }) => boolean,
    code: number,
    reason: string,
  ): number {
    const room = this.rooms.get(boardId)
    return room === undefined ? 0 : room.closeConnections((c) => filter({ role: c.role, credential: c.credential }), code, reason)
  }

  /** Closes the board's connections opened with `credential` (a rotated key), on every instance (C5); returns how many here. */
  closeCredential(boardId: BoardId, credential: string, code: number, reason: string): number {
    const cluster = this.options.cluster
    cluster?.bus.publish({ kind: 'close-credential', instance: cluster.instanceId, boardId, credential, code, reason })
    return this.closeConnections(boardId, (c) => c.credential === credential, code, reason)
  }

  /**
   * Closes every connection of a board with `code` and drops its room without writing it again (see Room.discard),
   * then runs `whileHeld`: until it settles, a new connection to the board is closed with the same code. Used to
   * erase a meeting: nothing can write the board between the last append and the erase transaction.
   */
  async discard<T>(boardId: BoardId, code: number, reason: string, whileHeld: () => T | Promise<T>): Promise<T> {
    this.held.set(boardId, { code, reason })
    try {
      const room = this.rooms.get(boardId)
      if (room !== undefined) {
        this.cancelGrace(room)
        this.rooms.delete(boardId)
        await room.discard(code, reason)
      }
      await this.unloading.get(boardId)
      const result = await whileHeld()
      // C5: after the erase, so that an instance reloading the board meanwhile is closed too
      const cluster = this.options.cluster
      cluster?.bus.publish({ kind: 'discard', instance: cluster.instanceId, boardId, code, reason })
      return result
    } finally {
      this.held.delete(boardId)
    }
  }

  /** What another instance published (cluster SPEC C3-C5); boards not loaded here are none of this instance's business. */
  private receiveCluster(message: ClusterMessage): void {
    if (message.instance === this.options.cluster?.instanceId || this.shuttingDown) return
    const room = this.rooms.get(message.boardId)
    if (room === undefined || room.isClosed) return
    switch (message.kind) {
      case 'updates':
        room.receiveRemoteUpdates(message.firstSeq, message.count, message.updates)
        return
      case 'awareness':
        room.receiveRemoteAwareness(message.update)
        return
      case 'awareness-query':
        room.publishAwareness()
        return
      case 'close-credential':
        room.closeConnections((c) => c.credential === message.credential, message.code, message.reason)
        return
      case 'discard':
        this.cancelGrace(room)
        this.rooms.delete(message.boardId)
        void room.discard(message.code, message.reason)
        return
    }
  }

  /** C6: compares the loaded boards' last rows with the store's, and has a room that is behind read what it lacks. */
  private async sweep(): Promise<void> {
    if (this.roomCluster === undefined || this.rooms.size === 0 || this.shuttingDown) return
    try {
      const seqs = await this.roomCluster.store.lastSeqs([...this.rooms.keys()])
      for (const [boardId, seq] of seqs) this.rooms.get(boardId)?.noteStoredSeq(seq)
    } catch (error) {
      this.options.logger.warn({ err: error }, 'comparing the boards with the store failed')
    }
  }

  stats(): RoomStats {
    let connections = 0
    for (const room of this.rooms.values()) connections += room.connectionCount
    return { roomsLoaded: this.rooms.size, connections }
  }

  /** The loaded room of a board, if any (for inspection and tests; rooms come and go). */
  getRoom(boardId: BoardId): Room | undefined {
    return this.rooms.get(boardId)
  }

  /** Waits until every loaded room committed the updates applied so far. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => room.flushed()))
  }

  /** Refuses new connections, closes every connection with 1001, flushes and unloads every room. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer)
    for (const timer of this.graceTimers.values()) clearTimeout(timer)
    this.graceTimers.clear()
    await Promise.all([...this.rooms.values()].map((room) => this.unloadRoom(room, 'shutdown')))
    await Promise.all([...this.unloading.values()])
  }

  private createRoom(boardId: BoardId): Room {
    const room: Room = new Room({
      boardId,
      store: this.options.store,
      logger: this.options.logger,
      limits: this.options.limits,
      docGuards: this.options.docGuards,
      updateJudges: this.options.updateJudges,
      presenceObservers: this.options.presenceObservers,
      after: this.unloading.get(boardId),
      now: this.options.now,
      metrics: this.options.metrics,
      work: this.options.work,
      cluster: this.roomCluster,
      onIdle: (r) => this.startGrace(r),
      onClosed: (r) => {
        this.cancelGrace(r)
        if (this.rooms.get(r.boardId) === r) this.rooms.delete(r.boardId)
      },
    })
    this.rooms.set(boardId, room)
    return room
  }

  private startGrace(room: Room): void {
    if (this.shuttingDown || this.holds.has(room)) return
    this.cancelGrace(room)
    const timer = setTimeout(() => {
      this.graceTimers.delete(room)
      if (room.connectionCount === 0 && !this.holds.has(room)) void this.unloadRoom(room, 'idle')
    }, this.options.roomGraceMs)
    timer.unref()
    this.graceTimers.set(room, timer)
  }

  private cancelGrace(room: Room): void {
    const timer = this.graceTimers.get(room)
    if (timer !== undefined) {
      clearTimeout(timer)
      this.graceTimers.delete(room)
    }
  }

  private unloadRoom(room: Room, why: 'idle' | 'shutdown'): Promise<void> {
    // From now on a new connection to this board gets a new room that loads after this unload finished.
    if (this.rooms.get(room.boardId) === room) this.rooms.delete(room.boardId)
    const previous = this.unloading.get(room.boardId)
    const done = (async () => {
      await previous
      try {
        const hook = this.options.onBeforeIdleUnload
        if (why === 'idle' && hook !== undefined && this.edited.has(room)) {
          try {
            await room.flushed()
            if (room.isReady && room.connectionCount === 0) await room.useDoc((doc) => hook(room.boardId, doc))
          } catch (error) {
            this.options.logger.error({ err: error, boardId: room.boardId }, 'the before-unload hook failed')
          }
        }
        await room.unload()
        this.options.logger.debug({ boardId: room.boardId }, 'room unloaded')
      } catch (error) {
        this.options.logger.error({ err: error, boardId: room.boardId }, 'unloading the room failed')
      }
    })()
    const tracked = done.finally(() => {
      if (this.unloading.get(room.boardId) === tracked) this.unloading.delete(room.boardId)
    })
    this.unloading.set(room.boardId, tracked)
    return tracked
  }
}
