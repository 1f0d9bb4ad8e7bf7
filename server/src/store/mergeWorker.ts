// Worker thread of createWorkerMerger (mergeUpdates.ts): merges an update log into its state's chunks off the event
// loop and transfers them back.
import { parentPort } from 'node:worker_threads'
import { mergeUpdateLog } from './mergeUpdates.ts'

const port = parentPort!
port.on('message', ({ id, updates }: { id: number; updates: Uint8Array[] }) => {
  try {
    let badRows = 0
    const chunks = mergeUpdateLog(updates, () => badRows++)
    port.postMessage({ id, chunks, badRows }, chunks.map((chunk) => chunk.buffer as ArrayBuffer))
  } catch (error) {
    port.postMessage({ id, error: String(error) })
  }
})
