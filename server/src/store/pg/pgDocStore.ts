import type { BoardId } from '../../../../shared/src/boardId.ts'
import type { AppendReceipt, LogTail, SharedDocStore } from '../DocStore.ts'
import { MeetingErasedError, tombstoneOf } from '../meetingErasure.ts'
import { createInlineMerger, type UpdateMerger } from '../mergeUpdates.ts'
import { frameChunks, unframeChunks } from '../stateChunks.ts'
import { inPgTransaction, migratePg, pgLockKey, type PgMigration, type PgPool } from './pgDatabase.ts'
import { migratePgErasure, pgIsErased } from './pgErasedMeetings.ts'

/**
 * `doc_boards` holds each board's next sequence number: an append locks that row, so appends to one board (from any
 * instance) are ordered and the sequence is gapless (assigned in the committing transaction, undone with it).
 * `doc_updates` is the log in that order; a compacted state is one row of framed chunks (stateChunks.ts).
 */
const DOC_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE doc_boards (board_id TEXT PRIMARY KEY, next_seq BIGINT NOT NULL);
   CREATE TABLE doc_updates (
     board_id TEXT NOT NULL,
     seq BIGINT NOT NULL,
     data BYTEA NOT NULL,
     framed BOOLEAN NOT NULL DEFAULT FALSE,
     PRIMARY KEY (board_id, seq)
   )`,
  // One turn's appends in ONE round trip (called in autocommit: the call is the transaction). The locks first, then,
  // in a statement of its own (a new snapshot: an erase that committed while this waited for its lock is seen), the
  // tombstones, the sequence numbers (one upsert) and the rows; returns each live board's first sequence number.
  `CREATE FUNCTION tavolo_append(lock_keys TEXT[], boards TEXT[], counts BIGINT[], tombstones TEXT[], row_boards TEXT[], row_data BYTEA[])
   RETURNS TABLE (board TEXT, first_seq BIGINT) LANGUAGE plpgsql AS $fn$
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(lock_keys) AS k;
     RETURN QUERY
     WITH input AS (SELECT * FROM unnest(boards, counts, tombstones) AS t(b, n, h)),
     live AS (SELECT i.b, i.n FROM input i WHERE NOT EXISTS (SELECT 1 FROM erased_meetings e WHERE e.id_hash = i.h)),
     upserted AS (
       INSERT INTO doc_boards AS d (board_id, next_seq) SELECT l.b, 1 + l.n FROM live l
       ON CONFLICT (board_id) DO UPDATE SET next_seq = d.next_seq + excluded.next_seq - 1
       RETURNING d.board_id, d.next_seq
     ),
     firsts AS (SELECT u.board_id, u.next_seq - l.n AS first FROM upserted u JOIN live l ON l.b = u.board_id),
     numbered AS (
       SELECT r.b, r.d, row_number() OVER (PARTITION BY r.b ORDER BY r.o) - 1 AS k
       FROM unnest(row_boards, row_data) WITH ORDINALITY AS r(b, d, o)
     ),
     inserted AS (INSERT INTO doc_updates (board_id, seq, data) SELECT x.b, f.first + x.k, x.d FROM numbered x JOIN firsts f ON f.board_id = x.b RETURNING 1)
     SELECT f.board_id, f.first FROM firsts f;
   END
   $fn$`,
]

export interface PgDocStoreOptions {
  /** Where logs are merged during compaction; default: on the calling thread. main.ts uses a worker thread. */
  merger?: UpdateMerger
  /** Told about stored rows that Yjs cannot decode (skipped while compacting). */
  onBadRow?: (boardId: BoardId, count: number) => void
}

interface AppendJob {
  boardId: BoardId
  updates: readonly Uint8Array[]
  resolve(receipt: AppendReceipt): void
  reject(error: unknown): void
}

/** The advisory lock of one board's compaction: a 64-bit key from the board id, in PostgreSQL's own hash. */
const COMPACTION_LOCK = "SELECT pg_try_advisory_lock(hashtextextended('tavolo-compaction:' || $1, 0)) AS locked"
/** The transaction lock that orders a board's appends with its erase (pgLockKey). */
const boardLock = (boardId: string) => `tavolo-board:${boardId}`
const COMPACTION_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('tavolo-compaction:' || $1, 0))"

/**
 * The DocStore on PostgreSQL (DATABASE_URL). Same contract as the SQLite store (DocStore.ts; tests/unit/docStore.test.ts
 * runs the one suite against both), for several Tavolo instances on one database:
 * - Group commit: the appends made in one event-loop turn, whatever their boards, are committed in ONE transaction
 *   (one WAL flush; `synchronous_commit` on), each in a savepoint so that an erased meeting's append is refused alone.
 * - Erase wins (meetings SPEC E5): an append first takes its board's transaction lock (pgLockKey) and its `doc_boards`
 *   row, then checks the tombstone; the erase writes the tombstone, then takes the same lock (waiting for the appends
 *   holding it) and deletes the row and the log. An append that checked before the tombstone commits before the
 *   delete runs, and is deleted; one that checks after is refused. (The row alone is not enough: a board's first
 *   append inserts it, and a DELETE neither sees nor waits for a row inserted by a transaction still open.)
 * - Compaction runs under `pg_try_advisory_lock` for the board (one compaction per board across instances), merges
 *   the rows up to the last one it read, and in one transaction writes the state's chunks in that last row and deletes
 *   the rows before it: rows appended meanwhile, by any instance, have larger sequence numbers and stay.
 * Tables are created (migrated) at the first use; `close()` does not end the shared pool: its owner does.
 */
export function createPgDocStore(pool: PgPool, options: PgDocStoreOptions = {}): SharedDocStore {
  const ready = migratePgErasure(pool).then(() => migratePg(pool, 'docs', DOC_MIGRATIONS))
  const merger = options.merger ?? createInlineMerger()
  let closed = false
  const ensureOpen = () => {
    if (closed) throw new Error('DocStore is closed')
  }
  let queue: AppendJob[] = []
  const inFlight = new Set<Promise<void>>()

  /**
   * One turn's appends in one round trip, however many boards (tavolo_append, above): one commit, one WAL flush. An
   * erased board's jobs are refused alone; the others commit.
   */
  const flush = async (): Promise<void> => {
    const jobs = queue
    queue = []
    if (jobs.length === 0) return
    const counts = new Map<string, number>()
    for (const job of jobs) counts.set(job.boardId, (counts.get(job.boardId) ?? 0) + job.updates.length)
    const boards = [...counts.keys()].sort()
    const refused = new Set<string>()
    const firstSeqs = new Map<AppendJob, number>()
    try {
      await ready
      const rowBoards: string[] = []
      const rowData: Buffer[] = []
      for (const job of jobs) {
        for (const u of job.updates) {
          rowBoards.push(job.boardId)
          rowData.push(Buffer.from(u.buffer, u.byteOffset, u.byteLength))
        }
      }
      // (the lock before the tombstone check: a board's first append inserts its doc_boards row, which an erase's
      // DELETE can neither see nor wait for until it commits; the lock makes the erase wait for it. Sorted: two
      // instances' batches never wait for each other in a cycle.)
      const result = await pool.query<{ board: string; first_seq: string }>('SELECT board, first_seq FROM tavolo_append($1, $2, $3, $4, $5, $6)', [
        boards.map(boardLock),
        boards,
        boards.map((b) => counts.get(b)!),
        boards.map(tombstoneOf),
        rowBoards,
        rowData,
      ])
      const next = new Map<string, number>()
      for (const row of result.rows) next.set(row.board, Number(row.first_seq))
      for (const board of boards) if (!next.has(board)) refused.add(board)
      for (const job of jobs) {
        const first = next.get(job.boardId)
        if (first === undefined) continue
        firstSeqs.set(job, first)
        next.set(job.boardId, first + job.updates.length)
      }
      for (const job of jobs) {
        if (refused.has(job.boardId)) job.reject(new MeetingErasedError(job.boardId))
        else job.resolve({ firstSeq: firstSeqs.get(job)! })
      }
    } catch (error) {
      // the commit failed: none of them is durable
      for (const job of jobs) job.reject(error)
    }
  }

  const rowsOf = (rows: Array<{ data: Buffer; framed: boolean }>): Uint8Array[] =>
    rows.flatMap((row) => {
      const bytes = new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)
      if (!row.framed) return [bytes]
      try {
        return unframeChunks(bytes)
      } catch {
        return [bytes]
      }
    })

  // `db`: a compaction reads through the connection holding its lock; a second one from the pool would deadlock once
  // as many compactions as the pool has connections each waited for another (every room compacts at shutdown)
  const selectLog = async (boardId: BoardId, after = 0, db: Pick<PgPool, 'query'> = pool) =>
    (
      await db.query<{ seq: string; data: Buffer; framed: boolean }>(
        'SELECT seq, data, framed FROM doc_updates WHERE board_id = $1 AND seq > $2 ORDER BY seq',
        [boardId, after],
      )
    ).rows
  const tailOf = (rows: Array<{ seq: string; data: Buffer; framed: boolean }>, after: number): LogTail => ({
    updates: rowsOf(rows),
    lastSeq: rows.length === 0 ? after : Number(rows[rows.length - 1]!.seq),
  })

  async function compactLog(boardId: BoardId): Promise<number> {
    const client = await pool.connect()
    try {
      const locked = await client.query<{ locked: boolean }>(COMPACTION_LOCK, [boardId])
      if (locked.rows[0]?.locked !== true) return 0 // another instance is compacting it
      try {
        const rows = await selectLog(boardId, 0, client)
        if (rows.length === 0 || (rows.length === 1 && rows[0]!.framed)) return 0
        const maxSeq = rows[rows.length - 1]!.seq
        const { chunks, badRows } = await merger.merge(rowsOf(rows))
        if (badRows > 0) options.onBadRow?.(boardId, badRows)
        ensureOpen()
        await client.query('BEGIN')
        try {
          // locked like an append: an erase in progress waits, or has deleted the row (then nothing is written)
          const board = await client.query('SELECT 1 FROM doc_boards WHERE board_id = $1 FOR UPDATE', [boardId])
          const written =
            board.rowCount !== 0 &&
            !(await pgIsErased(client, boardId)) &&
            (await client.query('UPDATE doc_updates SET data = $3, framed = TRUE WHERE board_id = $1 AND seq = $2', [boardId, maxSeq, Buffer.from(frameChunks(chunks))])).rowCount === 1
          if (written) await client.query('DELETE FROM doc_updates WHERE board_id = $1 AND seq < $2', [boardId, maxSeq])
          await client.query('COMMIT')
          return written ? rows.length : 0
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {})
          throw error
        }
      } finally {
        await client.query(COMPACTION_UNLOCK, [boardId])
      }
    } finally {
      client.release()
    }
  }

  const deleteBoard = (boardId: string) =>
    inPgTransaction(pool, async (client) => {
      // after the appends holding the board's lock (E5): what they committed is deleted here, later ones see the tombstone
      await pgLockKey(client, boardLock(boardId))
      await client.query('DELETE FROM doc_boards WHERE board_id = $1', [boardId])
      return (await client.query('DELETE FROM doc_updates WHERE board_id = $1', [boardId])).rowCount ?? 0
    })
  const listBoards = async () => {
    await ready
    return (await pool.query<{ board_id: string }>('SELECT DISTINCT board_id FROM doc_updates ORDER BY board_id')).rows.map((r) => r.board_id as BoardId)
  }

  return {
    shared: true,
    async load(boardId) {
      ensureOpen()
      await ready
      return tailOf(await selectLog(boardId), 0)
    },
    async readAfter(boardId, seq) {
      ensureOpen()
      await ready
      return tailOf(await selectLog(boardId, seq), seq)
    },
    async lastSeqs(boardIds) {
      ensureOpen()
      await ready
      const rows = await pool.query<{ board_id: string; next_seq: string }>('SELECT board_id, next_seq FROM doc_boards WHERE board_id = ANY($1)', [boardIds])
      return new Map(rows.rows.map((r) => [r.board_id as BoardId, Number(r.next_seq) - 1]))
    },
    append(boardId, updates) {
      if (closed) return Promise.reject(new Error('DocStore is closed'))
      if (updates.length === 0) return Promise.resolve({ firstSeq: 0 })
      return new Promise<AppendReceipt>((resolve, reject) => {
        // copies: the caller may reuse its buffers once this returns
        queue.push({ boardId, updates: updates.map((u) => u.slice()), resolve, reject })
        if (queue.length === 1) {
          setImmediate(() => {
            const flushing = flush()
            inFlight.add(flushing)
            void flushing.finally(() => inFlight.delete(flushing))
          })
        }
      })
    },
    async compact(boardId) {
      ensureOpen()
      await ready
      return compactLog(boardId)
    },
    list: listBoards,
    async delete(boardId) {
      ensureOpen()
      await ready
      await deleteBoard(boardId)
    },
    component: 'board',
    async eraseMeeting(meetingId) {
      ensureOpen()
      await ready
      return deleteBoard(meetingId)
    },
    meetingIds: listBoards,
    async close() {
      closed = true
      await Promise.allSettled([...inFlight])
    },
  }
}
