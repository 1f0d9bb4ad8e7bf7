// Worker thread of createWorkerAppender (workerAppender.ts): appends update batches to doc_updates on its own SQLite
// connection, so that the fsync of each commit (synchronous=FULL) does not block the main event loop.
// Plain JavaScript so that it runs without a TypeScript loader. The tables are created by createSqliteDocStore.
import { createHash } from 'node:crypto'
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('busy_timeout = 5000')
// Prepared at the first append: the main thread may still be creating the tables when this worker starts.
let appendAll = null
let commits = 0
/** meetingErasure.ts tombstoneOf: what erased_meetings stores of a meeting (= board) id. */
const tombstoneOf = (id) => createHash('sha256').update(id, 'utf8').digest('hex')

function prepare() {
  const insert = db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)')
  const erased = db.prepare('SELECT 1 FROM erased_meetings WHERE id_hash = ?')
  // Returns the ids of the jobs refused because their meeting was erased (meetings SPEC E5): checked in the same
  // transaction as the inserts, so an erase either comes after them (and deletes them) or before (and they are refused).
  return db.transaction((jobs) => {
    const refused = []
    for (const job of jobs) {
      if (erased.get(tombstoneOf(job.boardId)) !== undefined) refused.push(job.id)
      else for (const update of job.updates) insert.run(job.boardId, update)
    }
    return refused
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
    const refused = appendAll.immediate(jobs)
    commits++
    parentPort.postMessage({ ids, refused, commits, commitMs: performance.now() - started })
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
