/**
 * The sync server's limits (server/src/sync/SPEC.md R7-R13) on the pure scanner and on a Room with in-memory sockets:
 * legitimate boards pass with room to spare (the measurement behind the defaults in server/src/sync/limits.ts), each
 * bound refuses what passes it before anything is applied.
 */
import * as encoding from 'lib0/encoding'
import { encodeAwarenessMessage, encodeAwarenessUpdate } from '../../server/src/sync/protocol.ts'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { noteRecord } from '../../bench/records.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { parseConfig } from '../../server/src/config.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createMemoryDocStore } from '../../server/src/store/memoryDocStore.ts'
import { DEFAULT_SYNC_LIMITS, maxAwarenessClockJump } from '../../server/src/sync/limits.ts'
import { Room, type RoomLimits } from '../../server/src/sync/Room.ts'
import type { RoomSocket } from '../../server/src/sync/RoomSocket.ts'
import { MAX_VALUE_DEPTH, MessageRefusal, jsonDeeperThan, jsonDepth, leavesPending, scanUpdate } from '../../server/src/sync/updateScan.ts'
import { chainedAnyUpdate, everyOtherDeleteUpdate, longItemUpdate, subdocUpdate } from '../integration/hostileUpdates.ts'
import { connectMemoryClient, type MemoryClient } from '../helpers/memoryClient.ts'
import { deferred, waitFor } from '../helpers/waitFor.ts'

const BOARD = 'board-limits' as BoardId
const logger = createSilentLogger()
const limits: RoomLimits = { maxMessageBytes: 4 * 1024 * 1024, rateLimitMessages: 1000, rateLimitWindowMs: 10_000, compactAfterUpdates: 500 }
const SCAN = { maxUpdateStructs: DEFAULT_SYNC_LIMITS.maxUpdateStructs, maxMergeWork: DEFAULT_SYNC_LIMITS.maxMergeWork }

const rooms: Room[] = []
const clients: MemoryClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const r of rooms.splice(0)) await r.unload()
})

function makeRoom(extra: Partial<RoomLimits> = {}): Room {
  const room = new Room({ boardId: BOARD, store: createMemoryDocStore(), logger, limits: { ...limits, ...extra } })
  rooms.push(room)
  return room
}

function client(room: Room, options: Parameters<typeof connectMemoryClient>[1] = {}): MemoryClient {
  const c = connectMemoryClient((socket, info) => room.addConnection(socket, info), options)
  clients.push(c)
  return c
}

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

function refusal(fn: () => unknown): MessageRefusal {
  try {
    fn()
  } catch (error) {
    if (error instanceof MessageRefusal) return error
    throw error
  }
  throw new Error('not refused')
}

/** A board as a workshop leaves it: 20 people write 2,000 notes one by one, move each once, delete 10%. */
function workshopBoard(): Y.Doc {
  const server = new Y.Doc()
  const docs = Array.from({ length: 20 }, () => new Y.Doc())
  const kvs = docs.map((d) => new YKeyValue<ReturnType<typeof noteRecord>>(d.getArray('records')))
  // Everyone syncs every 100 notes (a real board syncs at every edit: more, smaller structs would only merge)
  const sync = (from: Y.Doc) => {
    Y.applyUpdate(server, Y.encodeStateAsUpdate(from, Y.encodeStateVector(server)))
    for (const d of docs) if (d !== from) Y.applyUpdate(d, Y.encodeStateAsUpdate(server, Y.encodeStateVector(d)))
  }
  const id = (i: number) => `shape:bench${String(i).padStart(5, '0')}`
  for (let i = 0; i < 2000; i++) {
    kvs[i % 20]!.set(id(i), noteRecord(i))
    if (i % 100 === 99) sync(docs[i % 20]!)
  }
  for (const d of docs) sync(d)
  for (let i = 0; i < 2000; i++) {
    const kv = kvs[(i + 7) % 20]!
    const note = kv.get(id(i))
    if (note) kv.set(id(i), { ...note, x: note.x + 10 })
    if (i % 100 === 99) sync(docs[(i + 7) % 20]!)
  }
  for (const d of docs) sync(d)
  for (let i = 0; i < 2000; i += 10) kvs[i % 20]!.delete(id(i))
  for (const d of docs) sync(d)
  return server
}
let board: Y.Doc | null = null
const theWorkshopBoard = () => (board ??= workshopBoard())

