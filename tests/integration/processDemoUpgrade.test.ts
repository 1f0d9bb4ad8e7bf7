// Issue 22: a data dir whose demo meeting was made by a Tavolo without processes gets the demo process at the next
// start, once (server/src/demo/demoMeeting.ts upgradeToProcess); DEMO=false leaves it alone.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureDemoMeeting } from '../../server/src/demo/demoMeeting.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { startMeetingTestServer } from '../helpers/meetingTestServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api } from './meetingServer.ts'

const DEMO_LOG = /^demo meeting "/
const children: ChildServer[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGTERM')
    await c.exited
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function start(dataDir: string, demo: boolean): Promise<ChildServer> {
  const child = await spawnServer({ dataDir, env: { CLIENT_DIR: join(dataDir, 'no-client'), DEMO: String(demo) }, startTimeoutMs: 60_000 })
  children.push(child)
  if (demo) await waitFor(() => child.logs.some((l) => DEMO_LOG.test(String(l.msg))), 30_000, 'the demo log line')
  return child
}

async function stop(child: ChildServer): Promise<void> {
  child.kill('SIGTERM')
  expect(await child.exited).toBe(0)
  children.splice(children.indexOf(child), 1)
}

/** A data dir as a Tavolo before processes left it: the demo meeting and its two versions, no process. */
async function dataDirWithDemoMeetingOnly(): Promise<{ dataDir: string; meetingId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-demo-upgrade-'))
  dirs.push(dataDir)
  const server = await startMeetingTestServer({ dataDir })
  try {
    const made = await ensureDemoMeeting({
      demo: server.meetings.demo,
      meetings: server.meetings.store,
      factory: server.meetings.factory,
      service: server.meetings.service,
      // no `processes`: the demo of a Tavolo without them
      rooms: () => server.server.rooms,
      logger: createSilentLogger(),
    })
    if (made === null) throw new Error('no demo meeting')
    expect((await server.meetings.store.get(made.meetingId))?.meeting.processId).toBeNull()
    expect(await server.meetings.processes.list()).toEqual([])
    return { dataDir, meetingId: made.meetingId }
  } finally {
    await server.close()
  }
}

const processesOf = async (child: ChildServer) =>
  (await api(child.httpUrl, 'GET', '/api/processes', { token: TEST_STAFF_TOKEN })).body.processes as Array<{ process: { id: string; title: string }; meetings: number }>
const meetingsOf = async (child: ChildServer) => (await api(child.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings as unknown[]

describe('the demo process on a data dir made before processes', () => {
  it('DEMO=false leaves it alone; the next start with the demo makes the process once; later starts keep the one', async () => {
    const { dataDir, meetingId } = await dataDirWithDemoMeetingOnly()

    const off = await start(dataDir, false)
    expect(await processesOf(off)).toEqual([])
    expect(await meetingsOf(off)).toHaveLength(1)
    await stop(off)

    const upgraded = await start(dataDir, true)
    const processes = await processesOf(upgraded)
    expect(processes.map((p) => [p.process.title, p.meetings])).toEqual([['Opificio di Comunità', 2]])
    expect(await meetingsOf(upgraded)).toHaveLength(2)
    const seed = await api(upgraded.httpUrl, 'GET', `/api/meetings/${meetingId}`, { token: TEST_STAFF_TOKEN })
    expect(seed.body.meeting.processId).toBe(processes[0]?.process.id)
    const story = await api(upgraded.httpUrl, 'GET', `/api/processes/${processes[0]?.process.id}/report?format=json`, { token: TEST_STAFF_TOKEN })
    expect(story.body.meetings.map((m: { title: string; versionText: string }) => `${m.title}: ${m.versionText}`)).toEqual([
      '1° incontro della Equipe inter-servizio: Versione 2 (di 2)',
      'Tavolo di Negoziazione – 1° incontro: Versione 2 (di 2)',
    ])
    expect(story.body.trajectories).toHaveLength(2)
    expect(upgraded.logs.some((l) => /demo process created/.test(String(l.msg)))).toBe(true)
    await stop(upgraded)

    // idempotent: also once staff moved the seed meeting out of the process
    const again = await start(dataDir, true)
    expect((await api(again.httpUrl, 'PATCH', `/api/meetings/${meetingId}`, { token: TEST_STAFF_TOKEN, body: { processId: null } })).status).toBe(200)
    await stop(again)
    const third = await start(dataDir, true)
    expect((await processesOf(third)).map((p) => p.meetings)).toEqual([1])
    expect(await meetingsOf(third)).toHaveLength(2)
    expect(third.logs.some((l) => /demo process created/.test(String(l.msg)))).toBe(false)
  })
})
