/**
 * Versions over REST (server/src/versions/SPEC.md): every endpoint, every role, bad input. A real server wired like
 * main.ts, real y-websocket clients writing valid tldraw records.
 */
import { describe, expect, it } from 'vitest'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { Config } from '../../server/src/config.ts'
import { contentHashOf } from '../../server/src/versions/versionService.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { api, createMeeting, meetingServersClosedAfterEach, type MeetingServer } from './meetingServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { semanticDiff } from '../../shared/src/maps/semanticDiff.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { boardOf, listVersions, note, saveVersion, textIn, waitForLive, writeRecords } from './versionsHarness.ts'

const resources = meetingServersClosedAfterEach()
const ADMIN = 'admin-token-for-versions-tests'

async function setup(options: { adminToken?: string; config?: Partial<Config> } = {}) {
  const s = await resources.start({ ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }), config: options.config })
  const m = await createMeeting(s.baseUrl, { title: 'Laboratorio', reference: 'par-MEET-2025-09-622' }, options.adminToken)
  const writer = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
  await writer.synced
  return { s, m, writer }
}

/** Writes records and waits until the server has them. */
async function write(s: MeetingServer, m: CreateMeetingResponse, writer: ReturnType<typeof resources.connect>, records: ReturnType<typeof boardOf>) {
  writeRecords(writer, records)
  await waitForLive(s.baseUrl, m, (live) => records.every((r) => live.some((l) => l.id === r.id && JSON.stringify(l) === JSON.stringify(r))))
}

