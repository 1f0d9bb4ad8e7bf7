import type * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Logger } from '../log.ts'
import { Connection } from './Connection.ts'
import { DEFAULT_SYNC_LIMITS, maxAwarenessClockJump, type SyncLimits } from './limits.ts'
import { encodeAwarenessMessage, encodeAwarenessUpdate, isRemoval, parseAwarenessEntry, type AwarenessEntry, type ReceivedAwarenessEntry } from './protocol.ts'
import { encodeAwarenessEntries, sanitizeAwarenessEntries } from './awarenessIdentity.ts'
import type { ConnectionInfo } from './RoomSocket.ts'
import { MessageRefusal } from './updateScan.ts'

type AwarenessLimits = Pick<
  SyncLimits,
  'maxAwarenessIdsPerConnection' | 'maxAwarenessStatesPerRoom' | 'maxAwarenessRoomBytes' | 'awarenessIdReservationMs'
>

export interface RoomAwarenessOptions {
  boardId: BoardId
  /** The room's doc; the awareness instance is bound to it. */
  doc: Y.Doc
  logger: Logger
  /** The room's limits object, read on every change (like the rest of the room). */
  limits: { readonly awarenessBatchMs?: number } & Partial<AwarenessLimits>
  /** Sends one message to every connection of the room for which `skip` returns false. */
  sendToConnections(message: Uint8Array, skip: (connection: Connection) => boolean): void
  /** Told about every client's presence states once applied (e.g. the report's attendance count). */
  presenceObservers?: ReadonlyArray<(boardId: BoardId, sender: ConnectionInfo, states: readonly unknown[]) => void>
  /** Asks for the room's next flush turn (one setImmediate shared with doc updates), which calls `flushTurn`. */
  scheduleFlush(): void
  /** Closes one connection of the room (an awareness state could not be encoded for it). */
  closeConnection(connection: Connection, code: number, reason: string): void
  now?: () => number
  /** Cluster SPEC C4: sends the changes this instance's connections made to the other instances. */
  publish?(update: Uint8Array): void
}

/** R7: an id whose connection left stays with that credential until `until`. */
interface Reservation {
  credential: string
  until: number
}

/**
 * The awareness of one room (R5, R7): relayed, never stored. Collects changes and sends them as one message per
 * connection per batch window, and tracks which connection owns each awareness client id.
 */
export class RoomAwareness {
  private readonly awareness: awarenessProtocol.Awareness
  private readonly dirty = new Set<number>()
  /** C4: ids whose change came from one of this instance's connections (published to the other instances). */
  private readonly ownDirty = new Set<number>()
  private readonly origins = new Set<Connection>()
  /** R7: which connection currently speaks for each awareness client id. */
  private readonly owners = new Map<number, Connection>()
  /** R7: released ids, kept for the credential that held them for awarenessIdReservationMs. */
  private readonly reservations = new Map<number, Reservation>()
  /** R12: bytes of each state's JSON, and their sum (what a joiner's greeting carries). */
  private readonly stateBytes = new Map<number, number>()
  private totalStateBytes = 0
  private allStatesMessage: Uint8Array | null = null
  private timer: NodeJS.Timeout | null = null
  private destroyed = false
  private readonly options: RoomAwarenessOptions

  constructor(options: RoomAwarenessOptions) {
    this.options = options
    this.awareness = new awarenessProtocol.Awareness(options.doc)
    this.awareness.setLocalState(null)
  }

  /** Starts collecting awareness changes for relaying (once the room is loaded). */
  start(): void {
    this.awareness.on('update', this.onUpdate)
  }

  /** Sends a joining connection every known awareness state (nothing when there is none). */
  greet(connection: Connection): void {
    if (this.awareness.getStates().size > 0) connection.send(this.allStates(), this.options.logger)
  }

  /** Answers a query-awareness message with every known state (even when there is none). */
  answerQuery(connection: Connection): void {
    connection.send(this.allStates(), this.options.logger)
  }

  /**
   * [awareness][every state], encoded once per change: a client repeating query-awareness (up to the rate limit)
   * must not make the server encode up to maxAwarenessRoomBytes of JSON each time.
   */
  private allStates(): Uint8Array {
    this.allStatesMessage ??= encodeAwarenessMessage(this.encodeStates([...this.awareness.getStates().keys()]))
    return this.allStatesMessage
  }

