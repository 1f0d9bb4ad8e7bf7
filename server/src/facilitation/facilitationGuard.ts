import type { Logger } from 'pino'
import type * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { FACILITATION_MAP } from '../../../shared/src/facilitation/facilitationDoc.ts'

/** The origin of the guard's own corrections: a server change, persisted and relayed like any other update. */
export const FACILITATION_GUARD_ORIGIN = { kind: 'server', reason: 'facilitation-guard' } as const

function isClientOrigin(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'client'
}

/**
 * FG1: the facilitation state in the document (votes' state, the timer) is the server's alone: a client's write of any
 * key of FACILITATION_MAP, whatever its role, is undone with a forward change of the server once the round of
 * transactions has ended (as the schema and lock guards do). Facilitators change it through the REST API.
 */
export function createFacilitationGuard(logger: Logger) {
  const log = logger.child({ component: 'facilitationGuard' })
  return (boardId: BoardId, doc: Y.Doc): { destroy(): void } => {
    const map = doc.getMap<unknown>(FACILITATION_MAP)
    /** Values to put back by key, from before the first offending change of the round; `undefined` = remove. */
    const restore = new Map<string, unknown>()
    let connectionId: unknown = null
    const onChange = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
      const client = isClientOrigin(transaction.origin)
      for (const [key, change] of event.changes.keys) {
        if (!client) {
          restore.delete(key)
          continue
        }
        if (!restore.has(key)) restore.set(key, change.oldValue)
        connectionId = (transaction.origin as { connectionId?: unknown }).connectionId
      }
    }
    const onAfterAllTransactions = () => {
      if (restore.size === 0) return
      const corrections = [...restore]
      restore.clear()
      doc.transact(() => {
        for (const [key, value] of corrections) {
          if (value === undefined) map.delete(key)
          else map.set(key, value)
        }
      }, FACILITATION_GUARD_ORIGIN)
      log.info({ boardId, connectionId, keys: corrections.map(([key]) => key) }, 'client write of the facilitation state undone')
    }
    map.observe(onChange)
    doc.on('afterAllTransactions', onAfterAllTransactions)
    return {
      destroy() {
        map.unobserve(onChange)
        doc.off('afterAllTransactions', onAfterAllTransactions)
        restore.clear()
      },
    }
  }
}
