/**
 * Issue 11, "staff pages safe by default" (server/src/meetings/SPEC.md S1..S4): every REST route, with no token, a
 * wrong token, each key role and the staff token, in one table. Nobody with only network access, a participant
 * link or a viewer link can list meetings or read a facilitator link. Then the token the real entry point
 * generates when ADMIN_TOKEN is unset: kept in DATA_DIR with mode 0600, printed as a staff link, the same after a
 * restart; and a short ADMIN_TOKEN is refused at start.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { staffLink, STAFF_TOKEN_FILE } from '../../server/src/http/staffToken.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { api, connectBoard, createMeeting, waitForClose } from './meetingServer.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'

type Who = 'none' | 'wrong' | 'viewer' | 'participant' | 'facilitator' | 'staff'
const WHO: Who[] = ['none', 'wrong', 'viewer', 'participant', 'facilitator', 'staff']

interface Route {
  name: string
  method: string
  path: (m: CreateMeetingResponse) => string
  body?: unknown
  /** Expected status per credential. */
  expect: Record<Who, number>
}

const open = { none: 200, wrong: 200, viewer: 200, participant: 200, facilitator: 200, staff: 200 }
const staffOnly = { none: 401, wrong: 401, viewer: 401, participant: 401, facilitator: 401, staff: 200 }
const anyKey = { none: 401, wrong: 401, viewer: 200, participant: 200, facilitator: 200, staff: 200 }
const facilitatorOnly = { none: 401, wrong: 401, viewer: 403, participant: 403, facilitator: 200, staff: 200 }
const nowhere = { none: 404, wrong: 404, viewer: 404, participant: 404, facilitator: 404, staff: 404 }

const ROUTES: Route[] = [
  { name: 'GET /healthz', method: 'GET', path: () => '/healthz', expect: open },
  { name: 'GET /api/config', method: 'GET', path: () => '/api/config', expect: open },
  { name: 'GET /api/nothing (no such route)', method: 'GET', path: () => '/api/nothing', expect: nowhere },
  { name: 'GET /api/meetings', method: 'GET', path: () => '/api/meetings', expect: staffOnly },
  { name: 'GET /api/meetings?limit=1', method: 'GET', path: () => '/api/meetings?limit=1', expect: staffOnly },
  { name: 'POST /api/meetings', method: 'POST', path: () => '/api/meetings', body: { title: 'nuovo' }, expect: { ...staffOnly, staff: 201 } },
  { name: 'GET /api/meetings/:id', method: 'GET', path: (m) => `/api/meetings/${m.meeting.id}`, expect: anyKey },
  { name: 'PATCH /api/meetings/:id', method: 'PATCH', path: (m) => `/api/meetings/${m.meeting.id}`, body: { place: 'Sala' }, expect: facilitatorOnly },
  ...(['facilitator', 'participant', 'viewer'] as const).map(
    (role): Route => ({
      name: `POST /api/meetings/:id/keys/${role}/rotate`,
      method: 'POST',
      path: (m) => `/api/meetings/${m.meeting.id}/keys/${role}/rotate`,
      expect: facilitatorOnly,
    }),
  ),
  { name: 'DELETE /api/meetings/:id', method: 'DELETE', path: (m) => `/api/meetings/${m.meeting.id}`, expect: facilitatorOnly },
  // Versions and the report: facilitators only while `versionsVisibleTo` is at its default (versions SPEC V12).
  { name: 'GET /api/meetings/:id/versions', method: 'GET', path: (m) => `/api/meetings/${m.meeting.id}/versions`, expect: facilitatorOnly },
  {
    name: 'POST /api/meetings/:id/versions',
    method: 'POST',
    path: (m) => `/api/meetings/${m.meeting.id}/versions`,
    body: { label: 'Prima stesura' },
    expect: { ...facilitatorOnly, facilitator: 201, staff: 201 },
  },
  { name: 'POST /api/meetings/:id/close-session', method: 'POST', path: (m) => `/api/meetings/${m.meeting.id}/close-session`, expect: facilitatorOnly },
  { name: 'POST /api/meetings/:id/reopen-session', method: 'POST', path: (m) => `/api/meetings/${m.meeting.id}/reopen-session`, expect: facilitatorOnly },
  { name: 'GET /api/meetings/:id/export', method: 'GET', path: (m) => `/api/meetings/${m.meeting.id}/export`, expect: facilitatorOnly },
  {
    name: 'GET /api/meetings/:id/report?version=live&format=json',
    method: 'GET',
    path: (m) => `/api/meetings/${m.meeting.id}/report?version=live&format=json`,
    expect: facilitatorOnly,
  },
  { name: 'POST /api/meetings/import', method: 'POST', path: () => '/api/meetings/import', body: { format: 'not a board' }, expect: { ...staffOnly, staff: 400 } },
]

