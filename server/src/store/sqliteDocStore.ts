import type { BoardId } from '../../../shared/src/boardId.ts'
import type { DocStore } from './DocStore.ts'
import { refuseIfErased } from './meetingErasure.ts'
import { createInlineMerger, type UpdateMerger } from './mergeUpdates.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase } from './sqliteDatabase.ts'
import { sqliteErasedCheck } from './sqliteErasedMeetings.ts'
import type { UpdateAppender } from './workerAppender.ts'

/** Schema of the document tables; one entry per version (index i migrates version i to i + 1). */
const DOC_MIGRATIONS = [
  (db: SqliteDatabase) => {
    db.exec(`
      CREATE TABLE doc_updates (
        id INTEGER PRIMARY KEY,
        board_id TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX doc_updates_by_board ON doc_updates (board_id, id);
    `)
  },
]

/** The current version of the document tables (component 'docs' in tavolo_schema). */
export const DOC_SCHEMA_VERSION = DOC_MIGRATIONS.length

export interface SqliteDocStoreOptions {
  /** Told about stored rows that Yjs cannot decode (skipped while compacting). */
  onBadRow?: (boardId: BoardId, count: number) => void
  /** Where logs are merged during compaction; default: on the calling thread. main.ts uses a worker thread. */
  merger?: UpdateMerger
  /** Where appends are committed; default: this connection, synchronously. main.ts uses a worker thread. */
  appender?: UpdateAppender
}

/**
 * The embedded DocStore: an append-only log of Yjs updates per board in the shared SQLite database (WAL,
 * synchronous=FULL, see openSqliteDatabase). Appends are one synchronous transaction each, or go to the `appender`
 * (a worker that may commit several boards' appends in one transaction). Compaction merges off the
 * transaction (optionally in a worker thread) and then swaps rows in one transaction.
 * `close()` does not close the shared database handle: its owner (main.ts) does.
 */
export function createSqliteDocStore(db: SqliteDatabase, options: SqliteDocStoreOptions = {}): DocStore {
  migrateSchema(db, 'docs', DOC_MIGRATIONS)
  const isErased = sqliteErasedCheck(db)
  const selectLog = db.prepare<[string], { id: number; data: Buffer }>(
    'SELECT id, data FROM doc_updates WHERE board_id = ? ORDER BY id',
  )
  const insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)')
  const deleteBoard = db.prepare<[string]>('DELETE FROM doc_updates WHERE board_id = ?')
  const selectBoards = db.prepare<[], { board_id: string }>('SELECT DISTINCT board_id FROM doc_updates ORDER BY board_id')
  const listBoards = () => selectBoards.all().map((r) => r.board_id as BoardId)

  const toBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

  const appendAll = db.transaction((boardId: BoardId, updates: readonly Uint8Array[]) => {
    refuseIfErased(isErased, boardId)
    for (const update of updates) insertUpdate.run(boardId, update)
  })

  const rowExists = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM doc_updates WHERE id = ?')
  const overwriteRow = db.prepare<[Uint8Array, number]>('UPDATE doc_updates SET data = ? WHERE id = ?')
  const deleteBefore = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE board_id = ? AND id < ?')
  const replaceUpTo = db.transaction((boardId: BoardId, maxId: number, merged: Uint8Array): boolean => {
    // The board was deleted (or compacted) while merging: writing the merge would resurrect or duplicate it.
    if (rowExists.get(maxId) === undefined || isErased(boardId)) return false
    // The merged state takes the place of the last row it merged, so it loads before every row appended while it was
    // being merged (those depend on it). A new row at the end would load after them: Yjs holds each as pending and
    // re-merges its pending set with every later row, and a log of thousands stalled a room's load for minutes.
    overwriteRow.run(merged, maxId)
    deleteBefore.run(boardId, maxId)
    return true
  })
  const merger = options.merger ?? createInlineMerger()
  /** One compaction per board at a time. */
  const compacting = new Map<BoardId, Promise<number>>()

  /**
   * Reads the log up to its last row, merges it (possibly in a worker), then in ONE transaction inserts the merged
   * state and deletes exactly the rows merged. A row appended meanwhile has a larger id and stays.
   */
  async function compactLog(boardId: BoardId): Promise<number> {
    const rows = selectLog.all(boardId)
    if (rows.length <= 1) return 0
    const maxId = rows[rows.length - 1]!.id
    const { merged, badRows } = await merger.merge(rows.map((r) => toBytes(r.data)))
    if (badRows > 0) options.onBadRow?.(boardId, badRows)
    ensureOpen()
    return replaceUpTo.immediate(boardId, maxId, merged) ? rows.length : 0
  }

  let closed = false
  const ensureOpen = () => {
    if (closed) throw new Error('DocStore is closed')
  }

  return {
    async load(boardId) {
      ensureOpen()
      return { updates: selectLog.all(boardId).map((r) => toBytes(r.data)) }
    },
    async append(boardId, updates) {
      ensureOpen()
      if (updates.length === 0) return
      if (options.appender) await options.appender.append(boardId, updates)
      else appendAll.immediate(boardId, updates)
    },
    async compact(boardId) {
      ensureOpen()
      const running = compacting.get(boardId)
      if (running !== undefined) await running.catch(() => 0)
      const job = compactLog(boardId).finally(() => {
        if (compacting.get(boardId) === job) compacting.delete(boardId)
      })
      compacting.set(boardId, job)
      return job
    },
    async list() {
      ensureOpen()
      return listBoards()
    },
    async delete(boardId) {
      ensureOpen()
      deleteBoard.run(boardId)
    },
    component: 'board',
    async eraseMeeting(meetingId) {
      ensureOpen()
      return securelyDeleting(db, () => deleteBoard.run(meetingId).changes)
    },
    async meetingIds() {
      ensureOpen()
      return listBoards()
    },
    async close() {
      closed = true
      await Promise.allSettled([...compacting.values()])
      await options.appender?.close()
    },
  }
}
