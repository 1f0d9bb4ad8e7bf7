import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../threads/moduleWorker.ts'
import { BOARD_JOBS, type BoardJobs, type JobName } from './boardJobs.ts'

/** Runs the board jobs of boardJobs.ts somewhere: a pool of worker threads, or (tests) the calling thread. */
export interface BoardWork {
  run<J extends JobName>(job: J, input: Parameters<BoardJobs[J]>[0]): Promise<ReturnType<BoardJobs[J]>>
  /** Resolves once every worker has started (jobs submitted before simply wait for it). */
  ready(): Promise<void>
  close(): Promise<void>
}

/**
 * Default pool size: one worker per core beyond the one the event loop needs, at least one. On the 2-core machines
 * Tavolo targets that is 1, next to the append and merge workers (which mostly wait for the disk).
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1))
}

/** Runs the jobs on the calling thread: unit tests, and tools that have no event loop to protect. */
export function createInlineBoardWork(): BoardWork {
  return {
    async run(job, input) {
      const run = BOARD_JOBS[job] as (input: unknown) => unknown
      return run(input) as never
    },
    async ready() {},
    async close() {},
  }
}

interface Pending {
  job: JobName
  input: unknown
  resolve: (output: never) => void
  reject: (error: Error) => void
}

interface PoolWorker {
  worker: Worker
  busy: Pending | null
  ready: boolean
}

/**
 * A fixed pool of `size` worker threads running boardJobs.ts, one job per worker at a time, the rest queued in order.
 * Workers start at once (starting one costs ~100 ms built, ~1 s under tsx) and live as long as the pool; a worker that
 * dies fails its job and is replaced. The queue itself is unbounded: callers bound what they submit (heavyWork.ts).
 */
export function createWorkerPool(options: { size: number }): BoardWork {
  const workers: PoolWorker[] = []
  const queue: Pending[] = []
  let closed = false
  let nextId = 0
  const ids = new Map<PoolWorker, number>()
  const readyWaiters: Array<() => void> = []
  const allReady = () => workers.every((w) => w.ready)

  const dispatch = () => {
    for (const w of workers) {
      if (queue.length === 0) return
      if (w.busy !== null || !w.ready) continue
      const next = queue.shift()!
      w.busy = next
      const id = ++nextId
      ids.set(w, id)
      // inputs are copied, never transferred: a caller may still hold them (a room's cached state)
      w.worker.postMessage({ id, job: next.job, input: next.input })
    }
  }

  const spawn = (): PoolWorker => {
    const worker = startModuleWorker(import.meta.url, 'boardWorker')
    worker.unref()
    const w: PoolWorker = { worker, busy: null, ready: false }
    worker.on('message', (message: { ready?: true; id?: number; output?: unknown; error?: string }) => {
      if (message.ready === true) {
        w.ready = true
        if (allReady()) for (const resolve of readyWaiters.splice(0)) resolve()
        dispatch()
        return
      }
      const job = w.busy
      if (job === null || message.id !== ids.get(w)) return
      w.busy = null
      if (message.error !== undefined) job.reject(new Error(message.error))
      else job.resolve(message.output as never)
      dispatch()
    })
    const replace = (error: Error) => {
      const index = workers.indexOf(w)
      if (index < 0) return
      workers.splice(index, 1)
      w.busy?.reject(error)
      w.busy = null
      if (!closed) {
        workers.push(spawn())
        dispatch()
      }
    }
    worker.on('error', (error) => replace(error))
    worker.on('exit', (code) => replace(new Error(`board worker exited (${code})`)))
    return w
  }

  for (let i = 0; i < Math.max(1, options.size); i++) workers.push(spawn())

  return {
    run(job, input) {
      if (closed) return Promise.reject(new Error('the worker pool is closed'))
      return new Promise((resolve, reject) => {
        queue.push({ job, input, resolve: resolve as (output: never) => void, reject })
        dispatch()
      })
    },
    ready() {
      return allReady() ? Promise.resolve() : new Promise((resolve) => readyWaiters.push(resolve))
    },
    async close() {
      closed = true
      for (const resolve of readyWaiters.splice(0)) resolve()
      for (const pending of queue.splice(0)) pending.reject(new Error('the worker pool is closed'))
      const all = workers.splice(0)
      await Promise.all(all.map(async (w) => {
        w.busy?.reject(new Error('the worker pool is closed'))
        await w.worker.terminate()
      }))
    },
  }
}