describe('saving and reading versions', () => {
  it('V1, V5: save answers 201 with the version, then 200 created:false while nothing changed; list is newest first', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(3))
    const first = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/versions`, {
      token: m.keys.facilitator,
      body: { label: 'Prima stesura', note: 'dopo il giro di tavolo', authorName: 'Anna' },
    })
    expect(first.status).toBe(201)
    expect(first.body.created).toBe(true)
    expect(first.body.version).toMatchObject({
      number: 1,
      label: 'Prima stesura',
      note: 'dopo il giro di tavolo',
      kind: 'manual',
      author: { name: 'Anna', role: 'facilitator' },
      counts: { shapes: 3, byType: { note: 3 } },
      restoredFrom: null,
      hasImages: false,
    })
    expect(first.body.version.contentHash).toMatch(/^[0-9a-f]{64}$/)
    const same = await saveVersion(s.baseUrl, m, 'di nuovo')
    expect(same.status).toBe(200)
    expect(same.body).toEqual({ version: first.body.version, created: false })

    await write(s, m, writer, [note('n0', 'idea cambiata')])
    const second = await saveVersion(s.baseUrl, m, 'Seconda')
    expect(second.status).toBe(201)
    expect(second.body.version.number).toBe(2)

    const list = await listVersions(s.baseUrl, m)
    expect(list.status).toBe(200)
    expect(list.body.total).toBe(2)
    expect(list.body.versions.map((v: { number: number }) => v.number)).toEqual([2, 1])
    expect(list.body.versions[0]).not.toHaveProperty('records')

    const one = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/1`, { token: m.keys.facilitator })
    expect(one.status).toBe(200)
    expect(one.body.version.schema).toEqual(serverSerializedSchema())
    expect(textIn(one.body.version.records, 'shape:n0')).toBe('idea 0')
    // V4: the hash is the canonical hash of the records, whatever their order
    expect(one.body.version.contentHash).toBe(contentHashOf([...one.body.version.records].reverse()))
  })

  it('V8: diff of two versions and of a version with the live board: added, removed, changed text, moved', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(3))
    await saveVersion(s.baseUrl, m, 'uno')
    await write(s, m, writer, [note('n0', 'testo nuovo'), note('n1', 'idea 1', 500, 300), note('added', 'nuova')])
    writer.records.delete('shape:n2')
    await waitForLive(s.baseUrl, m, (live) => !live.some((r) => r.id === 'shape:n2'))
    await saveVersion(s.baseUrl, m, 'due')
    const diff = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/1/diff/2`, { token: m.keys.facilitator })
    expect(diff.status).toBe(200)
    expect(diff.body.from).toBe(1)
    expect(diff.body.to).toBe(2)
    const d = diff.body.diff
    expect(d.added.map((x: { id: string }) => x.id)).toEqual(['shape:added'])
    expect(d.removed.map((x: { id: string; text: string }) => [x.id, x.text])).toEqual([['shape:n2', 'idea 2']])
    expect(d.changed).toEqual([
      expect.objectContaining({ fields: ['props.richText'], text: { before: 'idea 0', after: 'testo nuovo' } }),
    ])
    expect(d.moved).toEqual([expect.objectContaining({ from: { x: 220, y: 0 }, to: { x: 500, y: 300 }, parent: null })])
    expect(d.summary).toEqual({ added: 1, removed: 1, changed: 1, moved: 1, others: 0 })

    await write(s, m, writer, [note('live', 'solo dal vivo')])
    const live = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/2/diff/live`, { token: m.keys.facilitator })
    expect(live.status).toBe(200)
    expect(live.body.to).toBe('live')
    expect(live.body.diff.added.map((x: { text: string }) => x.text)).toEqual(['solo dal vivo'])
  })

  it('V8, V14: the diff of the seed maps says in words what the whole boards say, also from rows stored before outlines', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { join } = await import('node:path')
    const dataDir = mkdtempSync(join((await import('node:os')).tmpdir(), 'tavolo-v-'))
    const first = await resources.start({ dataDir })
    const m = await createMeeting(first.baseUrl, { title: 'Mappe' })
    // the maps' locked drawing is the facilitator's to write (lock guard)
    const writer = resources.connect(first.wsUrl, m.meeting.id, m.keys.facilitator)
    await writer.synced
    const draft = buildSeedBoard('draft') as ReturnType<typeof boardOf>
    const final = buildSeedBoard('final') as ReturnType<typeof boardOf>
    await write(first, m, writer, draft)
    await saveVersion(first.baseUrl, m, 'bozza')
    writer.doc.transact(() => {
      for (const r of draft) if (!final.some((f) => f.id === r.id)) writer.records.delete(r.id)
    })
    await write(first, m, writer, final)
    await waitForLive(first.baseUrl, m, (live) => live.length === final.length)
    await saveVersion(first.baseUrl, m, 'finale')
    const path = `/api/meetings/${m.meeting.id}/versions`
    const token = { token: m.keys.facilitator }
    const [one, two] = await Promise.all([1, 2].map(async (n) => (await api(first.baseUrl, 'GET', `${path}/${n}`, token)).body.version.records))
    const whole = semanticDiff(one, two)
    expect(whole.length).toBeGreaterThan(3)
    const diff = await api(first.baseUrl, 'GET', `${path}/1/diff/2`, token)
    expect(diff.body.semantic).toEqual(whole)
    expect((await api(first.baseUrl, 'GET', `${path}/1/diff/live`, token)).body).toEqual({ ...diff.body, to: 'live' })
    // a map frame renamed with a card edited: the semantic part reads both whole boards, and says the same
    const frame = structuredClone(final.find((r) => r.id === 'shape:demo-actors')!)
    const card = structuredClone(final.find((r) => r.parentId === 'shape:demo-actors' && r.type === 'note')!)
    ;(frame.props as { name: string }).name = 'Chi partecipa'
    ;(card.props as { richText: unknown }).richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Nuovo nome' }] }] }
    await write(first, m, writer, [frame, card])
    const framed = await api(first.baseUrl, 'GET', `${path}/2/diff/live`, token)
    const live = (await api(first.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/export`, token)).body.records
    expect(framed.body.semantic).toEqual(semanticDiff(two, live))
    expect(framed.body.semantic.length).toBeGreaterThan(0)
    expect(framed.body.diff.changed.map((c: { shape: { id: string } }) => c.shape.id).sort()).toEqual([card.id, frame.id].sort())
    resources.destroyClients()
    await first.stop()

    // the rows as a Tavolo before outlines wrote them
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(join(dataDir, 'tavolo.sqlite'))
    db.exec('ALTER TABLE versions DROP COLUMN records_outline')
    db.exec('DROP TABLE version_restore_intents')
    db.prepare("UPDATE tavolo_schema SET version = 1 WHERE component = 'versions'").run()
    db.close()
    const second = await resources.start({ dataDir })
    const again = await api(second.baseUrl, 'GET', `${path}/1/diff/2`, token)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(diff.body)
    expect((await api(second.baseUrl, 'GET', `${path}/2/diff/1`, token)).body.semantic).toEqual(semanticDiff(two, one))
    await second.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('V7: a version saved while the room is not loaded holds the stored board', async () => {
    const dataDir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'tavolo-v-'))
    const first = await resources.start({ dataDir })
    const m = await createMeeting(first.baseUrl, { title: 'Riavvio' })
    const writer = resources.connect(first.wsUrl, m.meeting.id, m.keys.participant)
    await writer.synced
    await write(first, m, writer, boardOf(2))
    resources.destroyClients()
    await first.stop()
    const second = await resources.start({ dataDir })
    expect(second.server.rooms.getRoom(m.meeting.id as never)).toBeUndefined()
    const saved = await saveVersion(second.baseUrl, m, 'a stanza chiusa')
    expect(saved.status).toBe(201)
    expect(saved.body.version.counts.shapes).toBe(2)
    ;(await import('node:fs')).rmSync(dataDir, { recursive: true, force: true })
  })

  it('V6: close-session saves a session-end version once, then answers the unchanged latest', async () => {
    const { s, m, writer } = await setup()
    const empty = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/close-session`, { token: m.keys.facilitator })
    expect(empty.status).toBe(200)
    expect(empty.body).toMatchObject({ version: null, created: false, session: { state: 'closed', version: null } })
    // closed: the participant's board is read-only (SE2) until the facilitator reopens it
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/reopen-session`, { token: m.keys.facilitator })).status).toBe(200)
    await write(s, m, writer, boardOf(1))
    const closed = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/close-session`, { token: m.keys.facilitator, body: { authorName: 'Anna' } })
    expect(closed.status).toBe(201)
    expect(closed.body.version).toMatchObject({ number: 1, kind: 'session-end', label: 'Fine sessione', author: { name: 'Anna', role: 'facilitator' } })
    const again = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/close-session`, { token: m.keys.facilitator })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ version: closed.body.version, created: false, session: { state: 'closed', version: 1 } })
  })
})

describe('export, import and copy', () => {
  it('V10, V11: an export imports into a new meeting with new keys, an imported version 1 and the same board', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(4))
    await saveVersion(s.baseUrl, m, 'uno')
    const exported = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/1/export`, { token: m.keys.facilitator })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="tavolo-par-MEET-2025-09-622-v1.json"')
    expect(exported.body).toMatchObject({ format: 'tavolo-board', formatVersion: 1, meeting: { title: 'Laboratorio' }, version: { number: 1, label: 'uno' } })
    const liveExport = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/export`, { token: m.keys.facilitator })
    expect(liveExport.body.version).toBeNull()

    const imported = await api(s.baseUrl, 'POST', '/api/meetings/import', { body: exported.body, token: TEST_STAFF_TOKEN })
    expect(imported.status).toBe(201)
    const n = imported.body
    expect(n.meeting.id).not.toBe(m.meeting.id)
    // issue 19 item 12: the copy says it is one, of when, and names its source
    const today = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: 'numeric', month: 'numeric', year: 'numeric' }).format(new Date()).replace(/(^|\/)0/g, '$1')
    expect(n.meeting.title).toBe(`Laboratorio (copia del ${today})`)
    expect(n.meeting.description).toBe(`Importata da un file di «Laboratorio» (par-MEET-2025-09-622), il ${today}.`)
    expect(n.keys.facilitator).not.toBe(m.keys.facilitator)
    expect(n.links.participant).toBe(`/board/${n.meeting.id}#k=${n.keys.participant}`)
    expect(n.version).toMatchObject({ number: 1, kind: 'imported' })
    const reader = resources.connect(s.wsUrl, n.meeting.id, n.keys.viewer)
    await reader.synced
    expect(reader.records.map.size).toBe(6)
    expect(n.version.contentHash).toBe(contentHashOf(exported.body.records))
  })

  it('V11: "Apri come nuova riunione" copies version n into a new meeting and leaves the original untouched', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(2))
    await saveVersion(s.baseUrl, m, 'uno')
    await write(s, m, writer, [note('later', 'dopo')])
    const before = await listVersions(s.baseUrl, m)
    const copy = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/versions/1/copy`, { token: TEST_STAFF_TOKEN })
    expect(copy.status).toBe(201)
    const today = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: 'numeric', month: 'numeric', year: 'numeric' }).format(new Date()).replace(/(^|\/)0/g, '$1')
    expect(copy.body.meeting.title).toBe(`Laboratorio (copia del ${today})`)
    expect(copy.body.meeting.description).toBe(`Copia di «Laboratorio» (par-MEET-2025-09-622), versione 1, il ${today}.`)
    expect(copy.body.meeting.reference).toBe('par-MEET-2025-09-622')
    expect(copy.body.version).toMatchObject({ number: 1, kind: 'imported', counts: { shapes: 2 } })
    const reader = resources.connect(s.wsUrl, copy.body.meeting.id, copy.body.keys.participant)
    await reader.synced
    expect(reader.records.has('shape:later')).toBe(false)
    expect(reader.records.has('shape:n1')).toBe(true)
    expect((await listVersions(s.baseUrl, m)).body).toEqual(before.body)
  })

  it('V10: a broken import file gets the right 4xx with a message naming the problem, and no meeting is made', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(2))
    const good = (await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/export`, { token: m.keys.facilitator })).body
    const meetingsBefore = (await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings.length
    const tryImport = (body: unknown, raw?: string) =>
      api(s.baseUrl, 'POST', '/api/meetings/import', raw === undefined ? { body, token: TEST_STAFF_TOKEN } : { rawBody: raw, token: TEST_STAFF_TOKEN })

    const corrupt = await tryImport(null, '{"format": "tavolo-board", "records": [')
    expect(corrupt.status).toBe(400)
    expect(corrupt.body.error.code).toBe('invalid_json')

    const notAFile = await tryImport({ hello: 'world' })
    expect(notAFile.status).toBe(400)
    expect(notAFile.body.error.message).toMatch(/format/)

    const wrongProps = structuredClone(good)
    const at = wrongProps.records.findIndex((r: { id: string }) => r.id === 'shape:n1')
    wrongProps.records[at].props.color = 'purplish'
    const badProps = await tryImport(wrongProps)
    expect(badProps.status).toBe(400)
    expect(badProps.body.error.code).toBe('invalid_body')
    expect(badProps.body.error.message).toContain(`records[${at}] (shape:n1).props.color`)
    expect(badProps.body.error.details[0]).toEqual({ path: `records[${at}] (shape:n1).props.color`, message: expect.stringContaining('purplish') })

    const newer = structuredClone(good)
    newer.schema.sequences['com.tldraw.shape.note'] = 99
    const tooNew = await tryImport(newer)
    expect(tooNew.status).toBe(400)
    expect(tooNew.body.error.code).toBe('unsupported_schema')
    expect(tooNew.body.error.message).toMatch(/newer tldraw.*com\.tldraw\.shape\.note/)

    const orphan = structuredClone(good)
    orphan.records = orphan.records.filter((r: { typeName: string }) => r.typeName !== 'page')
    const noPage = await tryImport(orphan)
    expect(noPage.status).toBe(400)
    expect(noPage.body.error.message).toMatch(/parentId: no page or shape page:page/)

    const noTitle = structuredClone(good)
    noTitle.meeting.title = ''
    expect((await tryImport(noTitle)).body.error.message).toMatch(/meeting\.title/)

    const huge = await tryImport(null, JSON.stringify({ ...good, padding: 'x'.repeat(33 * 1024 * 1024) }))
    expect(huge.status).toBe(413)
    expect(huge.body.error.code).toBe('payload_too_large')

    expect((await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings.length).toBe(meetingsBefore)
  })

  it('V10: a file from an older tldraw (notes with plain text) is migrated on import', async () => {
    const s = await resources.start()
    const sequences = { ...serverSerializedSchema().sequences, 'com.tldraw.shape.note': 8 }
    const oldNote = {
      id: 'shape:old', typeName: 'shape', type: 'note', parentId: 'page:page', index: 'a1', x: 0, y: 0, rotation: 0, opacity: 1,
      isLocked: false, meta: {},
      props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', text: 'Pro Loco', scale: 1 },
    }
    const file = {
      format: 'tavolo-board', formatVersion: 1, meeting: { title: 'Da un vecchio Tavolo' },
      schema: { schemaVersion: 2, sequences }, records: [{ id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} }, oldNote],
    }
    const res = await api(s.baseUrl, 'POST', '/api/meetings/import', { body: file, token: TEST_STAFF_TOKEN })
    expect(res.status).toBe(201)
    const version = await api(s.baseUrl, 'GET', `/api/meetings/${res.body.meeting.id}/versions/1`, { token: res.body.keys.facilitator })
    expect(version.body.version.schema).toEqual(serverSerializedSchema())
    expect(textIn(version.body.version.records, 'shape:old')).toBe('Pro Loco')
    const newer = await api(s.baseUrl, 'POST', '/api/meetings/import', { body: { ...file, formatVersion: 2 }, token: TEST_STAFF_TOKEN })
    expect(newer.status).toBe(400)
    expect(newer.body.error.code).toBe('unsupported_schema')
  })
})

