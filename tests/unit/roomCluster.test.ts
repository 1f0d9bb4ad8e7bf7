// Cluster SPEC C2-C6 (server/src/cluster/SPEC.md): two instances (RoomManagers) on one shared store, over a bus that
// may lose messages.
import { afterEach, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/src/boardId.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createMemoryBusHub } from '../../server/src/cluster/clusterBus.ts'
import { asDoorbell, type ClusterMessage } from '../../server/src/cluster/clusterMessages.ts'
import { createMemoryDocStore, type MemoryDocStorage } from '../../server/src/store/memoryDocStore.ts'
import type { RoomLimits } from '../../server/src/sync/Room.ts'
import { RoomManager } from '../../server/src/sync/RoomManager.ts'
import { connectMemoryClient, type MemoryClient, type MemoryClientOptions } from '../helpers/memoryClient.ts'
import { waitFor } from '../helpers/waitFor.ts'

const logger = createSilentLogger()
const limits: RoomLimits = { maxMessageBytes: 64 * 1024, rateLimitMessages: 1000, rateLimitWindowMs: 10_000, compactAfterUpdates: 500 }
const BOARD = 'cluster-board' as BoardId
const HOUR = 3_600_000

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * Two instances on one shared store; `drop` loses bus messages, `deliver` changes them; `sweepMs` is C6's period (an
 * hour: never in a test).
 */
function twoInstances(
  options: {
    drop?: (message: ClusterMessage) => boolean
    deliver?: (m: ClusterMessage) => ClusterMessage | null
    sweepMs?: number
    graceMs?: number
    maxBoardBytes?: number
  } = {},
) {
  const storage: MemoryDocStorage = new Map()
  const store = createMemoryDocStore(storage)
  const hub = createMemoryBusHub({ deliver: (m) => (options.drop?.(m) === true ? null : (options.deliver?.(m) ?? m)) })
  const instance = (name: string) => {
    const manager = new RoomManager({
      store,
      logger,
      limits: options.maxBoardBytes === undefined ? limits : { ...limits, maxBoardBytes: options.maxBoardBytes },
      roomGraceMs: options.graceMs ?? 60_000,
      cluster: { bus: hub.bus(), instanceId: name, sweepMs: options.sweepMs ?? HOUR },
    })
    cleanups.push(() => manager.shutdown())
    return {
      manager,
      client(clientOptions: MemoryClientOptions = {}): MemoryClient {
        const client = connectMemoryClient((socket, info) => manager.connect(BOARD, socket, info), clientOptions)
        cleanups.push(() => client.destroy())
        return client
      },
    }
  }
  return { a: instance('A'), b: instance('B'), store, hub }
}

const text = (client: MemoryClient) => client.doc.getMap('m').toJSON()
/** Waits until the store holds `rows` rows of the board (a client's change reaches its server on a later turn). */
const stored = (store: ReturnType<typeof createMemoryDocStore>, rows: number) => waitFor(async () => (await store.load(BOARD)).lastSeq >= rows)

