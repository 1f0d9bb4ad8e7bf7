import type { Logger } from 'pino'
import type * as Y from 'yjs'
import { RecordsKeyValue } from '../../../shared/src/board/RecordsKeyValue.ts'
import { RECORDS_ARRAY } from '../../../shared/src/boardDocument.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { boundShapeText, shapeTextTooLong } from '../../../shared/src/board/textLimit.ts'
import { authorOf } from './lockGuard.ts'

/** The origin of the guard's own corrections: a server change, persisted and relayed like any other update. */
export const TEXT_LIMIT_GUARD_ORIGIN = { kind: 'server', reason: 'text-limit-guard' } as const

/**
 * The docGuard that bounds a shape's text (shared/src/board/textLimit.ts, meetings SPEC M-T1). A participant's
 * change that leaves a shape with more than MAX_SHAPE_TEXT characters is followed by a server change that cuts it
 * back, like the lock guard's corrections (written once the round of transactions has ended, from the record as it
 * is then: a lock correction of the same record wins, since it puts back text that fitted). Facilitators are
 * trusted (they may paste a long question on purpose; their board still bounds what they type).
 */
export function createTextLimitGuard(logger: Logger) {
  const log = logger.child({ component: 'textLimitGuard' })
  return (boardId: BoardId, doc: Y.Doc): { destroy(): void } => {
    // forgiving (shared/src/board/RecordsKeyValue.ts): a board holding entries that are no records still loads (sync R17)
    const records = new RecordsKeyValue(doc.getArray<unknown>(RECORDS_ARRAY))
    const pending = new Map<string, unknown>()
    const onChange = (changes: Map<string, { action: string; newValue?: unknown }>, transaction: Y.Transaction) => {
      const author = authorOf(transaction.origin)
      if (author === 'server' || author === 'facilitator') return
      for (const [id, change] of changes) {
        if (change.action !== 'delete' && shapeTextTooLong(change.newValue)) {
          pending.set(id, (transaction.origin as { connectionId?: unknown }).connectionId)
        }
      }
    }
    const onAfterAllTransactions = () => {
      if (pending.size === 0) return
      const ids = [...pending]
      pending.clear()
      const cut: Array<{ id: string; connectionId: unknown }> = []
      doc.transact(() => {
        for (const [id, connectionId] of ids) {
          const current = records.get(id)
          if (current === undefined || !shapeTextTooLong(current)) continue
          records.set(id, boundShapeText(current))
          cut.push({ id, connectionId })
        }
      }, TEXT_LIMIT_GUARD_ORIGIN)
      if (cut.length > 0) log.info({ boardId, records: cut }, 'texts over the limit cut back')
    }
    records.on('change', onChange)
    doc.on('afterAllTransactions', onAfterAllTransactions)
    return {
      destroy() {
        records.off('change', onChange)
        doc.off('afterAllTransactions', onAfterAllTransactions)
        pending.clear()
        records.destroy()
      },
    }
  }
}
