import type { Logger } from 'pino'
import type * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { parseMeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { MeetingStore } from './meetingStore.ts'

/**
 * A docGuard that keeps `lastActivityAt` of a meeting: the time of the latest document change made by a client
 * connection (server corrections and loading do not count), written at most once per `intervalMs` per board
 * (default one minute) and once more when the room is unloaded. So "last activity" is accurate to the interval.
 */
export function createActivityTracker(store: MeetingStore, logger: Logger, options: { intervalMs?: number; now?: () => Date } = {}) {
  const intervalMs = options.intervalMs ?? 60_000
  const now = options.now ?? (() => new Date())
  const log = logger.child({ component: 'activityTracker' })
  return (boardId: BoardId, doc: Y.Doc): { destroy(): void } => {
    const id = parseMeetingId(boardId)
    let lastWritten = 0
    let pending: Date | null = null
    const write = (at: Date) => {
      if (id === null) return
      lastWritten = at.getTime()
      pending = null
      store.touchActivity(id, at.toISOString()).catch((err: unknown) => log.error({ err, boardId }, 'could not record activity'))
    }
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (typeof origin !== 'object' || origin === null || (origin as { kind?: unknown }).kind !== 'client') return
      const at = now()
      if (at.getTime() - lastWritten >= intervalMs) write(at)
      else pending = at
    }
    doc.on('update', onUpdate)
    return {
      destroy() {
        doc.off('update', onUpdate)
        if (pending !== null) write(pending)
      },
    }
  }
}
