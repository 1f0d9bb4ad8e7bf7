/**
 * server/src/store/stateChunks.ts (sync SPEC R18): a compacted state cut into chunks that load one at a time. Applied
 * in order, every chunk is causally complete with those before it (Yjs never holds a pending struct), and the result
 * is the same document: records, meta, deletions, state vector.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { RecordsKeyValue } from '../../shared/src/board/RecordsKeyValue.ts'
import { META_MAP, RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { frameChunks, stateChunks, unframeChunks } from '../../server/src/store/stateChunks.ts'

function generator(seed: number) {
  let state = seed
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return Math.floor((state / 2147483648) * below)
  }
}

const note = (n: number | string, x: number) => ({ id: `shape:${n}`, typeName: 'shape', type: 'note', x, y: n, props: { text: `idea ${n}` } })

/** Several peers write, move and delete notes concurrently, syncing now and then (how a workshop's log looks). */
function workshopDoc(seed: number, rounds: number, peers = 4): Y.Doc {
  const next = generator(seed)
  const docs = Array.from({ length: peers }, () => new Y.Doc())
  const kvs = docs.map((d) => new RecordsKeyValue(d.getArray(RECORDS_ARRAY)))
  for (let round = 0; round < rounds; round++) {
    const p = next(peers)
    const key = next(rounds / 4 + 10)
    const action = next(10)
    if (action < 6) kvs[p]!.set(`shape:${key}`, note(key, round))
    else if (action < 8) kvs[p]!.delete(`shape:${key}`)
    else if (action < 9) docs[p]!.getMap(META_MAP).set(`k${next(5)}`, round)
    else {
      // a paste: many records in one transaction (one struct of many elements)
      docs[p]!.transact(() => {
        for (let i = 0; i < 30; i++) kvs[p]!.set(`shape:paste-${round}-${i}`, note(`paste-${round}-${i}`, round))
      })
    }
    if (next(5) === 0) {
      const a = docs[next(peers)]!
      const b = docs[next(peers)]!
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    }
  }
  const merged = new Y.Doc()
  for (const d of docs) Y.applyUpdate(merged, Y.encodeStateAsUpdate(d))
  return merged
}

function loadChunks(chunks: readonly Uint8Array[], checkEachStep: boolean): Y.Doc {
  const doc = new Y.Doc()
  for (const chunk of chunks) {
    Y.applyUpdate(doc, chunk)
    if (checkEachStep) {
      expect(doc.store.pendingStructs).toBeNull()
      expect(doc.store.pendingDs).toBeNull()
    }
  }
  return doc
}

function expectSameDoc(actual: Y.Doc, expected: Y.Doc) {
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected))
  expect(actual.getArray(RECORDS_ARRAY).toJSON()).toEqual(expected.getArray(RECORDS_ARRAY).toJSON())
  expect(actual.getMap(META_MAP).toJSON()).toEqual(expected.getMap(META_MAP).toJSON())
  expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected))).toBe(true)
}

describe('stateChunks (sync SPEC R18)', () => {
  test.each([1, 2, 3, 4, 5])('seed %i: every chunk is causally complete with those before it; the result is the same doc', (seed) => {
    const doc = workshopDoc(seed, 1_500)
    const chunks = stateChunks(doc, { maxStructs: 40, maxLength: 20 }) // pastes of 30 are cut
    expect(chunks.length).toBeGreaterThan(10)
    const loaded = loadChunks(chunks, true)
    expectSameDoc(loaded, doc)
    // a doc loaded from chunks keeps working with its peers: an edit made on it reaches the original
    new RecordsKeyValue(loaded.getArray(RECORDS_ARRAY)).set('shape:after', note('after', 1))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(loaded, Y.encodeStateVector(doc)))
    expect(new RecordsKeyValue(doc.getArray(RECORDS_ARRAY)).get('shape:after')).toEqual(note('after', 1))
  })

  test('a paste longer than a chunk (one struct of 500 records) is cut into pieces, in chunks of their own', () => {
    const doc = new Y.Doc()
    const kv = new RecordsKeyValue(doc.getArray(RECORDS_ARRAY))
    doc.transact(() => {
      for (let i = 0; i < 500; i++) kv.set(`shape:${i}`, note(i, 0))
    })
    kv.delete('shape:250')
    doc.getArray(RECORDS_ARRAY).insert(100, [{ key: 'shape:between', val: note('between', 1) }])
    const chunks = stateChunks(doc, { maxStructs: 10, maxLength: 100 })
    expect(chunks.length).toBeGreaterThanOrEqual(5)
    expectSameDoc(loadChunks(chunks, true), doc)
    // a doc loaded from the pieces keeps working with its peers
    const loaded = loadChunks(chunks, true)
    new RecordsKeyValue(loaded.getArray(RECORDS_ARRAY)).set('shape:after', note('after', 1))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(loaded, Y.encodeStateVector(doc)))
    expect(kv.get('shape:after')).toEqual(note('after', 1))
    expectSameDoc(loaded, doc)
  })

  test('structs still waiting for a dependency stay pending, as in the state, and resolve when it arrives', () => {
    const source = new Y.Doc()
    const kv = new RecordsKeyValue(source.getArray(RECORDS_ARRAY))
    kv.set('shape:1', note(1, 0))
    const first = Y.encodeStateAsUpdate(source)
    const sv = Y.encodeStateVector(source)
    kv.set('shape:2', note(2, 0))
    const second = Y.encodeStateAsUpdate(source, sv)
    const partial = new Y.Doc()
    Y.applyUpdate(partial, second) // its dependency is missing: pending
    const chunks = stateChunks(partial, { maxStructs: 1, maxLength: 1 })
    const loaded = loadChunks(chunks, false)
    expect(loaded.store.pendingStructs).not.toBeNull()
    Y.applyUpdate(loaded, first)
    expect(new RecordsKeyValue(loaded.getArray(RECORDS_ARRAY)).get('shape:2')).toEqual(note(2, 0))
  })

  test('an empty doc is one empty update; framing round-trips and refuses other bytes', () => {
    const chunks = stateChunks(new Y.Doc())
    expect(chunks).toHaveLength(1)
    expectSameDoc(loadChunks(chunks, true), new Y.Doc())
    const doc = workshopDoc(9, 300)
    const framed = frameChunks(stateChunks(doc, { maxStructs: 20, maxLength: 20 }))
    expectSameDoc(loadChunks(unframeChunks(framed), true), doc)
    expect(() => unframeChunks(Y.encodeStateAsUpdate(doc))).toThrow()
  })
})