describe('configuration of the limits', () => {
  it('defaults come from limits.ts; each variable is read and an invalid one is named', () => {
    expect(parseConfig({}).syncLimits).toEqual(DEFAULT_SYNC_LIMITS)
    expect(parseConfig({}).maxMessageBytes).toBe(4 * 1024 * 1024)
    const config = parseConfig({ MAX_UPDATE_STRUCTS: '100', AWARENESS_ID_RESERVATION_MS: '0', MAX_BUFFERED_BYTES: '2048' })
    expect(config.syncLimits).toMatchObject({ maxUpdateStructs: 100, awarenessIdReservationMs: 0, maxBufferedBytes: 2048 })
    expect(() => parseConfig({ MAX_AWARENESS_IDS_PER_CONNECTION: '0' })).toThrow(/MAX_AWARENESS_IDS_PER_CONNECTION/)
  })
})

describe('R9 legitimate boards pass with room to spare (the measurement behind the defaults)', () => {
  it("a 2,000-note workshop board's full state, a fresh client's sync step 2, is far inside every limit", { timeout: 30_000 }, () => {
    const full = Y.encodeStateAsUpdate(theWorkshopBoard())
    const shape = scanUpdate(full, SCAN)
    // Measured: 0.84 MB with the notes of bench/records.ts plus real text, ~1,600 structs, ~1,200 copies.
    expect(full.byteLength).toBeLessThan(4 * 1024 * 1024 / 4)
    expect(shape.structs).toBeLessThan(DEFAULT_SYNC_LIMITS.maxUpdateStructs / 10)
    expect(shape.mergeWork).toBeLessThan(DEFAULT_SYNC_LIMITS.maxMergeWork / 10)
    expect(leavesPending(shape, () => 0)).toBe(false)
  })

  it('a paste of 2,000 notes in one transaction is one update of one struct', () => {
    const doc = new Y.Doc()
    const kv = new YKeyValue<unknown>(doc.getArray<{ key: string; val: unknown }>('records'))
    let update: Uint8Array | null = null
    doc.on('update', (u: Uint8Array) => (update = u))
    doc.transact(() => {
      for (let i = 0; i < 2000; i++) kv.set(`shape:p${i}`, noteRecord(i))
    })
    expect(scanUpdate(update!, SCAN).structs).toBe(1)
  })

  it('a room accepts the full board uploaded by a client (a server that lost it), and relays it', { timeout: 30_000 }, async () => {
    const room = makeRoom()
    const uploader = client(room)
    Y.applyUpdate(uploader.doc, Y.encodeStateAsUpdate(theWorkshopBoard()))
    const reader = client(room)
    await waitFor(() => reader.doc.getArray('records').length === 1800, 10_000)
    expect(uploader.closed).toBeNull()
  })
})

