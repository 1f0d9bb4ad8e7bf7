import * as Y from 'yjs'
import { readRecordsEntry, type RecordValue } from './recordsEntries.ts'

/** One record's change, as y-utility's YKeyValue reports it. */
export type KeyValueChange =
  | { action: 'add'; newValue: RecordValue }
  | { action: 'update'; oldValue: RecordValue; newValue: RecordValue }
  | { action: 'delete'; oldValue: RecordValue }

type Entry = { key: string; val: RecordValue }
type ChangeListener = (changes: Map<string, KeyValueChange>, transaction: Y.Transaction) => void
/** A readable entry and the id of its array element (stable however Yjs splits or merges the items holding it). */
type Placed = { entry: Entry; id: Y.ID }
type ChangedItems = { added: Y.Item[]; deleted: Y.Item[] }

/** Found once per transaction and array, for every reader of that array (the server has two: lock and text guards). */
const changedItemsOf = new WeakMap<Y.Transaction, Map<Y.Array<unknown>, ChangedItems>>()

/**
 * The board's records array read as a key-value map: y-utility's `YKeyValue` (same layout, same writes, same
 * events, so both interoperate on one doc), except that
 * - an entry it cannot read (shared/src/board/recordsEntries.ts E1) is skipped and reported through `onUnreadable`
 *   instead of throwing: y-utility's class reads `entry.key` of every entry, and one `null` in the array made every
 *   read of the board throw (issue 17, finding 1);
 * - a change costs what it changes, not what the board holds: YKeyValue copies and reads the whole array on every
 *   change and scans it on every `set`, which on a 6,000-record board cost 11 ms per change, twice over on the
 *   server (lock and text-limit guards) and on every phone. Here each current entry is known by the id of its array
 *   element, so the order of two entries and the index of one are found by walking the items between them and the
 *   nearer end of the array (a few items for the usual writes, which push at the end).
 *
 * Like YKeyValue it deletes older duplicates of a key it reads (on creation and after each change), in a
 * transaction without origin. It never touches an entry it cannot read: removing those is a repair the facilitator
 * chooses (a restore), not something every reader does behind everyone's back.
 */
export class RecordsKeyValue {
  readonly map = new Map<string, Entry>()
  /** The array element of each key's current entry. */
  private readonly ids = new Map<string, Y.ID>()
  private readonly listeners = new Set<ChangeListener>()
  private readonly observer: (event: Y.YArrayEvent<unknown>, transaction: Y.Transaction) => void
  private readonly doc: Y.Doc

  constructor(
    readonly yarray: Y.Array<unknown>,
    private readonly onUnreadable: (reason: string, key: string | null) => void = () => {},
  ) {
    this.doc = yarray.doc!
    const older: Y.ID[] = []
    for (let item = yarray._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue
      const content = item.content.getContent() as unknown[]
      for (let i = 0; i < content.length; i++) {
        const entry = this.read(content[i])
        if (entry === null) continue
        // E3: the rightmost entry of a key wins; the walk goes left to right, so the one seen before is older
        const previous = this.ids.get(entry.key)
        if (previous !== undefined) older.push(previous)
        this.map.set(entry.key, entry)
        this.ids.set(entry.key, Y.createID(item.id.client, item.id.clock + i))
      }
    }
    if (older.length > 0) this.doc.transact(() => older.forEach((id) => this.deleteElement(id)))
    this.observer = (_event, transaction) => this.onArrayChange(transaction)
    yarray.observe(this.observer)
  }

  /** The entry as the map keeps it (its identity is Yjs's object), or null after reporting it unreadable. */
  private read(raw: unknown, report = true): Entry | null {
    const reading = readRecordsEntry(raw)
    if (reading.ok) return raw as Entry
    if (report) this.onUnreadable(reading.reason, reading.key)
    return null
  }

