/**
 * Hostile request bodies (issue 17, finding 2; meetings SPEC B1..B6) against the real server entry point in a child
 * process, so that a stalled event loop shows as a slow /healthz measured from this process while the attack runs.
 * Every attack is followed by honest clients whose requests still work.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { api, createMeeting } from './meetingServer.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'

/**
 * /healthz while an attack runs: 95 % of the probes within 200 ms (the issue's budget), and none over 1 s. The
 * machine runs several test suites at once (load average above 10 on 2 cores): a single probe can wait a few hundred
 * ms for a core with nothing stalled. The code before the fix failed both by far (a 10 s stall per request; p99 near
 * 1 s under small bodies in a loop).
 */
const HEALTH_P95_MS = 200
const HEALTH_MAX_MS = 1000

function expectHealthy(latencies: number[]): void {
  const sorted = [...latencies].sort((x, y) => x - y)
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!
  const max = sorted.at(-1)!
  const summary = `/healthz over ${sorted.length} probes: p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms`
  console.log(summary)
  expect(sorted.length, summary).toBeGreaterThan(1)
  expect(p95, summary).toBeLessThan(HEALTH_P95_MS)
  expect(max, summary).toBeLessThan(HEALTH_MAX_MS)
}

let server: ChildServer
let dataDir: string
let meeting: CreateMeetingResponse

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tavolo-bodies-'))
  server = await spawnServer({ dataDir, env: { MEETINGS_PER_MINUTE: '1000', AUTH_FAILURE_LIMIT: '100000' } })
  meeting = await createMeeting(server.httpUrl, { title: 'Corpi ostili' })
}, 60_000)

afterAll(async () => {
  agent.destroy()
  server?.kill('SIGKILL')
  await server?.exited
  rmSync(dataDir, { recursive: true, force: true })
})

interface Answer {
  status: number
  code: string | undefined
  message: string
}

/**
 * Keep-alive, as browsers do: with `Connection: close` a server that answers before reading a large body closes a
 * socket with unread bytes, and the client's TCP stack may drop the answer (RST). With keep-alive Tavolo drains.
 */
const agent = new Agent({ keepAlive: true })

/** One request with exactly these headers and bytes; resolves at the answer, even when the server stops reading. */
function send(method: string, path: string, headers: Record<string, string>, body: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, agent, headers: { 'content-length': String(bytes.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString()
          let parsed: { error?: { code?: string; message?: string } } = {}
          try {
            parsed = JSON.parse(text) as typeof parsed
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, code: parsed.error?.code, message: parsed.error?.message ?? text })
        })
      },
    )
    // the server may answer and close before it read everything we send: the answer is what counts
    req.on('error', (error) => setTimeout(() => reject(error), 2000).unref())
    req.end(bytes)
  })
}

const json = (token?: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  ...extra,
})

/** Probes /healthz back to back from this process until stop(); returns every latency in ms. */
function probeHealth(): { stop(): Promise<number[]> } {
  let running = true
  const samples: number[] = []
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      try {
        const res = await fetch(`${server.httpUrl}/healthz`, { signal: AbortSignal.timeout(20_000) })
        await res.arrayBuffer()
        samples.push(res.status === 200 ? performance.now() - started : Number.POSITIVE_INFINITY)
      } catch {
        samples.push(Number.POSITIVE_INFINITY)
      }
      await new Promise((r) => setTimeout(r, 5))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return samples
    },
  }
}

/** Runs `attack` `times` times, `parallel` at once, while /healthz is probed; returns the answers and the latencies. */
async function underProbe(times: number, parallel: number, attack: (i: number) => Promise<Answer>) {
  const probe = probeHealth()
  // let the probe take a first sample of the idle server
  await new Promise((r) => setTimeout(r, 50))
  const answers: Answer[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < times) answers.push(await attack(next++))
    }),
  )
  const latencies = await probe.stop()
  return { answers, latencies }
}

/** Honest clients after an attack: a facilitator saves a version and changes the meeting, staff create one. */
async function honestClientsWork(label: string): Promise<void> {
  const id = meeting.meeting.id
  const saved = await api(server.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token: meeting.keys.facilitator, body: { label } })
  expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300)
  const patched = await api(server.httpUrl, 'PATCH', `/api/meetings/${id}`, { token: meeting.keys.facilitator, body: { place: label } })
  expect(patched.status).toBe(200)
  expect(patched.body.meeting.place).toBe(label)
  expect((await api(server.httpUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, body: { title: label } })).status).toBe(201)
}

