import type { Worker } from 'node:worker_threads'
import * as Y from 'yjs'
import { startModuleWorker } from '../threads/moduleWorker.ts'
import { stateChunks } from './stateChunks.ts'

/**
 * Merges a board's update log into one state by replaying it into a garbage-collecting Y.Doc, and returns that state
 * as causally ordered chunks (stateChunks.ts), so that a room loads a big board a bounded slice at a time.
 *
 * Why not `Y.mergeUpdates`: it keeps the content of deleted items, and tldraw rewrites records on every move, so a
 * merged log would keep growing with dead content. Replaying into a Doc garbage-collects it, and
 * `encodeStateAsUpdate` also carries structs still waiting for a missing dependency (pendingStructs/pendingDs),
 * so nothing is dropped. Rows that Yjs cannot decode are skipped and reported through `onBadUpdate`.
 * mergeWorker.ts runs it off the main thread.
 */
export function mergeUpdateLog(updates: readonly Uint8Array[], onBadUpdate?: (index: number, error: unknown) => void): Uint8Array[] {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      updates.forEach((update, index) => {
        try {
          Y.applyUpdate(doc, update)
        } catch (error) {
          onBadUpdate?.(index, error)
        }
      })
    })
    return stateChunks(doc)
  } finally {
    doc.destroy()
  }
}

/** The result of merging a log: the state in chunks (applied in order), and how many rows Yjs could not decode (skipped). */
export interface MergeResult {
  chunks: Uint8Array[]
  badRows: number
}

/** Merges an update log; may run elsewhere (a worker thread) so that big boards do not block the event loop. */
export interface UpdateMerger {
  merge(updates: readonly Uint8Array[]): Promise<MergeResult>
  close(): Promise<void>
}

/** The state of an update log as one garbage-collected update (replayed into a doc, like mergeUpdateLog). */
export function stateOfUpdateLog(updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      for (const update of updates) {
        try {
          Y.applyUpdate(doc, update)
        } catch {
          // a row Yjs cannot read was skipped when the room loaded too (R18)
        }
      }
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}

/**
 * A joining client's sync answer: one update holding every part (committed updates, applied in order) minus what
 * `stateVector` already has. `Y.mergeUpdates` and `Y.diffUpdate` work on the encoded bytes, never building a doc;
 * `parts[0]` must be one whole state (stateOfUpdateLog, or a single update): see RoomPersistence.baseIsState.
 */
export function encodeSyncState(parts: readonly Uint8Array[], stateVector: Uint8Array): Uint8Array {
  const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts as Uint8Array[])
  const emptyStateVector = stateVector.length === 1 && stateVector[0] === 0
  return emptyStateVector ? merged : Y.diffUpdate(merged, stateVector)
}

/** Encodes sync answers; may run elsewhere (a worker thread): on a big board that is hundreds of milliseconds. */
export interface SyncStateEncoder {
  stateOf(updates: readonly Uint8Array[]): Promise<Uint8Array>
  encodeSyncState(parts: readonly Uint8Array[], stateVector: Uint8Array): Promise<Uint8Array>
}

/** The board work of a room that must not run on the event loop for a big board: log merges and sync answers. */
export type BoardStateWork = UpdateMerger & SyncStateEncoder

/** Merges on the calling thread (tests, small deployments). */
export function createInlineMerger(): BoardStateWork {
  return {
    async merge(updates) {
      let badRows = 0
      const chunks = mergeUpdateLog(updates, () => badRows++)
      return { chunks, badRows }
    },
    async stateOf(updates) {
      return stateOfUpdateLog(updates)
    },
    async encodeSyncState(parts, stateVector) {
      return encodeSyncState(parts, stateVector)
    },
    async close() {},
  }
}

/** What mergeWorker.ts is asked to do. */
export type MergeJob =
  | { id: number; kind: 'merge' | 'state'; updates: readonly Uint8Array[] }
  | { id: number; kind: 'sync'; parts: readonly Uint8Array[]; stateVector: Uint8Array }

/** What mergeWorker.ts answers: the merged chunks, a sync answer's update, or the error. */
export interface WorkerAnswer {
  id: number
  chunks?: Uint8Array[]
  badRows?: number
  update?: Uint8Array
  error?: string
}

/**
 * Merges in a worker thread: replaying a 10,000-record board takes ~250 ms, which would otherwise stall every room's
 * relay. Jobs run one at a time in the worker; a crashed worker fails its pending jobs and is restarted on next use.
 */
export function createWorkerMerger(): BoardStateWork {
  let worker: Worker | null = null
  let nextId = 0
  const jobs = new Map<number, { resolve: (message: WorkerAnswer) => void; reject: (e: Error) => void }>()
  const failAll = (error: Error) => {
    for (const job of jobs.values()) job.reject(error)
    jobs.clear()
  }
  const getWorker = (): Worker => {
    if (worker !== null) return worker
    const w = startModuleWorker(import.meta.url, 'mergeWorker')
    w.unref()
    w.on('message', (message: WorkerAnswer) => {
      const job = jobs.get(message.id)
      if (job === undefined) return
      jobs.delete(message.id)
      if (message.error !== undefined) job.reject(new Error(message.error))
      else job.resolve(message)
    })
    w.on('error', (error) => {
      worker = null
      failAll(error)
    })
    w.on('exit', () => {
      if (worker === w) worker = null
      failAll(new Error('merge worker exited'))
    })
    worker = w
    return w
  }
  const run = (job: MergeJob): Promise<WorkerAnswer> =>
    new Promise((resolve, reject) => {
      jobs.set(job.id, { resolve, reject })
      getWorker().postMessage(job)
    })
  return {
    async merge(updates) {
      const answer = await run({ id: ++nextId, kind: 'merge', updates })
      if (answer.chunks === undefined) throw new Error('merge failed: no chunks')
      return { chunks: answer.chunks, badRows: answer.badRows ?? 0 }
    },
    async stateOf(updates) {
      const answer = await run({ id: ++nextId, kind: 'state', updates })
      if (answer.update === undefined) throw new Error('merge failed: no state')
      return answer.update
    },
    async encodeSyncState(parts, stateVector) {
      const answer = await run({ id: ++nextId, kind: 'sync', parts, stateVector })
      if (answer.update === undefined) throw new Error('sync answer failed: no update')
      return answer.update
    },
    async close() {
      const w = worker
      worker = null
      if (w !== null) await w.terminate()
    },
  }
}
