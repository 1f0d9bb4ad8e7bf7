// Entry of every worker thread that runs one of our TypeScript modules (moduleWorker.ts: the board pool, the merge and ballot workers). Plain JavaScript so that it starts without a TypeScript loader:
// a built server (npm run build) runs the compiled module directly; from the sources (tsx, vitest) the worker first
// registers tsx, because Node 20 does not apply a parent's `--import tsx` to a worker's own entry module.
import { workerData } from 'node:worker_threads'

if (workerData.typescript) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(workerData.module)