  private onArrayChange(transaction: Y.Transaction): void {
    const changes = new Map<string, KeyValueChange>()
    const { added: addedItems, deleted: deletedItems } = this.changedItems(transaction)
    for (const item of deletedItems) {
      for (const raw of item.content.getContent() as unknown[]) {
        const entry = this.read(raw, false)
        if (entry !== null && this.map.get(entry.key) === entry) {
          this.map.delete(entry.key)
          this.ids.delete(entry.key)
          changes.set(entry.key, { action: 'delete', oldValue: entry.val })
        }
      }
    }
    const added = new Map<string, Placed[]>()
    for (const item of addedItems) {
      const content = item.content.getContent() as unknown[]
      for (let i = 0; i < content.length; i++) {
        const entry = this.read(content[i])
        if (entry === null) continue
        const placed = { entry, id: Y.createID(item.id.client, item.id.clock + i) }
        const list = added.get(entry.key)
        if (list === undefined) added.set(entry.key, [placed])
        else list.push(placed)
      }
    }
    const losers: Y.ID[] = []
    for (const [key, candidates] of added) {
      const currentEntry = this.map.get(key)
      const current: Placed | null = currentEntry === undefined ? null : { entry: currentEntry, id: this.ids.get(key)! }
      // E3: of the key's current entry and the entries this change added, the rightmost stays
      let winner = current ?? candidates[0]!
      for (const candidate of candidates) {
        if (candidate !== winner && this.isRightOf(candidate.id, winner.id)) winner = candidate
      }
      if (current !== null && current !== winner) losers.push(current.id)
      for (const candidate of candidates) if (candidate !== winner) losers.push(candidate.id)
      if (winner === current) continue
      const previous = current?.entry.val ?? (changes.get(key)?.action === 'delete' ? (changes.get(key) as { oldValue: RecordValue }).oldValue : undefined)
      changes.set(key, previous === undefined ? { action: 'add', newValue: winner.entry.val } : { action: 'update', oldValue: previous, newValue: winner.entry.val })
      this.map.set(key, winner.entry)
      this.ids.set(key, winner.id)
    }
    if (losers.length > 0) this.doc.transact(() => losers.forEach((id) => this.deleteElement(id)))
    if (changes.size > 0) for (const listener of [...this.listeners]) listener(changes, transaction)
  }

  /**
   * The array's items this transaction added and deleted (what `event.changes` gives, without its delta: Yjs
   * computes that by walking the whole array). Added: the new structs of the transaction (every clock from the
   * state before it) that are items of this array and were not deleted in it; deleted: the items of this array
   * in its delete set that were there before it.
   */
  private changedItems(transaction: Y.Transaction): ChangedItems {
    let byArray = changedItemsOf.get(transaction)
    if (byArray === undefined) changedItemsOf.set(transaction, (byArray = new Map()))
    let changed = byArray.get(this.yarray)
    if (changed === undefined) byArray.set(this.yarray, (changed = this.findChangedItems(transaction)))
    return changed
  }

  private findChangedItems(transaction: Y.Transaction): ChangedItems {
    const structsOf = (client: number) => this.doc.store.clients.get(client) ?? []
    const added: Y.Item[] = []
    const deleted: Y.Item[] = []
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after <= before) continue
      const structs = structsOf(client)
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]!
        if (struct instanceof Y.Item && struct.parent === this.yarray && !struct.deleted) added.push(struct)
      }
    }
    const ranges = (transaction.deleteSet as unknown as { clients: Map<number, Array<{ clock: number; len: number }>> }).clients
    for (const [client, list] of ranges) {
      const structs = structsOf(client)
      const before = transaction.beforeState.get(client) ?? 0
      for (const { clock, len } of list) {
        if (clock >= before) continue // added and deleted in this transaction: never seen
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
          const struct = structs[i]!
          if (struct instanceof Y.Item && struct.parent === this.yarray && struct.id.clock < before) deleted.push(struct)
        }
      }
    }
    return { added, deleted }
  }

  /** The live item holding an element (items split and merge; the struct store always knows). */
  private itemOf(id: Y.ID): Y.Item {
    return Y.getItem(this.doc.store, id)
  }

  /**
   * Whether element `a` is right of element `b`. Walks right from both at once: the walk from the left one meets the
   * other, or the walk from the right one meets the end, whichever comes first.
   */
  private isRightOf(a: Y.ID, b: Y.ID): boolean {
    const itemA = this.itemOf(a)
    const itemB = this.itemOf(b)
    if (itemA === itemB) return a.clock > b.clock
    let fromA: Y.Item | null = itemA.right
    let fromB: Y.Item | null = itemB.right
    for (;;) {
      if (fromB === itemA || fromA === null) return true
      if (fromA === itemB || fromB === null) return false
      fromA = fromA.right
      fromB = fromB.right
    }
  }

  /** Deletes one array element, found by its id; its index is counted from the nearer end of the array. */
  private deleteElement(id: Y.ID): void {
    const item = this.itemOf(id)
    if (item.deleted) return
    const offset = id.clock - item.id.clock
    let left = 0
    let right = 0
    let toLeft: Y.Item | null = item.left
    let toRight: Y.Item | null = item.right
    const live = (it: Y.Item) => (!it.deleted && it.countable ? it.length : 0)
    let index: number
    for (;;) {
      if (toLeft === null) {
        index = left + offset
        break
      }
      if (toRight === null) {
        index = this.yarray.length - right - item.length + offset
        break
      }
      left += live(toLeft)
      right += live(toRight)
      toLeft = toLeft.left
      toRight = toRight.right
    }
    this.yarray.delete(index, 1)
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
    const id = this.ids.get(key)
    if (id !== undefined) this.deleteElement(id)
  }

  /** Stops observing the array (unlike YKeyValue, whose observer cannot be removed). */
  destroy(): void {
    this.yarray.unobserve(this.observer)
    this.listeners.clear()
  }
}
