/** The RoomManager hooks the versions use (server/src/sync/SPEC.md R8, R9), with memory stores and clients. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import type { DocStore } from '../../server/src/store/DocStore.ts'
import { createMemoryDocStore } from '../../server/src/store/memoryDocStore.ts'
import type { RoomLimits } from '../../server/src/sync/Room.ts'
import { RoomManager } from '../../server/src/sync/RoomManager.ts'
import { connectMemoryClient } from '../helpers/memoryClient.ts'
import { deferred, waitFor } from '../helpers/waitFor.ts'

const logger = createSilentLogger()
const limits: RoomLimits = { maxMessageBytes: 64 * 1024, rateLimitMessages: 1000, rateLimitWindowMs: 10_000, compactAfterUpdates: 500 }
const BOARD = 'board-versions' as BoardId

function manager(roomGraceMs: number, hook?: (boardId: BoardId, doc: Y.Doc) => Promise<void>) {
  const store = createMemoryDocStore()
  const rooms = new RoomManager({ store, logger, limits, roomGraceMs, onBeforeIdleUnload: hook })
  const connect = (role: 'participant' | 'viewer' = 'participant') =>
    connectMemoryClient((s, i) => rooms.connect(BOARD, s, i), { role })
  return { store, rooms, connect }
}

describe('withBoardDoc (R9)', () => {
  it('loads the board without connections, runs after committed state, and its server change reaches every client', async () => {
    const { store, rooms, connect } = manager(20)
    await store.append(BOARD, [(() => {
      const d = new Y.Doc()
      d.getMap('m').set('stored', 1)
      return Y.encodeStateAsUpdate(d)
    })()])
    expect(await rooms.withBoardDoc(BOARD, (doc) => doc.getMap('m').toJSON())).toEqual({ stored: 1 })
    const client = connect()
    await waitFor(() => client.synced)
    client.doc.getMap('m').set('fromClient', 2)
    // the client's edit may still be in flight: the next read sees it once it arrived and was committed
    await waitFor(async () => (await rooms.withBoardDoc(BOARD, (doc) => doc.getMap('m').get('fromClient'))) === 2)
    await rooms.withBoardDoc(BOARD, (doc) => doc.transact(() => doc.getMap('m').set('restored', true), { kind: 'server', reason: 'restore' }))
    // resolved after the change was committed and relayed
    const stored = new Y.Doc()
    for (const u of (await store.load(BOARD)).updates) Y.applyUpdate(stored, u)
    expect(stored.getMap('m').get('restored')).toBe(true)
    await waitFor(() => client.doc.getMap('m').get('restored') === true)
    client.destroy()
    await rooms.shutdown()
  })

  it('holds the room loaded while in use (past the grace period), then gives it the grace period', async () => {
    const inner = createMemoryDocStore()
    const gate = deferred()
    let slow = false
    const store: DocStore = {
      ...inner,
      async append(id, updates) {
        if (slow) await gate.promise
        return inner.append(id, updates)
      },
    }
    const rooms = new RoomManager({ store, logger, limits, roomGraceMs: 10 })
    await rooms.withBoardDoc(BOARD, () => undefined)
    const room = rooms.getRoom(BOARD)
    slow = true
    // the write's append waits for the gate: withBoardDoc holds the room meanwhile
    const writing = rooms.withBoardDoc(BOARD, (doc) => doc.transact(() => doc.getMap('m').set('k', 1), { kind: 'server' }))
    // someone comes and goes meanwhile: their leaving must not start the grace period of a held room
    const visitor = connectMemoryClient((sock, info) => rooms.connect(BOARD, sock, info), { role: 'viewer', silent: true })
    await waitFor(() => rooms.stats().connections === 1)
    visitor.destroy()
    await waitFor(() => rooms.stats().connections === 0)
    // A witness: a board left after the visitor unloads after a grace period begun by the visitor would have ended.
    const witnessBoard = 'board-witness' as BoardId
    const witness = connectMemoryClient((sock, info) => rooms.connect(witnessBoard, sock, info))
    await waitFor(() => witness.synced)
    witness.destroy()
    await waitFor(() => rooms.getRoom(witnessBoard) === undefined)
    expect(rooms.getRoom(BOARD)).toBe(room)
    gate.resolve()
    await writing
    await waitFor(() => rooms.getRoom(BOARD) === undefined, 2000, 'unloaded after the grace period')
    await rooms.shutdown()
  })
})

describe('onBeforeIdleUnload (R8)', () => {
  it('runs once per idle unload of a board an editor joined, with the doc still readable; not for viewers only', async () => {
    const seen: unknown[] = []
    const { rooms, connect } = manager(10, async (_id, doc) => {
      await new Promise((r) => setImmediate(r)) // a hook that takes a turn: the unload waits for it
      seen.push(doc.getMap('m').toJSON())
    })
    const editor = connect()
    await waitFor(() => editor.synced)
    editor.doc.getMap('m').set('x', 1)
    await rooms.flushAll()
    editor.destroy()
    await waitFor(() => seen.length === 1)
    expect(seen[0]).toEqual({ x: 1 })
    await waitFor(() => rooms.getRoom(BOARD) === undefined)
    const viewer = connect('viewer')
    await waitFor(() => viewer.synced)
    viewer.destroy()
    // the unload awaits the hook: had it run for the viewer's visit, it would have finished by now
    await waitFor(() => rooms.stats().roomsLoaded === 0)
    expect(seen).toHaveLength(1)
    await rooms.shutdown()
  })

  it('is not called on shutdown, and a hook that throws does not keep the room from unloading', async () => {
    const calls: string[] = []
    const { rooms, connect } = manager(10, async () => {
      calls.push('hook')
      throw new Error('boom')
    })
    const editor = connect()
    await waitFor(() => editor.synced)
    editor.destroy()
    await waitFor(() => calls.length === 1)
    await waitFor(() => rooms.getRoom(BOARD) === undefined)
    const next = connect()
    await waitFor(() => next.synced, 2000, 'a new room loads after the failed hook')
    await rooms.shutdown()
    expect(calls).toEqual(['hook'])
    next.destroy()
  })
})
