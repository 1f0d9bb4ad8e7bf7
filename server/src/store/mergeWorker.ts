// Worker thread of createWorkerMerger (mergeUpdates.ts): merges an update log into its state (chunks, or one update),
// or encodes a joiner's sync answer, off the event loop, and transfers the bytes back.
import { parentPort } from 'node:worker_threads'
import { encodeSyncState, mergeUpdateLog, stateOfUpdateLog, type MergeJob, type WorkerAnswer } from './mergeUpdates.ts'

const port = parentPort!
port.on('message', (job: MergeJob) => {
  try {
    if (job.kind === 'sync' || job.kind === 'state') {
      const update = job.kind === 'sync' ? encodeSyncState(job.parts, job.stateVector) : stateOfUpdateLog(job.updates)
      port.postMessage({ id: job.id, update } satisfies WorkerAnswer, [update.buffer as ArrayBuffer])
      return
    }
    let badRows = 0
    const chunks = mergeUpdateLog(job.updates, () => badRows++)
    port.postMessage({ id: job.id, chunks, badRows } satisfies WorkerAnswer, chunks.map((chunk) => chunk.buffer as ArrayBuffer))
  } catch (error) {
    port.postMessage({ id: job.id, error: String(error) } satisfies WorkerAnswer)
  }
})
