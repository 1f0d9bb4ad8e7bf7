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
  append(boardId: BoardId, updates: readonly Uint8Array[]): Promise<void>
  /** Merges the board's log into one state. Returns the number of rows merged (0 when there was nothing to do). */
  compact(boardId: BoardId): Promise<number>
  list(): Promise<BoardId[]>
  delete(boardId: BoardId): Promise<void>
  close(): Promise<void>
}
