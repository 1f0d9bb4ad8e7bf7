import { createHash } from 'node:crypto'

/**
 * What erasing a meeting needs of every store that keeps something per meeting (meetings SPEC E1-E6). Lives here, at
 * the bottom of the server's folders, so that every store (docs, meetings, versions, the demo, attendance, later the
 * ballots) can implement it without importing the eraser (server/src/ops/meetingEraser.ts), which uses them.
 */

/**
 * A write refused because its meeting has been erased (meetings SPEC E5): erase wins over any save, restore or append
 * still in flight. The REST layer answers 404, the rooms close the board with 4410.
 */
export class MeetingErasedError extends Error {
  constructor(readonly meetingId: string) {
    super('this meeting was deleted')
    this.name = 'MeetingErasedError'
  }
}

/** A store that keeps rows (or memory) per meeting. A new one joins erasure with one line in main.ts. */
export interface PerMeetingStore {
  /** Its name in the erase report and the logs, e.g. 'versions'. */
  readonly component: string
  /** Deletes everything it keeps for the meeting; returns how many rows (or entries) it removed. Idempotent. */
  eraseMeeting(meetingId: string): Promise<number>
  /** The meetings it keeps anything for: the start-up sweep (E6) erases what is left of erased ones. */
  meetingIds(): Promise<string[]>
}

/**
 * The tombstones of erased meetings (E5). Written before any row is deleted; every store's write for a meeting checks
 * them in the same transaction as the write, so nothing written after the tombstone survives, and everything written
 * before it is deleted by the erase that follows. Kept forever (an id is never given twice). Only a hash of the id is
 * stored: the erased id itself is not left readable in the database file (E4).
 */
export interface ErasedMeetings {
  add(meetingId: string): Promise<void>
  has(meetingId: string): Promise<boolean>
  /** The ids among `ids` that were erased. */
  erasedAmong(ids: readonly string[]): Promise<string[]>
  /** Every tombstone as stored, by hash (`npm run migrate-to-postgres` copies them: the erased ids are not known). */
  exportTombstones(): Promise<Tombstone[]>
  /** Stores tombstones read from another store; one already there is kept as it is. */
  importTombstones(tombstones: readonly Tombstone[]): Promise<void>
}

/** One tombstone as a store keeps it: the hash of the erased id (tombstoneOf) and when (ISO time). */
export interface Tombstone {
  idHash: string
  erasedAt: string
}

/** What a tombstone stores of a meeting id. appendWorker.mjs computes the same (plain JS, it cannot import this). */
export function tombstoneOf(meetingId: string): string {
  return createHash('sha256').update(meetingId, 'utf8').digest('hex')
}

/** The tombstones of memory stores: share one between the memory stores of a server (tests). */
export interface MemoryErasedMeetings extends ErasedMeetings {
  /** Synchronous check, for the memory stores' writes. */
  isErased(meetingId: string): boolean
}

export function createMemoryErasedMeetings(now: () => Date = () => new Date()): MemoryErasedMeetings {
  /** hash → erased at */
  const hashes = new Map<string, string>()
  const isErased = (id: string) => hashes.has(tombstoneOf(id))
  return {
    isErased,
    async add(id) {
      if (!isErased(id)) hashes.set(tombstoneOf(id), now().toISOString())
    },
    async exportTombstones() {
      return [...hashes].map(([idHash, erasedAt]) => ({ idHash, erasedAt })).sort((a, b) => (a.idHash < b.idHash ? -1 : 1))
    },
    async importTombstones(tombstones) {
      for (const t of tombstones) if (!hashes.has(t.idHash)) hashes.set(t.idHash, t.erasedAt)
    },
    async has(id) {
      return isErased(id)
    },
    async erasedAmong(ids) {
      return ids.filter(isErased)
    },
  }
}

/** Throws MeetingErasedError when `isErased(id)`; for the stores' write transactions. */
export function refuseIfErased(isErased: ((id: string) => boolean) | undefined, meetingId: string): void {
  if (isErased?.(meetingId) === true) throw new MeetingErasedError(meetingId)
}

/** The result of erasing one meeting. */
export interface EraseReport {
  meetingId: string
  /** Rows removed per component, e.g. { meetings: 4, versions: 12, board: 120 }. */
  removed: Record<string, number>
  /** Bytes the database file shrank by (0 when the freed pages were reused in place). */
  reclaimedBytes: number
}

/** Erases meetings (server/src/ops/meetingEraser.ts implements it; the meetings router and retention use it). */
export interface MeetingEraser {
  /** Erases a meeting and everything stored for it; resolves with null when there was no such meeting. */
  erase(meetingId: string, why: 'request' | 'retention'): Promise<EraseReport | null>
}
