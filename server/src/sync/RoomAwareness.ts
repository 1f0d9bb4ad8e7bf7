import type * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Logger } from '../log.ts'
import { Connection } from './Connection.ts'
import { encodeAwarenessMessage, type AwarenessEntry } from './protocol.ts'
import { encodeAwarenessEntries, sanitizeAwarenessEntries } from './awarenessIdentity.ts'

export interface RoomAwarenessOptions {
  boardId: BoardId
  /** The room's doc; the awareness instance is bound to it. */
  doc: Y.Doc
  logger: Logger
  /** The room's limits object, read on every change (like the rest of the room). */
  limits: { readonly awarenessBatchMs?: number }
  /** Sends one message to every connection of the room for which `skip` returns false. */
  sendToConnections(message: Uint8Array, skip: (connection: Connection) => boolean): void
  /** Told about every client's presence states once applied (e.g. the report's attendance count). */
  presenceObservers?: ReadonlyArray<(boardId: BoardId, states: readonly unknown[]) => void>
  /** Asks for the room's next flush turn (one setImmediate shared with doc updates), which calls `flushTurn`. */
  scheduleFlush(): void
}

/**
 * The awareness of one room (R5, R7): relayed, never stored. Collects changes and sends them as one message per
 * connection per batch window, and tracks which connection owns each awareness client id.
 */
export class RoomAwareness {
  private readonly awareness: awarenessProtocol.Awareness
  private readonly dirty = new Set<number>()
  private readonly origins = new Set<Connection>()
  /** R7: which connection currently speaks for each awareness client id. */
  private readonly owners = new Map<number, Connection>()
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
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) {
      connection.send(
        encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)),
        this.options.logger,
      )
    }
  }

  /** Answers a query-awareness message with every known state (even when there is none). */
  answerQuery(connection: Connection): void {
    const states = [...this.awareness.getStates().keys()]
    connection.send(
      encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)),
      this.options.logger,
    )
  }

  /** R7: stamp roles and keep other keys' client ids out, then apply (re-encoding only when something changed). */
  applyClientUpdate(connection: Connection, update: Uint8Array, entries: AwarenessEntry[]): void {
    const result = sanitizeAwarenessEntries(entries, connection.info, (id) => this.owners.get(id)?.info)
    if (result.dropped > 0) {
      this.options.logger.info(
        { boardId: this.options.boardId, connectionId: connection.id, dropped: result.dropped },
        "awareness entries for another key's client ids dropped",
      )
    }
    if (result.entries.length === 0) return
    const applied = result.changed ? encodeAwarenessEntries(result.entries) : update
    awarenessProtocol.applyAwarenessUpdate(this.awareness, applied, connection)
    for (const observe of this.options.presenceObservers ?? []) observe(this.options.boardId, result.entries.map((e) => e.state))
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
    for (const id of [...change.added, ...change.updated]) {
      this.dirty.add(id)
      if (from !== null) this.takeId(from, id)
    }
    for (const id of change.removed) {
      this.dirty.add(id)
      from?.awarenessIds.delete(id)
      this.owners.get(id)?.awarenessIds.delete(id)
      this.owners.delete(id)
    }
    if (from !== null) this.origins.add(from)
    else this.origins.add(NO_CONNECTION)
    this.schedule()
  }

  private takeId(connection: Connection, id: number): void {
    const previous = this.owners.get(id)
    if (previous === connection) return
    previous?.awarenessIds.delete(id)
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
    if (this.dirty.size === 0 || this.destroyed) return
    const ids = [...this.dirty]
    const origins = [...this.origins]
    this.dirty.clear()
    this.origins.clear()
    const message = encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))
    // When one connection caused every change of this batch, it already knows them.
    const skip = origins.length === 1 ? origins[0] : undefined
    this.options.sendToConnections(message, (connection) => connection === skip)
  }
}

/** Stands for changes no connection caused (timeouts, server code), so such a batch is sent to everyone. */
const NO_CONNECTION = Symbol('server') as unknown as Connection
