import type { BoardId } from '../../../shared/src/boardId.ts'
import type { DocStore } from './DocStore.ts'
import { refuseIfErased } from './meetingErasure.ts'
import { createInlineMerger, type UpdateMerger } from './mergeUpdates.ts'
import { migrateSchema, securelyDeleting, type SqliteDatabase } from './sqliteDatabase.ts'
import { sqliteErasedCheck } from './sqliteErasedMeetings.ts'
import { frameChunks, unframeChunks } from './stateChunks.ts'
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
  // A compacted state is stored as its causally ordered chunks (stateChunks.ts) in one row, framed; appended rows
  // stay one update each. Older compacted rows (one state) load as before.
  (db: SqliteDatabase) => {
    db.exec('ALTER TABLE doc_updates ADD COLUMN framed INTEGER NOT NULL DEFAULT 0')
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
  const selectLog = db.prepare<[string], { id: number; data: Buffer; framed: number }>(
    'SELECT id, data, framed FROM doc_updates WHERE board_id = ? ORDER BY id',
  )
  const insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)')
  const deleteBoard = db.prepare<[string]>('DELETE FROM doc_updates WHERE board_id = ?')
  const selectBoards = db.prepare<[], { board_id: string }>('SELECT DISTINCT board_id FROM doc_updates ORDER BY board_id')
  const listBoards = () => selectBoards.all().map((r) => r.board_id as BoardId)

  const toBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  /** A row's updates: itself, or the chunks of a compacted state. A framing that does not read is kept as one update (Yjs refuses it; the room skips and reports it). */
  const updatesOf = (row: { data: Buffer; framed: number }): Uint8Array[] => {
    if (row.framed === 0) return [toBytes(row.data)]
    try {
      return unframeChunks(toBytes(row.data))
    } catch {
      return [toBytes(row.data)]
    }
  }

  const appendAll = db.transaction((boardId: BoardId, updates: readonly Uint8Array[]) => {
    refuseIfErased(isErased, boardId)
    for (const update of updates) insertUpdate.run(boardId, update)
  })

  const rowExists = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM doc_updates WHERE id = ?')
  const overwriteRow = db.prepare<[Uint8Array, number]>('UPDATE doc_updates SET data = ?, framed = 1 WHERE id = ?')
  const deleteBefore = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE board_id = ? AND id < ?')
  const replaceUpTo = db.transaction((boardId: BoardId, maxId: number, chunks: readonly Uint8Array[]): boolean => {
    // The board was deleted (or compacted) while merging: writing the merge would resurrect or duplicate it.
    if (rowExists.get(maxId) === undefined || isErased(boardId)) return false
    // The merged state takes the place of the last row it merged, so it loads before every row appended while it was
    // being merged (those depend on it). A new row at the end would load after them: Yjs holds each as pending and
    // re-merges its pending set with every later row, and a log of thousands stalled a room's load for minutes.
    overwriteRow.run(frameChunks(chunks), maxId)
    deleteBefore.run(boardId, maxId)
    return true
  })
  const merger = options.merger ?? createInlineMerger()
  /** One compaction per board at a time. */
  const compacting = new Map<BoardId, Promise<number>>()

  /**
   * Reads the log up to its last row, merges it (possibly in a worker), then in ONE transaction writes the merged
   * state's chunks in the last merged row and deletes the rows before it. A row appended meanwhile has a larger id and stays.
   */
  async function compactLog(boardId: BoardId): Promise<number> {
    const rows = selectLog.all(boardId)
    // one update alone is compacted too: it may be a whole board uploaded at once, which loads in chunks only after
    if (rows.length === 0 || (rows.length === 1 && rows[0]!.framed === 1)) return 0
    const maxId = rows[rows.length - 1]!.id
    const { chunks, badRows } = await merger.merge(rows.flatMap(updatesOf))
    if (badRows > 0) options.onBadRow?.(boardId, badRows)
    ensureOpen()
    return replaceUpTo.immediate(boardId, maxId, chunks) ? rows.length : 0
  }

  let closed = false
  const ensureOpen = () => {
    if (closed) throw new Error('DocStore is closed')
  }

  return {
    async load(boardId) {
      ensureOpen()
      return { updates: selectLog.all(boardId).flatMap(updatesOf) }
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
