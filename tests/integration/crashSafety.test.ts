/**
 * Crash safety (SPEC R2): whatever a participant saw relayed is on disk. Writers write continuously, an observer
 * records every key it receives (= relayed), the server is SIGKILLed at a random moment, every old client is thrown
 * away (a provider would resend its state and hide a loss), the server restarts on the same data dir, and a brand-new
 * client must find every observed key at its first sync. Repeated on one growing board, with small compaction
 * thresholds so that crashes also hit compactions.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { connectClient, destroyClients, type TestClient } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { boardKeys } from '../helpers/boardKeys.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'

const ROUNDS = 10
const WRITERS = 3
const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-crash-'))
const env = { COMPACT_AFTER_UPDATES: '40', RATE_LIMIT_MESSAGES: '1000000', ROOM_GRACE_MS: '100' }
let server: ChildServer | null = null

afterAll(async () => {
  destroyClients()
  if (server) {
    server.kill('SIGKILL')
    await server.exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

/** Keys present in a client's map at the moment it first synced. */
async function keysAtFirstSync(client: TestClient): Promise<Set<string>> {
  let keys: Set<string> | null = null
  const capture = (synced: boolean) => {
    if (synced && keys === null) keys = new Set(boardKeys(client.doc).keys())
  }
  client.provider.on('sync', capture)
  if (client.provider.synced) capture(true)
  await waitFor(() => keys, 30_000, 'new client did not sync')
  client.provider.off('sync', capture)
  return keys!
}

/** The production entry point serves meeting boards: create one over REST and use its participant key. */
async function createMeeting(httpUrl: string): Promise<{ board: string; key: string }> {
  const res = await fetch(`${httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Crash test' }),
  })
  expect(res.status).toBe(201)
  const body = (await res.json()) as { meeting: { id: string }; keys: { participant: string } }
  return { board: body.meeting.id, key: body.keys.participant }
}

// Writers write as fast as they can: the server keeps up only if a change to the records array costs what it changes
// (shared/src/board/RecordsKeyValue.ts; with YKeyValue's whole-array reads it fell minutes behind and never relayed).
it(`keeps every relayed key across ${ROUNDS} SIGKILLs at random moments`, { timeout: 400_000 }, async () => {
  server = await spawnServer({ dataDir, env, startTimeoutMs: 60_000 })
  const { board: BOARD, key } = await createMeeting(server.httpUrl)
  const params = { k: key }
  const allObserved = new Set<string>()
  const stats: string[] = []
  let random = 12345
  const nextRandom = () => {
    random = (random * 1103515245 + 12345) % 2147483648
    return random / 2147483648
  }

  for (let round = 0; round < ROUNDS; round++) {
    const observer = connectClient(server.wsUrl, BOARD, { params, maxBackoffTime: 60_000 })
    await observer.whenSynced()
    const observed = new Set<string>()
    const record = () => {
      for (const key of boardKeys(observer.doc).keys()) observed.add(key)
    }
    boardKeys(observer.doc).observe(record)
    record()

    const writers = Array.from({ length: WRITERS }, () => connectClient(server!.wsUrl, BOARD, { params, maxBackoffTime: 60_000 }))
    await Promise.all(writers.map((w) => w.whenSynced()))
    let written = 0
    let writing = true
    const loops = writers.map((w, wi) =>
      (async () => {
        let n = 0
        while (writing) {
          // A few keys per turn, in separate transactions: several updates per append batch.
          for (let j = 0; j < 3 && writing; j++) {
            boardKeys(w.doc).set(`r${round}-w${wi}-${n++}`, { round, at: Date.now() })
            written++
          }
          await new Promise((r) => setTimeout(r, 1))
        }
      })(),
    )
    const seenThisRound = () => [...observed].filter((k) => k.startsWith(`r${round}-`)).length
    await waitFor(() => seenThisRound() >= 20, 30_000, 'observer saw too few writes')
    await new Promise((r) => setTimeout(r, 50 + Math.floor(nextRandom() * 400)))

    const writtenBeforeKill = written
    const killed = server
    killed.kill('SIGKILL')
    await killed.exited
    writing = false
    await Promise.all(loops)
    // Frames the server sent before dying may still be in flight: wait until the observer's socket is closed.
    await waitFor(() => !observer.provider.wsconnected, 5000, 'observer still connected')
    record()
    for (const key of observed) allObserved.add(key)
    destroyClients()

    server = await spawnServer({ dataDir, env, startTimeoutMs: 60_000 })
    const fresh = connectClient(server.wsUrl, BOARD, { params })
    const found = await keysAtFirstSync(fresh)
    const missing = [...allObserved].filter((k) => !found.has(k))
    expect(missing, `round ${round}: relayed keys lost after SIGKILL`).toEqual([])
    const roundObserved = [...observed].filter((k) => k.startsWith(`r${round}-`)).length
    expect(roundObserved).toBeGreaterThan(0)
    stats.push(`round ${round}: written before kill ${writtenBeforeKill}, observed ${roundObserved}, on disk ${[...found].filter((k) => k.startsWith(`r${round}-`)).length}`)
    fresh.destroy()
  }
  console.log(stats.join('\n'))
})
