import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { Logger } from '../log.ts'
import type { MeetingStore } from '../meetings/meetingStore.ts'
import type { ErasedMeetings, EraseReport, MeetingEraser, PerMeetingStore } from '../store/meetingErasure.ts'

export type { EraseReport, MeetingEraser } from '../store/meetingErasure.ts'

/** What the eraser needs of the rooms: close the board's connections and keep it closed while the erase runs. */
export interface BoardDiscarder {
  discard<T>(boardId: BoardId, code: number, reason: string, whileHeld: () => T | Promise<T>): Promise<T>
}

export interface MeetingEraserOptions {
  erased: ErasedMeetings
  /** The meeting rows: erased last, so a meeting whose erase failed halfway is still listed and can be erased again. */
  meetings: MeetingStore
  /** Every other store that keeps something per meeting (board log, versions, attendance, demo...). */
  stores: readonly PerMeetingStore[]
  rooms: () => BoardDiscarder
  /** Gives the freed space back to the file system (SQLite: reclaimFreePages); returns the bytes reclaimed. */
  reclaimSpace?: () => Promise<number>
  logger: Logger
}

export interface MeetingEraserService extends MeetingEraser {
  /**
   * E6: finishes every erase left incomplete (a crash or a failing store after the tombstone) and removes rows that
   * belong to no meeting: deletes whatever any store still keeps for them. main.ts runs it at start, before the
   * server listens (no request, no import in flight).
   */
  sweep(): Promise<{ meetings: number; removed: Record<string, number> }>
}

/**
 * Erases meetings (GDPR art. 17; meetings SPEC E1-E6): closes the board's connections with 4410 "meeting deleted" and
 * keeps new ones out, waits until no append is in flight, writes the meeting's tombstone (from then on every store
 * refuses writes for it, in the same transaction as the write: E5), then asks each store to delete what it keeps, the
 * meeting rows last, then reclaims the space. The tombstone is the commit point: a store that fails afterwards leaves
 * the meeting listed but frozen, and the next DELETE, retention sweep or start (sweep) finishes the job.
 * A new store with per-meeting rows joins with one line in main.ts (`stores`).
 */
export function createMeetingEraser(options: MeetingEraserOptions): MeetingEraserService {
  const { erased, meetings, logger } = options
  const log = logger.child({ component: 'eraser' })
  const all = (): readonly PerMeetingStore[] => [...options.stores, meetings]

  const eraseEverywhere = async (meetingId: string): Promise<Record<string, number>> => {
    const removed: Record<string, number> = {}
    // one store after the other: the meeting rows (last) must only go once everything else went
    for (const store of all()) removed[store.component] = (removed[store.component] ?? 0) + (await store.eraseMeeting(meetingId))
    return removed
  }

  const reclaim = async (meetingId: string): Promise<number> => {
    try {
      return (await options.reclaimSpace?.()) ?? 0
    } catch (error) {
      // The data is gone already (committed); only the file is not smaller yet. The next erase retries.
      log.error({ err: error, meetingId }, 'meeting erased, but reclaiming the space failed')
      return 0
    }
  }

  return {
    async erase(meetingId, why): Promise<EraseReport | null> {
      if ((await meetings.get(meetingId as MeetingId)) === null) return null
      const removed = await options.rooms().discard(meetingId as BoardId, CloseCode.MEETING_DELETED, 'meeting deleted', async () => {
        await erased.add(meetingId)
        return eraseEverywhere(meetingId)
      })
      const reclaimedBytes = await reclaim(meetingId)
      log.info({ meetingId, why, removed, reclaimedBytes }, 'meeting erased')
      return { meetingId, removed, reclaimedBytes }
    },

    async sweep() {
      const removed: Record<string, number> = {}
      const left = new Set<string>()
      const meetingIds = new Set(await meetings.meetingIds())
      for (const store of options.stores) {
        const ids = await store.meetingIds()
        for (const id of await erased.erasedAmong(ids)) left.add(id)
        // rows of no meeting: an erase raced by a write before tombstones existed, or an import killed before its
        // meeting row (the commit point); no request can reach them, so nothing else would ever delete them
        for (const id of ids) if (!meetingIds.has(id)) left.add(id)
      }
      for (const id of await erased.erasedAmong([...meetingIds])) left.add(id)
      for (const meetingId of left) {
        await erased.add(meetingId)
        for (const [component, count] of Object.entries(await eraseEverywhere(meetingId))) removed[component] = (removed[component] ?? 0) + count
      }
      if (left.size > 0) {
        const reclaimedBytes = await reclaim('sweep')
        log.warn({ meetings: left.size, removed, reclaimedBytes }, 'rows of erased meetings found at start: erased now')
      }
      return { meetings: left.size, removed }
    },
  }
}
