import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { META_MAP, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'
import type { DecidimClosePayload } from '../../shared/src/report/index.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, createMeeting, meetingServersClosedAfterEach, type BoardClient } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()

const SEED = {
  title: '1° incontro della Equipe inter-servizio',
  reference: 'par-MEET-2025-09-622',
  startsAt: '2025-09-15T09:00:00+02:00',
  endsAt: '2025-09-15T11:00:00+02:00',
  place: 'Municipio di Santarcangelo di Romagna, Piazza Ganganelli 1',
  organisations: ['Amministrazione comunale (dirigenti, funzionari di diversi settori e servizi)'],
  attendeesCount: 6,
}

function write(client: BoardClient, records: Array<Record<string, unknown>>): void {
  client.doc.transact(() => {
    client.doc.getMap(META_MAP).set(SCHEMA_KEY, createTLSchema().serialize())
    for (const r of records) client.records.set(String(r.id), r)
  })
}

async function seeded() {
  const server = await resources.start()
  const created = await createMeeting(server.baseUrl, SEED)
  const { meeting, keys } = created
  const client = resources.connect(server.wsUrl, meeting.id, keys.facilitator)
  await client.synced
  write(client, buildSeedBoard('final'))
  const path = `/api/meetings/${meeting.id}`
  await waitFor(async () => (await api(server.baseUrl, 'GET', `${path}/report?version=live&format=json`, { token: keys.facilitator })).body?.maps?.length === 4, 5000, 'live board written')
  const saved = await api(server.baseUrl, 'POST', `${path}/versions`, { token: keys.facilitator, body: { label: 'Stato finale' } })
  expect(saved.status).toBe(201)
  const get = (query: string, token: string | undefined = keys.facilitator) => api(server.baseUrl, 'GET', `${path}/report${query}`, { token })
  return { server, meeting, keys, client, path, get }
}

describe('GET /api/meetings/:id/report', () => {
  it('every format, with its Content-Type, from the latest version by default (RP2: no script in the HTML)', async () => {
    const { get } = await seeded()
    const md = await get('')
    expect(md.status).toBe(200)
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(md.body).toContain('# 1° incontro della Equipe inter-servizio')
    expect(md.body).toContain('- **Versione:** 1: Stato finale')
    expect(md.body).toContain('- **Conteggio dei partecipanti:** 6')
    expect(md.body).toContain('| **Reti solidali attive** | Gruppi CIVIVO | Esperienze collaborative esistenti | — |')

    const html = await get('?format=html&locale=en')
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    // RP2: no script, no framing by another site, no form or <base> that could send or redirect anything
    const policy = new Set((html.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim()))
    for (const directive of ["default-src 'none'", "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'"]) {
      expect(policy, directive).toContain(directive)
    }
    expect([...policy].some((d) => d.startsWith('script-src'))).toBe(false)
    expect(html.body).toContain('<html lang="en">')
    expect(html.body).toContain('<h2>Results</h2>')

    const json = await get('?format=json')
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(json.body).toMatchObject({ version: { number: 1, label: 'Stato finale' }, attendees: { count: 6 }, contributionsCount: 43 })
    expect(json.body.maps.map((m: { kind: string }) => m.kind)).toEqual(['issues', 'actors', 'architecture', 'programme'])

    const decidim = await get('?format=decidim')
    expect(decidim.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const payload = decidim.body as DecidimClosePayload
    expect(payload).toMatchObject({ attendeesCount: 6, contributionsCount: 43, closedAt: SEED.endsAt, closingVisible: true, proposalIds: [] })
    expect(payload.attendingOrganizations).toBe(SEED.organisations[0])
  })

  it('RP1 version=live reads the live board; version=n that version; what was written escaped in every format', async () => {
    const { client, get } = await seeded()
    write(client, [noteRecord({ id: 'shape:evil', parentId: 'shape:demo-issues', x: 60, y: 900, text: '<script>alert(1)</script> <img src=x onerror=alert(1)>', order: 80 })])
    await waitFor(async () => String((await get('?version=live')).body).includes('alert'), 5000, 'the live note')
    expect((await get('?version=1')).body).not.toContain('alert')
    for (const format of ['md', 'html', 'decidim']) {
      const body = JSON.stringify((await get(`?version=live&format=${format}`)).body)
      expect(body).not.toMatch(/<script|<img src=x/)
      expect(body).toContain('&lt;script&gt;')
    }
  })

  it('embeds the SVG images stored with the version', async () => {
    const { server, path, keys, get } = await seeded()
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
    const put = await api(server.baseUrl, 'PUT', `${path}/versions/1/images`, { token: keys.facilitator, body: { images: [{ frameId: 'shape:demo-actors', svg }] } })
    expect(put.status).toBe(200)
    const html = await get('?format=html')
    expect(html.body).toContain(`src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"`)
  })

  it('roles: facilitators always; participants and viewers as versionsVisibleTo allows; no key or a wrong one 401', async () => {
    const { server, path, keys, get } = await seeded()
    const formats = ['md', 'html', 'json', 'decidim']
    const statuses = async (token: string) => Promise.all(formats.map(async (f) => (await get(`?format=${f}`, token)).status))
    expect(await statuses(keys.facilitator)).toEqual([200, 200, 200, 200])
    expect(await statuses(keys.participant)).toEqual([403, 403, 403, 403])
    expect(await statuses(keys.viewer)).toEqual([403, 403, 403, 403])
    const refused = await get('', keys.participant)
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('visible') })
    expect((await api(server.baseUrl, 'PATCH', path, { token: keys.facilitator, body: { versionsVisibleTo: 'participants' } })).status).toBe(200)
    expect(await statuses(keys.participant)).toEqual([200, 200, 200, 200])
    expect(await statuses(keys.viewer)).toEqual([403, 403, 403, 403])
    expect((await api(server.baseUrl, 'PATCH', path, { token: keys.facilitator, body: { versionsVisibleTo: 'everyone' } })).status).toBe(200)
    expect(await statuses(keys.viewer)).toEqual([200, 200, 200, 200])
    expect((await api(server.baseUrl, 'GET', `${path}/report`)).status).toBe(401)
    expect((await get('', 'not-a-key')).status).toBe(401)
  })

  it('the admin token reads every meeting’s report, as a facilitator', async () => {
    const server = await resources.start({ adminToken: 'staff-secret' })
    const { meeting, keys } = await createMeeting(server.baseUrl, SEED, 'staff-secret')
    const path = `/api/meetings/${meeting.id}/report?format=decidim`
    expect((await api(server.baseUrl, 'GET', path, { token: 'staff-secret' })).status).toBe(200)
    expect((await api(server.baseUrl, 'GET', path, { token: keys.participant })).status).toBe(403)
  })

  it('bad parameters: 400 or 404 with a message, nothing else', async () => {
    const { server, get } = await seeded()
    const cases: Array<[string, number, string, RegExp]> = [
      ['?format=pdf', 400, 'invalid_parameter', /format must be one of md, html, json, decidim/],
      ['?locale=fr', 400, 'invalid_parameter', /locale must be one of it, en/],
      ['?version=abc', 400, 'invalid_version', /version must be a version number/],
      ['?version=0', 400, 'invalid_version', /version must be a version number/],
      ['?version=99', 404, 'not_found', /99/],
      ['?format=md&format=html', 400, 'invalid_parameter', /format must be given once/],
    ]
    for (const [query, status, code, message] of cases) {
      const res = await get(query)
      expect({ query, status: res.status, code: res.body?.error?.code }).toEqual({ query, status, code })
      expect(res.body.error.message).toMatch(message)
    }
    const unknown = await api(server.baseUrl, 'GET', '/api/meetings/AAAAAAAAAAAAAAAA/report', { token: 'x' })
    expect(unknown.status).toBe(404)
  })

  it('RP3 a meeting without versions reports its live board; the suggested count is the named people seen on it', async () => {
    const server = await resources.start()
    const { meeting, keys } = await createMeeting(server.baseUrl, { title: 'Laboratorio' })
    const get = (q: string) => api(server.baseUrl, 'GET', `/api/meetings/${meeting.id}/report${q}`, { token: keys.facilitator })
    const first = await get('?format=json')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ version: null, suggestedAttendees: null, maps: [] })
    const people: Array<[string, string]> = [
      [keys.participant, 'Anna'],
      [keys.participant, 'Marco'],
      [keys.facilitator, 'anna '], // the same person on another device
      [keys.viewer, 'Proiettore'], // viewers are not participants
    ]
    for (const [key, name] of people) {
      const c = resources.connect(server.wsUrl, meeting.id, key)
      await c.synced
      c.provider.awareness.setLocalStateField('user', { id: name, name, color: '#000' })
    }
    await waitFor(async () => (await get('?format=json')).body.suggestedAttendees === 2, 5000, 'two named participants')
    expect((await get('')).body).toContain('non indicato (sulla lavagna: 2 persone con un nome)')
    expect(JSON.parse(JSON.stringify((await get('?format=decidim')).body)).attendeesCount).toBe(2)
  })

  it('issue 19 item 10 / issue 17 finding 6: one connection publishing 1,000 names is one person; a viewer and unnamed pages are none', async () => {
    const server = await resources.start()
    const { meeting, keys } = await createMeeting(server.baseUrl, { title: 'Conteggio' })
    const get = (q: string) => api(server.baseUrl, 'GET', `/api/meetings/${meeting.id}/report${q}`, { token: keys.facilitator })
    const watcher = resources.connect(server.wsUrl, meeting.id, keys.facilitator)
    await watcher.synced
    watcher.provider.awareness.setLocalStateField('user', { id: 'f', name: 'Federica', color: '#000' })
    const hostile = resources.connect(server.wsUrl, meeting.id, keys.participant)
    await hostile.synced
    for (let i = 0; i < 1000; i++) hostile.provider.awareness.setLocalStateField('user', { id: `h${i}`, name: `Persona ${i}`, color: '#000' })
    // a viewer claiming to be a participant, and two pages whose person has not typed a name yet
    const wall = resources.connect(server.wsUrl, meeting.id, keys.viewer)
    await wall.synced
    wall.provider.awareness.setLocalStateField('user', { id: 'wall', name: 'Sala', color: '#000', role: 'participant' })
    for (const key of [keys.participant, keys.facilitator]) {
      const unnamed = resources.connect(server.wsUrl, meeting.id, key)
      await unnamed.synced
      unnamed.provider.awareness.setLocalStateField('user', { id: `u-${key}`, name: '…', color: '#000' })
    }
    const lastSeen = () => [...watcher.provider.awareness.getStates().values()].some((st) => (st.user as { name?: string } | undefined)?.name === 'Persona 999')
    await waitFor(() => lastSeen() && watcher.provider.awareness.getStates().size === 5, 10_000, 'every presence relayed')
    await waitFor(async () => (await get('?format=json')).body.suggestedAttendees !== null, 5000, 'a suggestion')
    expect((await get('?format=json')).body.suggestedAttendees).toBe(2)
    expect((await get('?format=decidim')).body.attendeesCount).toBe(2)
    expect((await get('')).body).toContain('non indicato (sulla lavagna: 2 persone con un nome)')
  })
})
