import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createPrometheusMonitoring, type ServerMonitoring } from '../../server/src/ops/prometheus.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard, createMeeting, waitForClose, type BoardClient } from './meetingServer.ts'

const STAFF = 'staff-token-for-metrics-tests-0123456789'
const note = (id: string) => ({ id, typeName: 'shape', type: 'note', x: 0, y: 0, isLocked: false, meta: {}, props: { text: id } })

const servers: Array<MeetingTestServer | ChildServer> = []
const clients: BoardClient[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of servers.splice(0)) {
    if ('close' in s) await s.close()
    else {
      s.kill('SIGTERM')
      await s.exited
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const connect = (wsUrl: string, id: string, key: string) => {
  const c = connectBoard(wsUrl, id, key)
  clients.push(c)
  return c
}

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

async function start(isReady?: () => boolean): Promise<{ s: MeetingTestServer; monitoring: ServerMonitoring }> {
  let s: MeetingTestServer | null = null
  const monitoring = createPrometheusMonitoring({ version: 'test', rooms: () => s!.server.rooms.stats() })
  s = await startMeetingTestServer({ adminToken: STAFF, monitoring, isReady })
  servers.push(s)
  return { s, monitoring }
}

const scrape = async (baseUrl: string, token = STAFF) => {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

describe('GET /metrics, /healthz, /readyz', () => {
  it('reports boards, connections by role, relayed updates, append latency, awareness, closes by code and REST routes; no key in any label', async () => {
    const { s } = await start()
    const m = await createMeeting(s.httpUrl, { title: 'Metriche' }, STAFF)
    const facilitator = connect(s.wsUrl, m.meeting.id, m.keys.facilitator)
    const participant = connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await Promise.all([facilitator.synced, participant.synced])
    for (let i = 0; i < 5; i++) participant.records.set(`shape:m${i}`, note(`shape:m${i}`))
    await waitFor(() => facilitator.records.get('shape:m4') !== undefined, 5000, 'relayed')
    participant.provider.awareness.setLocalStateField('user', { name: 'Giulia' })
    await waitForClose(connect(s.wsUrl, m.meeting.id, 'A'.repeat(32)), CloseCode.UNAUTHORIZED)
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: m.keys.viewer })).status).toBe(200)
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: 'wrong' })).status).toBe(401)

    expect((await scrape(s.httpUrl, 'wrong')).status).toBe(401)
    expect((await fetch(`${s.httpUrl}/metrics`)).status).toBe(401)
    const text = await waitFor(async () => {
      const r = await scrape(s.httpUrl)
      return (sample(r.text, 'tavolo_awareness_messages_total') ?? 0) > 0 ? r : undefined
    }, 5000, 'awareness counted')
    expect(text.status).toBe(200)
    expect(text.type).toMatch(/^text\/plain; version=0\.0\.4/)
    const t = text.text
    expect(sample(t, 'tavolo_boards_loaded')).toBe(1)
    expect(sample(t, 'tavolo_connections{role="facilitator"}')).toBe(1)
    expect(sample(t, 'tavolo_connections{role="participant"}')).toBe(1)
    expect(sample(t, 'tavolo_updates_relayed_total')).toBeGreaterThanOrEqual(5)
    expect(sample(t, 'tavolo_relayed_update_bytes_total')).toBeGreaterThan(100)
    expect(sample(t, 'tavolo_append_duration_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(sample(t, 'tavolo_connection_closes_total{code="4401"}')).toBe(1)
    expect(sample(t, 'tavolo_http_requests_total{method="POST",route="/api/meetings",status="201"}')).toBe(1)
    expect(sample(t, 'tavolo_http_requests_total{method="GET",route="/api/meetings/:id",status="200"}')).toBe(1)
    expect(sample(t, 'tavolo_http_requests_total{method="GET",route="/api/meetings/:id",status="401"}')).toBe(1)
    expect(sample(t, 'tavolo_http_requests_total{method="GET",route="/metrics",status="401"}')).toBe(2)
    expect(t).toMatch(/^process_cpu_user_seconds_total /m)
    expect(t).toMatch(/^nodejs_heap_size_used_bytes /m)
    // Keys, the staff token, the meeting id and what people typed never appear
    for (const secret of [m.keys.facilitator, m.keys.participant, m.keys.viewer, STAFF, m.meeting.id, 'Giulia', 'A'.repeat(32)]) {
      expect(t.includes(secret), secret).toBe(false)
    }

    // closes by code: the participant leaves
    participant.destroy()
    await waitFor(async () => sample((await scrape(s.httpUrl)).text, 'tavolo_connections{role="participant"}') === 0, 5000, 'participant gone')
  })

  it('Q3: wrong tokens on /metrics count toward the same per-address budget as the REST routes; past it, 429 to every wrong token', async () => {
    const { s } = await start()
    const limit = s.config.authFailureLimit
    for (let i = 0; i < limit; i++) {
      const wrong = await scrape(s.httpUrl, `wrong-${i}`)
      expect(wrong.status).toBe(401)
    }
    for (const path of ['/metrics', '/api/meetings']) {
      const over = await fetch(`${s.httpUrl}${path}`, { headers: { authorization: `Bearer wrong-on-${path}` } })
      expect(over.status).toBe(429)
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(((await over.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    }
    // Only failures are throttled: the staff token keeps scraping and creating from that address.
    expect((await fetch(`${s.httpUrl}/metrics`, { headers: { authorization: `Bearer ${STAFF}` } })).status).toBe(200)
    expect((await api(s.httpUrl, 'POST', '/api/meetings', { body: { title: 'Dopo' }, token: STAFF })).status).toBe(201)
    // No token is no guess: 401 naming what to send.
    expect((await fetch(`${s.httpUrl}/metrics`)).status).toBe(401)
  })

  it('/healthz is liveness, /readyz says whether the database answers', async () => {
    let dbAnswers = true
    const { s } = await start(() => {
      if (!dbAnswers) throw new Error('SQLITE_IOERR')
      return true
    })
    expect((await api(s.httpUrl, 'GET', '/healthz')).body.status).toBe('ok')
    expect(await api(s.httpUrl, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } })
    dbAnswers = false
    expect(await api(s.httpUrl, 'GET', '/readyz')).toMatchObject({ status: 503, body: { status: 'not ready' } })
    expect((await api(s.httpUrl, 'GET', '/healthz')).status).toBe(200)
  })

  it('the real server (npm start wiring) counts group commits and their fsync; METRICS_PORT serves /metrics alone, without a token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-metrics-'))
    dirs.push(dataDir)
    const child = await spawnServer({ dataDir, env: { ADMIN_TOKEN: STAFF } })
    servers.push(child)
    const m = await createMeeting(child.httpUrl, { title: 'Vero' }, STAFF)
    const c = connect(child.wsUrl, m.meeting.id, m.keys.participant)
    await c.synced
    c.records.set('shape:x', note('shape:x'))
    const t = await waitFor(async () => {
      const r = await scrape(child.httpUrl)
      return (sample(r.text, 'tavolo_group_commit_appends_count') ?? 0) > 0 ? r.text : undefined
    }, 5000, 'group commit counted')
    expect(sample(t, 'tavolo_commit_duration_seconds_count')).toBeGreaterThan(0)
    expect(sample(t, 'tavolo_build_info{version="0.1.0"}')).toBe(1)
    expect((await api(child.httpUrl, 'GET', '/readyz')).status).toBe(200)

    const dir2 = mkdtempSync(join(tmpdir(), 'tavolo-metrics-'))
    dirs.push(dir2)
    const own = await spawnServer({ dataDir: dir2, env: { ADMIN_TOKEN: STAFF, METRICS_PORT: '0' } })
    servers.push(own)
    const line = await waitFor(() => own.logs.find((l) => l.msg === 'metrics listening'), 5000, 'metrics port logged')
    expect(line.host).toBe('127.0.0.1')
    const res = await fetch(`http://127.0.0.1:${line.port as number}/metrics`)
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/^tavolo_boards_loaded 0$/m)
    expect((await fetch(`http://127.0.0.1:${line.port as number}/api/meetings`)).status).toBe(404)
    expect((await scrape(own.httpUrl)).status).toBe(404)
  })
})
