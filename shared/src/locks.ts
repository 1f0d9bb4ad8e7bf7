/**
 * Locks on board records: pure rules, shared by the server's lock guard and the browser.
 *
 * SPEC (tests cite these numbers)
 * L1  A record (shape, frame, any tldraw record) is locked by Tavolo iff `meta.tavoloLocked === true`.
 *     tldraw's own `isLocked` is set alongside it so the editor refuses to move the shape, but `isLocked` alone is
 *     NOT a Tavolo lock: anyone may use tldraw's lock on ordinary shapes.
 * L2  Changes made by a facilitator or by the server itself are always accepted (lock, unlock, edit, delete).
 * L3  A participant's update of a locked record (move, resize, edit text, unlock, clear the flag) is reverted: the
 *     record is put back exactly as it was before the change.
 * L4  A participant's deletion of a locked record is reverted: the record is put back as it was.
 * L5  A participant may not lock: an update that turns an unlocked record into a locked one is reverted.
 * L6  A participant may create records. A new record that arrives locked (e.g. a paste of a locked shape) is kept
 *     with the lock removed (`meta.tavoloLocked` dropped, `isLocked` false).
 * L7  Any other role that is not allowed to edit (viewer) is judged like a participant; the sync server already
 *     refuses a viewer's updates before they are applied, so this is only a second line.
 * L8  An update that leaves a locked record deep-equal to what it was is accepted (nothing to revert).
 * L9  A participant may not delete a container of a locked record (its parent, as named by `parentId`: the frame
 *     or page it sits in, or any container above that). Such a deletion is reverted. When a deletion is reverted
 *     (L4 or L9), every record the same change deleted inside that container is brought back too (tldraw deletes a
 *     page's or frame's contents with it): deleting a page that holds a locked map brings the whole page back, not
 *     orphaned locked shapes.
 */
import type { Role } from './roles.ts'
import { jsonEqual } from './versions/canonicalJson.ts'

export const LOCK_META_KEY = 'tavoloLocked'

/** A tldraw record as JSON, as far as locks care. */
export type RecordJson = Record<string, unknown>

/** One record's change, as y-utility's YKeyValue reports it. */
export type RecordChange =
  | { action: 'add'; newValue: unknown }
  | { action: 'update'; oldValue: unknown; newValue: unknown }
  | { action: 'delete'; oldValue: unknown }

/** Who made a change: a connection's role, or the server itself. */
export type ChangeAuthor = Role | 'server'

/** What to do about one change: keep it, or write `value` back for this record id as a forward change. */
export type LockVerdict =
  | { kind: 'accept' }
  | { kind: 'revert'; rule: 'L3' | 'L4' | 'L5' | 'L9'; value: RecordJson }
  | { kind: 'strip'; rule: 'L6'; value: RecordJson }

function isObject(value: unknown): value is RecordJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** L1: true when the record carries Tavolo's lock. */
export function isTavoloLocked(record: unknown): boolean {
  return isObject(record) && isObject(record.meta) && record.meta[LOCK_META_KEY] === true
}

/** The record with Tavolo's lock set or cleared (both `meta.tavoloLocked` and tldraw's `isLocked`). Pure. */
export function withTavoloLock<T extends RecordJson>(record: T, locked: boolean): T {
  const meta: RecordJson = isObject(record.meta) ? { ...record.meta } : {}
  if (locked) meta[LOCK_META_KEY] = true
  else delete meta[LOCK_META_KEY]
  return { ...record, meta, isLocked: locked }
}

