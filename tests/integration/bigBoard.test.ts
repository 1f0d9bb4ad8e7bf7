/**
 * Issue 17 findings 3 and 5: a big legitimate board does not stall the server, and hostile import files are refused
 * with 400 naming the problem. The server runs in this process (meetingTestServer, with the worker pool as main.ts
 * wires it): a separate loop polls /healthz over HTTP, so a stalled event loop shows as a slow answer.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterEach, describe, expect, test } from 'vitest'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { encodeBoardUpdate } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, createMeeting } from './meetingServer.ts'
import { boardOf, note } from './versionsHarness.ts'

let server: MeetingTestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

/** Polls /healthz back to back until stopped; the slowest answer (ms) and how many there were. */
function pollHealth(baseUrl: string) {
  let running = true
  let worst = 0
  let count = 0
  const done = (async () => {
    while (running) {
      const started = performance.now()
      const res = await fetch(`${baseUrl}/healthz`)
      await res.arrayBuffer()
      worst = Math.max(worst, performance.now() - started)
      count++
    }
  })()
  return {
    async stop() {
      running = false
      await done
      return { worst, count }
    },
  }
}

/** /healthz's slowest answer allowed during a step, by default (see the end of the test). */
const DEFAULT_STALL_BOUND_MS = 500

/** Ten times the full four-map board with 500 cards (614 records, README "Limits"). */
const BIG_BOARD_RECORDS = 6_000

