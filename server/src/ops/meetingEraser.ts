import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { Logger } from '../log.ts'
import type { SqliteDatabase } from '../store/sqliteDatabase.ts'

/**
 * One component's part of erasing a meeting: deletes its rows for the meeting on the shared SQLite handle and returns
 * how many it removed. Runs INSIDE the erase transaction, so it must be synchronous (better-sqlite3 statements are).
 */
export interface EraseStep {
  component: string
  erase(meetingId: MeetingId): number
}

/** What the eraser needs of the rooms: close the board's connections and keep it closed while the transaction runs. */
export interface BoardDiscarder {
  discard<T>(boardId: BoardId, code: number, reason: string, whileHeld: () => T | Promise<T>): Promise<T>
}

export interface EraseReport {
  meetingId: MeetingId
  /** Rows removed per component, e.g. { meetings: 1, meeting_keys: 3, board: 120 }. */
  removed: Record<string, number>
  /** Bytes the database file shrank by (0 when the freed pages were reused in place). */
  reclaimedBytes: number
}

export interface MeetingEraser {
  /** Erases a meeting and everything stored for it; resolves with null when there was no such meeting. */
  erase(meetingId: MeetingId, why: 'request' | 'retention'): Promise<EraseReport | null>
}

/** The meeting row and its keys (tables of server/src/meetings/sqliteMeetingStore.ts). Must run last: it decides "existed". */
export function meetingRowsEraseStep(db: SqliteDatabase): EraseStep {
  const deleteKeys = db.prepare<[string]>('DELETE FROM meeting_keys WHERE meeting_id = ?')
  const deleteMeeting = db.prepare<[string]>('DELETE FROM meetings WHERE id = ?')
  return {
    component: 'meetings',
    erase: (id) => deleteKeys.run(id).changes + deleteMeeting.run(id).changes,
  }
}

/**
 * The board's update log (table of server/src/store/sqliteDocStore.ts; a meeting's board id is its id). Images pasted
 * on a board are tldraw assets stored inside this document, so they go with it: Tavolo keeps no other file per meeting.
 */
export function boardLogEraseStep(db: SqliteDatabase): EraseStep {
  const deleteLog = db.prepare<[string]>('DELETE FROM doc_updates WHERE board_id = ?')
  return { component: 'board', erase: (id) => deleteLog.run(id).changes }
}

const pageBytes = (db: SqliteDatabase) =>
  (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)

/**
 * Gives the pages freed by an erase back to the file system. New databases are created with auto_vacuum=INCREMENTAL
 * (openSqliteDatabase), where `incremental_vacuum` only truncates the free pages (fast, no rewrite). A database made
 * before that has auto_vacuum=NONE: the first erase switches it and runs one full VACUUM (rewrites the whole file,
 * blocks the server for about as long as copying it), after which every erase is incremental.
 * The WAL is then checkpointed and truncated, so the erased rows are not left in the -wal file either.
 */
export function reclaimSpace(db: SqliteDatabase): number {
  const before = pageBytes(db)
  if (db.pragma('auto_vacuum', { simple: true }) === 2) {
    db.pragma('incremental_vacuum')
  } else {
    db.pragma('auto_vacuum = INCREMENTAL')
    db.exec('VACUUM')
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  return Math.max(0, before - pageBytes(db))
}

/**
 * Erases meetings (GDPR art. 17): closes the board's connections with 4410 "meeting deleted" and keeps new ones out,
 * waits until no append is in flight, runs every component's EraseStep in ONE transaction with secure_delete on (the
 * freed pages are zeroed, not just unlinked), then reclaims the space. Components join with one more step
 * (`steps`), e.g. the versions table.
 */
export function createMeetingEraser(options: {
  db: SqliteDatabase
  rooms: () => BoardDiscarder
  steps: readonly EraseStep[]
  logger: Logger
}): MeetingEraser {
  const { db, steps, logger } = options
  const log = logger.child({ component: 'eraser' })
  const eraseAll = db.transaction((id: MeetingId) => {
    const removed: Record<string, number> = {}
    for (const step of steps) {
      const count: unknown = step.erase(id)
      // A step returning a promise would run (part of) its deletes outside this transaction: refuse it loudly.
      if (typeof count !== 'number') throw new Error(`erase step "${step.component}" must delete synchronously and return a row count`)
      removed[step.component] = (removed[step.component] ?? 0) + count
    }
    return removed
  })
  return {
    async erase(meetingId, why) {
      const removed = await options.rooms().discard(meetingId as string as BoardId, CloseCode.MEETING_DELETED, 'meeting deleted', () => {
        db.pragma('secure_delete = ON')
        try {
          return eraseAll.immediate(meetingId)
        } finally {
          db.pragma('secure_delete = OFF')
        }
      })
      if ((removed.meetings ?? 0) === 0) return null
      let reclaimedBytes = 0
      try {
        reclaimedBytes = reclaimSpace(db)
      } catch (error) {
        // The data is gone already (committed); only the file is not smaller yet. The next erase retries.
        log.error({ err: error, meetingId }, 'meeting erased, but reclaiming the space failed')
      }
      log.info({ meetingId, why, removed, reclaimedBytes }, 'meeting erased')
      return { meetingId, removed, reclaimedBytes }
    },
  }
}
