/**
 * The Yjs update format our scanner reads (server/src/sync/updateScan.ts, sync SPEC R9) and the store fields the room
 * clears (pendingStructs / pendingDs, R11) were written against Yjs 13.6 (package.json pins `~13.6`). A Yjs upgrade
 * that changes either must fail here, loudly, before it reaches a server: the scanner would otherwise misjudge
 * updates (refuse honest ones, or let through what it exists to stop).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { leavesPending, scanUpdate } from '../../server/src/sync/updateScan.ts'

const LIMITS = { maxUpdateStructs: 10_000, maxMergeWork: 1_000_000 }
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** A board-like document touching every kind of content a board update carries, made deterministically. */
function knownDoc(): Y.Doc {
  const doc = new Y.Doc({ gc: true })
  doc.clientID = 1
  doc.transact(() => {
    const meta = doc.getMap('meta')
    meta.set('schema', { schemaVersion: 2, sequences: { 'com.tldraw.shape': 4 } })
    const records = doc.getArray<unknown>('records')
    records.insert(0, [{ key: 'shape:a', val: { id: 'shape:a', x: 1.5, props: { text: 'ciao' } } }, { key: 'shape:b', val: null }])
    const text = doc.getText('t')
    text.insert(0, 'Opificio')
    text.format(0, 3, { bold: true })
    text.insertEmbed(8, { img: 'x' })
    meta.set('nested', new Y.Map())
    meta.set('bin', new Uint8Array([1, 2, 3]))
  })
  doc.transact(() => {
    doc.getArray('records').delete(1, 1)
    doc.getMap('meta').set('schema', { schemaVersion: 2, sequences: {} })
  })
  return doc
}

// Yjs 13.6.33's encoding of knownDoc(). A different string means Yjs changed its update format: review
// updateScan.ts (and its R9-R11 tests) against the new format before changing this value or the pin.
const GOLDEN =
  '010b01002101046d65746106736368656d61010801077265636f726473017602036b6579770773686170653a610376616c7603026964770773686170653a6101787c3fc000000570726f70737601047465787477046369616f8101010104010174034f706984010505666963696f46010304626f6c640474727565c60105010604626f6c64046e756c6c85010a0b7b22696d67223a2278227d2701046d657461066e6573746564012301046d6574610362696e03010203a801000176020d736368656d6156657273696f6e7d020973657175656e636573760001010200010201'

describe('Yjs update format (R9, R11): pinned to Yjs ~13.6', () => {
  it('Yjs encodes the known document byte for byte as 13.6 did', () => {
    expect(hex(Y.encodeStateAsUpdate(knownDoc())), 'Yjs changed its update encoding: re-check server/src/sync/updateScan.ts').toBe(GOLDEN)
  })

  it('the scanner reads the golden bytes as Yjs does', () => {
    const golden = new Uint8Array(Buffer.from(GOLDEN, 'hex'))
    const shape = scanUpdate(golden, LIMITS)
    const decoded = Y.decodeUpdate(golden)
    let ranges = 0
    for (const deletes of decoded.ds.clients.values()) ranges += deletes.length
    expect(decoded.structs).toHaveLength(11)
    expect(ranges).toBe(2)
    // what the limit counts: structs plus delete ranges
    expect(shape.structs).toBe(decoded.structs.length + ranges)
    expect(shape.deleteRanges).toBe(ranges)
    expect(shape.segments.get(1)).toEqual([0, Y.getState(knownDoc().store, 1)])
    // applied to an empty doc it leaves nothing pending, and gives back the same document
    expect(leavesPending(shape, () => 0)).toBe(false)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, golden)
    expect(doc.getMap('meta').toJSON()).toEqual(knownDoc().getMap('meta').toJSON())
  })

  it('updates missing what they refer to leave Yjs store.pendingStructs / pendingDs, the fields the room clears', () => {
    const source = knownDoc()
    const before = Y.encodeStateVector(source)
    source.getArray('records').insert(0, ['later'])
    const insertion = Y.encodeStateAsUpdate(source, before)
    const afterInsert = Y.encodeStateVector(source)
    source.getArray('records').delete(0, 1)
    const deletion = Y.encodeStateAsUpdate(source, afterInsert) // a delete set only: no structs
    expect(leavesPending(scanUpdate(insertion, LIMITS), () => 0)).toBe(true)

    const doc = new Y.Doc()
    expect(doc.store.pendingStructs).toBeNull()
    expect(doc.store.pendingDs).toBeNull()
    Y.applyUpdate(doc, insertion)
    expect(doc.store.pendingStructs?.missing).toBeInstanceOf(Map)
    expect(doc.store.pendingStructs?.update).toBeInstanceOf(Uint8Array)
    Y.applyUpdate(doc, deletion)
    expect(doc.store.pendingDs).toBeInstanceOf(Uint8Array)
  })
})