  /**
   * R7: refuse clock jumps; skip entries that change nothing (echoes, the bulk of what stock clients send); stamp
   * roles and keep other keys' client ids (held or reserved) out; R7/R12: refuse states over the limits; then apply
   * (re-encoding only when something changed). Throws MessageRefusal or ProtocolError before anything of the message
   * is applied.
   */
  applyClientUpdate(connection: Connection, update: Uint8Array, received: readonly ReceivedAwarenessEntry[]): void {
    // Before the ownership filter: no honest client sends a jump for any id (echoes of others' states carry the
    // clocks it got from us), so a jump is refused even when the entry would have been dropped.
    this.refuseClockJumps(received)
    const effective = received.filter((entry) => this.wouldApply(entry))
    if (effective.length === 0) return
    const entries = effective.map(parseAwarenessEntry)
    const result = sanitizeAwarenessEntries(entries, connection.info, (id) => this.holderOf(id))
    if (result.dropped > 0) {
      this.options.logger.info(
        { boardId: this.options.boardId, connectionId: connection.id, dropped: result.dropped },
        "awareness entries for another key's client ids dropped",
      )
    }
    if (result.entries.length === 0) return
    this.checkLimits(connection, result.entries)
    const unchanged = !result.changed && effective.length === received.length
    const applied = unchanged ? update : encodeAwarenessEntries(result.entries)
    awarenessProtocol.applyAwarenessUpdate(this.awareness, applied, connection)
    for (const observe of this.options.presenceObservers ?? []) observe(this.options.boardId, connection.info, result.entries.map((e) => e.state))
  }

  /**
   * y-protocols' own rule for an entry that changes something: a newer clock, or the removal of a state it has at
   * the same clock. The others it ignores; here they are not even decoded.
   */
  private wouldApply(entry: ReceivedAwarenessEntry): boolean {
    const current = this.awareness.meta.get(entry.clientId)?.clock ?? 0
    return current < entry.clock || (current === entry.clock && isRemoval(entry) && this.awareness.states.has(entry.clientId))
  }

  /** R7: the connection holding an id, or the credential it is reserved for (a placeholder connection id). */
  private holderOf(id: number): ConnectionInfo | undefined {
    const owner = this.owners.get(id)
    if (owner !== undefined) return owner.info
    const reservation = this.reservations.get(id)
    if (reservation === undefined) return undefined
    if (reservation.until <= this.now()) {
      this.reservations.delete(id)
      return undefined
    }
    return { connectionId: '', role: 'viewer', credential: reservation.credential }
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  private limit<K extends keyof AwarenessLimits>(key: K): number {
    return this.options.limits[key] ?? DEFAULT_SYNC_LIMITS[key]
  }

  /**
   * R12 counts, for entries y-protocols will apply (`wouldApply`). The room's stored byte sizes are updated as they
   * are applied.
   */
  private checkLimits(connection: Connection, entries: readonly AwarenessEntry[]): void {
    const states = this.awareness.states
    const ids = new Set(connection.awarenessIds)
    let roomStates = states.size
    let roomBytes = this.totalStateBytes
    for (const entry of entries) {
      const had = states.has(entry.clientId)
      const oldBytes = this.stateBytes.get(entry.clientId) ?? 0
      if (entry.state === null) {
        ids.delete(entry.clientId)
        if (had) roomStates--
        roomBytes -= oldBytes
      } else {
        ids.add(entry.clientId)
        if (!had) roomStates++
        roomBytes += (entry.bytes ?? 0) - oldBytes
      }
    }
    if (ids.size > this.limit('maxAwarenessIdsPerConnection')) throw new MessageRefusal('too-large', 'too many awareness ids')
    if (roomStates > this.limit('maxAwarenessStatesPerRoom')) throw new MessageRefusal('too-large', 'too many awareness states on this board')
    if (roomBytes > this.limit('maxAwarenessRoomBytes')) throw new MessageRefusal('too-large', 'too much awareness on this board')
    for (const entry of entries) this.setBytes(entry.clientId, entry.state === null ? 0 : (entry.bytes ?? 0))
  }

  /** R7: an entry whose clock runs further ahead of the known clock than maxAwarenessClockJump allows. */
  private refuseClockJumps(entries: readonly ReceivedAwarenessEntry[]): void {
    const wallClock = Date.now() // y-protocols stamps meta.lastUpdated with Date.now()
    for (const entry of entries) {
      const known = this.awareness.meta.get(entry.clientId)
      if (known !== undefined && entry.clock - known.clock > maxAwarenessClockJump(wallClock - known.lastUpdated)) {
        throw new MessageRefusal('malformed', 'awareness clock jump')
      }
    }
  }

  private setBytes(id: number, bytes: number): void {
    this.totalStateBytes += bytes - (this.stateBytes.get(id) ?? 0)
    if (bytes === 0) this.stateBytes.delete(id)
    else this.stateBytes.set(id, bytes)
  }

  /**
   * An awareness update of `ids` (y-protocols layout), encoded one state at a time: a state that cannot be encoded
   * (it passed R12's checks, so this is defence in depth) is left out and removed, and never costs the others their
   * batch or a joiner its greeting.
   */
  private encodeStates(ids: readonly number[]): Uint8Array {
    const entries: Array<{ clientId: number; clock: number; json: string }> = []
    const broken: number[] = []
    for (const clientId of ids) {
      const state = this.awareness.states.get(clientId) ?? null
      try {
        entries.push({ clientId, clock: this.awareness.meta.get(clientId)?.clock ?? 0, json: JSON.stringify(state) })
      } catch (error) {
        broken.push(clientId)
        this.options.logger.warn({ err: error, boardId: this.options.boardId, clientId }, 'awareness state cannot be encoded: removed')
      }
    }
    if (broken.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, broken, null)
    return encodeAwarenessUpdate(entries)
  }

  /**
   * C4: applies awareness changes another instance's connections made; they go to this instance's connections with the
   * next batch (onUpdate), and are not published again.
   */
  applyRemoteUpdate(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE)
  }

