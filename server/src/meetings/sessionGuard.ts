import type { Logger } from 'pino'
import type * as Y from 'yjs'
import { RECORDS_ARRAY } from '../../../shared/src/boardDocument.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { RecordsKeyValue } from '../../../shared/src/board/RecordsKeyValue.ts'
import { FACILITATION_MAP } from '../../../shared/src/facilitation/facilitationDoc.ts'
import { isSessionClosed, mayEditInSession, SESSION_KEY } from '../../../shared/src/facilitation/session.ts'
import type { RecordChange } from '../../../shared/src/locks.ts'
import { authorOf } from './lockGuard.ts'

/** The origin of the guard's own corrections: a server change, persisted and relayed like any other update. */
export const SESSION_GUARD_ORIGIN = { kind: 'server', reason: 'session-guard' } as const

/** A record to put back: its value before the first refused change of the round, or `null` (it did not exist). */
type Correction = { value: object | null; connectionId: unknown }

/**
 * SE2 (server/src/versions/SPEC.md): while the session is closed, a participant's change of the board is undone.
 * Like the lock guard (lockGuard.ts), the participant's update has been applied, persisted and relayed; a forward
 * change of the server follows it and puts every record it touched back as it was (a new record is removed, a removed
 * one comes back), so every client, the participant's own included, converges on the closed board. Undoing rather
 * than refusing the update keeps the connection open (no reconnect loop for a phone that edited offline) and keeps
 * the participant's document equal to the server's.
 */
export function createSessionGuard(logger: Logger) {
  const log = logger.child({ component: 'sessionGuard' })
  return (boardId: BoardId, doc: Y.Doc): { destroy(): void } => {
    const facilitation = doc.getMap<unknown>(FACILITATION_MAP)
    // The state as the server last wrote it, not as the doc holds it mid-transaction: a client that writes "open"
    // and a card in one transaction must meet the closed state (the facilitation guard undoes its "open" later).
    let closed = isSessionClosed(facilitation.get(SESSION_KEY))
    const onSession = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
      if (authorOf(transaction.origin) === 'server' && event.keysChanged.has(SESSION_KEY)) closed = isSessionClosed(facilitation.get(SESSION_KEY))
    }
    const records = new RecordsKeyValue(doc.getArray<unknown>(RECORDS_ARRAY), () => {})
    const pending = new Map<string, Correction>()
    const onChange = (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
      const author = authorOf(transaction.origin)
      if (author === 'server' || mayEditInSession(author, closed)) {
        // a trusted change after a refused one in the same round wins over the pending correction
        for (const id of changes.keys()) pending.delete(id)
        return
      }
      const connectionId = (transaction.origin as { connectionId?: unknown }).connectionId
      for (const [id, change] of changes) {
        if (pending.has(id)) continue
        const before = change.action === 'add' ? null : change.oldValue
        pending.set(id, { value: typeof before === 'object' && before !== null ? before : null, connectionId })
      }
    }
    const onAfterAllTransactions = () => {
      if (pending.size === 0) return
      const corrections = [...pending]
      pending.clear()
      doc.transact(() => {
        for (const [id, c] of corrections) {
          if (c.value !== null) records.set(id, c.value)
          else if (records.get(id) !== undefined) records.delete(id)
        }
      }, SESSION_GUARD_ORIGIN)
      log.info({ boardId, records: corrections.length, connectionIds: [...new Set(corrections.map(([, c]) => c.connectionId))] }, 'change during a closed session undone')
    }
    facilitation.observe(onSession)
    records.on('change', onChange)
    doc.on('afterAllTransactions', onAfterAllTransactions)
    return {
      destroy() {
        facilitation.unobserve(onSession)
        records.off('change', onChange)
        doc.off('afterAllTransactions', onAfterAllTransactions)
        pending.clear()
        records.destroy()
      },
    }
  }
}
