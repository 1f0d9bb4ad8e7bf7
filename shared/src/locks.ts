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
 */
import type { Role } from './roles.ts'

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
  | { kind: 'revert'; rule: 'L3' | 'L4' | 'L5'; value: RecordJson }
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

/** Structural equality of JSON values (records are plain JSON). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined)
    const kb = Object.keys(b).filter((k) => b[k] !== undefined)
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
  }
  return false
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

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
