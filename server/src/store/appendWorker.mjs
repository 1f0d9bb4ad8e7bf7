// Worker thread of createWorkerAppender (workerAppender.ts): appends update batches to doc_updates on its own SQLite
// connection, so that the fsync of each commit (synchronous=FULL) does not block the main event loop.
// Plain JavaScript so that it runs without a TypeScript loader. The tables are created by createSqliteDocStore.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('busy_timeout = 5000')
// Prepared at the first append: the main thread may still be creating the tables when this worker starts.
let appendAll = null
function prepare() {
  const insert = db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)')
  return db.transaction((boardId, updates) => {
    for (const update of updates) insert.run(boardId, update)
  })
}

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close()
    parentPort.postMessage({ id: message.id })
    return
  }
  try {
    appendAll ??= prepare()
    appendAll.immediate(message.boardId, message.updates)
    parentPort.postMessage({ id: message.id })
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) })
  }
})
