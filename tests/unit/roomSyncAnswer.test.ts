/**
 * Sync SPEC R19: a big board's sync answers come from the committed parts through the board work (a worker thread in
 * production), never from encoding the doc on the event loop. Here every answer goes that way
 * (`syncAnswerOffLoopBytes: 0`) and the work is the inline one, wrapped to count and to hold its jobs.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createMemoryDocStore } from '../../server/src/store/memoryDocStore.ts'
import { createInlineMerger, type BoardStateWork } from '../../server/src/store/mergeUpdates.ts'
import { Room, type RoomLimits } from '../../server/src/sync/Room.ts'
import { connectMemoryClient, type MemoryClient } from '../helpers/memoryClient.ts'
import { deferred, waitFor } from '../helpers/waitFor.ts'

const BOARD = 'board-r19' as BoardId
const logger = createSilentLogger()
const limits: RoomLimits = {
  maxMessageBytes: 1024 * 1024,
  rateLimitMessages: 10_000,
  rateLimitWindowMs: 10_000,
  compactAfterUpdates: 100_000,
  syncAnswerOffLoopBytes: 0,
}

const rooms: Room[] = []
const clients: MemoryClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const r of rooms.splice(0)) await r.unload()
})

/** The inline work, counting its jobs; `hold()` keeps the next sync answers waiting until released. */
function countingWork() {
  const inner = createInlineMerger()
  let gate: Promise<void> | null = null
  const counts = { syncAnswers: 0, merges: 0 }
  const work: BoardStateWork = {
    merge: inner.merge,
    async stateOf(updates) {
      counts.merges++
      return inner.stateOf(updates)
    },
    async encodeSyncState(parts, stateVector) {
      counts.syncAnswers++
      if (gate !== null) await gate
      return inner.encodeSyncState(parts, stateVector)
    },
    close: inner.close,
  }
  return {
    work,
    counts,
    hold() {
      const d = deferred()
      gate = d.promise
      return () => {
        gate = null
        d.resolve()
      }
    },
  }
}

async function seededStore(entries: Record<string, unknown>) {
  const store = createMemoryDocStore()
  const doc = new Y.Doc()
  for (const [k, v] of Object.entries(entries)) doc.getMap('m').set(k, v)
  await store.append(BOARD, [Y.encodeStateAsUpdate(doc)])
  return store
}

function setup(store: ReturnType<typeof createMemoryDocStore>, work: BoardStateWork) {
  const room = new Room({ boardId: BOARD, store, logger, limits, work })
  rooms.push(room)
  const join = (options: Parameters<typeof connectMemoryClient>[1] = {}) => {
    const c = connectMemoryClient((socket, info) => room.addConnection(socket, info), options)
    clients.push(c)
    return c
  }
  return { room, join }
}

/** The y-protocols sync message type of a frame (0 step 1, 1 step 2, 2 update), or null for other messages. */
function syncType(frame: Uint8Array): number | null {
  const d = decoding.createDecoder(frame)
  if (decoding.readVarUint(d) !== 0) return null
  return decoding.readVarUint(d)
}

