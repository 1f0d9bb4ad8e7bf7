/**
 * Issue 8, "what must hold": security headers on every HTTP response, the Host allow-list when PUBLIC_URL is set
 * (DNS rebinding), and the quotas with their defaults overridden small: connections per key and per client address
 * (close 4429, slots released on close), meetings created per minute, wrong tokens per client address (429 +
 * Retry-After; one budget for the meetings, versions, import and report routes), the paginated staff list. X-Forwarded-For counts only through TRUST_PROXY.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import WebSocket from 'ws'
import type { Config } from '../../server/src/config.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, createMeeting } from './meetingServer.ts'

const servers: MeetingTestServer[] = []
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate()
  for (const s of servers.splice(0)) await s.close()
})

async function start(config: Partial<Config> = {}, publicUrl: string | null = null): Promise<MeetingTestServer> {
  const s = await startMeetingTestServer({ config, publicUrl })
  servers.push(s)
  return s
}

/** A raw HTTP request with any Host header (fetch does not let us choose it). */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** An upgrade attempt with chosen headers: the HTTP status of a refused upgrade, or the close code after opening. */
function openSocket(url: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number; body?: string; ws: WebSocket }> {
  const ws = new WebSocket(url, { headers })
  sockets.push(ws)
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ opened: true, ws }))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ opened: false, status: res.statusCode, body, ws }))
    })
    ws.once('error', () => resolve({ opened: false, ws }))
  })
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

const EXPECTED_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
}

describe('security headers', () => {
  it('are on every kind of HTTP response: health, config, API answers and errors, the page, assets, 404s', async () => {
    const clientDir = mkdtempSync(join(tmpdir(), 'tavolo-client-'))
    mkdirSync(join(clientDir, 'assets'))
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>t</title>')
    writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log(1)')
    onTestFinished(() => rmSync(clientDir, { recursive: true, force: true }))
    const withClient = await start({ clientDir })
    const m = await createMeeting(withClient.httpUrl, { title: 'h' })
    const urls = [
      '/healthz',
      '/api/config',
      '/api/meetings',
      `/api/meetings/${m.meeting.id}`,
      '/api/nothing',
      '/',
      `/board/${m.meeting.id}`,
      '/assets/app.js',
      '/assets/missing.js',
    ]
    for (const path of urls) {
      const res = await fetch(`${withClient.httpUrl}${path}`)
      for (const [name, value] of Object.entries(EXPECTED_HEADERS)) expect(res.headers.get(name), `${name} on ${path}`).toBe(value)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("script-src 'self';")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).toContain(`ws://127.0.0.1:${withClient.port}`)
    }
    // A refused upgrade is an HTTP answer too.
    const refused = await openSocket(`${withClient.wsUrl}/not%20a%20board`)
    expect(refused.status).toBe(400)
  })

  it('a request the HTTP parser cannot read still gets a 400 with the headers', async () => {
    const s = await start()
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(s.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'))
      let text = ''
      socket.on('data', (d) => (text += d.toString()))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer).toContain('X-Content-Type-Options: nosniff')
  })

  it('never echoes a Host header that is not a plain host[:port] into the policy', async () => {
    const s = await start()
    const res = await rawGet(s.port, '/healthz', { host: "evil; script-src 'unsafe-inline'" })
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'; ")
    expect(csp).toContain("connect-src 'self' data: blob:; ")
    expect(csp).not.toContain('evil')
  })
})