  /** C4: publishes the states this instance's connections hold (for an instance that just loaded the board). */
  publishOwnStates(): void {
    if (this.options.publish !== undefined && this.owners.size > 0) this.options.publish(this.encodeStates([...this.owners.keys()]))
  }

  /** R5: a closed connection's awareness states are removed at once (the others are told with the next batch). */
  removeStatesOf(connection: Connection): void {
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], connection)
    }
  }

  /** Called at the start of every room flush turn: without a window, the changes collected so far go out here. */
  flushTurn(): void {
    // With a window, only its timer sends awareness. Sending it here as well put an awareness message to every
    // connection (and its decoding by every client) in front of each doc update: ~1 ms of relay latency at 20 readers.
    if ((this.options.limits.awarenessBatchMs ?? 0) <= 0) this.flush()
  }

  /** Stops the batch timer and frees the awareness instance (the room closed). */
  destroy(): void {
    this.destroyed = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.awareness.off('update', this.onUpdate)
    this.awareness.destroy()
  }

  private readonly onUpdate = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const from = origin instanceof Connection ? origin : null
    this.allStatesMessage = null
    // C4: another instance's changes join this window's batch (one frame per connection per window, whichever instance
    // the changes came from: a frame of their own doubled the frames and the write syscalls, the servers' largest cost)
    // and are not published again
    if (origin === REMOTE) {
      for (const id of [...change.added, ...change.updated, ...change.removed]) this.dirty.add(id)
      this.origins.add(NO_CONNECTION)
      this.schedule()
      return
    }
    for (const id of [...change.added, ...change.updated]) {
      this.dirty.add(id)
      if (from !== null) {
        this.ownDirty.add(id)
        this.takeId(from, id)
      }
    }
    for (const id of change.removed) {
      this.dirty.add(id)
      if (from !== null) this.ownDirty.add(id)
      from?.awarenessIds.delete(id)
      const owner = this.owners.get(id)
      if (owner !== undefined) this.reserve(id, owner.info.credential)
      owner?.awarenessIds.delete(id)
      this.owners.delete(id)
      this.setBytes(id, 0)
    }
    if (from !== null) this.origins.add(from)
    else this.origins.add(NO_CONNECTION)
    this.schedule()
  }

  /** R7: a released id stays with its credential for a while (a reconnecting facilitator finds it free). */
  private reserve(id: number, credential: string): void {
    const now = this.now()
    if (this.reservations.size >= 2 * this.limit('maxAwarenessStatesPerRoom')) {
      for (const [other, r] of this.reservations) if (r.until <= now) this.reservations.delete(other)
    }
    this.reservations.set(id, { credential, until: now + this.limit('awarenessIdReservationMs') })
  }

  private takeId(connection: Connection, id: number): void {
    const previous = this.owners.get(id)
    if (previous === connection) return
    previous?.awarenessIds.delete(id)
    this.reservations.delete(id)
    this.owners.set(id, connection)
    connection.awarenessIds.add(id)
  }

  private schedule(): void {
    const window = this.options.limits.awarenessBatchMs ?? 0
    if (window <= 0) {
      this.options.scheduleFlush()
      return
    }
    if (this.timer !== null) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, window)
  }

  private flush(): void {
    if (this.ownDirty.size > 0 && !this.destroyed) {
      const own = [...this.ownDirty]
      this.ownDirty.clear()
      this.options.publish?.(this.encodeStates(own))
    }
    if (this.dirty.size === 0 || this.destroyed) return
    const ids = [...this.dirty]
    const origins = [...this.origins]
    this.dirty.clear()
    this.origins.clear()
    const message = encodeAwarenessMessage(this.encodeStates(ids))
    // When one connection caused every change of this batch, it already knows them.
    const skip = origins.length === 1 ? origins[0] : undefined
    this.options.sendToConnections(message, (connection) => connection === skip)
  }
}

/** The origin of awareness changes made on another instance (C4). */
const REMOTE = Symbol('remote')

/** Stands for changes no connection caused (timeouts, server code), so such a batch is sent to everyone. */
const NO_CONNECTION = Symbol('server') as unknown as Connection