describe('R9 the scanner reads what Yjs reads, and refuses before Yjs', () => {
  it('counts the same structs as Y.decodeUpdate on real updates', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const kv = new YKeyValue<unknown>(doc.getArray<{ key: string; val: unknown }>('records'))
    for (let i = 0; i < 20; i++) kv.set(`shape:${i}`, noteRecord(i))
    kv.delete('shape:3')
    doc.getText('t').insert(0, 'ciao')
    doc.getText('t').format(0, 2, { bold: true })
    doc.getMap('meta').set('schema', { schemaVersion: 2, sequences: {} })
    doc.getArray('nested').push([new Y.Map()])
    updates.push(Y.encodeStateAsUpdate(doc))
    for (const update of updates) {
      const shape = scanUpdate(update, SCAN)
      const decoded = Y.decodeUpdate(update)
      expect(shape.structs - shape.deleteRanges).toBe(decoded.structs.length)
    }
  })

  it('refuses sub-documents (4400), truncation and trailing bytes (4400), and values nested too deep (4413)', () => {
    expect(refusal(() => scanUpdate(subdocUpdate(1), SCAN)).kind).toBe('malformed')
    const real = chainedAnyUpdate(3)
    expect(refusal(() => scanUpdate(real.subarray(0, real.length - 2), SCAN)).kind).toBe('malformed')
    expect(refusal(() => scanUpdate(new Uint8Array([...real, 0]), SCAN)).kind).toBe('malformed')
    const deep = new Y.Doc()
    let nested: unknown = 1
    for (let i = 0; i < MAX_VALUE_DEPTH + 1; i++) nested = [nested]
    deep.getArray('records').push([nested])
    expect(refusal(() => scanUpdate(Y.encodeStateAsUpdate(deep), SCAN)).kind).toBe('too-large')
    expect(jsonDepth('{"a":"[[[[","b":[[1]]}')).toBe(3)
    // the fast path counts brackets inside strings too, and then looks closely before it says deeper
    expect(jsonDeeperThan('{"a":"[[[[","b":[[1]]}', 2)).toBe(true)
    expect(jsonDeeperThan('{"a":"[[[[","b":[[1]]}', 3)).toBe(false)
    expect(jsonDeeperThan(`${'['.repeat(65)}${']'.repeat(65)}`, MAX_VALUE_DEPTH)).toBe(true)
    expect(jsonDeeperThan(`"${'['.repeat(100)}"`, MAX_VALUE_DEPTH)).toBe(false)
  })

  it('stops at the struct limit and at the merge-work limit', () => {
    expect(refusal(() => scanUpdate(chainedAnyUpdate(101), { maxUpdateStructs: 100, maxMergeWork: 1e12 })).reason).toMatch(/too many changes/)
    // 1,000 chained one-element items: 1 + 2 + … + 999 copies.
    expect(scanUpdate(chainedAnyUpdate(1000), { maxUpdateStructs: 1e6, maxMergeWork: 1e12 }).mergeWork).toBe((999 * 1000) / 2 + 999)
    expect(refusal(() => scanUpdate(chainedAnyUpdate(1000), { maxUpdateStructs: 1e6, maxMergeWork: 10_000 })).kind).toBe('too-large')
  })

  it('R11 leavesPending: a gap, a missing origin or a delete of unknown clocks', () => {
    const base = new Y.Doc()
    base.getArray('a').push([1])
    const next = new Y.Doc()
    Y.applyUpdate(next, Y.encodeStateAsUpdate(base))
    const sv = Y.encodeStateVector(next)
    next.getArray('a').push([2])
    const onTop = Y.encodeStateAsUpdate(next, sv)
    const state = (doc: Y.Doc) => (c: number) => Y.getState(doc.store, c)
    expect(leavesPending(scanUpdate(onTop, SCAN), state(base))).toBe(false)
    expect(leavesPending(scanUpdate(onTop, SCAN), state(new Y.Doc()))).toBe(true)
    expect(leavesPending(scanUpdate(everyOtherDeleteUpdate(3), SCAN), state(new Y.Doc()))).toBe(true)
  })
})

