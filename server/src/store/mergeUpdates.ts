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

/** Merges on the calling thread (tests, small deployments). */
export function createInlineMerger(): UpdateMerger {
  return {
    async merge(updates) {
      let badRows = 0
      const chunks = mergeUpdateLog(updates, () => badRows++)
      return { chunks, badRows }
    },
    async close() {},
  }
}

/**
 * Merges in a worker thread: replaying a 10,000-record board takes ~250 ms, which would otherwise stall every room's
 * relay. Jobs run one at a time in the worker; a crashed worker fails its pending jobs and is restarted on next use.
 */
export function createWorkerMerger(): UpdateMerger {
  let worker: Worker | null = null
  let nextId = 0
  const jobs = new Map<number, { resolve: (r: MergeResult) => void; reject: (e: Error) => void }>()
  const failAll = (error: Error) => {
    for (const job of jobs.values()) job.reject(error)
    jobs.clear()
  }
  const getWorker = (): Worker => {
    if (worker !== null) return worker
    const w = startModuleWorker(import.meta.url, 'mergeWorker')
    w.unref()
    w.on('message', (message: { id: number; chunks?: Uint8Array[]; badRows?: number; error?: string }) => {
      const job = jobs.get(message.id)
      if (job === undefined) return
      jobs.delete(message.id)
      if (message.error !== undefined || message.chunks === undefined) job.reject(new Error(message.error ?? 'merge failed'))
      else job.resolve({ chunks: message.chunks, badRows: message.badRows ?? 0 })
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
  return {
    merge(updates) {
      return new Promise((resolve, reject) => {
        const id = ++nextId
        jobs.set(id, { resolve, reject })
        getWorker().postMessage({ id, updates })
      })
    },
    async close() {
      const w = worker
      worker = null
      if (w !== null) await w.terminate()
    },
  }
}
