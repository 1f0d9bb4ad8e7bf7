// Worker thread of createWorkerAppender (workerAppender.ts): appends update batches to doc_updates on its own SQLite
// connection, so that the fsync of each commit (synchronous=FULL) does not block the main event loop.
// Plain JavaScript so that it runs without a TypeScript loader. The tables are created by createSqliteDocStore.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('busy_timeout = 5000')
// Prepared at the first append: the main thread may still be creating the tables when this worker starts.
let appendAll = null
let commits = 0
function prepare() {
  const insert = db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)')
  return db.transaction((jobs) => {
    for (const job of jobs) for (const update of job.updates) insert.run(job.boardId, update)
  })
}

/**
 * Group commit: every append queued here while the previous commit waited for its fsync (any room) goes into ONE
 * transaction, so N busy rooms cost one fsync per round instead of N in a row. All or nothing: if the commit fails,
 * every append in it is told so (none of them may be relayed).
 */
function commit(jobs) {
  if (jobs.length === 0) return
  const ids = jobs.map((job) => job.id)
  try {
    appendAll ??= prepare()
    const started = performance.now()
    appendAll.immediate(jobs)
    commits++
    parentPort.postMessage({ ids, commits, commitMs: performance.now() - started })
  } catch (error) {
    parentPort.postMessage({ ids, error: error instanceof Error ? error.message : String(error) })
  }
}

parentPort.on('message', (first) => {
  const messages = [first]
  for (let next = receiveMessageOnPort(parentPort); next !== undefined; next = receiveMessageOnPort(parentPort)) {
    messages.push(next.message)
  }
  let group = []
  for (const message of messages) {
    if (message.type === 'close') {
      commit(group)
      group = []
      if (db.open) db.close()
      parentPort.postMessage({ ids: [message.id] })
    } else if (!db.open) {
      parentPort.postMessage({ ids: message.jobs.map((job) => job.id), error: 'append worker closed' })
    } else {
      group.push(...message.jobs)
    }
  }
  commit(group)
})
