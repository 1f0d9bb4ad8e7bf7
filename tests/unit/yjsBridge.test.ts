import { afterEach, describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { createShapeId, toRichText, type TLNoteShape, type TLRecord, type TLStore } from 'tldraw'
import { UNREADABLE_ENTRY_ID, createYjsBridge, type InvalidRecordReport, type YjsBridge } from '../../client/src/board/yjsBridge.ts'
import { FIRST_PAGE_ID, createBoardStore, seedEmptyBoard } from '../../client/src/board/boardStore.ts'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import { noteRecord } from '../helpers/fixtures.ts'

// vitest sets NODE_ENV=test, which makes tldraw's store listeners fire synchronously.

interface Peer {
  store: TLStore
  doc: Y.Doc
  bridge: YjsBridge
  invalid: InvalidRecordReport[]
  /** Updates this doc emitted on its own (not received from the other peer). */
  ownUpdates: number
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function makePeer(doc = new Y.Doc()): Peer {
  const store = createBoardStore()
  const invalid: InvalidRecordReport[] = []
  const bridge = createYjsBridge({ store, doc, onInvalidRecord: (r) => invalid.push(r) })
  const peer: Peer = { store, doc, bridge, invalid, ownUpdates: 0 }
  cleanups.push(() => {
    bridge.dispose()
    doc.destroy()
  })
  return peer
}

const FROM_NETWORK = Symbol('network')

/** Joins two docs like a relay would: every update of one is applied to the other with a network origin. */
function join(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), FROM_NETWORK)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), FROM_NETWORK)
  const relay = (to: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (origin !== FROM_NETWORK) Y.applyUpdate(to, update, FROM_NETWORK)
  }
  const ab = relay(b)
  const ba = relay(a)
  a.on('update', ab)
  b.on('update', ba)
  return () => {
    a.off('update', ab)
    b.off('update', ba)
  }
}

function twoPeers() {
  const a = makePeer()
  seedEmptyBoard(a.store, 'Pagina 1')
  const b = makePeer()
  cleanups.push(join(a.doc, b.doc))
  for (const p of [a, b]) {
    p.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== FROM_NETWORK) p.ownUpdates++
    })
  }
  return { a, b }
}

const note = noteRecord

/** The update `change` makes on a copy of `doc` (what a remote peer would send). */
function updateOf(doc: Y.Doc, change: (d: Y.Doc) => void): Uint8Array {
  const other = new Y.Doc()
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(other)
  change(other)
  return Y.encodeStateAsUpdate(other, before)
}