describe('R19: big boards are answered off the event loop', () => {
  it('a fresh joiner gets the stored board through the work, and the next fresh joiner shares that answer', async () => {
    const { work, counts } = countingWork()
    const { join } = setup(await seededStore({ a: 1, b: 'two' }), work)
    const first = join()
    await waitFor(() => first.synced)
    expect(first.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 'two' })
    expect(counts.syncAnswers).toBe(1)
    const second = join()
    await waitFor(() => second.synced)
    expect(second.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 'two' })
    expect(counts.syncAnswers).toBe(1)

    // a committed change makes the shared answer stale: the next fresh joiner's answer is encoded again
    first.doc.getMap('m').set('c', 3)
    await waitFor(() => second.doc.getMap('m').get('c') === 3)
    const third = join()
    await waitFor(() => third.synced)
    expect(third.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 'two', c: 3 })
    expect(counts.syncAnswers).toBe(2)
  })

  it('updates committed while a joiner waits for its answer reach it after that answer, in order', async () => {
    const { work, hold } = countingWork()
    const { join } = setup(await seededStore({ a: 1 }), work)
    const writer = join()
    const watcher = join({ role: 'viewer' })
    await waitFor(() => writer.synced && watcher.synced)
    // a change after their answers: the shared answer is stale, so the joiner's is encoded (and held) anew
    writer.doc.getMap('m').set('w', 'before')
    await waitFor(() => watcher.doc.getMap('m').get('w') === 'before')

    const release = hold()
    const joiner = join()
    const before = joiner.received.length
    writer.doc.getMap('m').set('x', 'while waiting')
    writer.doc.getMap('m').set('y', 'and again')
    // committed and relayed to the others while the joiner's answer is still being encoded
    await waitFor(() => watcher.doc.getMap('m').get('y') === 'and again')
    const typesSeen: number[] = []
    release()
    await waitFor(() => joiner.doc.getMap('m').get('y') === 'and again')
    for (const frame of joiner.received.slice(before)) {
      const type = syncType(frame)
      if (type === 1 || type === 2) typesSeen.push(type)
    }
    // the state answer first; nothing relayed before it (it would depend on state the joiner does not have yet)
    expect(typesSeen[0]).toBe(1)
    expect(joiner.doc.getMap('m').toJSON()).toEqual({ a: 1, w: 'before', x: 'while waiting', y: 'and again' })
    expect(joiner.doc.store.pendingStructs).toBeNull()
  })

  it('a client that already has part of the board is sent only what it lacks', async () => {
    const { work } = countingWork()
    const store = createMemoryDocStore()
    const old = new Y.Doc()
    old.getMap('m').set('known', 'k'.repeat(2_000))
    const known = Y.encodeStateAsUpdate(old)
    await store.append(BOARD, [known])
    const newer = new Y.Doc()
    Y.applyUpdate(newer, known)
    newer.getMap('m').set('fresh', 1)
    await store.append(BOARD, [Y.encodeStateAsUpdate(newer, Y.encodeStateVector(old))])
    const { join } = setup(store, work)

    const returning = join({ silent: true })
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint8Array(e, Y.encodeStateVector(old))
    returning.sendRaw(encoding.toUint8Array(e))
    await waitFor(() => returning.received.some((f) => syncType(f) === 1))
    const answer = returning.received.find((f) => syncType(f) === 1)!
    const d = decoding.createDecoder(answer)
    decoding.readVarUint(d)
    decoding.readVarUint(d)
    const update = decoding.readVarUint8Array(d)
    // the 2,000 characters it already has are not sent again
    expect(update.byteLength).toBeLessThan(200)
    Y.applyUpdate(old, update)
    expect(old.getMap('m').toJSON()).toEqual({ known: 'k'.repeat(2_000), fresh: 1 })
  })

  it('a compacted board (stored as causally ordered chunks) is answered whole, whatever the order of its client ids', async () => {
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const store = createMemoryDocStore()
      const base = new Y.Doc()
      base.clientID = first
      base.getMap('m').set('a', 0)
      const log = [Y.encodeStateAsUpdate(base)]
      const writer = new Y.Doc()
      writer.clientID = second
      Y.applyUpdate(writer, log[0]!)
      writer.on('update', (update: Uint8Array) => log.push(update))
      for (let i = 0; i < 2_001; i++) writer.transact(() => writer.getMap('m').set(`k${i % 50}`, i))
      await store.append(BOARD, log)
      expect(await store.compact(BOARD)).toBe(log.length)
      expect((await store.load(BOARD)).updates.length).toBeGreaterThan(1)

      const { work } = countingWork()
      const { join } = setup(store, work)
      const joiner = join()
      await waitFor(() => joiner.synced)
      expect(joiner.doc.getMap('m').toJSON()).toEqual(writer.getMap('m').toJSON())
      expect(joiner.doc.store.pendingStructs).toBeNull()
      for (const c of clients.splice(0)) c.destroy()
      for (const r of rooms.splice(0)) await r.unload()
    }
  })

  it('the committed parts are merged again once 2,000 updates were added, and answers stay whole', async () => {
    const { work, counts } = countingWork()
    const { room, join } = setup(await seededStore({ a: 0 }), work)
    const first = join()
    await waitFor(() => first.synced)
    // 2,001 server-side changes, one update each, committed in one flush
    room.useDoc((doc) => {
      for (let i = 0; i < 2_001; i++) doc.transact(() => doc.getMap('m').set(`k${i % 50}`, i), { kind: 'server' })
    })
    await room.flushed()
    await waitFor(() => counts.merges === 1)
    const late = join()
    await waitFor(() => late.synced)
    const expected: Record<string, number> = { a: 0 }
    for (let i = 2_001 - 50; i < 2_001; i++) expected[`k${i % 50}`] = i
    expect(late.doc.getMap('m').toJSON()).toEqual(expected)
  })

  it('R9 on a big board: the size is read from the committed parts, merged near the limit, so overwriting is never refused', async () => {
    const { work, counts } = countingWork()
    const store = createMemoryDocStore()
    const room = new Room({ boardId: BOARD, store, logger, limits: { ...limits, maxBoardBytes: 20_000 }, work })
    rooms.push(room)
    const editor = connectMemoryClient((socket, info) => room.addConnection(socket, info))
    clients.push(editor)
    await waitFor(() => editor.synced)
    // 40 KB written over one key: the running bound passes the limit, the board stays ~1 KB
    for (let i = 0; i < 40; i++) {
      editor.doc.getMap('m').set('k', `${i}`.padEnd(1000, 'x'))
      await room.flushed()
    }
    await room.flushed()
    expect(editor.closed).toBeNull()
    expect(counts.merges).toBeGreaterThan(0)
    // a value that does not fit is still refused
    editor.doc.getMap('m').set('big', 'y'.repeat(25_000))
    await waitFor(() => editor.closed)
    expect(editor.closed).toEqual({ code: 4413, reason: 'the board is full' })
  })
})
