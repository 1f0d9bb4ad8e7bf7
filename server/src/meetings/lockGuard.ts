import type { Logger } from 'pino'
import type * as Y from 'yjs'
import { RECORDS_ARRAY } from '../../../shared/src/boardDocument.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { RecordsKeyValue } from '../../../shared/src/board/RecordsKeyValue.ts'
import { isTavoloLocked, judgeTransaction, type ChangeAuthor, type RecordChange } from '../../../shared/src/locks.ts'
import { judgeMapStructure, withoutNewStructure } from '../../../shared/src/maps/structureMeta.ts'
import { ROLES, type Role } from '../../../shared/src/roles.ts'

/** The origin of the guard's own corrections: a server change, persisted and relayed like any other update. */
export const LOCK_GUARD_ORIGIN = { kind: 'server', reason: 'lock-guard' } as const

/**
 * Who made a transaction, from its origin. Client updates carry `{ kind: 'client', role, ... }` (set by the room);
 * anything else (server-made changes, y-utility's own duplicate clean-up with origin null) is trusted.
 */
export function authorOf(origin: unknown): ChangeAuthor {
  if (typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'client') {
    const role = (origin as { role?: unknown }).role
    // a client origin without a known role is judged as the most restricted role
    return (ROLES as readonly unknown[]).includes(role) ? (role as Role) : 'viewer'
  }
  return 'server'
}

/**
 * The docGuard that enforces locks on a room's document (rules L1..L9 in shared/src/locks.ts) and who may write map
 * structure (maps SPEC MP10, shared/src/maps/structureMeta.ts).
 *
 * It watches the records (a `RecordsKeyValue` over the `records` array) and, after each transaction of a participant that
 * touched a locked record, writes a forward change with origin LOCK_GUARD_ORIGIN that puts the record back (or strips
 * the lock from a participant's new record). The participant's update itself has already been applied, persisted and
 * relayed by then; the correction follows it to every client, including the participant. The correction is made by
 * the server, so it is accepted by rule L2 and cannot trigger the guard again. It is written at the end of the round
 * of transactions (Yjs 'afterAllTransactions'), not from inside the array observer, so that other observers of the
 * same transaction (other YKeyValues on this doc) see the array as the participant's transaction left it.
 */
export function createLockGuard(logger: Logger) {
  const log = logger.child({ component: 'lockGuard' })
  return (boardId: BoardId, doc: Y.Doc): { destroy(): void } => {
    // forgiving (recordsEntries.ts E2): a board that holds an unreadable entry still loads and keeps its locks
    let unreadable = 0
    const records = new RecordsKeyValue(doc.getArray<unknown>(RECORDS_ARRAY), () => unreadable++)
    if (unreadable > 0) log.warn({ boardId, unreadable }, 'board holds entries that are no records: skipped')
    /** Corrections waiting for the end of the current round of transactions, by record id. */
    const pending = new Map<string, { value: object; rule: string; author: ChangeAuthor; connectionId: unknown }>()
    /**
     * Ids of the containers (parent, grandparent, ...) of every locked record, as the board is now; computed at most
     * once per judged transaction, and only when it deletes something.
     */
    const lockedAncestors = (): Set<string> => {
      const ancestors = new Set<string>()
      const parentOf = (value: unknown) => {
        const parentId = (value as { parentId?: unknown } | null)?.parentId
        return typeof parentId === 'string' ? parentId : null
      }
      for (const { val } of records.map.values()) {
        if (!isTavoloLocked(val)) continue
        for (let id = parentOf(val); id !== null && !ancestors.has(id); id = parentOf(records.get(id))) ancestors.add(id)
      }
      return ancestors
    }
    const onChange = (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
      const author = authorOf(transaction.origin)
      if (author === 'server' || author === 'facilitator') {
        // a trusted change after an offending one in the same round wins over the pending correction
        for (const id of changes.keys()) pending.delete(id)
        return
      }
      const connectionId = (transaction.origin as { connectionId?: unknown }).connectionId
      let ancestors: Set<string> | null = null
      const holdsLockedRecord = (id: string) => (ancestors ??= lockedAncestors()).has(id)
      for (const [id, verdict] of judgeTransaction(author, changes, { holdsLockedRecord })) {
        // keep the first correction of a record: it holds the value from before the first offending change
        if (!pending.has(id)) pending.set(id, { value: verdict.value, rule: verdict.rule, author, connectionId })
      }
      // maps SPEC MP10: a participant's change keeps the map-structure meta the record had (none for a new one)
      for (const [id, correction] of judgeMapStructure(author, changes)) {
        const held = pending.get(id)
        if (held === undefined) pending.set(id, { value: correction.value, rule: correction.rule, author, connectionId })
        else if (held.rule === 'L6') held.value = withoutNewStructure(held.value as Record<string, unknown>)
      }
    }
    /**
     * Corrections are written once every transaction of the round has ended and every observer has seen it:
     * writing from inside an observer would change the array under the observers still to be called.
     */
    const onAfterAllTransactions = () => {
      if (pending.size === 0) return
      const corrections = [...pending]
      pending.clear()
      doc.transact(() => {
        for (const [id, c] of corrections) records.set(id, c.value)
      }, LOCK_GUARD_ORIGIN)
      log.info(
        {
          boardId,
          records: corrections.map(([id, c]) => ({ id, rule: c.rule, role: c.author, connectionId: c.connectionId })),
        },
        'locked records restored',
      )
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
