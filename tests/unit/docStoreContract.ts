/**
 * The DocStore contract (server/src/store/DocStore.ts, rules 1-6), run against every implementation by
 * docStore.test.ts. A new implementation (PostgreSQL...) must pass it unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import { isSharedDocStore, type DocStore, type SharedDocStore } from '../../server/src/store/DocStore.ts'
import { MeetingErasedError, type ErasedMeetings } from '../../server/src/store/meetingErasure.ts'

/** Opens stores on one piece of storage: `open()` twice on the same storage must see the same data. */
export interface DocStoreHarness {
  open(): DocStore
  /** The tombstones the stores of this storage check (rule 6); call after open(). */
  erased(): ErasedMeetings
  /** Frees the storage (temp files...). */
  dispose(): void | Promise<void>
}

const board = (id: string) => id as BoardId

/** Builds a doc from a log, as a room does when it loads. */
function docFrom(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

/** A writer producing one update per map key, like a client editing a board. */
function writer() {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  return {
    doc,
    set(key: string, value: unknown): Uint8Array {
      doc.getMap('m').set(key, value)
      return updates[updates.length - 1]!
    },
    delete(key: string): Uint8Array {
      doc.getMap('m').delete(key)
      return updates[updates.length - 1]!
    },
  }
}

export function runDocStoreContract(name: string, makeHarness: () => DocStoreHarness): void {
  describe(`DocStore contract: ${name}`, () => {
    let harness: DocStoreHarness
    const opened: DocStore[] = []
    const open = () => {
      const store = harness.open()
      opened.push(store)
      return store
    }
    const setup = () => {
      harness = makeHarness()
      return open()
    }
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close()
      await harness.dispose()
    })

    it('loads an unknown board as an empty log', async () => {
      const store = setup()
      expect((await store.load(board('nothing'))).updates).toEqual([])
    })

    it('rule 2: load returns every appended update, in order, per board', async () => {
      const store = setup()
      const w = writer()
      const u1 = w.set('a', 1)
      const u2 = w.set('b', 2)
      const other = writer().set('x', 'other board')
      await store.append(board('b1'), [u1])
      await store.append(board('b2'), [other])
      await store.append(board('b1'), [u2])
      const loaded = await store.load(board('b1'))
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([Array.from(u1), Array.from(u2)])
      expect(docFrom(loaded.updates).getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
      expect(docFrom((await store.load(board('b2'))).updates).getMap('m').toJSON()).toEqual({ x: 'other board' })
    })

    it('rule 1: append of several updates is one atomic step and empty appends are harmless', async () => {
      const store = setup()
      const w = writer()
      const batch = [w.set('a', 1), w.set('b', 2), w.set('c', 3)]
      await store.append(board('b1'), [])
      await store.append(board('b1'), batch)
      expect(docFrom((await store.load(board('b1'))).updates).getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 })
    })

    it('keeps its own copy: mutating the appended buffer afterwards changes nothing stored', async () => {
      const store = setup()
      const u = writer().set('a', 'value')
      const copy = u.slice()
      await store.append(board('b1'), [u])
      u.fill(0)
      expect(Array.from((await store.load(board('b1'))).updates[0]!)).toEqual(Array.from(copy))
    })

    it('rule 3: compaction merges the log into one equivalent state, deletions included, in chunks that load in order', async () => {
      const store = setup()
      const w = writer()
      for (let i = 0; i < 20; i++) await store.append(board('b1'), [w.set(`k${i}`, i)])
      await store.append(board('b1'), [w.delete('k3')])
      const merged = await store.compact(board('b1'))
      expect(merged).toBe(21)
      const after = (await store.load(board('b1'))).updates
      // the state's chunks (sync SPEC R18): each loads without waiting for a later one
      const doc = new Y.Doc()
      for (const update of after) {
        Y.applyUpdate(doc, update)
        expect(doc.store.pendingStructs).toBeNull()
      }
      expect(doc.getMap('m').toJSON()).toEqual(w.doc.getMap('m').toJSON())
      expect(await store.compact(board('b1'))).toBe(0)
    })

    it('rule 3: compaction interleaved with appends never drops an update', async () => {
      const store = setup()
      const w = writer()
      const appends: Promise<unknown>[] = []
      const compactions: Promise<number>[] = []
      for (let i = 0; i < 200; i++) {
        appends.push(store.append(board('b1'), [w.set(`k${i}`, i)]))
        if (i % 7 === 0) compactions.push(store.compact(board('b1')))
      }
      await Promise.all([...appends, ...compactions])
      await store.compact(board('b1'))
      const json = docFrom((await store.load(board('b1'))).updates).getMap('m').toJSON()
      expect(Object.keys(json)).toHaveLength(200)
      expect(json).toEqual(w.doc.getMap('m').toJSON())
    })

    it('rule 3: a shutdown compacts every loaded board at once (more boards than a pool has connections), and each completes', async () => {
      const store = setup()
      const boards = Array.from({ length: 40 }, (_, i) => board(`s${i}`))
      const writers = boards.map(() => writer())
      for (const [i, b] of boards.entries()) await store.append(b, [writers[i]!.set('a', i), writers[i]!.set('b', i)])
      const merged = await Promise.race([
        Promise.all(boards.map((b) => store.compact(b))),
        new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 4_000).unref()),
      ])
      expect(merged).toEqual(boards.map(() => 2))
      for (const [i, b] of boards.entries()) expect(docFrom((await store.load(b)).updates).getMap('m').toJSON()).toEqual({ a: i, b: i })
    })

    it('rule 3: compaction keeps structs whose dependencies are missing (pending updates)', async () => {
      const store = setup()
      const w = writer()
      const first = w.set('a', 1)
      const second = w.set('b', 2)
      // Only the second update is stored: it depends on the first, so a Doc keeps it pending.
      await store.append(board('b1'), [second])
      await store.append(board('b1'), [writer().set('c', 3)])
      await store.compact(board('b1'))
      const doc = docFrom([...(await store.load(board('b1'))).updates, first])
      expect(doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 })
    })

    it('rule 4: list names stored boards and delete removes one entirely', async () => {
      const store = setup()
      await store.append(board('b1'), [writer().set('a', 1)])
      await store.append(board('b2'), [writer().set('a', 2)])
      expect((await store.list()).sort()).toEqual(['b1', 'b2'])
      await store.delete(board('b1'))
      expect(await store.list()).toEqual(['b2'])
      expect((await store.load(board('b1'))).updates).toEqual([])
    })

    it('rule 5: a store reopened on the same storage sees everything, compacted or not', async () => {
      const store = setup()
      const w = writer()
      for (let i = 0; i < 10; i++) await store.append(board('b1'), [w.set(`k${i}`, i)])
      await store.compact(board('b1'))
      await store.append(board('b1'), [w.set('late', true)])
      await store.close()
      const reopened = open()
      expect(docFrom((await reopened.load(board('b1'))).updates).getMap('m').toJSON()).toEqual(w.doc.getMap('m').toJSON())
    })

    it('rule 6: eraseMeeting removes the log and counts it; after the tombstone appends are refused and compaction writes nothing', async () => {
      const store = setup()
      const w = writer()
      await store.append(board('gone'), [w.set('a', 1), w.set('b', 2)])
      await store.append(board('kept'), [writer().set('a', 1)])
      expect((await store.meetingIds()).sort()).toEqual(['gone', 'kept'])
      await harness.erased().add('gone')
      await expect(store.append(board('gone'), [w.set('c', 3)])).rejects.toBeInstanceOf(MeetingErasedError)
      expect(await store.compact(board('gone'))).toBe(0)
      expect((await store.load(board('gone'))).updates).toHaveLength(2)
      expect(await store.eraseMeeting('gone')).toBe(2)
      expect(await store.eraseMeeting('gone')).toBe(0)
      expect((await store.load(board('gone'))).updates).toEqual([])
      expect(await store.meetingIds()).toEqual(['kept'])
      // another board is not affected
      await store.append(board('kept'), [writer().set('z', 1)])
      expect((await store.load(board('kept'))).updates).toHaveLength(2)
      expect(store.component).toBe('board')
    })

    // cluster SPEC C2: what several instances on one store need (PostgreSQL, and the memory store the unit tests share)
    const sharedStore = (): SharedDocStore | null => {
      const store = setup()
      return isSharedDocStore(store) ? store : null
    }

    it('C2 (shared stores): appends are numbered by one gapless sequence per board, and load says where it ends', async () => {
      const store = sharedStore()
      if (store === null) return expect(isSharedDocStore(harness.open())).toBe(false)
      const w = writer()
      expect(await store.append(board('b1'), [w.set('a', 1), w.set('b', 2)])).toEqual({ firstSeq: 1 })
      expect(await store.append(board('b2'), [writer().set('x', 1)])).toEqual({ firstSeq: 1 })
      const [r1, r2] = await Promise.all([store.append(board('b1'), [w.set('c', 3)]), store.append(board('b1'), [w.set('d', 4)])])
      expect([r1.firstSeq, r2.firstSeq].sort()).toEqual([3, 4])
      expect((await store.load(board('b1'))).lastSeq).toBe(4)
      expect((await store.load(board('nothing'))).lastSeq).toBe(0)
      expect(await store.lastSeqs([board('b1'), board('b2'), board('nothing')])).toEqual(new Map([[board('b1'), 4], [board('b2'), 1]]))
    })

    it('C2 (shared stores): the rows after a sequence number rebuild what was committed after it, across a compaction', async () => {
      const store = sharedStore()
      if (store === null) return expect(isSharedDocStore(harness.open())).toBe(false)
      const w = writer()
      for (let i = 0; i < 6; i++) await store.append(board('b1'), [w.set(`k${i}`, i)])
      const seen = docFrom((await store.load(board('b1'))).updates)
      const tail = await store.readAfter(board('b1'), 4)
      expect(tail.lastSeq).toBe(6)
      expect(tail.updates).toHaveLength(2)
      expect(await store.readAfter(board('b1'), 6)).toEqual({ updates: [], lastSeq: 6 })
      // a reader that had seen up to 3 when the log was compacted: the merged state comes after 3 and holds everything
      const behind = docFrom((await store.readAfter(board('b1'), 0)).updates.slice(0, 3))
      await store.compact(board('b1'))
      const caughtUp = await store.readAfter(board('b1'), 3)
      expect(caughtUp.lastSeq).toBe(6)
      for (const u of caughtUp.updates) Y.applyUpdate(behind, u)
      expect(behind.getMap('m').toJSON()).toEqual(seen.getMap('m').toJSON())
      expect(await store.readAfter(board('b1'), 6)).toEqual({ updates: [], lastSeq: 6 })
      // the sequence carries on after the compaction
      expect(await store.append(board('b1'), [w.set('after', 1)])).toEqual({ firstSeq: 7 })
      expect((await store.load(board('b1'))).lastSeq).toBe(7)
    })

    it('refuses to work after close', async () => {
      const store = setup()
      await store.close()
      await expect(store.load(board('b1'))).rejects.toThrow(/closed/)
      await expect(store.append(board('b1'), [writer().set('a', 1)])).rejects.toThrow(/closed/)
    })
  })
}