describe('yjs bridge between two stores', () => {
  test('B1: a joining peer loads the board, and the seed carries the schema', () => {
    const { a, b } = twoPeers()
    expect(b.store.get(FIRST_PAGE_ID)?.typeName).toBe('page')
    expect(b.store.get('document:document' as TLRecord['id'])).toBeDefined()
    expect(a.doc.getMap(META_MAP).get(SCHEMA_KEY)).toEqual(a.store.schema.serialize())
  })

  test('B2/B3: create, update and delete travel both ways', () => {
    const { a, b } = twoPeers()
    a.store.put([note('n1', 'ciao')])
    expect((b.store.get(createShapeId('n1')) as TLNoteShape).props.richText).toEqual(toRichText('ciao'))

    b.store.update(createShapeId('n1'), (r) => ({ ...r, x: 120, y: 40 }))
    expect(a.store.get(createShapeId('n1'))).toMatchObject({ x: 120, y: 40 })

    a.store.remove([createShapeId('n1')])
    expect(b.store.get(createShapeId('n1'))).toBeUndefined()
  })

  test('B3: a bulk put goes out as one Yjs transaction', () => {
    const { a, b } = twoPeers()
    const before = a.ownUpdates
    a.store.put(Array.from({ length: 200 }, (_, i) => note(`bulk${i}`, `n${i}`, i * 10, 0)))
    expect(a.ownUpdates - before).toBe(1)
    expect(b.store.query.records('shape').get()).toHaveLength(200)
  })

  test('B2: echo suppression: a remote change does not bounce back as a new Yjs update', () => {
    const { a, b } = twoPeers()
    const bBefore = b.ownUpdates
    a.store.put([note('n1', 'uno')])
    a.store.update(createShapeId('n1'), (r) => ({ ...r, x: 5 }))
    a.store.remove([createShapeId('n1')])
    expect(b.ownUpdates).toBe(bBefore)
  })

  test('B2: remote changes stay out of the local undo history', () => {
    const { a, b } = twoPeers()
    const changes: number[] = []
    const stop = b.store.listen(() => changes.push(1), { source: 'user', scope: 'document' })
    a.store.put([note('n1', 'remota')])
    stop()
    // The editor's history (undo) is fed by user-source changes only; a remote one produced none.
    expect(changes).toHaveLength(0)
    expect(b.store.get(createShapeId('n1'))).toBeDefined()
  })

  test('B4: an invalid remote record is skipped, counted and reported; the others apply', () => {
    const { a, b } = twoPeers()
    const kv = new YKeyValue<unknown>(a.doc.getArray(RECORDS_ARRAY))
    const bad = { ...note('bad', 'x'), props: { ...note('bad', 'x').props, color: 'not-a-colour' } }
    a.doc.transact(() => {
      kv.set(createShapeId('good'), note('good', 'ok'))
      kv.set(bad.id, bad)
      kv.set('shape:mismatch', note('other', 'id differs from key'))
      kv.set('instance_presence:x', { id: 'instance_presence:x', typeName: 'instance_presence' })
      kv.set('zzz:1', { id: 'zzz:1', typeName: 'zzz' })
    })
    expect(b.store.get(createShapeId('good'))).toBeDefined()
    expect(b.store.get(bad.id)).toBeUndefined()
    expect(b.bridge.invalidRecordCount).toBe(4)
    expect(b.invalid.map((r) => r.id).sort()).toEqual(
      [bad.id, 'instance_presence:x', 'shape:mismatch', 'zzz:1'].sort(),
    )
  })

  test('B4: on load, every record of a board under our schema is validated once (by the store), not twice', () => {
    const writer = makePeer()
    seedEmptyBoard(writer.store, 'Pagina 1')
    writer.store.put(Array.from({ length: 20 }, (_, i) => note(`n${i}`, `nota ${i}`)))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
    const store = createBoardStore()
    const validateRecord = vi.spyOn(store.schema, 'validateRecord')
    const bridge = createYjsBridge({ store, doc })
    cleanups.push(() => bridge.dispose())
    const noteValidations = validateRecord.mock.calls.filter(([, record]) => (record as TLRecord).typeName === 'shape')
    expect(noteValidations).toHaveLength(20)
    expect(store.get(createShapeId('n19'))).toBeDefined()
    validateRecord.mockRestore()
  })

  test('B4: on load, an invalid record among valid ones is skipped; the records before and after it all apply', () => {
    const writer = makePeer()
    seedEmptyBoard(writer.store, 'Pagina 1')
    const kv = new YKeyValue<unknown>(writer.doc.getArray(RECORDS_ARRAY))
    const bad = { ...note('bad', 'x'), props: { ...note('bad', 'x').props, color: 'not-a-colour' } }
    writer.doc.transact(() => {
      kv.set(createShapeId('before'), note('before', 'prima'))
      kv.set(bad.id, bad)
      kv.set(createShapeId('after'), note('after', 'dopo'))
    })
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
    const store = createBoardStore()
    const invalid: InvalidRecordReport[] = []
    const bridge = createYjsBridge({ store, doc, onInvalidRecord: (r) => invalid.push(r) })
    cleanups.push(() => bridge.dispose())
    expect(store.get(createShapeId('before'))).toBeDefined()
    expect(store.get(createShapeId('after'))).toBeDefined()
    expect(store.get(FIRST_PAGE_ID)).toBeDefined()
    expect(store.get(bad.id)).toBeUndefined()
    expect(invalid.map((r) => r.id)).toEqual([bad.id])
    expect(bridge.invalidRecordCount).toBe(1)
  })

  test('B9: entries that are no records (null, numbers, broken entries) are skipped and counted, on load and later', () => {
    const doc = new Y.Doc()
    const seedStore = createBoardStore()
    seedEmptyBoard(seedStore, 'Pagina 1')
    const records = doc.getArray<unknown>(RECORDS_ARRAY)
    const first = note('first', 'prima')
    doc.transact(() => {
      for (const r of seedStore.allRecords()) records.push([{ key: r.id, val: r }])
      records.push([null, { key: first.id, val: first }, 42, { key: 'shape:x' }])
    })
    // y-utility's YKeyValue, which the bridge used before, throws on this board (issue 17, finding 1)
    expect(() => new YKeyValue<unknown>(new Y.Doc().getArray(RECORDS_ARRAY))).not.toThrow()
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    expect(() => new YKeyValue<unknown>(copy.getArray(RECORDS_ARRAY))).toThrow()

    const peer = makePeer(doc)
    expect(peer.store.get(first.id)).toBeDefined()
    expect(peer.store.get(FIRST_PAGE_ID)).toBeDefined()
    expect(peer.bridge.invalidRecordCount).toBe(3)
    expect(peer.invalid.map((r) => r.id).sort()).toEqual([UNREADABLE_ENTRY_ID, UNREADABLE_ENTRY_ID, 'shape:x'].sort())

    // a bad entry arriving from the network next to a good record: the good one applies, the bad one is counted
    const later = note('later', 'dopo')
    Y.applyUpdate(doc, updateOf(doc, (d) => d.getArray<unknown>(RECORDS_ARRAY).push([null, { key: later.id, val: later }])), FROM_NETWORK)
    expect(peer.store.get(later.id)).toBeDefined()
    expect(peer.bridge.invalidRecordCount).toBe(4)
    // local edits still go out, and the board keeps working
    peer.store.update(first.id, (r) => ({ ...r, x: 50 }))
    const reread = new Y.Doc()
    Y.applyUpdate(reread, Y.encodeStateAsUpdate(doc))
    const entries = reread.getArray<unknown>(RECORDS_ARRAY).toArray() as Array<{ key?: string; val?: { x?: number } } | null>
    expect(entries.filter((e) => e?.key === first.id).map((e) => e!.val!.x)).toEqual([50])
  })

  test('B4: the default report goes to the console with the record id', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const doc = new Y.Doc()
    const kv = new YKeyValue<unknown>(doc.getArray(RECORDS_ARRAY))
    kv.set('shape:broken', { id: 'shape:broken', typeName: 'shape', type: 'note', props: {} })
    const store = createBoardStore()
    const bridge = createYjsBridge({ store, doc })
    expect(bridge.invalidRecordCount).toBe(1)
    expect(warn.mock.calls.some((c) => String(c[0]).includes('shape:broken'))).toBe(true)
    warn.mockRestore()
    bridge.dispose()
  })

  test('B5: a board written with an older schema is migrated on load and written back', () => {
    const current = createBoardStore().schema.serialize()
    expect(current.sequences['com.tldraw.shape.note']).toBeGreaterThan(8)
    // A board saved when notes were at version 8: plain `text`, no richText, fontSizeAdjustment 0.
    const oldSchema = { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.note': 8 } }
    const { richText: _r, textLastEditedBy: _t, ...newProps } = note('old', '').props
    const oldNote = { ...note('old', ''), props: { ...newProps, text: 'vecchia nota', fontSizeAdjustment: 0 } }

    const doc = new Y.Doc()
    const seedStore = createBoardStore()
    seedEmptyBoard(seedStore, 'Pagina 1')
    const kv = new YKeyValue<unknown>(doc.getArray(RECORDS_ARRAY))
    doc.transact(() => {
      for (const r of seedStore.allRecords()) kv.set(r.id, r)
      kv.set(oldNote.id, oldNote)
      doc.getMap(META_MAP).set(SCHEMA_KEY, oldSchema)
    })

    const peer = makePeer(doc)
    const loaded = peer.store.get(oldNote.id) as TLNoteShape
    expect(peer.bridge.invalidRecordCount).toBe(0)
    expect(loaded.props.richText).toEqual(toRichText('vecchia nota'))
    expect(loaded.props.fontSizeAdjustment).toBe(1)
    expect('text' in loaded.props).toBe(false)
    // Written back: the doc now holds migrated records next to the current schema.
    expect(peer.bridge.migratedOnLoadCount).toBeGreaterThan(0)
    expect(doc.getMap(META_MAP).get(SCHEMA_KEY)).toEqual(current)
    expect((kv.get(oldNote.id) as TLNoteShape).props.richText).toEqual(toRichText('vecchia nota'))
  })

  test('B4: a record written by a newer schema than ours is skipped, not crashed on', () => {
    const { a, b } = twoPeers()
    const newer = a.store.schema.serialize()
    const kv = new YKeyValue<unknown>(a.doc.getArray(RECORDS_ARRAY))
    a.doc.transact(() => {
      a.doc.getMap(META_MAP).set(SCHEMA_KEY, {
        ...newer,
        sequences: { ...newer.sequences, 'com.tldraw.shape.note': 99 },
      })
      // a note from the future: a prop our tldraw does not know, so it is not valid as it is either (B8)
      const future = note('future', 'dal futuro')
      kv.set(future.id, { ...future, props: { ...future.props, hologram: true } })
    })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(b.store.get(createShapeId('future'))).toBeUndefined()
    expect(b.bridge.invalidRecordCount).toBeGreaterThan(0)
    vi.restoreAllMocks()
  })

  test('B8: a meta.schema that does not describe the records hides nothing that is valid as it is', () => {
    // What finding 7 of issue 8 did: a participant wrote a schema claiming versions the records do not have, and
    // every browser that loaded the board next showed none of its shapes.
    const writer = makePeer()
    seedEmptyBoard(writer.store, 'Pagina 1')
    writer.store.put([note('n1', 'uno'), note('n2', 'due'), note('n3', 'tre')])
    const ours = writer.store.schema.serialize()
    const poisoned = { schemaVersion: 2, sequences: Object.fromEntries(Object.keys(ours.sequences).map((k) => [k, 999])) }
    writer.doc.getMap(META_MAP).set(SCHEMA_KEY, poisoned)

    const mismatches: string[] = []
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc))
    const store = createBoardStore()
    const invalid: InvalidRecordReport[] = []
    const bridge = createYjsBridge({ store, doc, onInvalidRecord: (r) => invalid.push(r), onSchemaMismatch: (id) => mismatches.push(id) })
    cleanups.push(() => bridge.dispose())
    for (const id of ['n1', 'n2', 'n3']) expect(store.get(createShapeId(id))).toBeDefined()
    expect(invalid).toEqual([])
    expect(bridge.schemaMismatchCount).toBeGreaterThanOrEqual(3)
    expect(mismatches).toContain(createShapeId('n1'))
    // and the board heals: the records it could read are written back next to our schema (B5)
    expect(doc.getMap(META_MAP).get(SCHEMA_KEY)).toEqual(ours)
  })

  test('B8: a remote change under a schema from nowhere is still shown when it is valid as it is', () => {
    const { a, b } = twoPeers()
    const ours = a.store.schema.serialize()
    const kv = new YKeyValue<unknown>(a.doc.getArray(RECORDS_ARRAY))
    a.doc.transact(() => {
      a.doc.getMap(META_MAP).set(SCHEMA_KEY, { ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape.note': 999 } })
      kv.set(createShapeId('n9'), note('n9', 'nove'))
    })
    expect(b.store.get(createShapeId('n9'))).toBeDefined()
    expect(b.bridge.invalidRecordCount).toBe(0)
  })

  test('B6: dispose removes the listeners in both directions', () => {
    const { a, b } = twoPeers()
    b.bridge.dispose()
    const bBefore = b.ownUpdates
    a.store.put([note('n1', 'dopo')])
    expect(b.store.get(createShapeId('n1'))).toBeUndefined()
    b.store.put([note('n2', 'locale')])
    expect(b.ownUpdates).toBe(bBefore)
    expect(a.store.get(createShapeId('n2'))).toBeUndefined()
  })
})
