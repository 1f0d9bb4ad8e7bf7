import { startModuleWorker } from '../threads/moduleWorker.ts'
import type { SqliteDatabase } from '../store/sqliteDatabase.ts'
import { createBallotCommit, type BallotWrite } from './ballotCommit.ts'
import type { PutBallotOutcome } from './VoteStore.ts'

/** Writes ballots durably: resolves once the transaction holding the ballot committed (VS3 checked inside it). */
export interface BallotWriter {
  put(write: BallotWrite): Promise<PutBallotOutcome>
  close(): Promise<void>
}

/**
 * On the calling thread: the ballots that arrive in the same event-loop turn share one transaction. Each commit
 * blocks the event loop for its fsync; tests and tools use it, the server uses the worker below.
 */
export function createInlineBallotWriter(db: SqliteDatabase): BallotWriter {
  const commit = createBallotCommit(db)
  let queue: Array<{ write: BallotWrite; resolve(outcome: PutBallotOutcome): void; reject(error: unknown): void }> = []
  const flush = () => {
    const batch = queue
    queue = []
    try {
      const outcomes = commit(batch.map((p) => p.write))
      batch.forEach((p, i) => p.resolve(outcomes[i]!))
    } catch (error) {
      for (const p of batch) p.reject(error)
    }
  }
  return {
    put(write) {
      return new Promise((resolve, reject) => {
        queue.push({ write, resolve, reject })
        if (queue.length === 1) setImmediate(flush)
      })
    },
    async close() {
      if (queue.length > 0) flush()
    },
  }
}

type WorkerReply = { ids: number[]; outcomes?: PutBallotOutcome[]; error?: string } | { closed: true }

/**
 * In a worker thread with its own connection to the database file (ballotWorker.ts). 100 voters pressing at once
 * would otherwise hold the event loop for every fsync in a row, and every room's relay with it. Ballots put in the
 * same task go to the worker as one message; the worker commits all that queued during its previous commit in one
 * transaction. If the worker dies, every pending ballot and every later one is refused (the caller answers 500: the
 * voter's device retries; nothing was half-written).
 */
export function createWorkerBallotWriter(file: string): BallotWriter {
  const worker = startModuleWorker(import.meta.url, 'ballotWorker', { file })
  worker.unref()
  let nextId = 0
  let dead: Error | null = null
  let queued: Array<{ id: number; write: BallotWrite }> = []
  const pending = new Map<number, { resolve(outcome: PutBallotOutcome): void; reject(error: Error): void }>()
  let onClosed: (() => void) | null = null
  const failAll = (error: Error) => {
    dead ??= error
    for (const p of pending.values()) p.reject(error)
    pending.clear()
    onClosed?.()
  }
  worker.on('message', (reply: WorkerReply) => {
    if ('closed' in reply) {
      onClosed?.()
      return
    }
    reply.ids.forEach((id, i) => {
      const p = pending.get(id)
      if (p === undefined) return
      pending.delete(id)
      if (reply.error !== undefined) p.reject(new Error(`ballot commit failed: ${reply.error}`))
      else p.resolve(reply.outcomes![i]!)
    })
  })
  worker.on('error', (error) => failAll(error))
  worker.on('exit', (code) => failAll(new Error(`ballot worker exited (${code})`)))
  const post = () => {
    if (queued.length === 0) return
    worker.postMessage({ type: 'put', jobs: queued })
    queued = []
  }
  return {
    put(write) {
      if (dead !== null) return Promise.reject(dead)
      const id = ++nextId
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        // A microtask, not a timer: no added latency, and ballots put later in this task still join the message.
        if (queued.length === 0) queueMicrotask(post)
        queued.push({ id, write: { ...write, cardIds: [...write.cardIds] } })
      })
    },
    async close() {
      if (dead === null) {
        post()
        const closed = new Promise<void>((resolve) => (onClosed = resolve))
        worker.postMessage({ type: 'close' })
        await closed
      }
      dead ??= new Error('the ballot writer is closed')
      await worker.terminate()
    },
  }
}
