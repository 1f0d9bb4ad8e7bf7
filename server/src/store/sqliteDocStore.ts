import type { BoardId } from '../../../shared/src/boardId.ts'
import type { DocStore } from './DocStore.ts'
import { mergeUpdateLog } from './mergeUpdates.ts'
import { migrateSchema, type SqliteDatabase } from './sqliteDatabase.ts'

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

export interface SqliteDocStoreOptions {
  /** Told about stored rows that Yjs cannot decode (skipped while compacting). */
  onBadRow?: (boardId: BoardId, error: unknown) => void
}

/**
 * The embedded DocStore: an append-only log of Yjs updates per board in the shared SQLite database (WAL,
 * synchronous=FULL, see openSqliteDatabase). Every call is synchronous inside better-sqlite3, so each append or
 * compaction is one transaction that nothing else in the process can interleave with.
 * `close()` does not close the shared database handle: its owner (main.ts) does.
 */
export function createSqliteDocStore(db: SqliteDatabase, options: SqliteDocStoreOptions = {}): DocStore {
  migrateSchema(db, 'docs', DOC_MIGRATIONS)
  const selectLog = db.prepare<[string], { id: number; data: Buffer }>(
    'SELECT id, data FROM doc_updates WHERE board_id = ? ORDER BY id',
  )
  const insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)')
  const deleteUpTo = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE board_id = ? AND id <= ?')
  const deleteBoard = db.prepare<[string]>('DELETE FROM doc_updates WHERE board_id = ?')
  const selectBoards = db.prepare<[], { board_id: string }>('SELECT DISTINCT board_id FROM doc_updates ORDER BY board_id')

  const toBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

  const appendAll = db.transaction((boardId: BoardId, updates: readonly Uint8Array[]) => {
    for (const update of updates) insertUpdate.run(boardId, update)
  })

  const compactLog = db.transaction((boardId: BoardId): number => {
    const rows = selectLog.all(boardId)
    if (rows.length <= 1) return 0
    const maxId = rows[rows.length - 1]!.id
    const merged = mergeUpdateLog(
      rows.map((r) => toBytes(r.data)),
      (_index, error) => options.onBadRow?.(boardId, error),
    )
    // Insert first, then delete exactly the rows merged: a row appended after the read has a larger id and stays.
    insertUpdate.run(boardId, merged)
    deleteUpTo.run(boardId, maxId)
    return rows.length
  })

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
      if (updates.length > 0) appendAll.immediate(boardId, updates)
    },
    async compact(boardId) {
      ensureOpen()
      return compactLog.immediate(boardId)
    },
    async list() {
      ensureOpen()
      return selectBoards.all().map((r) => r.board_id as BoardId)
    },
    async delete(boardId) {
      ensureOpen()
      deleteBoard.run(boardId)
    },
    async close() {
      closed = true
    },
  }
}