describe('Room: update limits (R9-R11)', () => {
  it('an update that would leave pending structs is refused with 4400 and nothing of it is kept', async () => {
    const room = makeRoom()
    const editor = client(room, { silent: true })
    const attacker = client(room, { silent: true })
    // `later` is someone's next change; the attacker writes after it and sends only its own part.
    const later = new Y.Doc()
    later.getArray('a').push(['later'])
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(later))
    const sv = Y.encodeStateVector(forged)
    forged.getArray('a').push(['attack'])
    attacker.sendRaw(updateFrame(Y.encodeStateAsUpdate(forged, sv)))
    await waitFor(() => attacker.closed)
    expect(attacker.closed?.code).toBe(CloseCode.MALFORMED_MESSAGE)
    // The missing part arrives from someone else: the refused part must not come with it.
    editor.sendRaw(updateFrame(Y.encodeStateAsUpdate(later)))
    const reader = client(room)
    await waitFor(() => reader.doc.getArray('a').length > 0)
    await room.flushed()
    expect(reader.doc.getArray('a').toArray()).toEqual(['later'])
    expect(editor.closed).toBeNull()
  })

  it('a board over maxBoardBytes refuses the update that would pass it (4413), measuring the real size first', async () => {
    const room = makeRoom({ maxBoardBytes: 20_000 })
    const editor = client(room)
    await waitFor(() => editor.synced)
    // Overwriting one key many times: the running bound grows, the real size does not.
    for (let i = 0; i < 40; i++) editor.doc.getMap('m').set('k', 'x'.repeat(1000))
    await room.flushed()
    expect(editor.closed).toBeNull()
    editor.doc.getMap('m').set('big', 'y'.repeat(25_000))
    await waitFor(() => editor.closed)
    expect(editor.closed).toEqual({ code: CloseCode.TOO_LARGE, reason: 'the board is full' })
  })

  it('cuts into a long item: refused past maxSplitWork (4413); a few cuts pass', async () => {
    const room = makeRoom({ maxSplitWork: 50_000 })
    const editor = client(room, { silent: true })
    editor.sendRaw(updateFrame(longItemUpdate(10_000)))
    editor.sendRaw(updateFrame(everyOtherDeleteUpdate(2)))
    const attacker = client(room, { silent: true })
    attacker.sendRaw(updateFrame(everyOtherDeleteUpdate(20)))
    await waitFor(() => attacker.closed)
    expect(attacker.closed?.code).toBe(CloseCode.TOO_LARGE)
    expect(editor.closed).toBeNull()
  })

  it('work per connection per window: many updates each under the limits end with 4429', async () => {
    const room = makeRoom({ maxWorkPerWindow: 100_000 })
    const attacker = client(room, { silent: true })
    attacker.sendRaw(updateFrame(longItemUpdate(10_000)))
    for (let i = 0; i < 30; i++) attacker.sendRaw(updateFrame(everyOtherDeleteUpdate(1 + i).subarray(0)))
    await waitFor(() => attacker.closed)
    expect(attacker.closed?.code).toBe(CloseCode.RATE_LIMITED)
  })
})

describe('Room: frames queued while the board loads (R1)', () => {
  it('more than maxMessageBytes queued before the load closes that connection with 4413; the others wait', async () => {
    const inner = createMemoryDocStore()
    const gate = deferred()
    const store = { ...inner, load: async (id: BoardId) => (await gate.promise, inner.load(id)) }
    const room = new Room({ boardId: BOARD, store, logger, limits: { ...limits, maxMessageBytes: 10_000 } })
    rooms.push(room)
    const flooder = client(room, { silent: true })
    const honest = client(room)
    for (let i = 0; i < 5; i++) flooder.sendRaw(updateFrame(new Uint8Array(3000)))
    await waitFor(() => flooder.closed)
    expect(flooder.closed?.code).toBe(CloseCode.TOO_LARGE)
    gate.resolve()
    await waitFor(() => honest.synced)
    expect(honest.closed).toBeNull()
  })
})