describe('several instances on one store (cluster SPEC)', () => {
  it('C3: clients of one board on two instances see each other\'s changes, both ways', async () => {
    const { a, b, store } = twoInstances()
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    ca.doc.getMap('m').set('from-a', 1)
    cb.doc.getMap('m').set('from-b', 2)
    await waitFor(() => Object.keys(text(ca)).length === 2 && Object.keys(text(cb)).length === 2)
    expect(text(ca)).toEqual({ 'from-a': 1, 'from-b': 2 })
    // nothing was stored twice: each instance appended its own client's update only
    expect((await store.load(BOARD)).lastSeq).toBe(2)
  })

  it('C2: a lost message leaves a gap that the next message shows; the missing rows are read from the store', async () => {
    let lost = 0
    const { a, b, store } = twoInstances({ drop: (m) => m.kind === 'updates' && m.instance === 'A' && lost++ === 0 })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    ca.doc.getMap('m').set('first', 1)
    await stored(store, 1)
    ca.doc.getMap('m').set('second', 2)
    await waitFor(() => text(cb)['second'] === 2)
    expect(text(cb)).toEqual({ first: 1, second: 2 })
    expect(lost).toBe(2)
  })

  it('C3: a doorbell without the updates (NOTIFY\'s size limit) is answered by reading the store', async () => {
    let doorbells = 0
    // what pgNotifyBus does with a message over the limit
    const { a, b } = twoInstances({ deliver: (m) => (m.kind === 'updates' ? (doorbells++, asDoorbell(m)) : m) })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    ca.doc.getMap('m').set('big', 'x'.repeat(10_000))
    await waitFor(() => text(cb)['big'] !== undefined)
    expect(doorbells).toBe(1)
    expect(b.manager.getRoom(BOARD)!.seq).toBe(1)
  })

  it('C6: with every message lost, the periodic comparison with the store brings the other instance up to date', async () => {
    const { a, b } = twoInstances({ drop: (m) => m.kind === 'updates', sweepMs: 20 })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    for (let i = 0; i < 5; i++) ca.doc.getMap('m').set(`k${i}`, i)
    await waitFor(() => Object.keys(text(cb)).length === 5)
    expect(text(cb)).toEqual(text(ca))
  })

  it('C6: a bus that was reconnected has every loaded board compared with the store at once', async () => {
    let losing = true
    const { a, b, hub, store } = twoInstances({ drop: (m) => losing && m.kind === 'updates' })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    ca.doc.getMap('m').set('while-away', 1)
    await stored(store, 1)
    expect(text(cb)).toEqual({})
    losing = false
    hub.resumeAll()
    await waitFor(() => text(cb)['while-away'] === 1)
  })

  it('C2: an instance that was behind when the log was compacted reads the merged state and misses nothing', async () => {
    const { a, b, store } = twoInstances({ drop: (m) => m.kind === 'updates', sweepMs: HOUR })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    for (let i = 0; i < 10; i++) ca.doc.getMap('m').set(`k${i}`, i)
    await stored(store, 10)
    expect(await store.compact(BOARD)).toBeGreaterThan(1)
    b.manager.getRoom(BOARD)!.noteStoredSeq((await store.load(BOARD)).lastSeq)
    await waitFor(() => Object.keys(text(cb)).length === 10)
    expect(text(cb)).toEqual(text(ca))
  })

  it('C3 (Hocuspocus #971): an instance unloading (and compacting) a board while another writes it loses nothing', async () => {
    const { a, b, store } = twoInstances({ graceMs: 20 })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    ca.doc.getMap('m').set('from-a', 0)
    await stored(store, 1)
    const room = a.manager.getRoom(BOARD)!
    ca.destroy()
    // B writes while A's room reaches the end of its grace, flushes, compacts the shared log and unloads
    let i = 0
    while (a.manager.getRoom(BOARD) === room) {
      cb.doc.getMap('m').set(`b${i}`, i)
      i++
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    for (let k = 0; k < 20; k++) cb.doc.getMap('m').set(`b${i + k}`, i + k)
    const written = i + 20
    await waitFor(() => Object.keys(text(cb)).length === written + 1)
    await stored(store, written + 1)
    const fresh = a.client()
    await waitFor(() => fresh.synced)
    expect(text(fresh)).toEqual(text(cb))
    expect(Object.keys(text(fresh))).toHaveLength(written + 1)
  })

  it('sync R9 across instances: what another instance wrote counts toward the board limit here', async () => {
    const { a, b, store } = twoInstances({ maxBoardBytes: 30_000 })
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    cb.doc.getMap('m').set('big', 'x'.repeat(20_000))
    await stored(store, 1)
    await waitFor(() => text(ca)['big'] !== undefined)
    // together over the limit: refused on A, although A's own clients wrote nothing yet
    ca.doc.getMap('m').set('more', 'y'.repeat(15_000))
    await waitFor(() => ca.closed !== null)
    expect(ca.closed).toEqual({ code: CloseCode.TOO_LARGE, reason: 'the board is full' })
    expect((await store.load(BOARD)).lastSeq).toBe(1)
  })

  it('C4: presence crosses instances, a late instance asks for it, and a closed connection\'s state goes away everywhere', async () => {
    const { a, b } = twoInstances()
    const ca = a.client()
    await waitFor(() => ca.synced)
    ca.awareness.setLocalStateField('user', { name: 'Anna', role: 'participant' })
    await waitFor(() => a.manager.getRoom(BOARD) !== undefined)
    // B loads the board after Anna published her state: it asks A for the states of its connections
    const cb = b.client()
    await waitFor(() => cb.synced && cb.awareness.getStates().get(ca.doc.clientID) !== undefined)
    expect((cb.awareness.getStates().get(ca.doc.clientID) as { user: { name: string } }).user.name).toBe('Anna')
    cb.awareness.setLocalStateField('user', { name: 'Bruno', role: 'participant' })
    await waitFor(() => (ca.awareness.getStates().get(cb.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Bruno')
    ca.disconnect()
    await waitFor(() => !cb.awareness.getStates().has(ca.doc.clientID))
  })

  it('C5: a rotated key closes its connections on every instance', async () => {
    const { a, b } = twoInstances()
    const old = b.client({ credential: 'old-key' })
    const other = b.client({ credential: 'other-key' })
    const here = a.client({ credential: 'old-key' })
    await waitFor(() => old.synced && other.synced && here.synced)
    a.manager.closeCredential(BOARD, 'old-key', CloseCode.UNAUTHORIZED, 'key revoked')
    await waitFor(() => old.closed !== null && here.closed !== null)
    expect(old.closed).toEqual({ code: CloseCode.UNAUTHORIZED, reason: 'key revoked' })
    expect(other.closed).toBeNull()
  })

  it('C5: an erase through one instance closes the board\'s connections on the others', async () => {
    const { a, b } = twoInstances()
    const ca = a.client()
    const cb = b.client()
    await waitFor(() => ca.synced && cb.synced)
    await a.manager.discard(BOARD, CloseCode.MEETING_DELETED, 'meeting deleted', () => undefined)
    await waitFor(() => cb.closed !== null)
    expect(cb.closed).toEqual({ code: CloseCode.MEETING_DELETED, reason: 'meeting deleted' })
    expect(b.manager.getRoom(BOARD)).toBeUndefined()
  })
})
