import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
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

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = await spawnServer({ dataDir, env: { CLIENT_DIR: join(dataDir, 'no-client'), DEMO: 'true', ...env }, startTimeoutMs: 60_000 })
  children.push(child)
  return child
}

async function stop(child: ChildServer): Promise<void> {
  child.kill('SIGTERM')
  expect(await child.exited).toBe(0)
  children.splice(children.indexOf(child), 1)
}

function demoLink(child: ChildServer): { meetingId: string; key: string } {
  const line = child.logs.find((l) => typeof l.msg === 'string' && DEMO_LOG.test(l.msg))
  const link = String(line?.facilitatorLink ?? '')
  const match = /^http:\/\/127\.0\.0\.1:\d+\/board\/([A-Za-z0-9_-]+)#k=([A-Za-z0-9_-]+)$/.exec(link)
  if (match === null) throw new Error(`no demo link in the log: ${JSON.stringify(line)}`)
  return { meetingId: match[1] ?? '', key: match[2] ?? '' }
}

describe('the demo meeting (npm start on a fresh data directory)', () => {
  it('is created once with the seed meeting, its maps, two versions, a semantic diff and a report; a restart keeps the one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-demo-'))
    dirs.push(dataDir)
    const first = await start(dataDir)
    await waitFor(() => first.logs.some((l) => DEMO_LOG.test(String(l.msg))), 20_000, 'the demo log line')
    const { meetingId, key } = demoLink(first)

    const list = await api(first.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })
    // issue 22: the seed meeting and the next meeting of its process, continued from it
    expect(list.body.meetings).toHaveLength(2)
    const seed = list.body.meetings.find((m: { meeting: { id: string } }) => m.meeting.id === meetingId)
    expect(seed.meeting).toMatchObject({
      id: meetingId,
      title: '1° incontro della Equipe inter-servizio',
      reference: 'par-MEET-2025-09-622',
      startsAt: '2025-09-15T09:00:00+02:00',
      endsAt: '2025-09-15T11:00:00+02:00',
      place: expect.stringContaining('Municipio di Santarcangelo di Romagna, Piazza Ganganelli 1'),
      organisations: ['Amministrazione comunale (dirigenti, funzionari di diversi settori e servizi)'],
      attendeesCount: 6,
      processId: expect.any(String),
    })
    const processId = seed.meeting.processId as string
    const story = await api(first.httpUrl, 'GET', `/api/processes/${processId}/report?format=json`, { token: TEST_STAFF_TOKEN })
    expect(story.body.title).toBe('Processo «Opificio di Comunità»')
    expect(story.body.meetings.map((m: { title: string; versionText: string }) => `${m.title}: ${m.versionText}`)).toEqual([
      '1° incontro della Equipe inter-servizio: Versione 2 (di 2)',
      'Tavolo di Negoziazione – 1° incontro: Versione 2 (di 2)',
    ])
    expect(story.body.trajectories).toHaveLength(2)
    expect(story.body.issues.appeared).toHaveLength(1)

    const path = `/api/meetings/${meetingId}`
    const versions = await api(first.httpUrl, 'GET', `${path}/versions`, { token: key })
    expect(versions.body.versions.map((v: { number: number; label: string }) => `${v.number} ${v.label}`)).toEqual(['2 Stato finale', '1 Prima stesura'])

    const diff = await api(first.httpUrl, 'GET', `${path}/versions/1/diff/2`, { token: key })
    expect(diff.status).toBe(200)
    const said = (diff.body.semantic as Array<{ it: string }>).map((c) => c.it)
    expect(said).toContain('Attore «Gruppi CIVIVO» spostato da «Allargamento strategico» a «Nucleo fondativo»')
    expect(said).toContain('Nuovo collegamento: Patto Fondativo → Cabina di Regia («modalità operative»)')
    expect(said).toContain("Nuova domanda guida nella fase 2: «Quali priorità per il modello operativo dell'Opificio?»")

    const report = await api(first.httpUrl, 'GET', `${path}/report`, { token: key })
    expect(report.status).toBe(200)
    expect(report.body).toContain('- **Versione:** 2: Stato finale')
    expect(report.body).toContain('### Mappa degli attori')
    const live = await api(first.httpUrl, 'GET', `${path}/report?version=live&format=json`, { token: key })
    expect(live.body.maps.map((m: { kind: string }) => m.kind)).toEqual(['issues', 'actors', 'architecture', 'programme'])

    await stop(first)
    const second = await start(dataDir)
    await waitFor(() => second.logs.some((l) => DEMO_LOG.test(String(l.msg))), 20_000, 'the demo log line after restart')
    expect(demoLink(second)).toEqual({ meetingId, key })
    const again = await api(second.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })
    expect(again.body.meetings).toHaveLength(2)
    expect((await api(second.httpUrl, 'GET', '/api/processes', { token: TEST_STAFF_TOKEN })).body.processes).toHaveLength(1)
    expect((await api(second.httpUrl, 'GET', `${path}/versions`, { token: key })).body.total).toBe(2)
  })

  it('DEMO=false: no demo meeting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-demo-off-'))
    dirs.push(dataDir)
    const child = await start(dataDir, { DEMO: 'false' })
    expect((await api(child.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings).toEqual([])
    expect(child.logs.some((l) => DEMO_LOG.test(String(l.msg)))).toBe(false)
  })

  it('an invalid DEMO value stops the server with a message naming it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-demo-bad-'))
    dirs.push(dataDir)
    await expect(start(dataDir, { DEMO: 'maybe' })).rejects.toThrow(/DEMO: must be true or false/)
  })
})