describe('every REST route × every credential (S1, S2)', () => {
  let server: MeetingTestServer
  afterAll(async () => server?.close())

  for (const route of ROUTES) {
    it.each(WHO)(`${route.name} as %s`, async (who) => {
      // A fresh server per route: rotations must not change the keys the next row presents.
      // Wrong tokens are throttled (S4); this table is about who may do what, so the limit is out of the way.
      await server?.close()
      server = await startMeetingTestServer({ config: { authFailureLimit: 10_000 } })
      const m = await createMeeting(server.httpUrl, { title: 'Tabella' })
      const token = who === 'none' ? undefined : who === 'wrong' ? 'x'.repeat(32) : who === 'staff' ? TEST_STAFF_TOKEN : m.keys[who]
      const res = await api(server.httpUrl, route.method, route.path(m), { token, body: route.body })
      expect(res.status, JSON.stringify(res.body)).toBe(route.expect[who])
      const text = JSON.stringify(res.body)
      // Only a facilitator key or the staff token ever sees the facilitator key (S2).
      if (who !== 'facilitator' && who !== 'staff') expect(text).not.toContain(m.keys.facilitator)
      if (res.status >= 400) expect(res.body.error.code).toBe({ 400: 'invalid_body', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[res.status])
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    })
  }
})

describe('the WebSocket (W1)', () => {
  it('the staff token is not a key: /sync refuses it with 4401; a viewer key connects as viewer', async () => {
    const s = await startMeetingTestServer()
    try {
      const m = await createMeeting(s.httpUrl, { title: 'ws' })
      const staff = connectBoard(s.wsUrl, m.meeting.id, TEST_STAFF_TOKEN)
      expect((await waitForClose(staff, 4401)).reason).toBe('invalid or revoked key')
      staff.destroy()
      const viewer = connectBoard(s.wsUrl, m.meeting.id, m.keys.viewer)
      await viewer.synced
      viewer.destroy()
    } finally {
      await s.close()
    }
  })
})

describe('the staff token the server generates (S3)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-staff-'))
  const children: ChildServer[] = []
  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL')
      await child.exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('without ADMIN_TOKEN: generated once in DATA_DIR (0600), printed as a staff link, kept across restarts', async () => {
    const first = await spawnServer({ dataDir, env: { ADMIN_TOKEN: '' } })
    children.push(first)
    const file = join(dataDir, STAFF_TOKEN_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const token = readFileSync(file, 'utf8').trim()
    expect(token.length).toBeGreaterThanOrEqual(32)
    const line = first.logs.find((l) => typeof l.staffLink === 'string')
    expect(line?.staffLink).toBe(staffLink(`http://127.0.0.1:${first.port}`, token))
    expect(line?.created).toBe(true)
    // Network access alone lists nothing; the token from the link does.
    expect((await api(first.httpUrl, 'GET', '/api/meetings')).status).toBe(401)
    expect((await api(first.httpUrl, 'POST', '/api/meetings', { body: { title: 'x' } })).status).toBe(401)
    expect((await api(first.httpUrl, 'POST', '/api/meetings', { token, body: { title: 'Primo' } })).status).toBe(201)
    first.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    const second = await spawnServer({ dataDir, env: { ADMIN_TOKEN: '' } })
    children.push(second)
    expect(readFileSync(file, 'utf8').trim()).toBe(token)
    expect(second.logs.find((l) => typeof l.staffLink === 'string')?.created).toBe(false)
    const list = await api(second.httpUrl, 'GET', '/api/meetings', { token })
    expect(list.body.meetings.map((e: { meeting: { title: string } }) => e.meeting.title)).toEqual(['Primo'])
  })

  it('with ADMIN_TOKEN: that token is the staff token, no file is written and no token is logged', async () => {
    const dir = join(dataDir, 'with-admin-token')
    const child = await spawnServer({ dataDir: dir })
    children.push(child)
    expect(() => statSync(join(dir, STAFF_TOKEN_FILE))).toThrow()
    expect(JSON.stringify(child.logs)).not.toContain(TEST_STAFF_TOKEN)
    expect((await api(child.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).status).toBe(200)
  })

  it('a short ADMIN_TOKEN stops the server at start with a message naming the variable', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dataDir, 'short'), ADMIN_TOKEN: 'segreto' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/ADMIN_TOKEN: must be at least 24 characters/)
  })
})
