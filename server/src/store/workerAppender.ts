import { Worker } from 'node:worker_threads'
import type { BoardId } from '../../../shared/src/boardId.ts'

/** Appends update batches durably; resolves once the batch is committed. */
export interface UpdateAppender {
  append(boardId: BoardId, updates: readonly Uint8Array[]): Promise<void>
  close(): Promise<void>
}

/**
 * Appends in a worker thread with its own connection to the database file (WAL, synchronous=FULL). A commit waits
 * for an fsync (~4 ms idle on this machine, far more under load); on the main thread that stalls every room, every
 * relay and all presence traffic. In a worker only the rooms waiting for that commit wait, and batches queued
 * meanwhile are committed one after another. Batches are committed in the order they were given.
 */
export function createWorkerAppender(file: string): UpdateAppender {
  const worker = new Worker(new URL('./appendWorker.mjs', import.meta.url), { workerData: { file }, execArgv: [] })
  worker.unref()
  let nextId = 0
  let dead: Error | null = null
  const jobs = new Map<number, { resolve: () => void; reject: (e: Error) => void }>()
  const failAll = (error: Error) => {
    dead = error
    for (const job of jobs.values()) job.reject(error)
    jobs.clear()
  }
  worker.on('message', (message: { id: number; error?: string }) => {
    const job = jobs.get(message.id)
    if (job === undefined) return
    jobs.delete(message.id)
    if (message.error !== undefined) job.reject(new Error(message.error))
    else job.resolve()
  })
  worker.on('error', (error) => failAll(error))
  worker.on('exit', () => failAll(new Error('append worker exited')))
  const call = (message: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      if (dead !== null) {
        reject(dead)
        return
      }
      const id = ++nextId
      jobs.set(id, { resolve, reject })
      worker.postMessage({ ...message, id })
    })
  return {
    append(boardId, updates) {
      return call({ type: 'append', boardId, updates })
    },
    async close() {
      if (dead === null) await call({ type: 'close' }).catch(() => {})
      await worker.terminate()
    },
  }
}