describe('images of map frames', () => {
  it('V13: PUT replaces the images, GET returns them inside JSON; scripts and unknown versions are refused', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(1))
    await saveVersion(s.baseUrl, m, 'uno')
    const path = `/api/meetings/${m.meeting.id}/versions/1/images`
    const images = [{ frameId: 'shape:map1', svg: '<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>' }]
    const put = await api(s.baseUrl, 'PUT', path, { token: m.keys.facilitator, body: { images } })
    expect(put.status).toBe(200)
    const got = await api(s.baseUrl, 'GET', path, { token: m.keys.facilitator })
    expect(got.headers.get('content-type')).toMatch(/^application\/json/)
    expect(got.body).toEqual({ number: 1, images })
    expect((await listVersions(s.baseUrl, m)).body.versions[0].hasImages).toBe(true)
    for (const svg of ['<svg><script>alert(1)</script></svg>', '<svg onload="alert(1)"></svg>', '<svg><a href="javascript:x">a</a></svg>']) {
      const bad = await api(s.baseUrl, 'PUT', path, { token: m.keys.facilitator, body: { images: [{ frameId: 'shape:x', svg }] } })
      expect(bad.status, svg).toBe(400)
    }
    expect((await api(s.baseUrl, 'PUT', path.replace('/1/', '/7/'), { token: m.keys.facilitator, body: { images } })).status).toBe(404)
    expect((await api(s.baseUrl, 'GET', path, { token: m.keys.facilitator })).body.images).toEqual(images)
  })
})