describe('Host allow-list (PUBLIC_URL set)', () => {
  it('refuses another Host with 421 and a message, on requests and WebSocket upgrades; allows its own, ALLOWED_HOSTS and loopback', async () => {
    const s = await start({ allowedHosts: ['tavolo.lan'] }, 'https://tavolo.comune.example.it')
    const m = await createMeeting(s.httpUrl, { title: 'dns' })
    const evil = await rawGet(s.port, '/api/config', { host: 'attacker.example:8080' })
    expect(evil.status).toBe(421)
    expect(JSON.parse(evil.body).error).toMatchObject({ code: 'misdirected_request', message: expect.stringContaining('PUBLIC_URL') })
    expect(evil.headers['x-content-type-options']).toBe('nosniff')
    for (const host of ['tavolo.comune.example.it', 'TAVOLO.comune.example.it:443', 'tavolo.lan:8080', 'localhost:8080', `127.0.0.1:${s.port}`, '[::1]:8080']) {
      expect((await rawGet(s.port, '/healthz', { host })).status, host).toBe(200)
    }
    const url = `${s.wsUrl}/${m.meeting.id}?k=${m.keys.participant}`
    const refused = await openSocket(url, { host: 'attacker.example' })
    expect(refused).toMatchObject({ opened: false, status: 421 })
    expect(refused.body).toContain('PUBLIC_URL')
    expect((await openSocket(url, { host: 'tavolo.comune.example.it' })).opened).toBe(true)
  })

  it('refuses a WebSocket upgrade from a page of another site with 403; PUBLIC_URL\'s origin, ALLOWED_HOSTS, loopback and no Origin are allowed', async () => {
    const s = await start({ allowedHosts: ['tavolo.lan'] }, 'https://tavolo.comune.example.it')
    const m = await createMeeting(s.httpUrl, { title: 'origini' })
    const url = `${s.wsUrl}/${m.meeting.id}?k=${m.keys.participant}`
    for (const origin of ['https://attacker.example', 'http://tavolo.comune.example.it', 'https://tavolo.comune.example.it.attacker.example', 'null', 'file://']) {
      const refused = await openSocket(url, { origin })
      expect(refused, origin).toMatchObject({ opened: false, status: 403 })
      expect(refused.body).toContain('another site')
    }
    for (const origin of ['https://tavolo.comune.example.it', 'http://tavolo.lan:8080', 'http://localhost:5173', `http://127.0.0.1:${s.port}`, 'http://[::1]:8080']) {
      const allowed = await openSocket(url, { origin })
      expect(allowed.opened, origin).toBe(true)
      allowed.ws.close()
    }
    // stock y-websocket in Node, scripts: no Origin at all
    expect((await openSocket(url)).opened).toBe(true)
  })

  it('without PUBLIC_URL every Host is served (a LAN workshop reaches the server by whatever address it has)', async () => {
    const s = await start()
    expect((await rawGet(s.port, '/healthz', { host: '192.168.1.20:8080' })).status).toBe(200)
    const m = await createMeeting(s.httpUrl, { title: 'lan' })
    expect((await openSocket(`${s.wsUrl}/${m.meeting.id}?k=${m.keys.participant}`, { origin: 'http://192.168.1.20:8080' })).opened).toBe(true)
  })
})

describe('connection quotas (Q1)', () => {
  it('per key: the connection over the limit is closed with 4429; closing one gives its slot back', async () => {
    const s = await start({ maxConnectionsPerKey: 2, maxConnectionsPerAddress: 100 })
    const m = await createMeeting(s.httpUrl, { title: 'q' })
    const url = `${s.wsUrl}/${m.meeting.id}?k=${m.keys.participant}`
    const a = await openSocket(url)
    const b = await openSocket(url)
    expect(a.opened && b.opened).toBe(true)
    const c = await openSocket(url)
    expect(await closeOf(c.ws)).toEqual({ code: 4429, reason: 'too many connections with this key' })
    // Another key of the same meeting has its own count.
    expect((await openSocket(`${s.wsUrl}/${m.meeting.id}?k=${m.keys.viewer}`)).opened).toBe(true)
    a.ws.close()
    await waitFor(() => s.server.rooms.stats().connections === 2)
    const d = await openSocket(url)
    expect(d.opened).toBe(true)
    const closed = await Promise.race([closeOf(d.ws), new Promise<null>((r) => setTimeout(() => r(null), 300))])
    expect(closed).toBeNull()
    // A socket that dies without a closing handshake gives its slot back too.
    b.ws.terminate()
    await waitFor(() => s.server.rooms.stats().connections === 2)
    expect((await openSocket(url)).opened).toBe(true)
    const over = await openSocket(url)
    expect((await closeOf(over.ws)).code).toBe(4429)
  })

  it('per client address, with X-Forwarded-For counted only from a trusted proxy (TRUST_PROXY)', async () => {
    const s = await start({ maxConnectionsPerKey: 100, maxConnectionsPerAddress: 2 })
    const m = await createMeeting(s.httpUrl, { title: 'q' })
    const url = `${s.wsUrl}/${m.meeting.id}?k=${m.keys.participant}`
    // Behind a proxy on loopback (the default TRUST_PROXY): each forwarded address has its own count.
    expect((await openSocket(url, { 'x-forwarded-for': '10.0.0.1' })).opened).toBe(true)
    expect((await openSocket(url, { 'x-forwarded-for': '10.0.0.1' })).opened).toBe(true)
    const third = await openSocket(url, { 'x-forwarded-for': '10.0.0.1' })
    expect(await closeOf(third.ws)).toEqual({ code: 4429, reason: 'too many connections from this address' })
    expect((await openSocket(url, { 'x-forwarded-for': '10.0.0.2' })).opened).toBe(true)

    const untrusting = await start({ maxConnectionsPerKey: 100, maxConnectionsPerAddress: 2, trustProxy: [] })
    const n = await createMeeting(untrusting.httpUrl, { title: 'q' })
    const url2 = `${untrusting.wsUrl}/${n.meeting.id}?k=${n.keys.participant}`
    expect((await openSocket(url2, { 'x-forwarded-for': '10.0.0.1' })).opened).toBe(true)
    expect((await openSocket(url2, { 'x-forwarded-for': '10.0.0.2' })).opened).toBe(true)
    // A client cannot pick a fresh address by sending the header itself.
    const over = await openSocket(url2, { 'x-forwarded-for': '10.0.0.3' })
    expect((await closeOf(over.ws)).code).toBe(4429)
  })
})

