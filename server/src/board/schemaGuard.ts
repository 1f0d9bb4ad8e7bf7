import type { Logger } from 'pino'
import type * as Y from 'yjs'
import { META_MAP, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { judgeSchema, type SerializedSchemaV2 } from '../../../shared/src/boardSchema.ts'
import type { DocGuardRoom } from '../sync/Room.ts'

/** The origin of the guard's own corrections: a server change, persisted and relayed like any other update. */
export const SCHEMA_GUARD_ORIGIN = { kind: 'server', reason: 'schema-guard' } as const

function isClientOrigin(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'client'
}

/**
 * The docGuard behind sync rule R8: a client's write of `meta.schema` stands only when the server recognises the
 * schema (shared/src/boardSchema.ts, S1..S4); otherwise the previous value is put back (or the key removed when there
 * was none) with a forward change of the server, once the round of transactions has ended, like the lock guard does.
 * Whatever the client's role: an honest client only ever writes the schema of the tldraw the server serves, so the
 * writer is also closed with 4400 "unrecognised board schema".
 */
export function createSchemaGuard(known: SerializedSchemaV2, logger: Logger) {
  const log = logger.child({ component: 'schemaGuard' })
  return (boardId: BoardId, doc: Y.Doc, room: DocGuardRoom): { destroy(): void } => {
    const meta = doc.getMap<unknown>(META_MAP)
    /** The value to put back, kept from the first offending change of the round; `undefined` means "remove". */
    let restore: { value: unknown; reason: string; connectionId: unknown } | null = null
    const onMeta = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
      const change = event.changes.keys.get(SCHEMA_KEY)
      if (change === undefined) return
      if (!isClientOrigin(transaction.origin)) {
        // a trusted write after an offending one in the same round wins over the pending correction
        restore = null
        return
      }
      const now = meta.get(SCHEMA_KEY)
      const verdict = change.action === 'delete' ? { ok: false as const, reason: 'schema removed' } : judgeSchema(now, known)
      if (verdict.ok) {
        // an honest write after an offending one in the same round: nothing to put back any more
        restore = null
        return
      }
      restore ??= {
        value: change.oldValue,
        reason: verdict.reason,
        connectionId: (transaction.origin as { connectionId?: unknown }).connectionId,
      }
    }
    const onAfterAllTransactions = () => {
      if (restore === null) return
      const { value, reason, connectionId } = restore
      restore = null
      doc.transact(() => {
        if (value === undefined) meta.delete(SCHEMA_KEY)
        else meta.set(SCHEMA_KEY, value)
      }, SCHEMA_GUARD_ORIGIN)
      log.info({ boardId, connectionId, reason }, 'unrecognised board schema write undone')
      // An honest client only writes the schema of the tldraw the server serves: whoever wrote this one is closed,
      // after the correction, so nothing it sends meanwhile lands on top of it.
      if (typeof connectionId === 'string') room.closeConnection(connectionId, CloseCode.MALFORMED_MESSAGE, 'unrecognised board schema')
    }
    meta.observe(onMeta)
    doc.on('afterAllTransactions', onAfterAllTransactions)
    return {
      destroy() {
        meta.unobserve(onMeta)
        doc.off('afterAllTransactions', onAfterAllTransactions)
        restore = null
      },
    }
  }
}
