import type { BoardId } from '../../../shared/src/boardId.ts'
import type { LogTail, SharedDocStore } from './DocStore.ts'
import { refuseIfErased, type MemoryErasedMeetings } from './meetingErasure.ts'
import { mergeUpdateLog } from './mergeUpdates.ts'

/**
 * The backing storage of memory stores: pass the same one to a new store to "reopen" it. A board's log is a list of
 * rows; a row is one appended update, or the chunks of a compacted state (loaded in order, like the SQLite rows).
 */
export type MemoryDocStorage = Map<BoardId, MemoryLogRow[]>

export interface MemoryLogRow {
  updates: Uint8Array[]
  /** True for the chunks of a compacted state. */
  compacted: boolean
  /** The row's sequence number (a compacted state: the last one it merged). */
  seq: number
}

/**
 * An in-memory DocStore for unit tests and throwaway servers. Copies every buffer in and out. `erased`: the tombstones
 * shared with the other memory stores of the server (contract rule 6).
 */
export function createMemoryDocStore(boards: MemoryDocStorage = new Map(), erased?: MemoryErasedMeetings): SharedDocStore {
  let closed = false
  const ensureOpen = () => {
    if (closed) throw new Error('DocStore is closed')
  }
  const lastSeqOf = (boardId: BoardId) => boards.get(boardId)?.at(-1)?.seq ?? 0
  const tail = (boardId: BoardId, after: number): LogTail => {
    const rows = (boards.get(boardId) ?? []).filter((row) => row.seq > after)
    return { updates: rows.flatMap((row) => row.updates).map((u) => u.slice()), lastSeq: rows.at(-1)?.seq ?? after }
  }
  return {
    shared: true,
    async load(boardId) {
      ensureOpen()
      return tail(boardId, 0)
    },
    async readAfter(boardId, seq) {
      ensureOpen()
      return tail(boardId, seq)
    },
    async lastSeqs(boardIds) {
      ensureOpen()
      return new Map(boardIds.filter((id) => boards.has(id)).map((id) => [id, lastSeqOf(id)]))
    },
    async append(boardId, updates) {
      ensureOpen()
      const firstSeq = lastSeqOf(boardId) + 1
      if (updates.length === 0) return { firstSeq }
      refuseIfErased(erased?.isErased, boardId)
      const log = boards.get(boardId) ?? []
      log.push(...updates.map((u, i) => ({ updates: [u.slice()], compacted: false, seq: firstSeq + i })))
      boards.set(boardId, log)
      return { firstSeq }
    },
    async compact(boardId) {
      ensureOpen()
      const log = boards.get(boardId)
      // one update alone is compacted too: it may be a whole board uploaded at once, which loads in chunks only after
      if (log === undefined || log.length === 0 || (log.length === 1 && log[0]!.compacted) || erased?.isErased(boardId) === true) return 0
      const chunks = mergeUpdateLog(log.flatMap((row) => row.updates))
      const count = log.length
      // Synchronous from read to write: nothing can be appended in between in this implementation.
      boards.set(boardId, [{ updates: chunks, compacted: true, seq: log[log.length - 1]!.seq }])
      return count
    },
    async list() {
      ensureOpen()
      return [...boards.keys()]
    },
    async delete(boardId) {
      ensureOpen()
      boards.delete(boardId)
    },
    component: 'board',
    async eraseMeeting(meetingId) {
      ensureOpen()
      const count = boards.get(meetingId as BoardId)?.length ?? 0
      boards.delete(meetingId as BoardId)
      return count
    },
    async meetingIds() {
      ensureOpen()
      return [...boards.keys()]
    },
    async close() {
      closed = true
    },
  }
}
