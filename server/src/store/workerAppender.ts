import { Worker } from 'node:worker_threads'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { MeetingErasedError } from './meetingErasure.ts'

/** Appends update batches durably; resolves once the batch is committed. */
export interface UpdateAppender {
  append(boardId: BoardId, updates: readonly Uint8Array[]): Promise<void>
  close(): Promise<void>
}

export interface WorkerAppender extends UpdateAppender {
  /** Transactions committed so far; fewer than appends when several were committed together. */
  readonly commits: number
}

interface AppendJob {
  id: number
  boardId: BoardId
  updates: readonly Uint8Array[]
}

/** `refused`: jobs of erased meetings, not written (DocStore contract rule 6). */
type WorkerReply = { ids: number[]; refused?: number[]; commits?: number; commitMs?: number; error?: string }

export interface WorkerAppenderOptions {
  /** Told after each group commit: how many appends (room batches) it held and how long the transaction took. */
  onCommit?: (appends: number, commitMs: number) => void
}

/**
 * Appends in a worker thread with its own connection to the database file (WAL, synchronous=FULL). A commit waits
 * for an fsync (~4 ms idle on this machine, far more under load); on the main thread that stalls every room, every
 * relay and all presence traffic. In a worker only the rooms waiting for that commit wait.
 * Group commit: appends made in the same task go to the worker as one message, and the worker commits everything that
 * queued up during its previous commit in one transaction (one fsync for all rooms), in the order given. A promise
 * resolves only after the transaction holding its batch committed; if that transaction fails, every append in it
 * rejects.
 */
export function createWorkerAppender(file: string, options: WorkerAppenderOptions = {}): WorkerAppender {
  const worker = new Worker(new URL('./appendWorker.mjs', import.meta.url), { workerData: { file }, execArgv: [] })
  worker.unref()
  let nextId = 0
  let commits = 0
  let dead: Error | null = null
  let queued: AppendJob[] = []
  const jobs = new Map<number, { boardId: BoardId | null; resolve: () => void; reject: (e: Error) => void }>()
  const failAll = (error: Error) => {
    dead = error
    for (const job of jobs.values()) job.reject(error)
    jobs.clear()
  }
  worker.on('message', (reply: WorkerReply) => {
    if (reply.commits !== undefined) commits = reply.commits
    if (reply.commitMs !== undefined) options.onCommit?.(reply.ids.length, reply.commitMs)
    for (const id of reply.ids) {
      const job = jobs.get(id)
      if (job === undefined) continue
      jobs.delete(id)
      if (reply.error !== undefined) job.reject(new Error(reply.error))
      else if (reply.refused?.includes(id) === true) job.reject(new MeetingErasedError(job.boardId ?? ''))
      else job.resolve()
    }
  })
  worker.on('error', (error) => failAll(error))
  worker.on('exit', () => failAll(new Error('append worker exited')))
  const postQueued = () => {
    if (queued.length === 0) return
    const batch = queued
    queued = []
    worker.postMessage({ type: 'append', jobs: batch })
  }
  const register = (id: number, boardId: BoardId | null) =>
    new Promise<void>((resolve, reject) => {
      if (dead !== null) reject(dead)
      else jobs.set(id, { boardId, resolve, reject })
    })
  return {
    get commits() {
      return commits
    },
    append(boardId, updates) {
      const id = ++nextId
      const done = register(id, boardId)
      if (dead === null) {
        // A microtask, not a timer: it adds no latency, and appends made later in this task still join the message.
        if (queued.length === 0) queueMicrotask(postQueued)
        queued.push({ id, boardId, updates })
      }
      return done
    },
    async close() {
      if (dead === null) {
        postQueued()
        const id = ++nextId
        const closed = register(id, null)
        worker.postMessage({ type: 'close', id })
        await closed.catch(() => {})
      }
      await worker.terminate()
    },
  }
}
