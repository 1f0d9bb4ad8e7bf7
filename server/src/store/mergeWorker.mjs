// Worker thread of createWorkerMerger (mergeUpdates.ts): replays an update log into a gc Y.Doc and returns its state.
// Plain JavaScript so that it runs without a TypeScript loader; keep it in step with mergeUpdateLog.
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'

parentPort.on('message', ({ id, updates }) => {
  const doc = new Y.Doc()
  try {
    let badRows = 0
    doc.transact(() => {
      for (const update of updates) {
        try {
          Y.applyUpdate(doc, update)
        } catch {
          badRows++
        }
      }
    })
    const merged = Y.encodeStateAsUpdate(doc)
    parentPort.postMessage({ id, merged, badRows }, [merged.buffer])
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) })
  } finally {
    doc.destroy()
  }
})
