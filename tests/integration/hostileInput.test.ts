/**
 * Hostile input over real sockets (SPEC R4): each bad frame closes only its own connection with the documented code,
 * the server stays up, and two y-websocket clients on the same board keep syncing.
 */
import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { connectClient, destroyClients, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

const MAX_BYTES = 4096
const RATE_LIMIT = 60
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ config: { maxMessageBytes: MAX_BYTES, rateLimitMessages: RATE_LIMIT, rateLimitWindowMs: 60_000 } })
})
afterAll(async () => {
  await server.close()
})
afterEach(() => destroyClients())

/** Opens a raw socket on a board, sends the frames once open, and resolves with the close code the server sent. */
function sendRaw(board: string, frames: Uint8Array[]): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/${board}`)
    ws.on('open', () => {
      for (const f of frames) ws.send(f)
    })
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    ws.on('error', () => {})
    setTimeout(() => reject(new Error('server did not close the socket')), 5000).unref()
  })
}

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const e = encoding.createEncoder()
  for (const p of parts) p(e)
  return encoding.toUint8Array(e)
}
const varUint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n)
const bytes = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeVarUint8Array(e, b)

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be replayed. */
function randomBytes(seed: number, length: number): Uint8Array {
  let a = seed >>> 0
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff
  }
  return out
}

/** The server answers HTTP and two fresh providers on the board still sync each other's edits. */
async function boardStillWorks(board: string, marker: string): Promise<void> {
  const health = await fetch(`${server.httpUrl}/healthz`)
  expect(health.status).toBe(200)
  const a = connectClient(server.wsUrl, board)
  const b = connectClient(server.wsUrl, board)
  await Promise.all([a.whenSynced(), b.whenSynced()])
  a.doc.getMap('m').set(marker, 'a')
  b.doc.getMap('m').set(`${marker}-b`, 'b')
  await waitFor(() => b.doc.getMap('m').get(marker) === 'a' && a.doc.getMap('m').get(`${marker}-b`) === 'b')
  expect(a.doc.getMap('m').get('before')).toBe('kept')
  a.destroy()
  b.destroy()
}

describe('hostile input', () => {
  let n = 0
  const board = () => `hostile-${++n}`

  /** A board with content and a connected editor, which must keep working while a hostile socket joins. */
  async function boardWithWitness(name: string) {
    const witness = connectClient(server.wsUrl, name)
    await witness.whenSynced()
    witness.doc.getMap('m').set('before', 'kept')
    const peer = connectClient(server.wsUrl, name)
    await waitFor(() => peer.doc.getMap('m').get('before') === 'kept')
    return { witness, peer }
  }

  const cases: Array<[string, () => Uint8Array[], number]> = [
    ['truncated varint', () => [new Uint8Array([0x80, 0x80])], CloseCode.MALFORMED_MESSAGE],
    ['unknown message type', () => [frame(varUint(42), varUint(1))], CloseCode.MALFORMED_MESSAGE],
    ['an update Yjs cannot decode', () => [frame(varUint(0), varUint(2), bytes(new Uint8Array([1, 1, 0xff, 0xff, 0xff, 7, 9])))], CloseCode.MALFORMED_MESSAGE],
    ['a sync step 2 Yjs cannot decode', () => [frame(varUint(0), varUint(1), bytes(new Uint8Array([200, 3, 1])))], CloseCode.MALFORMED_MESSAGE],
    ['a frame over the size limit', () => [frame(varUint(0), varUint(2), bytes(new Uint8Array(MAX_BYTES)))], CloseCode.MESSAGE_TOO_BIG],
    ['more messages than the rate limit', () => Array.from({ length: RATE_LIMIT + 20 }, () => frame(varUint(3))), CloseCode.RATE_LIMITED],
  ]
  for (const [name, make, code] of cases) {
    it(`${name} → close ${code}; the board and its clients carry on`, async () => {
      const b = board()
      const { witness, peer } = await boardWithWitness(b)
      const closed = await sendRaw(b, make())
      expect(closed.code).toBe(code)
      witness.doc.getMap('m').set('after', 1)
      await waitFor(() => peer.doc.getMap('m').get('after') === 1)
      expect(witness.closes).toEqual([])
      await boardStillWorks(b, name)
    })
  }

  it('random bytes (10 seeded frames) → 4400 each; the board and its clients carry on', async () => {
    const b = board()
    const { witness, peer } = await boardWithWitness(b)
    for (let seed = 1; seed <= 10; seed++) {
      const closed = await sendRaw(b, [randomBytes(seed, 16 + seed * 37)])
      expect(closed.code, `seed ${seed}`).toBe(CloseCode.MALFORMED_MESSAGE)
    }
    witness.doc.getMap('m').set('after', 1)
    await waitFor(() => peer.doc.getMap('m').get('after') === 1)
    await boardStillWorks(b, 'random')
  })

  it('a text frame → 4400', async () => {
    const b = board()
    await boardWithWitness(b)
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.wsUrl}/${b}`)
      ws.on('open', () => ws.send('hello'))
      ws.on('close', (code) => resolve(code))
      ws.on('error', () => {})
    })
    expect(closed).toBe(CloseCode.MALFORMED_MESSAGE)
    await boardStillWorks(b, 'text')
  })
})

describe('liveness', () => {
  it('a socket that stops answering pings is dropped; a live client stays', async () => {
    const s = await startTestServer({ config: { pingIntervalMs: 100 } })
    try {
      const live = connectClient(s.wsUrl, 'ping-board')
      await live.whenSynced()
      const deaf = new WebSocket(`${s.wsUrl}/ping-board`, { autoPong: false })
      const closed = new Promise<number>((resolve) => deaf.on('close', (code) => resolve(code)))
      deaf.on('error', () => {})
      await waitFor(() => s.server.rooms.stats().connections === 2)
      expect(await closed).toBe(1006)
      await waitFor(() => s.server.rooms.stats().connections === 1)
      await new Promise((r) => setTimeout(r, 300))
      expect(live.closes).toEqual([])
      expect(live.provider.wsconnected).toBe(true)
    } finally {
      await s.close()
    }
  })
})
