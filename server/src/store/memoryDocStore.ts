import type { BoardId } from '../../../shared/src/boardId.ts'
import type { DocStore } from './DocStore.ts'
import { mergeUpdateLog } from './mergeUpdates.ts'

/** The backing storage of memory stores: pass the same one to a new store to "reopen" it. */
export type MemoryDocStorage = Map<BoardId, Uint8Array[]>

/** An in-memory DocStore for unit tests and throwaway servers. Copies every buffer in and out. */
export function createMemoryDocStore(boards: MemoryDocStorage = new Map()): DocStore {
  let closed = false
  const ensureOpen = () => {
    if (closed) throw new Error('DocStore is closed')
  }
  return {
    async load(boardId) {
      ensureOpen()
      return { updates: (boards.get(boardId) ?? []).map((u) => u.slice()) }
    },
    async append(boardId, updates) {
      ensureOpen()
      if (updates.length === 0) return
      const log = boards.get(boardId) ?? []
      log.push(...updates.map((u) => u.slice()))
      boards.set(boardId, log)
    },
    async compact(boardId) {
      ensureOpen()
      const log = boards.get(boardId)
      if (log === undefined || log.length <= 1) return 0
      const merged = mergeUpdateLog(log)
      const count = log.length
      // Synchronous from read to write: nothing can be appended in between in this implementation.
      boards.set(boardId, [merged])
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
    async close() {
      closed = true
    },
  }
}
