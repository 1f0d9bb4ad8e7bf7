// Processes over REST (server/src/processes/SPEC.md PS1-PS7), against a real server and real y-websocket clients.
import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { META_MAP, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { ProcessStory } from '../../shared/src/process/processStory.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { processBoard } from '../helpers/processBoards.ts'
import { api, createMeeting, meetingServersClosedAfterEach, type BoardClient, type MeetingServer } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()
const STAFF = TEST_STAFF_TOKEN

const ACTORS = [
  { id: 'shape:proloco', text: 'Pro Loco', category: 'reti-solidali', level: 'allargamento-strategico' },
  { id: 'shape:comune', text: 'Amministrazione comunale', category: 'partner-progetto', level: 'nucleo-fondativo' },
]
const ISSUES = [{ id: 'shape:i1', text: 'Laboratorio di relazioni', facet: 'sociale' }]

function write(client: BoardClient, records: Array<Record<string, unknown>>): void {
  client.doc.transact(() => {
    client.doc.getMap(META_MAP).set(SCHEMA_KEY, createTLSchema().serialize())
    for (const r of records) client.records.set(String(r.id), r)
  })
}

async function newProcess(server: MeetingServer, title = 'Opificio di Comunità'): Promise<string> {
  const res = await api(server.baseUrl, 'POST', '/api/processes', { token: STAFF, body: { title, decidimUrl: 'https://partecipa.example.org/opificio' } })
  expect(res.status).toBe(201)
  return res.body.process.id as string
}

/** A meeting of the process whose board has the actor map and the issues, saved as version 1. */
async function meetingWithMaps(server: MeetingServer, processId: string | null, title = '1° incontro'): Promise<CreateMeetingResponse> {
  const m = await createMeeting(server.baseUrl, { title, startsAt: '2025-09-15T09:00:00+02:00', processId })
  const client = resources.connect(server.wsUrl, m.meeting.id, m.keys.facilitator)
  await client.synced
  write(client, processBoard({ actors: ACTORS, issues: ISSUES }))
  const path = `/api/meetings/${m.meeting.id}`
  await waitFor(async () => (await api(server.baseUrl, 'GET', `${path}/report?version=live&format=json`, { token: m.keys.facilitator })).body?.maps?.length === 2, 5000, 'board written')
  expect((await api(server.baseUrl, 'POST', `${path}/versions`, { token: m.keys.facilitator, body: { label: 'Fine incontro' } })).status).toBe(201)
  return m
}

describe('processes: PS1, PS2, PS3', () => {
  it('PS1: staff create, list, read and change a process; every route refuses without the staff token', async () => {
    const server = await resources.start()
    const created = await api(server.baseUrl, 'POST', '/api/processes', { token: STAFF, body: { title: '  Opificio  ', description: 'Percorso' } })
    expect(created.status).toBe(201)
    expect(created.body.process).toMatchObject({ title: 'Opificio', description: 'Percorso', decidimUrl: null, notSameActors: [] })
    const id = created.body.process.id as string

    expect((await api(server.baseUrl, 'POST', '/api/processes', { token: STAFF, body: { title: '' } })).status).toBe(400)
    expect((await api(server.baseUrl, 'POST', '/api/processes', { token: STAFF, body: { title: 'x', extra: 1 } })).status).toBe(400)
    expect((await api(server.baseUrl, 'POST', '/api/processes', { token: STAFF, body: { title: 'x', decidimUrl: 'javascript:alert(1)' } })).status).toBe(400)
    expect((await api(server.baseUrl, 'POST', '/api/processes', { body: { title: 'x' } })).status).toBe(401)
    expect((await api(server.baseUrl, 'POST', '/api/processes', { token: 'wrong', body: { title: 'x' } })).status).toBe(401)

    const list = await api(server.baseUrl, 'GET', '/api/processes', { token: STAFF })
    expect(list.body.processes).toEqual([{ process: created.body.process, meetings: 0 }])
    expect((await api(server.baseUrl, 'GET', '/api/processes')).status).toBe(401)

    const patched = await api(server.baseUrl, 'PATCH', `/api/processes/${id}`, { token: STAFF, body: { title: 'Opificio di Comunità', description: null } })
    expect(patched.status).toBe(200)
    expect(patched.body.process).toMatchObject({ title: 'Opificio di Comunità', description: null })
    expect((await api(server.baseUrl, 'PATCH', `/api/processes/${id}`, { token: STAFF, body: {} })).status).toBe(400)
    expect((await api(server.baseUrl, 'GET', `/api/processes/${id}`, { token: STAFF })).body).toMatchObject({ role: 'staff', meetings: [] })
    expect((await api(server.baseUrl, 'GET', '/api/processes/AAAAAAAAAAAAAAAAAAAA', { token: STAFF })).status).toBe(404)
  })

  it('PS2: facilitators of its meetings read it without other meetings\' keys; participant and viewer keys never reach it', async () => {
    const server = await resources.start()
    const processId = await newProcess(server)
    const a = await createMeeting(server.baseUrl, { title: 'A', processId })
    const b = await createMeeting(server.baseUrl, { title: 'B', processId })
    const outside = await createMeeting(server.baseUrl, { title: 'Fuori' })
    const path = `/api/processes/${processId}`

    const staff = await api(server.baseUrl, 'GET', path, { token: STAFF })
    expect(staff.body.meetings.map((m: { meeting: { id: string }; links?: unknown }) => [m.meeting.id, m.links !== undefined])).toEqual([
      [a.meeting.id, true],
      [b.meeting.id, true],
    ])
    const asFacilitator = await api(server.baseUrl, 'GET', path, { token: a.keys.facilitator })
    expect(asFacilitator.status).toBe(200)
    expect(asFacilitator.body.role).toBe('facilitator')
    expect(JSON.stringify(asFacilitator.body)).not.toContain(b.keys.facilitator)
    expect(JSON.stringify(asFacilitator.body)).not.toContain(b.keys.participant)
    expect(asFacilitator.body.meetings.every((m: { links?: unknown }) => m.links === undefined)).toBe(true)

    for (const key of [a.keys.participant, a.keys.viewer, b.keys.viewer]) {
      expect((await api(server.baseUrl, 'GET', path, { token: key })).status).toBe(403)
      expect((await api(server.baseUrl, 'GET', `${path}/report`, { token: key })).status).toBe(403)
    }
    expect((await api(server.baseUrl, 'GET', path, { token: outside.keys.facilitator })).status).toBe(401)
    expect((await api(server.baseUrl, 'GET', path)).status).toBe(401)
    // the staff-only routes refuse a facilitator of its meetings
    expect((await api(server.baseUrl, 'PATCH', path, { token: a.keys.facilitator, body: { title: 'x' } })).status).toBe(403)
    expect((await api(server.baseUrl, 'DELETE', `${path}?confirm=2`, { token: a.keys.facilitator })).status).toBe(403)
    expect((await api(server.baseUrl, 'GET', '/api/processes', { token: a.keys.facilitator })).status).toBe(401)
  })

  it('PS3: processId on create and PATCH (staff only); an unknown one is refused; a meeting moved out leaves the process', async () => {
    const server = await resources.start()
    const p1 = await newProcess(server, 'Uno')
    const p2 = await newProcess(server, 'Due')
    const unknown = await api(server.baseUrl, 'POST', '/api/meetings', { token: STAFF, body: { title: 'x', processId: 'AAAAAAAAAAAAAAAAAAAA' } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.details).toEqual([{ path: 'processId', message: 'no process with this id' }])

    const m = await createMeeting(server.baseUrl, { title: 'Incontro', processId: p1 })
    expect(m.meeting.processId).toBe(p1)
    const path = `/api/meetings/${m.meeting.id}`
    expect((await api(server.baseUrl, 'PATCH', path, { token: m.keys.facilitator, body: { processId: p2 } })).status).toBe(403)
    // a facilitator may still change everything else (and send the same processId back)
    expect((await api(server.baseUrl, 'PATCH', path, { token: m.keys.facilitator, body: { title: 'Nuovo', processId: p1 } })).status).toBe(200)
    const moved = await api(server.baseUrl, 'PATCH', path, { token: STAFF, body: { processId: p2 } })
    expect(moved.body.meeting.processId).toBe(p2)
    expect((await api(server.baseUrl, 'GET', `/api/processes/${p1}`, { token: STAFF })).body.meetings).toEqual([])
    expect((await api(server.baseUrl, 'GET', '/api/processes', { token: STAFF })).body.processes.map((p: { meetings: number }) => p.meetings)).toEqual([1, 0])
    const out = await api(server.baseUrl, 'PATCH', path, { token: STAFF, body: { processId: null } })
    expect(out.body.meeting.processId).toBeNull()
    expect((await api(server.baseUrl, 'GET', `/api/processes/${p2}`, { token: STAFF })).body.meetings).toEqual([])
    // the staff list shows the meeting with its process
    const listed = await api(server.baseUrl, 'GET', '/api/meetings', { token: STAFF })
    expect(listed.body.meetings[0].meeting.processId).toBeNull()
  })
})

describe('continue, report, erase: PS4-PS7', () => {
  it('PS5: continuing keeps card ids, starts from the latest version with a `continued` version 1, and changes nothing of the source', async () => {
    const server = await resources.start()
    const processId = await newProcess(server)
    const first = await meetingWithMaps(server, processId)
    const cont = await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, {
      token: first.keys.facilitator,
      body: { title: 'Tavolo di Negoziazione – 1° incontro', startsAt: '2025-10-01T17:00:00+02:00' },
    })
    expect(cont.status).toBe(201)
    const next = cont.body as CreateMeetingResponse & { version: { number: number; kind: string; label: string } }
    expect(next.meeting).toMatchObject({ title: 'Tavolo di Negoziazione – 1° incontro', startsAt: '2025-10-01T17:00:00+02:00', processId })
    expect(next.keys.facilitator).not.toBe(first.keys.facilitator)
    expect(next.links.facilitator).toContain(next.meeting.id)
    expect(next.version).toMatchObject({ number: 1, kind: 'continued', label: 'Continua da «1° incontro», versione 1' })
    const exported = await api(server.baseUrl, 'GET', `/api/meetings/${next.meeting.id}/export`, { token: next.keys.facilitator })
    const ids = new Set((exported.body.records as Array<{ id: string }>).map((r) => r.id))
    expect(ids.has('shape:proloco') && ids.has('shape:i1')).toBe(true)
    const sourceVersions = await api(server.baseUrl, 'GET', `/api/meetings/${first.meeting.id}/versions`, { token: first.keys.facilitator })
    expect(sourceVersions.body.versions.map((v: { number: number }) => v.number)).toEqual([1])

    // who may: the facilitator or staff; not a participant; an unknown version is 404
    expect((await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, { token: first.keys.participant, body: { title: 'x' } })).status).toBe(403)
    expect((await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, { token: STAFF, body: { title: 'x', version: 99 } })).status).toBe(404)
    expect((await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, { token: STAFF, body: { title: '' } })).status).toBe(400)
    expect((await api(server.baseUrl, 'GET', `/api/processes/${processId}`, { token: STAFF })).body.meetings.map((m: { meeting: { title: string } }) => m.meeting.title)).toEqual([
      '1° incontro',
      'Tavolo di Negoziazione – 1° incontro',
    ])
  })

  it('PS5: continue from a chosen version; a meeting with no version continues from its live board', async () => {
    const server = await resources.start()
    const first = await meetingWithMaps(server, null)
    const client = resources.connect(server.wsUrl, first.meeting.id, first.keys.facilitator)
    await client.synced
    write(client, processBoard({ actors: [...ACTORS, { id: 'shape:late', text: 'Arrivato dopo', category: 'cittadinanza', level: 'validazione-comunitaria' }], issues: ISSUES }))
    const path = `/api/meetings/${first.meeting.id}`
    await waitFor(async () => (await api(server.baseUrl, 'POST', `${path}/versions`, { token: first.keys.facilitator, body: { label: 'v2' } })).status === 201, 5000, 'version 2')
    const fromOne = await api(server.baseUrl, 'POST', `${path}/continue`, { token: STAFF, body: { title: 'Da uno', version: 1 } })
    expect(fromOne.status).toBe(201)
    expect(fromOne.body.meeting.processId).toBeNull()
    const records = (await api(server.baseUrl, 'GET', `/api/meetings/${fromOne.body.meeting.id}/export`, { token: fromOne.body.keys.facilitator })).body.records as Array<{ id: string }>
    expect(records.some((r) => r.id === 'shape:late')).toBe(false)
    expect(records.some((r) => r.id === 'shape:proloco')).toBe(true)

    const bare = await createMeeting(server.baseUrl, { title: 'Senza versioni' })
    const live = await api(server.baseUrl, 'POST', `/api/meetings/${bare.meeting.id}/continue`, { token: bare.keys.facilitator, body: { title: 'Dopo' } })
    expect(live.status).toBe(201)
    expect(live.body.version).toMatchObject({ kind: 'continued', label: 'Continua da «Senza versioni», lavagna dal vivo' })
  })

  it('PS7: the report tells the move of an actor made in the continued meeting, in words and in the picture, in md, html and json', async () => {
    const server = await resources.start()
    const processId = await newProcess(server)
    const first = await meetingWithMaps(server, processId)
    const next = (await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, { token: STAFF, body: { title: 'Secondo', startsAt: '2025-10-01T17:00:00+02:00' } }))
      .body as CreateMeetingResponse
    const client = resources.connect(server.wsUrl, next.meeting.id, next.keys.facilitator)
    await client.synced
    // the facilitator moves Pro Loco to the founding core (an explicit meaning, as the Significato panel sets it)
    const card = client.records.get('shape:proloco') as Record<string, unknown>
    client.doc.transact(() => client.records.set('shape:proloco', { ...card, meta: { tavoloMap: { category: 'reti-solidali', level: 'nucleo-fondativo' } } }))
    await waitFor(
      async () => (await api(server.baseUrl, 'POST', `/api/meetings/${next.meeting.id}/versions`, { token: next.keys.facilitator, body: { label: 'Spostato' } })).status === 201,
      5000,
      'moved',
    )
    const report = (query: string, token = STAFF) => api(server.baseUrl, 'GET', `/api/processes/${processId}/report${query}`, { token })
    const json = await report('?format=json')
    expect(json.status).toBe(200)
    const story = json.body as ProcessStory
    expect(story.meetings.map((m) => m.versionText)).toEqual(['Versione 1 (di 1)', 'Versione 2 (di 2)'])
    expect(story.trajectories.map((t) => t.text)).toEqual(['«Pro Loco»: Allargamento strategico → Nucleo fondativo (incontro 2)'])
    expect(story.grids[0]?.meetings[1]?.cells['reti-solidali']?.['nucleo-fondativo']).toEqual([{ name: 'Pro Loco', moved: true }])

    const en = await report('?format=json&locale=en', next.keys.facilitator)
    expect(en.status).toBe(200)
    expect((en.body as ProcessStory).trajectories[0]?.text).toBe('“Pro Loco”: Strategic enlargement → Founding core (meeting 2)')

    const md = await report('')
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(md.body).toContain('# Processo «Opificio di Comunità»')
    expect(md.body).toContain('→ Pro Loco')

    const html = await report('?format=html')
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(html.body).toContain('<svg')
    expect(html.body).toContain('→ Pro Loco')
    expect((await report('?format=pdf')).status).toBe(400)
    expect((await report('?locale=fr')).status).toBe(400)
  })

  it('PR3 over REST: the facilitator of the meeting undoes a match by name; others may not', async () => {
    const server = await resources.start()
    const processId = await newProcess(server)
    const a = await meetingWithMaps(server, processId, 'A')
    const b = await createMeeting(server.baseUrl, { title: 'B', startsAt: '2025-10-01T17:00:00+02:00', processId })
    const client = resources.connect(server.wsUrl, b.meeting.id, b.keys.facilitator)
    await client.synced
    write(client, processBoard({ actors: [{ id: 'shape:again', text: 'pro loco', category: 'reti-solidali', level: 'nucleo-fondativo' }] }))
    await waitFor(async () => (await api(server.baseUrl, 'POST', `/api/meetings/${b.meeting.id}/versions`, { token: b.keys.facilitator, body: { label: 'v1' } })).status === 201, 5000, 'b saved')
    const story = async () => (await api(server.baseUrl, 'GET', `/api/processes/${processId}/report?format=json`, { token: STAFF })).body as ProcessStory
    expect((await story()).matches.map((m) => m.text)).toEqual(['«pro loco» all’incontro 2 è lo stesso attore di «Pro Loco»'])

    const undo = { meetingId: b.meeting.id, cardId: 'shape:again' }
    expect((await api(server.baseUrl, 'POST', `/api/processes/${processId}/not-same`, { token: a.keys.facilitator, body: undo })).status).toBe(403)
    expect((await api(server.baseUrl, 'POST', `/api/processes/${processId}/not-same`, { token: b.keys.participant, body: undo })).status).toBe(403)
    const done = await api(server.baseUrl, 'POST', `/api/processes/${processId}/not-same`, { token: b.keys.facilitator, body: undo })
    expect(done.status).toBe(200)
    expect(done.body.process.notSameActors).toEqual([undo])
    expect((await story()).matches).toEqual([])
    const again = await api(server.baseUrl, 'POST', `/api/processes/${processId}/not-same`, { token: STAFF, body: { ...undo, same: true } })
    expect(again.body.process.notSameActors).toEqual([])
  })

  it('PS6: deleting a process needs the count of its meetings, then erases them like a meeting erase', async () => {
    const server = await resources.start()
    const processId = await newProcess(server)
    const first = await meetingWithMaps(server, processId)
    const next = (await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, { token: STAFF, body: { title: 'Secondo' } })).body as CreateMeetingResponse
    const kept = await createMeeting(server.baseUrl, { title: 'Fuori dal processo' })
    const path = `/api/processes/${processId}`
    const refused = await api(server.baseUrl, 'DELETE', path, { token: STAFF })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toContain('has 2 meetings')
    expect((await api(server.baseUrl, 'DELETE', `${path}?confirm=1`, { token: STAFF })).status).toBe(409)
    // still all there
    expect((await api(server.baseUrl, 'GET', `/api/meetings/${first.meeting.id}`, { token: STAFF })).status).toBe(200)

    const erased = await api(server.baseUrl, 'DELETE', `${path}?confirm=2`, { token: STAFF })
    expect(erased.status).toBe(200)
    expect(new Set(erased.body.meetings)).toEqual(new Set([first.meeting.id, next.meeting.id]))
    for (const m of [first, next]) {
      expect((await api(server.baseUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: STAFF })).status).toBe(404)
      expect(await server.docStore.load(m.meeting.id as never).then((d) => d.updates.length)).toBe(0)
    }
    expect((await api(server.baseUrl, 'GET', path, { token: STAFF })).status).toBe(404)
    expect((await api(server.baseUrl, 'GET', `/api/meetings/${kept.meeting.id}`, { token: STAFF })).status).toBe(200)
  })
})
