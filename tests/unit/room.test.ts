/** Room and RoomManager against in-memory sockets and stores. Rule numbers refer to server/src/sync/SPEC.md. */
import { afterEach, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import type { DocStore } from '../../server/src/store/DocStore.ts'
import { createMemoryDocStore } from '../../server/src/store/memoryDocStore.ts'
import { Room, type DocGuard, type RoomLimits } from '../../server/src/sync/Room.ts'
import { RoomManager } from '../../server/src/sync/RoomManager.ts'
import { isClientOrigin } from '../../server/src/sync/RoomSocket.ts'
import { connectMemoryClient, type MemoryClient } from '../helpers/memoryClient.ts'
import { deferred, waitFor } from '../helpers/waitFor.ts'

const BOARD = 'board-1' as BoardId
const logger = createSilentLogger()
const limits: RoomLimits = { maxMessageBytes: 64 * 1024, rateLimitMessages: 1000, rateLimitWindowMs: 10_000, compactAfterUpdates: 500 }

const rooms: Room[] = []
const clients: MemoryClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const r of rooms.splice(0)) await r.unload()
})

function makeRoom(store: DocStore, extra: Partial<ConstructorParameters<typeof Room>[0]> = {}): Room {
  const room = new Room({ boardId: BOARD, store, logger, limits, ...extra })
  rooms.push(room)
  return room
}

function client(room: Room, options: Parameters<typeof connectMemoryClient>[1] = {}): MemoryClient {
  const c = connectMemoryClient((socket, info) => room.addConnection(socket, info), options)
  clients.push(c)
  return c
}

/** Events in the order they happened: store appends (start/end) and frames arriving at clients. */
type Event = { kind: 'append-start' | 'append-end'; keys: string[]; count: number } | { kind: 'relay'; to: string }

/** A memory store whose appends can be held open and that logs what it stored. */
function recordingStore(events: Event[] = []) {
  const inner = createMemoryDocStore()
  let gate: Promise<void> | null = null
  let failNext = false
  const store: DocStore = {
    ...inner,
    async append(boardId, updates) {
      const keys = updates.flatMap((u) => [...keysOf(u)])
      events.push({ kind: 'append-start', keys, count: updates.length })
      if (gate) await gate
      if (failNext) {
        failNext = false
        throw new Error('disk full')
      }
      await inner.append(boardId, updates)
      events.push({ kind: 'append-end', keys, count: updates.length })
    },
  }
  return {
    store,
    inner,
    events,
    hold() {
      const d = deferred()
      gate = d.promise
      return () => {
        gate = null
        d.resolve()
      }
    },
    failNextAppend() {
      failNext = true
    },
  }
}

function keysOf(update: Uint8Array): Set<string> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return new Set(doc.getMap('m').keys())
}

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const e = encoding.createEncoder()
  for (const p of parts) p(e)
  return encoding.toUint8Array(e)
}
const varUint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n)
const bytes = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeVarUint8Array(e, b)

/**
 * Sends a query-awareness and waits for the room's answer: the room has handled everything `c` sent before, and
 * every frame it sent `c` before that answer has arrived (frames travel in order). A condition to wait for where a
 * test shows that something did not happen, instead of sleeping.
 */
async function roundTrip(c: MemoryClient): Promise<void> {
  const before = c.received.length
  c.sendRaw(frame(varUint(3)))
  await waitFor(() => c.received.slice(before).some((f) => f[0] === 1), 5000, 'the room answers query-awareness')
}