/** JSON nested `depth` levels deep: `[[[...]]]`. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('B1: every route that takes a body checks who calls before it reads a byte of it', () => {
  /** Sends the headers of a 1 MB body and none of it: only a route that answers before reading can answer. */
  const answerWithoutBody = (method: string, path: string, token: string | null): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(server.port, '127.0.0.1')
      let text = ''
      const timer = setTimeout(() => {
        socket.destroy()
        resolve('no answer: the server waited for the body')
      }, 3000)
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1')
        if (text.includes('\r\n')) {
          clearTimeout(timer)
          socket.destroy()
          resolve(text.slice(0, text.indexOf('\r\n')))
        }
      })
      socket.on('error', () => undefined)
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n` +
          `${token === null ? '' : `Authorization: Bearer ${token}\r\n`}\r\n{"label":`,
      )
    })

  it('unknown meeting 404, no or wrong token 401, role not allowed 403: answered while the body is still unsent', async () => {
    const id = meeting.meeting.id
    const routes: Array<[string, string]> = [
      ['PATCH', `/api/meetings/${id}`],
      ['POST', `/api/meetings/${id}/versions`],
      ['POST', `/api/meetings/${id}/close-session`],
      ['POST', `/api/meetings/${id}/versions/1/restore`],
      ['POST', `/api/meetings/${id}/versions/1/copy`],
      ['PUT', `/api/meetings/${id}/versions/1/images`],
    ]
    for (const [method, path] of routes) {
      expect(await answerWithoutBody(method, path, null), `${method} ${path} no token`).toBe('HTTP/1.1 401 Unauthorized')
      expect(await answerWithoutBody(method, path, 'wrong-key'), `${method} ${path} wrong`).toBe('HTTP/1.1 401 Unauthorized')
      expect(await answerWithoutBody(method, path, meeting.keys.participant), `${method} ${path} participant`).toBe('HTTP/1.1 403 Forbidden')
      const unknown = path.replace(id, 'AAAAAAAAAAAAAAAA')
      expect(await answerWithoutBody(method, unknown, meeting.keys.facilitator), `${method} ${unknown}`).toBe('HTTP/1.1 404 Not Found')
    }
    // copy creates a meeting: a facilitator key is known, but only staff may (403 before the body)
    expect(await answerWithoutBody('POST', `/api/meetings/${id}/versions/1/copy`, meeting.keys.facilitator)).toBe('HTTP/1.1 403 Forbidden')
    for (const path of ['/api/meetings', '/api/meetings/import']) {
      expect(await answerWithoutBody('POST', path, null), path).toBe('HTTP/1.1 401 Unauthorized')
      expect(await answerWithoutBody('POST', path, meeting.keys.facilitator), path).toBe('HTTP/1.1 401 Unauthorized')
    }
  })
})

describe('B2: compressed bodies', () => {
  it('a 33-byte brotli bomb to the images route of any meeting id: 404 unread, healthz answers throughout', async () => {
    const bomb = brotliCompressSync(Buffer.from(nested(5_000_000)))
    expect(bomb.length).toBeLessThan(64)
    const headers = json(meeting.keys.facilitator, { 'content-encoding': 'br' })
    const { answers, latencies } = await underProbe(30, 3, (i) =>
      send('PUT', `/api/meetings/AAAAAAAAAAAAAA${String(i % 10).padStart(2, '0')}/versions/1/images`, headers, bomb),
    )
    expect(answers.every((a) => a.status === 404 && a.code === 'not_found'), JSON.stringify(answers[0])).toBe(true)
    expectHealthy(latencies)
    await honestClientsWork('dopo la bomba brotli')
  })

  it('the right key with a compressed body gets 415 naming the encoding, on every body route; nothing is inflated', async () => {
    const id = meeting.meeting.id
    const body = { label: 'compressa' }
    for (const [encoding, bytes] of [
      ['br', brotliCompressSync(JSON.stringify(body))],
      ['gzip', gzipSync(JSON.stringify(body))],
      ['deflate', gzipSync(JSON.stringify(body))],
    ] as const) {
      for (const [method, path, token] of [
        ['POST', `/api/meetings/${id}/versions`, meeting.keys.facilitator],
        ['PATCH', `/api/meetings/${id}`, meeting.keys.facilitator],
        ['POST', '/api/meetings', TEST_STAFF_TOKEN],
        ['POST', '/api/meetings/import', TEST_STAFF_TOKEN],
        ['PUT', `/api/meetings/${id}/versions/1/images`, meeting.keys.facilitator],
      ] as const) {
        const answer = await send(method, path, json(token, { 'content-encoding': encoding }), bytes)
        expect(answer, `${encoding} ${method} ${path}`).toMatchObject({ status: 415, code: 'unsupported_media_type' })
        expect(answer.message).toMatch(new RegExp(`compressed request bodies are not accepted \\(Content-Encoding: ${encoding}\\)`))
      }
    }
    // the bomb with the right key: refused by its header, also in a loop, without a stall
    const bomb = brotliCompressSync(Buffer.from(nested(5_000_000)))
    const { answers, latencies } = await underProbe(20, 2, () =>
      send('PUT', `/api/meetings/${id}/versions/1/images`, json(meeting.keys.facilitator, { 'content-encoding': 'br' }), bomb),
    )
    expect(answers.every((a) => a.status === 415)).toBe(true)
    expectHealthy(latencies)
    await honestClientsWork('dopo i corpi compressi')
  })
})

describe('B3, B4: size, depth and item limits per route', () => {
  it('10 MB bodies, without a key and with one: 401 unread, or 413 at the route limit; healthz answers throughout', async () => {
    const id = meeting.meeting.id
    const deep = Buffer.from(nested(5_000_000))
    const wide = Buffer.from(`{"label":"x","note":[${'1,'.repeat(5_000_000)}1]}`)
    const attacks: Array<() => Promise<Answer>> = [
      () => send('POST', `/api/meetings/${id}/versions`, json(), deep),
      () => send('POST', `/api/meetings/${id}/versions`, json('wrong-key'), wide),
      () => send('POST', `/api/meetings/${id}/versions`, json(meeting.keys.facilitator), deep),
      () => send('POST', `/api/meetings/${id}/versions`, json(meeting.keys.facilitator), wide),
      () => send('POST', '/api/meetings/import', json(TEST_STAFF_TOKEN), deep),
      () => send('POST', '/api/meetings', json(TEST_STAFF_TOKEN), wide),
    ]
    const { answers, latencies } = await underProbe(18, 3, (i) => attacks[i % attacks.length]!())
    const byAttack = (k: number) => answers.filter((_a, i) => i % attacks.length === k)
    expect(answers).toHaveLength(18)
    for (const answer of answers) expect([400, 401, 413]).toContain(answer.status)
    expectHealthy(latencies)
    expect(byAttack(0).length).toBeGreaterThan(0)
    await honestClientsWork('dopo i corpi da 10 MB')
  })

  it('each limit has its answer naming it: bytes 413, depth 400, items 413, a bare value 400 invalid_json', async () => {
    const id = meeting.meeting.id
    const facilitator = json(meeting.keys.facilitator)
    const save = (body: string) => send('POST', `/api/meetings/${id}/versions`, facilitator, body)
    expect(await save(JSON.stringify({ label: 'x', note: 'n'.repeat(70 * 1024) }))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      message: 'the body is larger than 65536 bytes, the most this route takes',
    })
    expect(await save('{"label":{"a":1}}')).toMatchObject({
      status: 400,
      code: 'invalid_body',
      message: 'the body nests objects and arrays deeper than 1 levels, the most this route takes',
    })
    expect(await save(`{"label":"x"${',"a":1'.repeat(20)}}`)).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      message: 'the body has more than 16 JSON items (objects, arrays and their members), the most this route takes',
    })
    expect(await save('null')).toMatchObject({ status: 400, code: 'invalid_json' })
    // brackets and commas inside strings are text, not structure: an honest label full of them passes
    expect((await save(JSON.stringify({ label: '[[[{,,,}]]] \\" [', note: ',{'.repeat(500) }))).status).toBeLessThan(300)
    // a meeting: one object with one array (organisations) at most
    const staff = json(TEST_STAFF_TOKEN)
    expect(await send('POST', '/api/meetings', staff, JSON.stringify({ title: 't', organisations: [['nested']] }))).toMatchObject({
      status: 400,
      message: expect.stringContaining('deeper than 2 levels'),
    })
    // images: { images: [{ frameId, svg }] }, nothing deeper
    expect(await send('PUT', `/api/meetings/${id}/versions/1/images`, facilitator, JSON.stringify({ images: [{ frameId: 'shape:a', svg: [[]] }] }))).toMatchObject({
      status: 400,
      message: expect.stringContaining('deeper than 3 levels'),
    })
    // the import: deep nesting refused before any parse
    expect(await send('POST', '/api/meetings/import', staff, `{"format":"tavolo-board","records":[${nested(40)}]}`)).toMatchObject({
      status: 400,
      message: expect.stringContaining('deeper than 32 levels'),
    })
  })

  it('small hostile bodies in a loop with the right key: every one refused, healthz answers throughout', async () => {
    const id = meeting.meeting.id
    const bodies = [nested(60_000), `{"label":"x","note":[${'0,'.repeat(30_000)}0]}`, `{"a":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_001)}`]
    const { answers, latencies } = await underProbe(300, 6, (i) =>
      send('POST', `/api/meetings/${id}/${i % 2 === 0 ? 'versions' : 'close-session'}`, json(meeting.keys.facilitator), bodies[i % bodies.length]!),
    )
    expect(answers.every((a) => a.status === 400 || a.status === 413), JSON.stringify(answers.find((a) => a.status >= 500 || a.status < 400))).toBe(true)
    expectHealthy(latencies)
    await honestClientsWork('dopo il ciclo di corpi piccoli')
  })
})
