import type { BoardId } from '../../../shared/src/boardId.ts'
import type { PerMeetingStore } from './meetingErasure.ts'

/** What a store holds for one board: its update log (possibly already compacted into one state). */
export interface StoredDoc {
  /** Yjs updates (v1 encoding) in append order; applying all of them rebuilds the board. Empty for a new board. */
  updates: Uint8Array[]
}

/**
 * Durable storage of live board documents as an append-only log of Yjs updates.
 *
 * Contract (checked by tests/unit/docStoreContract.ts against every implementation):
 * 1. `append` is atomic: after it resolves every given update is durable; if it rejects none is.
 * 2. `load` returns every update appended and not yet compacted, in append order, plus the compacted state.
 * 3. `compact` replaces the log with one equivalent state in one atomic step and never drops an update
 *    appended concurrently with it. `load` returns that state as its causally ordered chunks (stateChunks.ts, sync
 *    SPEC R18): applied in order, none waits for a later one.
 * 4. `list` names every board with at least one stored update; `delete` removes a board entirely.
 * 5. After `close` (and re-opening the same storage) everything appended is still there.
 * 6. A meeting's board id is its id. Once the meeting is erased (its tombstone written, meetingErasure.ts), `append`
 *    rejects with MeetingErasedError and writes nothing, and `compact` writes nothing; `eraseMeeting` removes the
 *    board's log and says how many rows; `meetingIds` = `list`.
 *
 * Methods return promises so that a networked implementation (PostgreSQL) fits the same interface.
 */
export interface DocStore extends PerMeetingStore {
  load(boardId: BoardId): Promise<StoredDoc>
  /** Shared stores (below) say where the updates landed; the others resolve with nothing. */
  append(boardId: BoardId, updates: readonly Uint8Array[]): Promise<AppendReceipt | void>
  /** Merges the board's log into one state. Returns the number of rows merged (0 when there was nothing to do). */
  compact(boardId: BoardId): Promise<number>
  list(): Promise<BoardId[]>
  delete(boardId: BoardId): Promise<void>
  close(): Promise<void>
}

/** Where one append landed in its board's log: its first update got `firstSeq`, the next one `firstSeq + 1`, and so on. */
export interface AppendReceipt {
  firstSeq: number
}

/** A board's rows after a sequence number, and the sequence number the last of them holds. */
export interface LogTail {
  updates: Uint8Array[]
  lastSeq: number
}

/**
 * A DocStore several Tavolo instances share (PostgreSQL; the memory store in tests): each board's log is numbered by a
 * gapless sequence assigned when an append commits, so an instance can tell which committed rows it has not seen
 * (cluster SPEC C2). Compaction keeps that numbering: the merged state takes the sequence number of the last row it
 * merged, so the rows after any number always rebuild everything committed after it.
 */
export interface SharedDocStore extends DocStore {
  readonly shared: true
  append(boardId: BoardId, updates: readonly Uint8Array[]): Promise<AppendReceipt>
  /** Like `load`, with the sequence number of the last row loaded (0 for an empty board). */
  load(boardId: BoardId): Promise<StoredDoc & { lastSeq: number }>
  /** The board's rows with a larger sequence number than `seq` (a compacted state among them is given as its chunks). */
  readAfter(boardId: BoardId, seq: number): Promise<LogTail>
  /** The last committed sequence number of each board that has one. */
  lastSeqs(boardIds: readonly BoardId[]): Promise<Map<BoardId, number>>
}

export function isSharedDocStore(store: DocStore): store is SharedDocStore {
  return (store as Partial<SharedDocStore>).shared === true
}
