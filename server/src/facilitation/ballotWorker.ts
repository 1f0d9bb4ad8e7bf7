// Worker thread of createWorkerBallotWriter (ballotWriter.ts), started through threads/workerBoot.mjs: commits ballots on
// its own connection to the database file, so that the fsync of each commit does not block the event loop.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import { openSqliteDatabase } from '../store/sqliteDatabase.ts'
import { createBallotCommit, type BallotWrite } from './ballotCommit.ts'

interface Job {
  id: number
  write: BallotWrite
}

const port = parentPort!
const db = openSqliteDatabase((workerData as { file: string }).file)
const commit = createBallotCommit(db)

/**
 * Group commit: the ballots that queued up while the previous commit waited for its fsync go into ONE transaction.
 * All or nothing: when the commit fails, every ballot in it is told so (none was written).
 */
port.on('message', (first: { type: 'put'; jobs: Job[] } | { type: 'close' }) => {
  const messages = [first]
  for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) {
    messages.push(next.message as typeof first)
  }
  const jobs = messages.flatMap((m) => (m.type === 'put' ? m.jobs : []))
  if (jobs.length > 0) {
    try {
      const outcomes = commit(jobs.map((job) => job.write))
      port.postMessage({ ids: jobs.map((job) => job.id), outcomes })
    } catch (error) {
      port.postMessage({ ids: jobs.map((job) => job.id), error: error instanceof Error ? error.message : String(error) })
    }
  }
  if (messages.some((m) => m.type === 'close')) {
    db.close()
    port.postMessage({ closed: true })
  }
})
