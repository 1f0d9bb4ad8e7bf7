/**
 * bench/lightReader.ts finds the relay benches' stamps in raw update frames without a Y.Doc; the cluster bench's
 * latencies rest on it, so it must find exactly the stamps a stock provider would see.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { stampsIn } from '../../bench/lightReader.ts'
import { boardRecords, noteRecord, onStamps, stampedNote } from '../../bench/records.ts'

function updatesOf(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return updates
}

describe('light reader stamps', () => {
  it('finds the stamp of every moved note, as a provider applying the update sees it', () => {
    const writer = new Y.Doc()
    const records = boardRecords(writer)
    for (let i = 0; i < 5; i++) records.set(noteRecord(i).id, noteRecord(i))
    const updates = updatesOf(writer)
    const reader = new Y.Doc()
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer))
    const seen: number[] = []
    onStamps(reader, (seq) => seen.push(seq))
    const found: number[] = []
    for (const seq of [0, 1, 2, 127, 128, 300, 70_000]) {
      const note = stampedNote(seq, 5)
      records.set(note.id, note)
      const update = updates.at(-1)!
      Y.applyUpdate(reader, update)
      found.push(...stampsIn(Buffer.from(update)))
    }
    expect(found).toEqual([0, 1, 2, 127, 128, 300, 70_000])
    expect(found).toEqual(seen)
  })

  it('finds every stamp of a merged frame, and none in a board without stamps', () => {
    const writer = new Y.Doc()
    const records = boardRecords(writer)
    for (let i = 0; i < 3; i++) records.set(noteRecord(i).id, noteRecord(i))
    expect(stampsIn(Buffer.from(Y.encodeStateAsUpdate(writer)))).toEqual([])
    const updates = updatesOf(writer)
    for (const seq of [4, 5]) records.set(stampedNote(seq, 3).id, stampedNote(seq, 3))
    expect(stampsIn(Buffer.from(Y.mergeUpdates(updates))).sort()).toEqual([4, 5])
  })
})
