/**
 * shared/src/board/RecordsKeyValue.ts against y-utility's YKeyValue, whose layout, writes and events it keeps
 * (recordsEntries.ts E3: the rightmost entry of a key wins), and its cost: a change costs what it changes, not what
 * the board holds.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { RecordsKeyValue, type KeyValueChange } from '../../shared/src/board/RecordsKeyValue.ts'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'

const record = (n: number, x: number) => ({ id: `shape:${n}`, typeName: 'shape', x })

/** A small deterministic generator (the same runs on every machine). */
function generator(seed: number) {
  let state = seed
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return Math.floor((state / 2147483648) * below)
  }
}

function peer() {
  const doc = new Y.Doc()
  const array = doc.getArray<unknown>(RECORDS_ARRAY)
  const kv = new RecordsKeyValue(array)
  const events: Array<Map<string, KeyValueChange>> = []
  kv.on('change', (changes) => events.push(new Map(changes)))
  return { doc, array, kv, events }
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/** What YKeyValue, made now over the same array content, reads (it deletes duplicates: read a copy). */
function ykeyvalueReading(doc: Y.Doc): Map<string, unknown> {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const kv = new YKeyValue(copy.getArray<{ key: string; val: unknown }>(RECORDS_ARRAY))
  return new Map([...kv.map].map(([key, entry]) => [key, entry.val]))
}

const reading = (kv: RecordsKeyValue) => new Map([...kv.map].map(([key, entry]) => [key, entry.val]))

describe('RecordsKeyValue', () => {
  test('concurrent writers converge to what YKeyValue reads, with one entry per key', () => {
    const next = generator(7)
    const peers = [peer(), peer(), peer()]
    for (let round = 0; round < 300; round++) {
      const p = peers[next(3)]!
      const key = next(25)
      const action = next(10)
      if (action < 6) p.kv.set(`shape:${key}`, record(key, round))
      else if (action < 8) p.kv.delete(`shape:${key}`)
      else if (action < 9) {
        // a client that pushes without deleting (an older or hostile writer): a duplicate the readers resolve
        p.array.insert(next(p.array.length + 1), [{ key: `shape:${key}`, val: record(key, -round) }])
      } else {
        const [a, b] = [peers[next(3)]!, peers[next(3)]!]
        if (a !== b) sync(a.doc, b.doc)
      }
    }
    sync(peers[0]!.doc, peers[1]!.doc)
    sync(peers[1]!.doc, peers[2]!.doc)
    sync(peers[0]!.doc, peers[1]!.doc)
    const expected = ykeyvalueReading(peers[0]!.doc)
    expect(expected.size).toBeGreaterThan(5)
    for (const p of peers) {
      expect(reading(p.kv)).toEqual(expected)
      const keys = p.array.toArray().map((e) => (e as { key: string }).key)
      expect(new Set(keys).size, 'older duplicates are deleted').toBe(keys.length)
    }
  })

  test('events say add, update and delete as YKeyValue does', () => {
    const a = peer()
    a.kv.set('shape:1', record(1, 1))
    a.kv.set('shape:1', record(1, 2))
    a.kv.delete('shape:1')
    expect(a.events).toEqual([
      new Map([['shape:1', { action: 'add', newValue: record(1, 1) }]]),
      new Map([['shape:1', { action: 'update', oldValue: record(1, 1), newValue: record(1, 2) }]]),
      new Map([['shape:1', { action: 'delete', oldValue: record(1, 2) }]]),
    ])
  })

  test('an added entry that an older one to its right outranks is deleted, and no change is told', () => {
    const a = peer()
    a.kv.set('shape:1', record(1, 1))
    a.events.length = 0
    a.array.insert(0, [{ key: 'shape:1', val: record(1, 0) }])
    expect(a.kv.get('shape:1')).toEqual(record(1, 1))
    expect(a.array.length).toBe(1)
    expect(a.events).toEqual([])
  })

  test('unreadable entries are skipped and kept', () => {
    const doc = new Y.Doc()
    const array = doc.getArray<unknown>(RECORDS_ARRAY)
    array.push([null, { key: 'shape:1', val: record(1, 1) }, { key: 'shape:2', val: 'nope' }])
    const reasons: string[] = []
    const kv = new RecordsKeyValue(array, (reason) => reasons.push(reason))
    expect([...kv.map.keys()]).toEqual(['shape:1'])
    expect(reasons).toHaveLength(2)
    kv.set('shape:1', record(1, 2))
    expect(array.length).toBe(3)
    expect(kv.get('shape:1')).toEqual(record(1, 2))
  })

  test('a change on a big board costs what it changes: 20,000 records, 200 moves of the first ones', () => {
    const doc = new Y.Doc()
    const array = doc.getArray<unknown>(RECORDS_ARRAY)
    // each record in its own item, as on a board made by many edits (inserted at the front, items never merge)
    doc.transact(() => {
      for (let i = 0; i < 20_000; i++) array.insert(0, [{ key: `shape:${i}`, val: record(i, 0) }])
    })
    const guards = [new RecordsKeyValue(array), new RecordsKeyValue(array)]
    const started = performance.now()
    for (let i = 0; i < 200; i++) guards[0]!.set(`shape:${i % 20}`, record(i % 20, i))
    const perChange = (performance.now() - started) / 200
    console.log(`RecordsKeyValue: ${perChange.toFixed(3)} ms per change on 20,000 records`)
    // YKeyValue copied and read the whole array on every change: ~70 ms here; ours walks a few items
    expect(perChange).toBeLessThan(2)
    expect(guards[1]!.get('shape:3')).toEqual(record(3, 183))
    expect(array.length).toBe(20_000)
  })
})