/** Judges one record change by its author against rules L1..L8. Pure. */
export function judgeRecordChange(author: ChangeAuthor, change: RecordChange): LockVerdict {
  if (author === 'server' || author === 'facilitator') return { kind: 'accept' } // L2
  switch (change.action) {
    case 'add':
      if (isTavoloLocked(change.newValue) && isObject(change.newValue)) {
        return { kind: 'strip', rule: 'L6', value: withTavoloLock(change.newValue, false) }
      }
      return { kind: 'accept' }
    case 'update':
      if (isTavoloLocked(change.oldValue) && isObject(change.oldValue)) {
        if (jsonEqual(change.oldValue, change.newValue)) return { kind: 'accept' } // L8
        return { kind: 'revert', rule: 'L3', value: change.oldValue }
      }
      if (isTavoloLocked(change.newValue) && isObject(change.oldValue)) {
        return { kind: 'revert', rule: 'L5', value: change.oldValue }
      }
      if (isTavoloLocked(change.newValue) && isObject(change.newValue)) {
        // an update from a non-record value (should not happen): treat it like a new record
        return { kind: 'strip', rule: 'L6', value: withTavoloLock(change.newValue, false) }
      }
      return { kind: 'accept' }
    case 'delete':
      if (isTavoloLocked(change.oldValue) && isObject(change.oldValue)) {
        return { kind: 'revert', rule: 'L4', value: change.oldValue }
      }
      return { kind: 'accept' }
    default:
      return assertNever(change)
  }
}

/** What judging a whole transaction needs to know about the board as it is after the transaction. */
export interface BoardLookup {
  /** True when the record `id` contains a current locked record: it is its parent, or a parent of its parent... */
  holdsLockedRecord(id: string): boolean
}

function parentIdOf(record: unknown): string | null {
  return isObject(record) && typeof record.parentId === 'string' ? record.parentId : null
}

/**
 * Judges every record change of one transaction (rules L1..L9) and returns the corrections to write, by record id.
 * `changes` are the transaction's changes as YKeyValue reports them; `board` answers about the board after them.
 */
export function judgeTransaction(
  author: ChangeAuthor,
  changes: ReadonlyMap<string, RecordChange>,
  board: BoardLookup,
): Map<string, Exclude<LockVerdict, { kind: 'accept' }>> {
  const corrections = new Map<string, Exclude<LockVerdict, { kind: 'accept' }>>()
  if (author === 'server' || author === 'facilitator') return corrections // L2
  for (const [id, change] of changes) {
    const verdict = judgeRecordChange(author, change)
    if (verdict.kind !== 'accept') corrections.set(id, verdict)
  }
  // L9: containers deleted by this change that hold a locked record (one restored above, or one still on the board).
  const deletedHere = (id: string | null): RecordJson | null => {
    if (id === null || corrections.has(id)) return null
    const change = changes.get(id)
    return change?.action === 'delete' && isObject(change.oldValue) ? change.oldValue : null
  }
  const restoreAncestors = (record: unknown) => {
    let parent = parentIdOf(record)
    for (let value = deletedHere(parent); value !== null && parent !== null; value = deletedHere(parent)) {
      corrections.set(parent, { kind: 'revert', rule: 'L9', value })
      parent = parentIdOf(value)
    }
  }
  for (const verdict of [...corrections.values()]) if (verdict.kind === 'revert') restoreAncestors(verdict.value)
  for (const [id, change] of changes) {
    if (change.action === 'delete' && !corrections.has(id) && board.holdsLockedRecord(id) && isObject(change.oldValue)) {
      corrections.set(id, { kind: 'revert', rule: 'L9', value: change.oldValue })
      restoreAncestors(change.oldValue)
    }
  }
  // L9: bring back whatever this change deleted inside a container whose deletion is reverted (L4 or L9), down to
  // nested frames. Deletions inside a container that was only moved or edited stay accepted.
  let containers = new Set([...corrections.keys()].filter((id) => changes.get(id)?.action === 'delete'))
  while (containers.size > 0) {
    const next = new Set<string>()
    for (const [id, change] of changes) {
      if (change.action !== 'delete' || corrections.has(id) || !isObject(change.oldValue)) continue
      const parent = parentIdOf(change.oldValue)
      if (parent !== null && containers.has(parent)) {
        corrections.set(id, { kind: 'revert', rule: 'L9', value: change.oldValue })
        next.add(id)
      }
    }
    containers = next
  }
  return corrections
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
