// A board worker thread (workerPool.ts): runs the jobs of boardJobs.ts on what the main thread posts, one at a time,
// and answers with the result (its ArrayBuffers transferred, not copied) or the error's message.
import { parentPort } from 'node:worker_threads'
import { BOARD_JOBS, transferablesOf, type JobName } from './boardJobs.ts'

interface JobMessage {
  id: number
  job: JobName
  input: unknown
}

const port = parentPort
if (port === null) throw new Error('boardWorker.ts runs only as a worker thread')

port.on('message', ({ id, job, input }: JobMessage) => {
  let output: unknown
  try {
    const run = BOARD_JOBS[job] as (input: unknown) => unknown
    output = run(input)
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
    return
  }
  port.postMessage({ id, output }, transferablesOf(output))
})
port.postMessage({ ready: true })