describe('meetings created per minute (Q2)', () => {
  it('the one over MEETINGS_PER_MINUTE gets 429 with Retry-After; nothing is created', async () => {
    const s = await start({ meetingsPerMinute: 3 })
    for (let i = 0; i < 3; i++) await createMeeting(s.httpUrl, { title: `m${i}` })
    const res = await api(s.httpUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, body: { title: 'troppi' } })
    expect(res.status).toBe(429)
    expect(res.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('MEETINGS_PER_MINUTE') })
    const retry = Number(res.headers.get('retry-after'))
    expect(retry).toBeGreaterThanOrEqual(1)
    expect(retry).toBeLessThanOrEqual(60)
    expect((await api(s.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings).toHaveLength(3)
  })

  it('import and copy create meetings through the same factory and spend the same quota (M5)', async () => {
    const s = await start({ meetingsPerMinute: 3 })
    const staff = { token: TEST_STAFF_TOKEN }
    const m = await createMeeting(s.httpUrl, { title: 'origine' })
    const id = m.meeting.id
    expect((await api(s.httpUrl, 'POST', `/api/meetings/${id}/versions`, { ...staff, body: { label: 'prima' } })).status).toBe(201)
    const file = (await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions/1/export`, staff)).body
    expect((await api(s.httpUrl, 'POST', '/api/meetings/import', { ...staff, body: file })).status).toBe(201)
    expect((await api(s.httpUrl, 'POST', `/api/meetings/${id}/versions/1/copy`, { ...staff, body: {} })).status).toBe(201)
    for (const [path, body] of [
      ['/api/meetings/import', file],
      [`/api/meetings/${id}/versions/1/copy`, {}],
      ['/api/meetings', { title: 'troppi' }],
    ] as const) {
      const res = await api(s.httpUrl, 'POST', path, { ...staff, body })
      expect(res.status, path).toBe(429)
      expect(res.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('MEETINGS_PER_MINUTE') })
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    }
    // nothing was created by the refused ones: the three meetings, and no stray board or version under a new id
    expect((await api(s.httpUrl, 'GET', '/api/meetings', staff)).body.meetings).toHaveLength(3)
  })
})

describe('wrong tokens per client address (Q3)', () => {
  it('after AUTH_FAILURE_LIMIT wrong tokens the address gets 429 + Retry-After for wrong tokens only; the right staff token, meeting keys and other addresses are not affected', async () => {
    const s = await start({ authFailureLimit: 3, authFailureWindowMs: 60_000 })
    const m = await createMeeting(s.httpUrl, { title: 'w' })
    const from = (address: string) => ({ 'x-forwarded-for': address })
    const call = (token: string, address: string, path = '/api/meetings') =>
      fetch(`${s.httpUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...from(address) } })
    expect((await call('wrong-1', '10.1.1.1')).status).toBe(401)
    expect((await call('wrong-2', '10.1.1.1', `/api/meetings/${m.meeting.id}`)).status).toBe(401)
    expect((await call('wrong-3', '10.1.1.1')).status).toBe(401)
    for (const [token, path] of [
      ['wrong-4', '/api/meetings'],
      ['wrong-5', `/api/meetings/${m.meeting.id}`],
    ] as const) {
      const res = await call(token, '10.1.1.1', path)
      expect(res.status, token).toBe(429)
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    }
    // Q3: only failures are throttled. Ten wrong tokens from the venue's shared address do not lock the staff out.
    expect((await call(TEST_STAFF_TOKEN, '10.1.1.1')).status).toBe(200)
    expect((await call(TEST_STAFF_TOKEN, '10.1.1.1', `/api/meetings/${m.meeting.id}`)).status).toBe(200)
    expect((await call('wrong-6', '10.1.1.1')).status).toBe(429)
    // Participants behind the same (NAT) address keep opening their meetings with their keys.
    expect((await call(m.keys.participant, '10.1.1.1', `/api/meetings/${m.meeting.id}`)).status).toBe(200)
    expect((await call(m.keys.facilitator, '10.1.1.1', `/api/meetings/${m.meeting.id}`)).status).toBe(200)
    expect((await call(TEST_STAFF_TOKEN, '10.1.1.2')).status).toBe(200)
    // A missing token is not a guess: it is not counted.
    for (let i = 0; i < 5; i++) expect((await fetch(`${s.httpUrl}/api/meetings`, { headers: from('10.1.1.3') })).status).toBe(401)
    expect((await call(TEST_STAFF_TOKEN, '10.1.1.3')).status).toBe(200)
  })

  /** One request from `address` with a bearer token; JSON bodies for the POSTs. */
  const from = (s: MeetingTestServer, address: string) => async (method: string, path: string, token: string) => {
    const res = await fetch(`${s.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      body: method === 'POST' ? JSON.stringify(path === '/api/meetings' ? { title: 'nuovo' } : path.endsWith('/versions') ? { label: 'Prima stesura' } : {}) : undefined,
    })
    const body = (await res.json()) as { error?: { code: string; message: string } }
    return { status: res.status, retryAfter: Number(res.headers.get('retry-after')), code: body.error?.code }
  }
  /** The routers under /api/meetings, each with a route that takes the staff token. */
  const staffRoutes = (id: string): Array<[string, string]> => [
    ['POST', '/api/meetings'],
    ['GET', `/api/meetings/${id}`],
    ['POST', '/api/meetings/import'],
    ['GET', `/api/meetings/${id}/versions`],
    ['POST', `/api/meetings/${id}/versions`],
    ['GET', `/api/meetings/${id}/report?version=live&format=json`],
  ]

  it('wrong tokens on the versions and report routes count toward the same budget; past it every router answers 429 to wrong tokens, the staff token and meeting keys still work', async () => {
    const s = await start({ authFailureLimit: 3, authFailureWindowMs: 60_000 })
    const m = await createMeeting(s.httpUrl, { title: 'w' })
    const id = m.meeting.id
    const call = from(s, '10.2.2.1')
    // One wrong staff token on the import route, two wrong keys on a versions and a report route.
    expect(await call('POST', '/api/meetings/import', 'wrong-1')).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(await call('GET', `/api/meetings/${id}/versions`, 'wrong-2')).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(await call('GET', `/api/meetings/${id}/report?version=live`, 'wrong-3')).toMatchObject({ status: 401, code: 'unauthorized' })
    for (const [method, path] of staffRoutes(id)) {
      const res = await call(method, path, 'wrong-4')
      expect(res, `${method} ${path}`).toMatchObject({ status: 429, code: 'rate_limited' })
      expect(res.retryAfter, `${method} ${path}`).toBeGreaterThan(0)
      expect((await call(method, path, TEST_STAFF_TOKEN)).status, `${method} ${path} staff`).not.toBe(429)
    }
    // The venue behind that address keeps its boards: keys of the meeting are never throttled.
    expect((await call('GET', `/api/meetings/${id}/versions`, m.keys.facilitator)).status).toBe(200)
    // 200: the staff token's save above already made the version of this unchanged board
    expect((await call('POST', `/api/meetings/${id}/versions`, m.keys.facilitator)).status).toBe(200)
    expect((await call('GET', `/api/meetings/${id}/report?version=live&format=json`, m.keys.facilitator)).status).toBe(200)
    // A participant is known, only not allowed (versions visible to facilitators): 403, not 429.
    expect(await call('GET', `/api/meetings/${id}/report?version=live`, m.keys.participant)).toMatchObject({ status: 403, code: 'forbidden' })
    // A facilitator key is a key, not the staff token: copying still needs staff (403), and that is not a guess.
    expect(await call('POST', `/api/meetings/${id}/versions/1/copy`, m.keys.facilitator)).toMatchObject({ status: 403, code: 'forbidden' })
    // Another address is not affected.
    expect((await from(s, '10.2.2.2')('POST', '/api/meetings/import', TEST_STAFF_TOKEN)).code).toBe('invalid_body')
  })

  it('and the reverse: wrong tokens on the meetings routes throttle wrong tokens on the import, versions and report routes; the staff token passes', async () => {
    const s = await start({ authFailureLimit: 2, authFailureWindowMs: 60_000 })
    const m = await createMeeting(s.httpUrl, { title: 'w' })
    const id = m.meeting.id
    const call = from(s, '10.3.3.1')
    expect((await call('POST', '/api/meetings', 'wrong-1')).status).toBe(401)
    expect((await call('GET', `/api/meetings/${id}`, 'wrong-2')).status).toBe(401)
    for (const [method, path] of staffRoutes(id)) {
      const res = await call(method, path, 'wrong-3')
      expect(res, `${method} ${path}`).toMatchObject({ status: 429, code: 'rate_limited' })
      expect(res.retryAfter, `${method} ${path}`).toBeGreaterThan(0)
      expect((await call(method, path, TEST_STAFF_TOKEN)).status, `${method} ${path} staff`).not.toBe(429)
    }
    // The import refuses before it reads a body (up to IMPORT_MAX_BYTES): even one that is not JSON gets the 429.
    const unread = await fetch(`${s.httpUrl}/api/meetings/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong-4', 'x-forwarded-for': '10.3.3.1', 'content-type': 'application/json' },
      body: '{ not json',
    })
    expect(unread.status).toBe(429)
    expect((await call('GET', `/api/meetings/${id}/report?version=live&format=json`, m.keys.facilitator)).status).toBe(200)
    expect((await call('GET', `/api/meetings/${id}/versions`, m.keys.facilitator)).status).toBe(200)
  })

  it('a missing token is not counted on the versions, import and report routes; a wrong one is', async () => {
    const s = await start({ authFailureLimit: 2, authFailureWindowMs: 60_000 })
    const m = await createMeeting(s.httpUrl, { title: 'w' })
    const id = m.meeting.id
    const headers = { 'x-forwarded-for': '10.4.4.1' }
    for (const path of [`/api/meetings/${id}/versions`, `/api/meetings/${id}/report`]) {
      for (let i = 0; i < 3; i++) expect((await fetch(`${s.httpUrl}${path}`, { headers })).status).toBe(401)
    }
    for (let i = 0; i < 3; i++) expect((await fetch(`${s.httpUrl}/api/meetings/import`, { method: 'POST', headers })).status).toBe(401)
    const call = from(s, '10.4.4.1')
    expect((await call('GET', `/api/meetings/${id}/versions`, TEST_STAFF_TOKEN)).status).toBe(200)
    expect((await call('GET', `/api/meetings/${id}/report?version=live`, 'wrong-1')).status).toBe(401)
    expect((await call('POST', '/api/meetings/import', TEST_STAFF_TOKEN)).code).toBe('invalid_body')
    expect((await call('GET', `/api/meetings/${id}/versions`, 'wrong-2')).status).toBe(401)
    expect(await call('GET', `/api/meetings/${id}/report?version=live&format=json`, 'wrong-3')).toMatchObject({ status: 429, code: 'rate_limited' })
    expect((await call('GET', `/api/meetings/${id}/report?version=live&format=json`, TEST_STAFF_TOKEN)).status).toBe(200)
  })
})

