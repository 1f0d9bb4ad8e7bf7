/**
 * R17 Where the items of an update would land, found before Yjs applies it: for each item the update would insert,
 * the root type (and map key) of the doc it joins, so a judge can look at what is about to enter a board without
 * touching the live doc.
 *
 * Call only after the update passed `scanUpdate` (R9: bounded, no sub-documents, which `Y.decodeUpdate` would build
 * a `Y.Doc` for) and `leavesPending` (R11: every origin, right origin and parent the update names is in the doc or in
 * the update itself, so every item's place can be found).
 *
 * Yjs encodes an item's parent only when the item has neither origin nor right origin; otherwise the item takes the
 * parent (and map key) of its left neighbour, else of its right one, and is discarded when a neighbour is a GC struct
 * (Item.getMissing). This module follows the same rule, through the doc's items and the update's own, iteratively:
 * a paste of 10,000 entries is a chain of 10,000 origins.
 */
import * as Y from 'yjs'

/** Where an item lands: a root type of the doc (and the map key for a map), inside a nested type, or nowhere. */
export type Place =
  | { kind: 'root'; root: string; sub: string | null }
  | { kind: 'nested' }
  /** Next to a GC struct: Yjs turns the item into a GC struct itself; nothing of it enters the doc. */
  | { kind: 'gone' }

export interface Insertion {
  item: Y.Item
  place: Place
  /** How many of the item's first elements the doc already has (Yjs integrates only the rest). */
  offset: number
}

export interface DecodedUpdate {
  insertions: Insertion[]
  /** The update's delete set. */
  deleteSet: Parameters<typeof Y.isDeleted>[0]
}

/** Thrown when an item's place cannot be found (a cycle among the update's own structs: R11's second line). */
export class UnplacedItem extends Error {}

type Struct = Y.Item | Y.GC | Y.Skip

/** Decodes `update` (see the preconditions above) and finds the place of every item the doc does not hold yet. */
export function decodeInsertions(doc: Y.Doc, update: Uint8Array): DecodedUpdate {
  const { structs, ds } = Y.decodeUpdate(update) as { structs: Struct[]; ds: Parameters<typeof Y.isDeleted>[0] }
  const byClient = new Map<number, Struct[]>()
  for (const struct of structs) {
    let list = byClient.get(struct.id.client)
    if (list === undefined) byClient.set(struct.id.client, (list = []))
    list.push(struct)
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  const rootNames = new Map<unknown, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)

  const inUpdate = (id: Y.ID): Struct | undefined => {
    const list = byClient.get(id.client)
    if (list === undefined) return undefined
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const s = list[mid]!
      if (id.clock < s.id.clock) high = mid - 1
      else if (id.clock >= s.id.clock + s.length) low = mid + 1
      else return s
    }
    return undefined
  }
  const placeInDoc = (id: Y.ID): Place | undefined => {
    if (Y.getState(doc.store, id.client) <= id.clock) return undefined
    const struct = Y.getItem(doc.store, id) as Y.Item | Y.GC
    if (!(struct instanceof Y.Item)) return { kind: 'gone' }
    const parent = struct.parent as Y.AbstractType<unknown> | null
    if (parent === null) return { kind: 'gone' }
    if (parent._item !== null) return { kind: 'nested' }
    const root = rootNames.get(parent)
    return root === undefined ? { kind: 'nested' } : { kind: 'root', root, sub: struct.parentSub }
  }

  const places = new Map<Y.Item, Place>()
  /** What an id (an origin) stands for: a place, or the update's item to follow. */
  const neighbour = (id: Y.ID): Place | Y.Item => {
    const docPlace = placeInDoc(id)
    if (docPlace !== undefined) return docPlace
    const struct = inUpdate(id)
    if (struct instanceof Y.Item) return struct
    if (struct instanceof Y.GC) return { kind: 'gone' }
    throw new UnplacedItem('an item refers to a change the board does not have')
  }
  /** One step of Item.getMissing's rule: the place itself, or the item whose place it takes. */
  const step = (item: Y.Item): Place | Y.Item => {
    const parent = item.parent as unknown
    if (typeof parent === 'string') return { kind: 'root', root: parent, sub: item.parentSub }
    if (parent instanceof Y.ID) {
      // a parent named by id is an item holding a nested type (or a GC struct: then the item is discarded)
      const target = neighbour(parent)
      if (!(target instanceof Y.Item) && target.kind === 'gone') return target
      return { kind: 'nested' }
    }
    const left = item.origin === null ? null : neighbour(item.origin)
    const right = item.rightOrigin === null ? null : neighbour(item.rightOrigin)
    const isGone = (n: Place | Y.Item | null) => n !== null && !(n instanceof Y.Item) && n.kind === 'gone'
    if (isGone(left) || isGone(right)) return { kind: 'gone' }
    const from = left ?? right
    if (from === null) throw new UnplacedItem('an item has no parent')
    return from
  }
  const placeOf = (item: Y.Item): Place => {
    const chain: Y.Item[] = []
    const seen = new Set<Y.Item>()
    let current: Y.Item = item
    let place: Place | undefined
    for (;;) {
      place = places.get(current)
      if (place !== undefined) break
      if (seen.has(current)) throw new UnplacedItem('the update places its items on each other')
      seen.add(current)
      chain.push(current)
      const next = step(current)
      if (!(next instanceof Y.Item)) {
        place = next
        break
      }
      current = next
    }
    for (const link of chain) places.set(link, place)
    return place
  }

  const insertions: Insertion[] = []
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const state = Y.getState(doc.store, struct.id.client)
    if (struct.id.clock + struct.length <= state) continue
    insertions.push({ item: struct, place: placeOf(struct), offset: Math.max(0, state - struct.id.clock) })
  }
  return { insertions, deleteSet: ds }
}