describe('V12: permissions for every role', () => {
  type Who = 'facilitator' | 'participant' | 'viewer' | 'admin' | 'none' | 'wrong'
  const WHO: Who[] = ['facilitator', 'participant', 'viewer', 'admin', 'none', 'wrong']
  const tokenOf = (m: CreateMeetingResponse, who: Who): string | undefined =>
    who === 'admin' ? ADMIN : who === 'none' ? undefined : who === 'wrong' ? 'B'.repeat(32) : m.keys[who]

  it('making versions: facilitator and admin only; reading: as versionsVisibleTo says', async () => {
    // This table presents dozens of wrong tokens on purpose; the throttle on them (meetings SPEC Q3) is tested apart.
    const { s, m, writer } = await setup({ adminToken: ADMIN, config: { authFailureLimit: 10_000 } })
    await write(s, m, writer, boardOf(1))
    await saveVersion(s.baseUrl, m, 'uno')
    const id = m.meeting.id
    const writes: Array<[string, string, unknown]> = [
      ['POST', `/api/meetings/${id}/versions`, { label: 'x' }],
      ['POST', `/api/meetings/${id}/close-session`, undefined],
      ['POST', `/api/meetings/${id}/versions/1/restore`, undefined],
      ['PUT', `/api/meetings/${id}/versions/1/images`, { images: [] }],
    ]
    const reads: Array<[string, string]> = [
      ['GET', `/api/meetings/${id}/versions`],
      ['GET', `/api/meetings/${id}/versions/1`],
      ['GET', `/api/meetings/${id}/versions/1/diff/live`],
      ['GET', `/api/meetings/${id}/versions/1/export`],
      ['GET', `/api/meetings/${id}/export`],
      ['GET', `/api/meetings/${id}/versions/1/images`],
    ]
    const expected = (who: Who, allowed: boolean) => (who === 'none' || who === 'wrong' ? 401 : allowed ? 'ok' : 403)
    const check = async (method: string, path: string, body: unknown, who: Who, allowed: boolean) => {
      const res = await api(s.baseUrl, method, path, { token: tokenOf(m, who), body })
      const want = expected(who, allowed)
      if (want === 'ok') expect(res.status, `${who} ${method} ${path}`).toBeLessThan(300)
      else {
        expect(res.status, `${who} ${method} ${path}`).toBe(want)
        expect(res.body.error.message.length).toBeGreaterThan(0)
      }
    }
    for (const who of WHO) {
      for (const [method, path, body] of writes) await check(method, path, body, who, who === 'facilitator' || who === 'admin')
    }
    for (const visibleTo of ['facilitators', 'participants', 'everyone'] as const) {
      const patched = await api(s.baseUrl, 'PATCH', `/api/meetings/${id}`, { token: m.keys.facilitator, body: { versionsVisibleTo: visibleTo } })
      expect(patched.body.meeting.versionsVisibleTo).toBe(visibleTo)
      for (const who of WHO) {
        const allowed =
          who === 'facilitator' || who === 'admin' || (who === 'participant' && visibleTo !== 'facilitators') || (who === 'viewer' && visibleTo === 'everyone')
        for (const [method, path] of reads) await check(method, path, undefined, who, allowed)
      }
    }
    // copy and import create meetings: only staff (meetings SPEC S1)
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/versions/1/copy`, { token: m.keys.facilitator })).status).toBe(403)
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/versions/1/copy`, { token: m.keys.participant })).status).toBe(403)
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/versions/1/copy`, { token: ADMIN })).status).toBe(201)
    const file = (await api(s.baseUrl, 'GET', `/api/meetings/${id}/export`, { token: ADMIN })).body
    expect((await api(s.baseUrl, 'POST', '/api/meetings/import', { body: file })).status).toBe(401)
    expect((await api(s.baseUrl, 'POST', '/api/meetings/import', { body: file, token: m.keys.facilitator })).status).toBe(401)
    expect((await api(s.baseUrl, 'POST', '/api/meetings/import', { body: file, token: ADMIN })).status).toBe(201)
    const bad = await api(s.baseUrl, 'PATCH', `/api/meetings/${id}`, { token: m.keys.facilitator, body: { versionsVisibleTo: 'nobody' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/versionsVisibleTo/)
  })

  it('bad paths and bodies: unknown meeting 404, unknown version 404, non-number 400, bad label 400; nothing changes', async () => {
    const { s, m, writer } = await setup()
    await write(s, m, writer, boardOf(1))
    await saveVersion(s.baseUrl, m, 'uno')
    const id = m.meeting.id
    const token = m.keys.facilitator
    const cases: Array<[string, string, unknown, number, string]> = [
      ['GET', `/api/meetings/AAAAAAAAAAAAAAAA/versions`, undefined, 404, 'not_found'],
      ['GET', `/api/meetings/${id}/versions/9`, undefined, 404, 'not_found'],
      ['GET', `/api/meetings/${id}/versions/abc`, undefined, 400, 'invalid_version'],
      ['GET', `/api/meetings/${id}/versions/0`, undefined, 400, 'invalid_version'],
      ['GET', `/api/meetings/${id}/versions/1.5`, undefined, 400, 'invalid_version'],
      ['GET', `/api/meetings/${id}/versions/1/diff/9`, undefined, 404, 'not_found'],
      ['GET', `/api/meetings/${id}/versions/1/diff/latest`, undefined, 400, 'invalid_version'],
      ['GET', `/api/meetings/${id}/versions/9/export`, undefined, 404, 'not_found'],
      ['POST', `/api/meetings/${id}/versions/9/restore`, undefined, 404, 'not_found'],
      ['POST', `/api/meetings/${id}/versions/x/restore`, undefined, 400, 'invalid_version'],
      // copying creates a meeting: staff only (meetings SPEC S1), so a facilitator key is refused before the number
      ['POST', `/api/meetings/${id}/versions/9/copy`, undefined, 403, 'forbidden'],
      ['POST', `/api/meetings/${id}/versions`, {}, 400, 'invalid_body'],
      ['POST', `/api/meetings/${id}/versions`, { label: '   ' }, 400, 'invalid_body'],
      ['POST', `/api/meetings/${id}/versions`, { label: 'x'.repeat(201) }, 400, 'invalid_body'],
      ['POST', `/api/meetings/${id}/versions`, { label: 'ok', extra: 1 }, 400, 'invalid_body'],
      ['POST', `/api/meetings/${id}/close-session`, { authorName: 5 }, 400, 'invalid_body'],
    ]
    const meetingsBefore = (await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings.length
    for (const [method, path, body, status, code] of cases) {
      const res = await api(s.baseUrl, method, path, { token, body })
      expect(res.status, `${method} ${path}`).toBe(status)
      expect(res.body.error.code, `${method} ${path}`).toBe(code)
      expect(res.body.error.message.length).toBeGreaterThan(0)
    }
    const text = await api(s.baseUrl, 'POST', `/api/meetings/${id}/versions`, { token, rawBody: 'label=x', contentType: 'text/plain' })
    expect(text.status).toBe(415)
    const list = await listVersions(s.baseUrl, m)
    expect(list.body.total).toBe(1)
    expect((await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings.length).toBe(meetingsBefore)
  })
})
