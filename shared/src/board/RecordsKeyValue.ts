import type * as Y from 'yjs'
import { readRecordsEntry, type RecordValue } from './recordsEntries.ts'

/** One record's change, as y-utility's YKeyValue reports it. */
export type KeyValueChange =
  | { action: 'add'; newValue: RecordValue }
  | { action: 'update'; oldValue: RecordValue; newValue: RecordValue }
  | { action: 'delete'; oldValue: RecordValue }

type Entry = { key: string; val: RecordValue }
type ChangeListener = (changes: Map<string, KeyValueChange>, transaction: Y.Transaction) => void

/**
 * The board's records array read as a key-value map: y-utility's `YKeyValue` (same layout, same writes, same
 * events, so both interoperate on one doc), except that an entry it cannot read (shared/src/board/recordsEntries.ts
 * E1) is skipped and reported through `onUnreadable` instead of throwing. y-utility's class reads `entry.key` of
 * every entry: one `null` in the array made every read of the board throw (issue 17, finding 1).
 *
 * Like YKeyValue it deletes older duplicates of a key it reads (on creation and after each change), in a
 * transaction without origin. It never touches an entry it cannot read: removing those is a repair the facilitator
 * chooses (a restore), not something every reader does behind everyone's back.
 */
export class RecordsKeyValue {
  readonly map = new Map<string, Entry>()
  private readonly listeners = new Set<ChangeListener>()
  private readonly observer: (event: Y.YArrayEvent<unknown>, transaction: Y.Transaction) => void
  private readonly doc: Y.Doc

  constructor(
    readonly yarray: Y.Array<unknown>,
    private readonly onUnreadable: (reason: string, key: string | null) => void = () => {},
  ) {
    this.doc = yarray.doc!
    const entries = yarray.toArray()
    this.doc.transact(() => {
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = this.read(entries[i])
        if (entry === null) continue
        if (this.map.has(entry.key)) yarray.delete(i)
        else this.map.set(entry.key, entry)
      }
    })
    this.observer = (event, transaction) => this.onArrayChange(event, transaction)
    yarray.observe(this.observer)
  }

  /** The entry as the map keeps it (its identity is Yjs's object), or null after reporting it unreadable. */
  private read(raw: unknown, report = true): Entry | null {
    const reading = readRecordsEntry(raw)
    if (reading.ok) return raw as Entry
    if (report) this.onUnreadable(reading.reason, reading.key)
    return null
  }

  private onArrayChange(event: Y.YArrayEvent<unknown>, transaction: Y.Transaction): void {
    const changes = new Map<string, KeyValueChange>()
    for (const item of event.changes.deleted) {
      for (const raw of item.content.getContent()) {
        const entry = this.read(raw, false)
        if (entry !== null && this.map.get(entry.key) === entry) {
          this.map.delete(entry.key)
          changes.set(entry.key, { action: 'delete', oldValue: entry.val })
        }
      }
    }
    const addedVals = new Map<string, Entry>()
    for (const item of event.changes.added) {
      for (const raw of item.content.getContent()) {
        const entry = this.read(raw)
        if (entry !== null) addedVals.set(entry.key, entry)
      }
    }
    const itemsToRemove = new Set<string>()
    const vals = this.yarray.toArray()
    this.doc.transact(() => {
      // right to left: the rightmost entry of a key wins; older ones are deleted
      for (let i = vals.length - 1; i >= 0 && (addedVals.size > 0 || itemsToRemove.size > 0); i--) {
        const current = this.read(vals[i], false)
        if (current === null) continue
        if (itemsToRemove.has(current.key)) {
          itemsToRemove.delete(current.key)
          this.yarray.delete(i, 1)
        } else if (addedVals.get(current.key) === current) {
          const previous = this.map.get(current.key)
          if (previous) {
            itemsToRemove.add(current.key)
            changes.set(current.key, { action: 'update', oldValue: previous.val, newValue: current.val })
          } else {
            const deleted = changes.get(current.key)
            changes.set(
              current.key,
              deleted?.action === 'delete'
                ? { action: 'update', oldValue: deleted.oldValue, newValue: current.val }
                : { action: 'add', newValue: current.val },
            )
          }
          addedVals.delete(current.key)
          this.map.set(current.key, current)
        } else if (addedVals.has(current.key)) {
          // an added entry that an older one to its right outranks: the added one goes
          itemsToRemove.add(current.key)
          addedVals.delete(current.key)
        }
      }
    })
    if (changes.size > 0) for (const listener of [...this.listeners]) listener(changes, transaction)
  }

  on(_event: 'change', listener: ChangeListener): void {
    this.listeners.add(listener)
  }

  off(_event: 'change', listener: ChangeListener): void {
    this.listeners.delete(listener)
  }

  get(key: string): RecordValue | undefined {
    return this.map.get(key)?.val
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  /** Writes a record (the caller's code makes it: it must be one E1 reads, or it will be skipped like any other). */
  set(key: string, val: object): void {
    this.doc.transact(() => {
      if (this.map.has(key)) this.delete(key)
      this.yarray.push([{ key, val }])
    })
  }

  delete(key: string): void {
    let index = 0
    for (const raw of this.yarray) {
      if (this.read(raw, false)?.key === key) {
        this.yarray.delete(index)
        return
      }
      index++
    }
  }

  /** Stops observing the array (unlike YKeyValue, whose observer cannot be removed). */
  destroy(): void {
    this.yarray.unobserve(this.observer)
    this.listeners.clear()
  }
}