describe('Room: back-pressure (R13)', () => {
  function bufferingSocket() {
    const sent: Uint8Array[] = []
    const socket = {
      bufferedAmount: 0,
      closed: null as { code: number; reason: string } | null,
      sent,
      send(data: Uint8Array) {
        sent.push(data)
      },
      close(code: number, reason: string) {
        socket.closed = { code, reason }
      },
      get isOpen() {
        return socket.closed === null
      },
    }
    return socket satisfies RoomSocket
  }
  const step1 = () => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint8Array(e, new Uint8Array([0]))
    return encoding.toUint8Array(e)
  }
  const isStep2 = (f: Uint8Array) => f[0] === 0 && f[1] === 1

  it('one sync step 2 answer in flight; requests meanwhile are dropped; an unread buffer past the limit closes 4408', async () => {
    const room = makeRoom({ maxBufferedBytes: 1000 })
    await room.loaded
    const socket = bufferingSocket()
    const handle = room.addConnection(socket, { connectionId: 'slow', role: 'viewer', credential: 'v' })
    handle.receive(step1())
    // the answer went out but never left the process (no send callback): further requests are dropped
    socket.bufferedAmount = 500
    handle.receive(step1())
    handle.receive(step1())
    expect(socket.sent.filter(isStep2)).toHaveLength(1)
    expect(socket.closed).toBeNull()
    socket.bufferedAmount = 5000
    handle.receive(step1())
    expect(socket.closed).toEqual({ code: CloseCode.SLOW_READER, reason: 'too much unread data' })
    expect(room.connectionCount).toBe(0)
  })
})

describe('Room: awareness limits (R7, R12)', () => {
  function awarenessFrame(entries: Array<{ clientId: number; clock: number; json: string }>): Uint8Array {
    return encodeAwarenessMessage(encodeAwarenessUpdate(entries))
  }

  it('a state over maxAwarenessStateBytes, or the room over maxAwarenessRoomBytes, closes 4413', async () => {
    const room = makeRoom({ maxAwarenessStateBytes: 1000, maxAwarenessRoomBytes: 1500 })
    const a = client(room, { silent: true })
    a.sendRaw(awarenessFrame([{ clientId: 1, clock: 1, json: JSON.stringify({ s: 'x'.repeat(1000) }) }]))
    await waitFor(() => a.closed)
    expect(a.closed).toEqual({ code: CloseCode.TOO_LARGE, reason: 'awareness state too large' })
    const b = client(room, { silent: true, credential: 'b' })
    b.sendRaw(awarenessFrame([{ clientId: 2, clock: 1, json: JSON.stringify({ s: 'x'.repeat(800) }) }]))
    const c = client(room, { silent: true, credential: 'c' })
    c.sendRaw(awarenessFrame([{ clientId: 3, clock: 1, json: JSON.stringify({ s: 'x'.repeat(800) }) }]))
    await waitFor(() => c.closed)
    expect(c.closed?.code).toBe(CloseCode.TOO_LARGE)
    expect(b.closed).toBeNull()
  })

  it('a released id is reserved for its credential until awarenessIdReservationMs, then free', async () => {
    let now = 1_000
    const room = new Room({ boardId: BOARD, store: createMemoryDocStore(), logger, limits: { ...limits, awarenessIdReservationMs: 500 }, now: () => now })
    rooms.push(room)
    const owner = client(room, { credential: 'fac' })
    owner.sendRaw(awarenessFrame([{ clientId: 42, clock: 1, json: '{"user":{"name":"F"}}' }]))
    const watcher = client(room, { credential: 'w' })
    await waitFor(() => watcher.awareness.getStates().has(42))
    owner.disconnect()
    await waitFor(() => !watcher.awareness.getStates().has(42))
    const other = client(room, { credential: 'par' })
    other.sendRaw(awarenessFrame([{ clientId: 42, clock: 3, json: '{"user":{"name":"P"}}' }]))
    await room.flushed()
    await new Promise((r) => setTimeout(r, 100))
    expect(watcher.awareness.getStates().has(42)).toBe(false)
    now += 600
    other.sendRaw(awarenessFrame([{ clientId: 42, clock: 4, json: '{"user":{"name":"P"}}' }]))
    await waitFor(() => watcher.awareness.getStates().has(42))
    expect(other.closed).toBeNull()
  })

  it('the clock-jump bound grows with the time since the id was last seen', () => {
    expect(maxAwarenessClockJump(0)).toBe(1000)
    expect(maxAwarenessClockJump(60_000)).toBe(7000)
    expect(maxAwarenessClockJump(24 * 3600 * 1000)).toBeLessThan(2 ** 32)
  })
})