describe('a big board (finding 3)', () => {
  test('save, diff, report, export, version read, restore, unload and reload: /healthz answers within 200 ms throughout', async () => {
    // a grace period longer than a restore's steps: the restore writes to the doc it read (its writer check, SPEC V9)
    server = await startMeetingTestServer({ config: { roomGraceMs: 3000 }, storeWorkers: true })
    const baseUrl = server.httpUrl
    const m = await createMeeting(baseUrl, { title: 'Grande' })
    const id = m.meeting.id as MeetingId
    // built quickly: the board's state written to the store directly, as a compaction would leave it
    await server.docStore.append(id, [encodeBoardUpdate(boardOf(BIG_BOARD_RECORDS), serverSerializedSchema())])
    expect(await server.docStore.compact(id)).toBe(1)
    const token = m.keys.facilitator
    const rooms = server.server.rooms

    const steps: Array<[string, () => Promise<unknown>]> = [
      ['load and save', async () => expect((await api(baseUrl, 'POST', `/api/meetings/${id}/versions`, { token, body: { label: 'v1' } })).status).toBe(201)],
      [
        'a change',
        () =>
          rooms.withBoardDoc(id, (doc) =>
            doc.transact(() => doc.getArray(RECORDS_ARRAY).push([{ key: 'shape:extra', val: note('extra', 'in più') }]), { kind: 'server', reason: 'test' }),
          ),
      ],
      ['save again', async () => expect((await api(baseUrl, 'POST', `/api/meetings/${id}/versions`, { token, body: { label: 'v2' } })).status).toBe(201)],
      ['diff', async () => expect((await api(baseUrl, 'GET', `/api/meetings/${id}/versions/1/diff/2`, { token })).body.diff.added).toHaveLength(1)],
      ['diff with live', async () => expect((await api(baseUrl, 'GET', `/api/meetings/${id}/versions/1/diff/live`, { token })).status).toBe(200)],
      ['report', async () => expect((await fetch(`${baseUrl}/api/meetings/${id}/report?format=html&version=2`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)],
      ['version read', async () => expect((await api(baseUrl, 'GET', `/api/meetings/${id}/versions/2`, { token })).body.version.records).toHaveLength(BIG_BOARD_RECORDS + 3)],
      ['export', async () => expect((await api(baseUrl, 'GET', `/api/meetings/${id}/export`, { token })).body.records).toHaveLength(BIG_BOARD_RECORDS + 3)],
      [
        'restore',
        async () => {
          const res = await api(baseUrl, 'POST', `/api/meetings/${id}/versions/1/restore`, { token, body: {} })
          expect(res.body.changed, JSON.stringify(res.body).slice(0, 300)).toBe(true)
        },
      ],
      ['unload', () => waitFor(() => rooms.getRoom(id) === undefined, 30_000, 'the room did not unload')],
      ['reload', async () => expect((await api(baseUrl, 'GET', `/api/meetings/${id}/versions/live/diff/2`, { token })).status).toBe(200)],
    ]
    const worst: Record<string, number> = {}
    const loopMax: Record<string, number> = {}
    for (const [name, step] of steps) {
      const health = pollHealth(baseUrl)
      const delay = monitorEventLoopDelay({ resolution: 10 })
      delay.enable()
      try {
        await step()
      } finally {
        delay.disable()
        worst[name] = Math.round((await health.stop()).worst)
        loopMax[name] = Math.round(delay.max / 1e6)
      }
    }
    console.log('healthz worst (ms)', JSON.stringify(worst), 'event-loop delay max (ms)', JSON.stringify(loopMax))
    // The target (no step holds the loop past 100 ms) is measured where nothing else shares the server's loop:
    // bench/eventLoop.ts, the server a child process. Here the test's own fetches and JSON parsing share it, so the
    // bound is a regression guard, wide enough for a busy CI machine (the stalls of finding 3 were 1.4-5.9 s):
    // BIG_BOARD_STALL_MS sets a tighter one.
    const bound = Number(process.env.BIG_BOARD_STALL_MS ?? DEFAULT_STALL_BOUND_MS)
    for (const [name, ms] of Object.entries(worst)) expect(ms, `${name}: /healthz took ${ms} ms (all: ${JSON.stringify(worst)})`).toBeLessThan(bound)
  }, 180_000)
})

describe('hostile import files get 400 naming the problem (finding 5)', () => {
  const file = (records: string, schema = JSON.stringify(serverSerializedSchema()), meeting = '{"title":"Importata"}') =>
    `{"format":"tavolo-board","formatVersion":1,"meeting":${meeting},"schema":${schema},"records":[${records}]}`
  const post = (body: string) =>
    fetch(`${server!.httpUrl}/api/meetings/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_STAFF_TOKEN}`, 'content-type': 'application/json' },
      body,
    })
  const deep = (levels: number, leaf: string) => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`
  const noteText = (i: number) => JSON.stringify(note(`n${i}`, `idea ${i}`, i, 0))
  const page = '{"id":"page:page","typeName":"page","name":"Pagina 1","index":"a1","meta":{}}'
  const withSequences = (sequences: string) => `{"schemaVersion":2,"sequences":${sequences}}`

  const cases: Array<[string, () => string, RegExp]> = [
    ['56,190 notes', () => file([page, ...Array.from({ length: 56_190 }, (_, i) => noteText(i))].join(',')), /56191 records/],
    ['439,044 minimal pages', () => file(Array.from({ length: 439_044 }, (_, i) => `{"id":"page:p${i}","typeName":"page"}`).join(',')), /439044 records/],
    ['a schema without sequences', () => file(page, '{"schemaVersion":2}'), /sequences/],
    ['schemaVersion 1', () => file(page, '{"schemaVersion":1,"storeVersion":4,"recordVersions":{}}'), /schemaVersion 1/],
    ['a __proto__ key in sequences', () => file(page, withSequences('{"__proto__":{"polluted":1},"com.tldraw.page":1}')), /__proto__|sequences/],
    ['meta nested 20,000 deep', () => file(`{"id":"page:page","typeName":"page","name":"P","index":"a1","meta":${deep(20_000, '1')}}`), /nest/],
    [
      'richText nested 5,000 deep',
      () => file(JSON.stringify(note('deep', 'x')).replace('"richText":{', `"richText":{"deep":${deep(5_000, '1')},`), undefined, undefined),
      /nest/,
    ],
  ]

  test.each(cases)('%s', async (_name, build, problem) => {
    server ??= await startMeetingTestServer()
    const before = (await api(server.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings.length
    const res = await post(build())
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(res.status, body.error.message).toBe(400)
    expect(body.error.message).toMatch(problem)
    expect((await api(server.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings).toHaveLength(before)
    const health = await fetch(`${server.httpUrl}/healthz`)
    expect(health.status).toBe(200)
  }, 120_000)
})

describe('erasing a meeting drops its cached versions (issue 18)', () => {
  test('a version read is cached; after DELETE the cache holds nothing of the meeting', async () => {
    server = await startMeetingTestServer()
    const m = await createMeeting(server.httpUrl, { title: 'Da cancellare' })
    const id = m.meeting.id as MeetingId
    await server.docStore.append(id, [encodeBoardUpdate(boardOf(3), serverSerializedSchema())])
    const token = m.keys.facilitator
    expect((await api(server.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token, body: { label: 'v1' } })).status).toBe(201)
    expect((await api(server.httpUrl, 'GET', `/api/meetings/${id}/versions/1`, { token })).status).toBe(200)
    expect(server.meetings.service.isCached(id, 1)).toBe(true)
    expect((await api(server.httpUrl, 'DELETE', `/api/meetings/${id}`, { token })).status).toBe(200)
    expect(server.meetings.service.isCached(id, 1)).toBe(false)
  })
})
