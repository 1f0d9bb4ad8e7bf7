/**
 * Crash safety of versions (SPEC V9 "Crash safety", V3, V5): the real entry point (server/src/main.ts) is SIGKILLed at
 * a random moment while it saves a version or restores one; after a restart on the same data dir, every listed
 * version is whole (its records decode and hash to its content hash) and the live board is either the old board or
 * the restored one, never a mix. Rounds alternate saves and restores on a 1,000-note board.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardRecord, VersionSummary } from '../../shared/src/versions/versionSchemas.ts'
import { contentHashOf } from '../../server/src/versions/versionService.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard } from './meetingServer.ts'
import { boardOf, note, writeRecords } from './versionsHarness.ts'

const ROUNDS = 10
const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-versions-crash-'))
const exactDataDir = mkdtempSync(join(tmpdir(), 'tavolo-versions-crash-exact-'))
const killOnLog = fileURLToPath(new URL('../helpers/killOnLog.mjs', import.meta.url))
let server: ChildServer | null = null

afterAll(async () => {
  if (server) {
    server.kill('SIGKILL')
    await server.exited
  }
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(exactDataDir, { recursive: true, force: true })
})

async function liveHash(httpUrl: string, m: CreateMeetingResponse): Promise<string> {
  const res = await api(httpUrl, 'GET', `/api/meetings/${m.meeting.id}/export`, { token: m.keys.facilitator })
  expect(res.status).toBe(200)
  return contentHashOf(res.body.records as BoardRecord[])
}

/** Every listed version decodes and hashes to its content hash (V1, V4); numbers are 1..n without gaps (V3). */
async function checkVersions(httpUrl: string, m: CreateMeetingResponse): Promise<VersionSummary[]> {
  const list = (await api(httpUrl, 'GET', `/api/meetings/${m.meeting.id}/versions`, { token: m.keys.facilitator })).body.versions as VersionSummary[]
  expect(list.map((v) => v.number)).toEqual(list.map((_, i) => list.length - i))
  for (const v of list) {
    const detail = await api(httpUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/${v.number}`, { token: m.keys.facilitator })
    expect(detail.status).toBe(200)
    expect(contentHashOf(detail.body.version.records), `version ${v.number} is whole`).toBe(v.contentHash)
  }
  return list
}

/** Changes the live board through a client (so it differs from every version), then drops the client. */
async function edit(httpUrl: string, wsUrl: string, m: CreateMeetingResponse, records: BoardRecord[]): Promise<string> {
  const client = connectBoard(wsUrl, m.meeting.id, m.keys.participant)
  await client.synced
  writeRecords(client, records)
  const expected = await waitFor(async () => {
    const res = await api(httpUrl, 'GET', `/api/meetings/${m.meeting.id}/export`, { token: m.keys.facilitator })
    const live = res.body.records as BoardRecord[]
    return records.every((r) => live.some((l) => l.id === r.id && JSON.stringify(l) === JSON.stringify(r))) ? contentHashOf(live) : null
  }, 10_000)
  // a provider resends its state when it reconnects: it must not outlive the server it wrote to
  client.destroy()
  return expected
}

it(`a SIGKILL during a save or a restore leaves the old or the new state, never half (${ROUNDS} rounds)`, async () => {
  server = await spawnServer({ dataDir })
  const created = await api(server.httpUrl, 'POST', '/api/meetings', { body: { title: 'Crash' }, token: TEST_STAFF_TOKEN })
  const m = created.body as CreateMeetingResponse
  const first = await edit(server.httpUrl, server.wsUrl, m, boardOf(1000))
  expect((await api(server.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/versions`, { token: m.keys.facilitator, body: { label: 'base' } })).status).toBe(201)
  let random = 4242
  const nextRandom = () => {
    random = (random * 1103515245 + 12345) % 2147483648
    return random / 2147483648
  }
  const stats: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const restoring = round % 2 === 1
    const changed = Array.from({ length: 200 }, (_, i) => note(`n${(i * 5 + round) % 1000}`, `round ${round} idea ${i}`, i * 3, round * 10))
    const before = await edit(server.httpUrl, server.wsUrl, m, changed)
    const versionsBefore = await checkVersions(server.httpUrl, m)
    const target = versionsBefore.find((v) => v.number === 1)!
    const path = restoring ? `/api/meetings/${m.meeting.id}/versions/1/restore` : `/api/meetings/${m.meeting.id}/versions`
    let answered = false
    void fetch(`${server.httpUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.keys.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify(restoring ? {} : { label: `round ${round}` }),
    })
      .then(() => (answered = true))
      .catch(() => {})
    // a save takes tens of milliseconds here, a restore (save, write, save) about a hundred: kill somewhere inside
    const startedAt = Date.now()
    await new Promise((r) => setTimeout(r, Math.floor(nextRandom() * (restoring ? 160 : 80))))
    const killedAfter = Date.now() - startedAt
    server.kill('SIGKILL')
    await server.exited
    server = await spawnServer({ dataDir })

    const after = await checkVersions(server.httpUrl, m)
    const live = await liveHash(server.httpUrl, m)
    if (restoring) {
      expect([before, target.contentHash], `round ${round}: live board is the old one or version 1`).toContain(live)
      // nobody loses a board state: if the board was restored, the state it replaced is a version
      if (live === target.contentHash) expect(after.some((v) => v.contentHash === before)).toBe(true)
      // the history says what happened (V9 "Crash safety"): one more `restored` version of 1 exactly when the board
      // was restored, completed at start when the crash came between the write and its record
      const restoredOf1 = (list: VersionSummary[]) => list.filter((v) => v.kind === 'restored' && v.restoredFrom === 1)
      const newlyRestored = restoredOf1(after).length - restoredOf1(versionsBefore).length
      expect(newlyRestored, `round ${round}: a restored version exactly when the board is restored`).toBe(live === target.contentHash ? 1 : 0)
      if (newlyRestored === 1) {
        expect(restoredOf1(after)[0]).toMatchObject({ label: 'Ripristino della versione 1', contentHash: target.contentHash })
      }
    } else {
      expect(live, `round ${round}: a save never changes the live board`).toBe(before)
      expect(after.length - versionsBefore.length).toBeLessThanOrEqual(1)
      if (after.length > versionsBefore.length) expect(after[0]!.contentHash).toBe(before)
    }
    stats.push(
      `round ${round} ${restoring ? 'restore' : 'save'}: killed after ${killedAfter} ms, answered ${answered}, versions ${versionsBefore.length} → ${after.length}, live ${live === before ? 'old' : 'restored'}`,
    )
  }
  expect(first).not.toBe('')
  console.log(stats.join('\n'))
}, 180_000)

it('V9: a SIGKILL right after the restore reached the board, before its record: the next start adds the `restored` version, once', async () => {
  // the preload kills the process as it logs that the restore's write is durable (step 2), before step 3
  server = await spawnServer({
    dataDir: exactDataDir,
    nodeArgs: ['--import', killOnLog],
    env: { TAVOLO_TEST_KILL_ON_LOG: 'version restored into the live board' },
  })
  const created = await api(server.httpUrl, 'POST', '/api/meetings', { body: { title: 'Crash esatto' }, token: TEST_STAFF_TOKEN })
  const m = created.body as CreateMeetingResponse
  const base = await edit(server.httpUrl, server.wsUrl, m, boardOf(50))
  expect((await api(server.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/versions`, { token: m.keys.facilitator, body: { label: 'base' } })).status).toBe(201)
  const before = await edit(server.httpUrl, server.wsUrl, m, [note('n3', 'cambiata dopo la base', 5, 5)])
  const answer = await fetch(`${server.httpUrl}/api/meetings/${m.meeting.id}/versions/1/restore`, {
    method: 'POST',
    headers: { authorization: `Bearer ${m.keys.facilitator}`, 'content-type': 'application/json' },
    body: '{}',
  }).then(
    () => 'answered',
    () => 'no answer',
  )
  expect(answer).toBe('no answer')
  expect(await server.exited).toBe('SIGKILL')

  for (const start of [1, 2]) {
    server = await spawnServer({ dataDir: exactDataDir })
    expect(await liveHash(server.httpUrl, m), `start ${start}: the board is restored`).toBe(base)
    const list = await checkVersions(server.httpUrl, m)
    expect(list.map((v) => v.kind), `start ${start}: completed once, not again at the next start`).toEqual(['restored', 'before-restore', 'manual'])
    expect(list[1]).toMatchObject({ contentHash: before, restoredFrom: null })
    expect(list[0]).toMatchObject({
      label: 'Ripristino della versione 1',
      restoredFrom: 1,
      contentHash: base,
      author: { role: 'facilitator' },
    })
    server.kill('SIGKILL')
    await server.exited
  }
  server = null
}, 60_000)