/** A turn of the event loop: every frame already queued (microtasks) has been delivered. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

async function seeded(entries: Record<string, unknown>): Promise<DocStore> {
  const store = createMemoryDocStore()
  const doc = new Y.Doc()
  for (const [k, v] of Object.entries(entries)) doc.getMap('m').set(k, v)
  await store.append(BOARD, [Y.encodeStateAsUpdate(doc)])
  return store
}

describe('Room: sync handshake and loading (R1)', () => {
  it('a client receives the stored board at its first sync', async () => {
    const room = makeRoom(await seeded({ a: 1, b: 'two' }))
    const c = client(room)
    await waitFor(() => c.synced)
    expect(c.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 'two' })
  })

  it('answers nothing before the stored state is loaded, then answers with it', async () => {
    const store = await seeded({ a: 1 })
    const gate = deferred()
    const loading = deferred()
    const slow: DocStore = { ...store, load: async (id) => (loading.resolve(), await gate.promise, store.load(id)) }
    const room = makeRoom(slow)
    const c = client(room)
    await loading.promise
    await waitFor(() => c.sentCount > 0)
    await nextTurn() // its sync step 1 has reached the room, which must hold it
    expect(c.received).toHaveLength(0)
    gate.resolve()
    await waitFor(() => c.synced)
    expect(c.doc.getMap('m').toJSON()).toEqual({ a: 1 })
  })

  it('the server sends its sync step 1, so a client with offline edits uploads them', async () => {
    const store = createMemoryDocStore()
    const room = makeRoom(store)
    const offline = new Y.Doc()
    offline.getMap('m').set('offline', true)
    const c = connectMemoryClient((s, i) => room.addConnection(s, i))
    clients.push(c)
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(offline), 'server') // present before connecting, never sent as update
    await waitFor(async () => (await store.load(BOARD)).updates.length > 0)
    const stored = new Y.Doc()
    for (const u of (await store.load(BOARD)).updates) Y.applyUpdate(stored, u)
    expect(stored.getMap('m').get('offline')).toBe(true)
  })

  it('encodes the full state once per change for fresh joiners', async () => {
    const room = makeRoom(await seeded({ a: 1 }))
    const seen: Uint8Array[] = []
    for (let i = 0; i < 3; i++) {
      const c = client(room, { onFrame: (f) => f[0] === 0 && f[1] === 1 && seen.push(f) })
      await waitFor(() => c.synced)
    }
    expect(seen).toHaveLength(3)
    expect(seen[1]).toEqual(seen[0])
  })
})

describe('Room: durability before relay (R2)', () => {
  it('relays an update only after the store append completed', async () => {
    const events: Event[] = []
    const rec = recordingStore(events)
    const room = makeRoom(rec.store)
    const a = client(room)
    const b = client(room, { onFrame: (f) => f[0] === 0 && f[1] === 2 && events.push({ kind: 'relay', to: 'b' }) })
    await waitFor(() => a.synced && b.synced)
    const release = rec.hold()
    a.doc.getMap('m').set('k1', 1)
    await waitFor(() => events.some((e) => e.kind === 'append-start'))
    await roundTrip(b)
    expect(b.doc.getMap('m').get('k1')).toBeUndefined()
    release()
    await waitFor(() => b.doc.getMap('m').get('k1') === 1)
    const end = events.findIndex((e) => e.kind === 'append-end' && e.keys.includes('k1'))
    const relay = events.findIndex((e) => e.kind === 'relay')
    expect(end).toBeGreaterThanOrEqual(0)
    expect(relay).toBeGreaterThan(end)
  })

  it('batches the updates of one turn into one append', async () => {
    const rec = recordingStore()
    const room = makeRoom(rec.store)
    const a = client(room)
    await waitFor(() => a.synced)
    const frames: Uint8Array[] = []
    const w = new Y.Doc()
    w.on('update', (u: Uint8Array) => frames.push(frame(varUint(0), varUint(2), bytes(u))))
    for (let i = 0; i < 5; i++) w.getMap('m').set(`k${i}`, i)
    const handle = room.addConnection({ send() {}, close() {}, isOpen: true }, { connectionId: 'raw', role: 'participant', credential: 'x' })
    for (const f of frames) handle.receive(f)
    await waitFor(() => a.doc.getMap('m').size === 5)
    const appends = rec.events.filter((e) => e.kind === 'append-end')
    expect(appends).toHaveLength(1)
    expect(appends[0]).toMatchObject({ count: 5 })
  })

  it('a client joining while a batch is being committed gets it only after the commit', async () => {
    const rec = recordingStore()
    const room = makeRoom(rec.store)
    const a = client(room)
    await waitFor(() => a.synced)
    const release = rec.hold()
    a.doc.getMap('m').set('inflight', 1)
    await waitFor(() => rec.events.some((e) => e.kind === 'append-start'))
    const late = client(room)
    await waitFor(() => late.sentCount > 0)
    await nextTurn() // its sync step 1 has reached the room
    expect(late.synced).toBe(false)
    release()
    await waitFor(() => late.synced)
    expect(late.doc.getMap('m').get('inflight')).toBe(1)
  })

  it('if the append fails nothing is relayed and every connection closes with 4500; the room reloads from the store', async () => {
    const rec = recordingStore()
    const room = makeRoom(rec.store)
    const a = client(room)
    const b = client(room)
    await waitFor(() => a.synced && b.synced)
    rec.failNextAppend()
    a.doc.getMap('m').set('lost', 1)
    await waitFor(() => a.closed && b.closed)
    expect(a.closed?.code).toBe(CloseCode.INTERNAL_ERROR)
    expect(b.closed?.code).toBe(CloseCode.INTERNAL_ERROR)
    expect(b.doc.getMap('m').get('lost')).toBeUndefined()
    expect(room.isClosed).toBe(true)
  })

  it('server-origin changes made by a doc guard are persisted and relayed to every connection, the trigger included', async () => {
    const guard: DocGuard = (_boardId, doc) => {
      const onUpdate = (_u: Uint8Array, origin: unknown) => {
        if (isClientOrigin(origin) && doc.getMap('m').has('forbidden')) {
          doc.transact(() => doc.getMap('m').delete('forbidden'), { kind: 'server', reason: 'test-guard' })
        }
      }
      doc.on('update', onUpdate)
      return { destroy: () => doc.off('update', onUpdate) }
    }
    const rec = recordingStore()
    const room = makeRoom(rec.store, { docGuards: [guard] })
    const a = client(room)
    const b = client(room)
    await waitFor(() => a.synced && b.synced)
    a.doc.getMap('m').set('forbidden', 1)
    await waitFor(() => a.doc.getMap('m').size === 0 && !a.doc.getMap('m').has('forbidden'))
    await room.flushed()
    expect(b.doc.getMap('m').has('forbidden')).toBe(false)
    const stored = new Y.Doc()
    for (const u of (await rec.inner.load(BOARD)).updates) Y.applyUpdate(stored, u)
    expect(stored.getMap('m').has('forbidden')).toBe(false)
  })
})

describe('Room: roles (R3)', () => {
  it("a viewer syncs, and its change is dropped unread: nothing applied, relayed or stored, the viewer stays", async () => {
    const store = await seeded({ a: 1 })
    const room = makeRoom(store)
    const editor = client(room)
    const viewer = client(room, { role: 'viewer' })
    await waitFor(() => editor.synced && viewer.synced)
    viewer.doc.getMap('m').set('intrusion', true)
    // A later editor change is relayed to the viewer: the viewer's change went through the room and was dropped.
    editor.doc.getMap('m').set('after', 1)
    await waitFor(() => viewer.doc.getMap('m').get('after') === 1)
    await room.flushed()
    expect(viewer.closed).toBeNull()
    expect(editor.doc.getMap('m').has('intrusion')).toBe(false)
    const stored = new Y.Doc()
    for (const u of (await store.load(BOARD)).updates) Y.applyUpdate(stored, u)
    expect(stored.getMap('m').has('intrusion')).toBe(false)
  })

  it('a viewer update is never decoded: bytes that are not an update at all do not close it', async () => {
    const room = makeRoom(createMemoryDocStore())
    const viewer = client(room, { role: 'viewer' })
    await waitFor(() => viewer.synced)
    // Bytes that are not an update at all: an editor would be closed with 4400, a viewer's are not read.
    viewer.sendRaw(frame(varUint(0), varUint(2), bytes(new Uint8Array([200, 200, 200, 1]))))
    const editor = client(room)
    await waitFor(() => editor.synced)
    expect(viewer.closed).toBeNull()
  })

  it('a viewer whose step 2 repeats content and deletions the room already has is tolerated', async () => {
    const store = createMemoryDocStore()
    const room = makeRoom(store)
    const editor = client(room)
    await waitFor(() => editor.synced)
    editor.doc.getMap('m').set('x', 1)
    editor.doc.getMap('m').set('y', 2)
    editor.doc.getMap('m').delete('x')
    await room.flushed()
    const viewer = connectMemoryClient((s, i) => room.addConnection(s, i), { role: 'viewer' })
    clients.push(viewer)
    // The viewer already holds the same state (e.g. from its IndexedDB cache): its step 2 has a non-empty delete set.
    Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(editor.doc), 'server')
    await waitFor(() => viewer.synced)
    await roundTrip(viewer) // the room has read its step 2 (a close would have come first)
    expect(viewer.closed).toBeNull()
  })
})

describe('Room: bad frames (R4)', () => {
  const cases: Array<[string, Uint8Array, number]> = [
    ['empty frame', new Uint8Array([]), CloseCode.MALFORMED_MESSAGE],
    ['truncated varint', new Uint8Array([0x80]), CloseCode.MALFORMED_MESSAGE],
    ['unknown message type', frame(varUint(9)), CloseCode.MALFORMED_MESSAGE],
    ['auth message from a client', frame(varUint(2), varUint(0)), CloseCode.MALFORMED_MESSAGE],
    ['unknown sync type', frame(varUint(0), varUint(7), bytes(new Uint8Array([0]))), CloseCode.MALFORMED_MESSAGE],
    ['update Yjs cannot decode', frame(varUint(0), varUint(2), bytes(new Uint8Array([5, 200, 1, 2, 3]))), CloseCode.MALFORMED_MESSAGE],
    ['truncated update payload', frame(varUint(0), varUint(2), varUint(50)), CloseCode.MALFORMED_MESSAGE],
    ['bad state vector', frame(varUint(0), varUint(0), bytes(new Uint8Array([3, 1]))), CloseCode.MALFORMED_MESSAGE],
    ['awareness that is not JSON', frame(varUint(1), bytes(frame(varUint(1), varUint(7), varUint(1), (e) => encoding.writeVarString(e, '{nope')))), CloseCode.MALFORMED_MESSAGE],
    ['trailing bytes', frame(varUint(3), varUint(3)), CloseCode.MALFORMED_MESSAGE],
    ['frame over the size limit', new Uint8Array(limits.maxMessageBytes + 1), CloseCode.MESSAGE_TOO_BIG],
  ]
  for (const [name, bad, code] of cases) {
    it(`${name}: closes that connection with ${code}, the room and other clients carry on`, async () => {
      const store = await seeded({ a: 1 })
      const room = makeRoom(store)
      const a = client(room)
      const b = client(room)
      await waitFor(() => a.synced && b.synced)
      const hostile = client(room, { silent: true })
      hostile.sendRaw(bad)
      await waitFor(() => hostile.closed)
      expect(hostile.closed?.code).toBe(code)
      a.doc.getMap('m').set('after', 1)
      await waitFor(() => b.doc.getMap('m').get('after') === 1)
      expect(b.doc.getMap('m').get('a')).toBe(1)
    })
  }

  it('R12: an awareness entry at a clock the room already has is skipped unread; the same at a newer clock is read', async () => {
    const room = makeRoom(createMemoryDocStore())
    const watcher = client(room)
    const hostile = client(room, { silent: true })
    await room.loaded
    await waitFor(() => watcher.synced)
    const entry = (clock: number, json: string) =>
      frame(varUint(1), bytes(frame(varUint(1), varUint(7), varUint(clock), (e) => encoding.writeVarString(e, json))))
    hostile.sendRaw(entry(3, '{"n":1}'))
    await waitFor(() => (watcher.awareness.getStates().get(7) as { n?: number } | undefined)?.n === 1)
    // Echoes carry clocks the room has: neither broken JSON nor a 20,000-deep state is even decoded.
    hostile.sendRaw(entry(3, '{nope'))
    hostile.sendRaw(entry(2, '['.repeat(20_000)))
    hostile.sendRaw(entry(4, '{"n":2}'))
    await waitFor(() => (watcher.awareness.getStates().get(7) as { n?: number } | undefined)?.n === 2)
    expect(hostile.closed).toBeNull()
    hostile.sendRaw(entry(5, '{nope'))
    await waitFor(() => hostile.closed)
    expect(hostile.closed?.code).toBe(CloseCode.MALFORMED_MESSAGE)
  })

  it('rate limit: the message over the limit closes the connection with 4429', async () => {
    const room = makeRoom(createMemoryDocStore(), { limits: { ...limits, rateLimitMessages: 5 } })
    const c = client(room, { silent: true })
    await room.loaded
    // The client answers the server's sync step 1: that reply counts too.
    await waitFor(() => c.sentCount === 1)
    for (let i = 0; i < 4; i++) c.sendRaw(frame(varUint(3)))
    await waitFor(() => c.received.filter((f) => f[0] === 1).length === 4 || c.closed, 5000, 'four answers to query-awareness')
    expect(c.closed, JSON.stringify(c.closed)).toBeNull()
    c.sendRaw(frame(varUint(3)))
    await waitFor(() => c.closed)
    expect(c.closed?.code).toBe(CloseCode.RATE_LIMITED)
  })

  it('rate limit: the window resets', async () => {
    let now = 1000
    const room = makeRoom(createMemoryDocStore(), { limits: { ...limits, rateLimitMessages: 2, rateLimitWindowMs: 100 }, now: () => now })
    const c = client(room, { silent: true })
    await room.loaded
    await waitFor(() => c.sentCount === 1) // its reply to our sync step 1
    const answers = () => c.received.filter((f) => f[0] === 1).length
    c.sendRaw(frame(varUint(3)))
    await waitFor(() => answers() === 1 || c.closed)
    now += 100
    c.sendRaw(frame(varUint(3)))
    c.sendRaw(frame(varUint(3)))
    await waitFor(() => answers() === 3 || c.closed)
    expect(c.closed).toBeNull()
    c.sendRaw(frame(varUint(3)))
    await waitFor(() => c.closed)
  })
})

describe('Room: awareness (R5)', () => {
  it('relays awareness, and removes a closed connection’s states at once', async () => {
    const room = makeRoom(createMemoryDocStore())
    const a = client(room)
    const b = client(room)
    await waitFor(() => a.synced && b.synced)
    a.awareness.setLocalState({ name: 'Anna' })
    await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.name === 'Anna')
    a.disconnect()
    await waitFor(() => !b.awareness.getStates().has(a.doc.clientID))
  })

  it('a new connection receives the awareness states already present', async () => {
    const room = makeRoom(createMemoryDocStore())
    const a = client(room)
    await waitFor(() => a.synced)
    a.awareness.setLocalState({ name: 'Anna' })
    await room.flushed()
    await new Promise((r) => setImmediate(r))
    const late = client(room)
    await waitFor(() => late.awareness.getStates().get(a.doc.clientID)?.name === 'Anna')
  })

  it('merges the awareness changes of one turn into one message per connection', async () => {
    const room = makeRoom(createMemoryDocStore())
    const awarenessFrames: Uint8Array[] = []
    const watcher = client(room, { onFrame: (f) => f[0] === 1 && awarenessFrames.push(f) })
    const senders = [client(room), client(room), client(room)]
    await waitFor(() => watcher.synced && senders.every((s) => s.synced))
    await roundTrip(watcher)
    awarenessFrames.length = 0
    for (const [i, s] of senders.entries()) s.awareness.setLocalState({ n: i })
    await waitFor(() => senders.every((s) => watcher.awareness.getStates().has(s.doc.clientID)))
    expect(awarenessFrames).toHaveLength(1)
  })
})

describe('Room: awareness window', () => {
  it('with awarenessBatchMs, changes from different turns inside the window go out as one message', async () => {
    const room = makeRoom(createMemoryDocStore(), { limits: { ...limits, awarenessBatchMs: 80 } })
    const awarenessFrames: Uint8Array[] = []
    const watcher = client(room, { onFrame: (f) => f[0] === 1 && awarenessFrames.push(f) })
    const senders = [client(room), client(room), client(room)]
    await waitFor(() => watcher.synced && senders.every((s) => s.synced))
    await roundTrip(watcher)
    awarenessFrames.length = 0
    for (const [i, s] of senders.entries()) {
      s.awareness.setLocalState({ n: i })
      await nextTurn() // each change in its own turn, all well inside the window
    }
    await waitFor(() => senders.every((s) => watcher.awareness.getStates().has(s.doc.clientID)))
    expect(awarenessFrames).toHaveLength(1)
    senders[0]!.disconnect()
    await waitFor(() => !watcher.awareness.getStates().has(senders[0]!.doc.clientID))
  })

  it('a doc update is relayed without waiting for the window, and does not send the pending awareness early', async () => {
    const room = makeRoom(createMemoryDocStore(), { limits: { ...limits, awarenessBatchMs: 150 } })
    const frames: number[] = []
    const watcher = client(room, { onFrame: (f) => frames.push(f[0]!) })
    const sender = client(room)
    await waitFor(() => watcher.synced && sender.synced)
    await roundTrip(watcher)
    frames.length = 0
    sender.awareness.setLocalState({ name: 'Anna' })
    sender.doc.getMap('m').set('k', 1)
    await waitFor(() => watcher.doc.getMap('m').get('k') === 1)
    expect(frames).toEqual([0])
    await waitFor(() => watcher.awareness.getStates().get(sender.doc.clientID)?.name === 'Anna')
    expect(frames).toEqual([0, 1])
  })
})

describe('RoomManager', () => {
  it('unloads a room after the grace period (flushed, compacted) and reloads it intact', async () => {
    const store = createMemoryDocStore()
    const manager = new RoomManager({ store, logger, limits: { ...limits, compactAfterUpdates: 1000 }, roomGraceMs: 30 })
    const connect = (s: Parameters<RoomManager['connect']>[1], i: Parameters<RoomManager['connect']>[2]) => manager.connect(BOARD, s, i)
    const a = connectMemoryClient(connect)
    await waitFor(() => a.synced)
    for (let i = 0; i < 5; i++) a.doc.getMap('m').set(`k${i}`, i)
    await waitFor(() => manager.stats().roomsLoaded === 1)
    await manager.flushAll()
    a.destroy()
    expect(manager.stats().connections).toBe(0)
    await waitFor(() => manager.stats().roomsLoaded === 0)
    expect((await store.load(BOARD)).updates).toHaveLength(1)
    const b = connectMemoryClient(connect)
    await waitFor(() => b.synced)
    expect(Object.keys(b.doc.getMap('m').toJSON())).toHaveLength(5)
    b.destroy()
    await manager.shutdown()
  })

  it('a connection arriving while the room is unloading waits for the unload, then gets a fresh room with everything', async () => {
    const inner = createMemoryDocStore()
    const gate = deferred()
    let compactions = 0
    const store: DocStore = {
      ...inner,
      async compact(id) {
        compactions++
        await gate.promise
        return inner.compact(id)
      },
    }
    const manager = new RoomManager({ store, logger, limits, roomGraceMs: 10 })
    const connect = (s: Parameters<RoomManager['connect']>[1], i: Parameters<RoomManager['connect']>[2]) => manager.connect(BOARD, s, i)
    const a = connectMemoryClient(connect)
    await waitFor(() => a.synced)
    a.doc.getMap('m').set('x', 1)
    a.doc.getMap('m').set('y', 2)
    await manager.flushAll()
    const first = manager.getRoom(BOARD)
    a.destroy()
    await waitFor(() => compactions === 1)
    const b = connectMemoryClient(connect)
    await waitFor(() => b.sentCount > 0)
    await nextTurn() // its sync step 1 has reached the manager, which must hold it
    expect(b.synced).toBe(false)
    gate.resolve()
    await waitFor(() => b.synced)
    expect(b.doc.getMap('m').toJSON()).toEqual({ x: 1, y: 2 })
    expect(manager.getRoom(BOARD)).not.toBe(first)
    b.destroy()
    await manager.shutdown()
  })

  it('a connection arriving during the grace period keeps the room', async () => {
    const manager = new RoomManager({ store: createMemoryDocStore(), logger, limits, roomGraceMs: 50 })
    const connect = (s: Parameters<RoomManager['connect']>[1], i: Parameters<RoomManager['connect']>[2]) => manager.connect(BOARD, s, i)
    const a = connectMemoryClient(connect)
    await waitFor(() => a.synced)
    const room = manager.getRoom(BOARD)
    a.destroy()
    const b = connectMemoryClient(connect)
    await waitFor(() => b.synced)
    // A witness: a board left after this one's grace began unloads after that grace would have ended.
    const witness = connectMemoryClient((s, i) => manager.connect('board-witness' as BoardId, s, i))
    await waitFor(() => witness.synced)
    witness.destroy()
    await waitFor(() => manager.getRoom('board-witness' as BoardId) === undefined)
    expect(manager.getRoom(BOARD)).toBe(room)
    expect(b.closed).toBeNull()
    b.destroy()
    await manager.shutdown()
  })

  it('closeConnections closes exactly the matching credentials; shutdown closes the rest with 1001', async () => {
    const manager = new RoomManager({ store: createMemoryDocStore(), logger, limits, roomGraceMs: 1000 })
    const connect = (s: Parameters<RoomManager['connect']>[1], i: Parameters<RoomManager['connect']>[2]) => manager.connect(BOARD, s, i)
    const old = connectMemoryClient(connect, { credential: 'old-key' })
    const fresh = connectMemoryClient(connect, { credential: 'new-key' })
    await waitFor(() => old.synced && fresh.synced)
    expect(manager.closeConnections(BOARD, (c) => c.credential === 'old-key', CloseCode.UNAUTHORIZED, 'key rotated')).toBe(1)
    expect(old.closed).toEqual({ code: CloseCode.UNAUTHORIZED, reason: 'key rotated' })
    expect(fresh.closed).toBeNull()
    expect(manager.stats()).toEqual({ roomsLoaded: 1, connections: 1 })
    await manager.shutdown()
    expect(fresh.closed?.code).toBe(CloseCode.GOING_AWAY)
    expect(manager.stats()).toEqual({ roomsLoaded: 0, connections: 0 })
    old.destroy()
    fresh.destroy()
  })

  it('compacts in the background once the log exceeds compactAfterUpdates', async () => {
    const store = createMemoryDocStore()
    const manager = new RoomManager({ store, logger, limits: { ...limits, compactAfterUpdates: 10 }, roomGraceMs: 10_000 })
    const a = connectMemoryClient((s, i) => manager.connect(BOARD, s, i))
    await waitFor(() => a.synced)
    for (let i = 0; i < 30; i++) {
      a.doc.getMap('m').set(`k${i}`, i)
      await new Promise((r) => setImmediate(r))
    }
    await manager.flushAll()
    await waitFor(async () => (await store.load(BOARD)).updates.length <= 11)
    const doc = new Y.Doc()
    for (const u of (await store.load(BOARD)).updates) Y.applyUpdate(doc, u)
    expect(doc.getMap('m').size).toBe(30)
    a.destroy()
    await manager.shutdown()
  })
})