describe('the staff list, a page at a time (Q4)', () => {
  it('limit and cursor walk every meeting once, newest first, even when one is created between pages', async () => {
    const s = await start()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.unshift((await createMeeting(s.httpUrl, { title: `m${i}` })).meeting.id)
    const page = (query: string) => api(s.httpUrl, 'GET', `/api/meetings${query}`, { token: TEST_STAFF_TOKEN })
    const first = await page('?limit=2')
    expect(first.body.meetings.map((e: { meeting: { id: string } }) => e.meeting.id)).toEqual(ids.slice(0, 2))
    expect(typeof first.body.nextCursor).toBe('string')
    await createMeeting(s.httpUrl, { title: 'nuovo nel frattempo' })
    const second = await page(`?limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.meetings.map((e: { meeting: { id: string } }) => e.meeting.id)).toEqual(ids.slice(2, 4))
    const third = await page(`?limit=2&cursor=${second.body.nextCursor}`)
    expect(third.body.meetings.map((e: { meeting: { id: string } }) => e.meeting.id)).toEqual(ids.slice(4))
    expect(third.body.nextCursor).toBeNull()
    expect((await page('')).body.meetings).toHaveLength(6)
  })

  it('refuses a bad limit or cursor with 400 invalid_query naming it', async () => {
    const s = await start()
    for (const [query, name] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=1&limit=2', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
    ] as const) {
      const res = await api(s.httpUrl, 'GET', `/api/meetings${query}`, { token: TEST_STAFF_TOKEN })
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('invalid_query')
      expect(res.body.error.message).toMatch(new RegExp(`^${name}:`))
    }
  })
})
