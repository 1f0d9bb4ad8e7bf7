/**
 * Private brainstorming against a real server with real y-websocket clients (server/src/facilitation/SPEC.md,
 * PR1..PR9): the REST contract for every role, no private text in any frame (document or awareness) another client
 * receives before the reveal, the cards surviving a reload and a server restart, the reveal into the cells of the map
 * and into a saved version, and the erase.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { spawnServer } from '../helpers/childServer.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { plainTextOfShape } from '../../shared/src/board/richText.ts'
import { MAX_SHAPE_TEXT } from '../../shared/src/board/textLimit.ts'
import { FACILITATION_MAP } from '../../shared/src/facilitation/facilitationDoc.ts'
import { PRIVATE_CARDS_MAX, PRIVATE_KEY, roundFrame } from '../../shared/src/facilitation/privateRound.ts'
import { BoardIndex, type CardMeaning } from '../../shared/src/maps/meaning.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { recordingClient } from '../helpers/recordingClient.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, meetingServersClosedAfterEach } from './meetingServer.ts'
import { liveRecords, meetingWithBoard, saveVersion } from './versionsHarness.ts'

const resources = meetingServersClosedAfterEach()
const SEED = buildSeedBoard('final') as unknown as BoardRecord[]
const ISSUES = 'shape:demo-issues'
const FRAME = roundFrame(SEED, ISSUES)!
const device = (n: number) => `device-${String(n).padStart(12, '0')}`
/** The centre of the map's n-th cell, frame coordinates. */
const inCell = (n: number) => {
  const c = FRAME.cells[n]!
  return { x: c.x + c.w / 2, y: c.y + c.h / 2 }
}
const card = (id: string, text: string, at = inCell(0)) => ({ id: `pc_${id.padEnd(8, '0')}`, text, ...at })

const seededMeeting = (baseUrl: string, wsUrl: string) => meetingWithBoard(baseUrl, wsUrl, 'Scrittura individuale', SEED)

const rounds = (m: CreateMeetingResponse) => `/api/meetings/${m.meeting.id}/private-rounds`

async function startRound(baseUrl: string, m: CreateMeetingResponse, body: Record<string, unknown> = {}) {
  const res = await api(baseUrl, 'POST', rounds(m), { token: m.keys.facilitator, body: { frameId: ISSUES, ...body } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.round as { id: string; state: string; named: boolean }
}

describe('private rounds REST contract', () => {
  it('PR1..PR7: every role, bounds, the facilitator counts without texts, the reveal into the cells, a version holds them', async () => {
    const s = await resources.start()
    const m = await seededMeeting(s.baseUrl, s.wsUrl)
    for (const [token, status] of [[m.keys.participant, 403], [m.keys.viewer, 403], [undefined, 401]] as const) {
      expect((await api(s.baseUrl, 'POST', rounds(m), { token, body: { frameId: ISSUES } })).status).toBe(status)
    }
    expect((await api(s.baseUrl, 'POST', rounds(m), { token: m.keys.facilitator, body: { frameId: 'shape:nope' } })).status).toBe(400)
    expect((await api(s.baseUrl, 'POST', rounds(m), { token: m.keys.facilitator, body: { frameId: ISSUES, named: 'yes' } })).status).toBe(400)
    const round = await startRound(s.baseUrl, m, { named: true, durationMs: 300_000 })
    expect(round).toMatchObject({ state: 'open', named: true })
    // PR1: one open round at a time
    expect((await api(s.baseUrl, 'POST', rounds(m), { token: m.keys.facilitator, body: { frameId: ISSUES } })).status).toBe(409)

    const put = (token: string | undefined, voterId: string, cards: unknown[], name: string | null = null) =>
      api(s.baseUrl, 'PUT', `${rounds(m)}/${round.id}/cards/${voterId}`, { token, body: { name, cards } })
    const anna = [card('anna1', 'Orti condivisi nel cortile', inCell(0)), card('anna2', 'Biblioteca aperta la sera', inCell(1))]
    const ok = await put(m.keys.participant, device(1), anna, 'Anna')
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.cards).toEqual(anna)
    expect((await put(m.keys.facilitator, device(2), [card('luca1', 'Panchine all’ombra', inCell(0))], 'Luca')).status).toBe(200)
    // PR3, PR4, PR6: viewer, text bound, number bound, outside the frame
    expect((await put(m.keys.viewer, device(3), [card('v1', 'no')])).status).toBe(403)
    expect((await put(undefined, device(3), [card('v1', 'no')])).status).toBe(401)
    expect((await put(m.keys.participant, 'short', [card('v1', 'no')])).status).toBe(400)
    expect((await put(m.keys.participant, device(3), [card('long1', 'x'.repeat(MAX_SHAPE_TEXT + 1))])).status).toBe(400)
    expect((await put(m.keys.participant, device(3), [card('empty1', '   ')])).status).toBe(400)
    const many = Array.from({ length: PRIVATE_CARDS_MAX + 1 }, (_, i) => card(`many${i}`, `idea ${i}`))
    const tooMany = await put(m.keys.participant, device(3), many)
    expect(tooMany.status).toBe(409)
    expect(tooMany.body.error.message).toMatch(/at most 50/)
    const outside = await put(m.keys.participant, device(3), [card('out1', 'fuori', { x: FRAME.w + 10, y: 10 })])
    expect(outside.status).toBe(409)
    expect(outside.body.error.message).toMatch(/outside the frame/)
    expect((await put(m.keys.participant, device(3), [card('neg1', 'fuori', { x: -1, y: 10 })])).status).toBe(409)

    // PR7: a device sees its own cards; the facilitator counts, never the texts; a viewer only the state
    const mine = await api(s.baseUrl, 'GET', `${rounds(m)}/${round.id}?voterId=${device(1)}`, { token: m.keys.participant })
    expect(mine.body).toEqual({ round: expect.objectContaining({ state: 'open' }), cards: anna })
    const lead = await api(s.baseUrl, 'GET', `${rounds(m)}/${round.id}`, { token: m.keys.facilitator })
    expect(lead.body.counts).toEqual({ writers: 2, cards: 3, perWriter: [2, 1] })
    expect(JSON.stringify(lead.body)).not.toContain('Orti')
    const viewer = await api(s.baseUrl, 'GET', `${rounds(m)}/${round.id}?voterId=${device(1)}`, { token: m.keys.viewer })
    expect(viewer.body).toEqual({ round: expect.objectContaining({ state: 'open' }) })

    // PR8: the reveal (facilitator) writes every card into the cell where its author put it, with the names
    expect((await api(s.baseUrl, 'POST', `${rounds(m)}/${round.id}/reveal`, { token: m.keys.participant })).status).toBe(403)
    const revealed = await api(s.baseUrl, 'POST', `${rounds(m)}/${round.id}/reveal`, { token: m.keys.facilitator })
    expect(revealed.status).toBe(200)
    expect(revealed.body).toMatchObject({ round: { state: 'revealed' }, cards: 3 })
    expect((await put(m.keys.participant, device(1), anna, 'Anna')).status).toBe(409)
    const again = await api(s.baseUrl, 'POST', `${rounds(m)}/${round.id}/reveal`, { token: m.keys.facilitator })
    expect(again.body.cards).toBe(0)

    const live = await liveRecords(s.baseUrl, m)
    const index = new BoardIndex(live)
    const notes = live.filter((r) => (r as { meta?: { tavoloPrivate?: unknown } }).meta?.tavoloPrivate !== undefined)
    expect(notes.map((r) => plainTextOfShape(r)).sort()).toEqual(
      ['Biblioteca aperta la sera\n— Anna', 'Orti condivisi nel cortile\n— Anna', 'Panchine all’ombra\n— Luca'].sort(),
    )
    const facetOf = (id: string) => (index.meaning(id) as Extract<CardMeaning, { kind: 'issues' }> | null)?.facet
    const template = new BoardIndex(SEED).frames.find((f) => f.id === ISSUES)!.template
    if (template.kind !== 'issues') throw new Error('the seed issue map is an issues map')
    expect(facetOf('shape:pc_anna1000')).toBe(template.facets[0]!.id)
    expect(facetOf('shape:pc_anna2000')).toBe(template.facets[1]!.id)
    expect(facetOf('shape:pc_luca1000')).toBe(template.facets[0]!.id)
    // no overlap between the two cards of the first cell
    const box = (id: string) => live.find((r) => r.id === id) as unknown as { x: number; y: number }
    const a = box('shape:pc_anna1000')
    const b = box('shape:pc_luca1000')
    expect(Math.abs(a.x - b.x) >= 160 || Math.abs(a.y - b.y) >= 160).toBe(true)

    const after = (await saveVersion(s.baseUrl, m, 'Dopo la scrittura')).body.version.number as number
    const detail = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/${after}`, { token: m.keys.facilitator })
    const texts = (detail.body.version.records as BoardRecord[]).map((r) => plainTextOfShape(r))
    expect(texts).toContain('Orti condivisi nel cortile\n— Anna')
  })

  it('PR2, PR8: no frame another client receives (document or awareness) holds a private text before the reveal; anonymous reveal', async () => {
    const s = await resources.start()
    const m = await seededMeeting(s.baseUrl, s.wsUrl)
    const watchers = [recordingClient(s.wsUrl, m.meeting.id, m.keys.participant), recordingClient(s.wsUrl, m.meeting.id, m.keys.viewer), recordingClient(s.wsUrl, m.meeting.id, m.keys.facilitator)]
    try {
      await Promise.all(watchers.map((w) => w.synced))
      const round = await startRound(s.baseUrl, m)
      for (let i = 0; i < 4; i++) {
        const res = await api(s.baseUrl, 'PUT', `${rounds(m)}/${round.id}/cards/${device(10 + i)}`, {
          token: m.keys.participant,
          body: { name: `Autrice${i}`, cards: [card(`secret${i}`, `Segreto numero ${i}`, inCell(i % FRAME.cells.length))] },
        })
        expect(res.status).toBe(200)
      }
      // the round's public state reaches every client: anything sent before the reveal has arrived by then
      await waitFor(() => watchers.every((w) => (w.doc.getMap(FACILITATION_MAP).get(PRIVATE_KEY) as { id?: string } | undefined)?.id === round.id), 5000, 'round state')
      // a later server write (the timer) is a second marker after the cards
      await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/timer`, { token: m.keys.facilitator, body: { action: 'start', durationMs: 60_000 } })
      await waitFor(() => watchers.every((w) => w.doc.getMap(FACILITATION_MAP).get('timer') !== undefined), 5000, 'timer marker')
      for (const w of watchers) {
        const all = w.frames.join('\n')
        expect(all).toContain(round.id)
        for (let i = 0; i < 4; i++) {
          expect(all).not.toContain(`Segreto numero ${i}`)
          expect(all).not.toContain(`Autrice${i}`)
          expect(all).not.toContain(device(10 + i))
        }
        expect(all).not.toContain('pc_secret')
      }
      await api(s.baseUrl, 'POST', `${rounds(m)}/${round.id}/reveal`, { token: m.keys.facilitator })
      await waitFor(() => watchers.every((w) => w.frames.join('\n').includes('Segreto numero 3')), 5000, 'the cards after the reveal')
      for (const w of watchers) {
        const all = w.frames.join('\n')
        // anonymous: no author's name, no device id, ever
        for (let i = 0; i < 4; i++) expect(all).not.toContain(`Autrice${i}`)
        for (let i = 0; i < 4; i++) expect(all).not.toContain(device(10 + i))
      }
    } finally {
      for (const w of watchers) w.destroy()
    }
  })

  it('PR3, PR9: the cards survive a reload and a server restart; erasing the meeting erases them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-private-'))
    try {
      let s = await resources.start({ dataDir })
      const m = await seededMeeting(s.baseUrl, s.wsUrl)
      const round = await startRound(s.baseUrl, m)
      const cards = [card('keep1', 'Resta dopo il riavvio', inCell(2))]
      expect((await api(s.baseUrl, 'PUT', `${rounds(m)}/${round.id}/cards/${device(20)}`, { token: m.keys.participant, body: { cards } })).status).toBe(200)
      // a reload: a new client (the same device id) reads its cards back
      const reload = await api(s.baseUrl, 'GET', `${rounds(m)}/${round.id}?voterId=${device(20)}`, { token: m.keys.participant })
      expect(reload.body.cards).toEqual(cards)
      resources.destroyClients()
      await s.stop()
      s = await resources.start({ dataDir })
      const restarted = await api(s.baseUrl, 'GET', `${rounds(m)}/${round.id}?voterId=${device(20)}`, { token: m.keys.participant })
      expect(restarted.status).toBe(200)
      expect(restarted.body).toEqual({ round: expect.objectContaining({ state: 'open' }), cards })
      // the board still says the round is open after the restart
      const client = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
      await client.synced
      await waitFor(() => (client.doc.getMap(FACILITATION_MAP).get(PRIVATE_KEY) as { state?: string } | undefined)?.state === 'open', 5000, 'open round')

      const count = () => {
        const db = new Database(join(dataDir, 'tavolo.sqlite'), { readonly: true })
        try {
          return (db.prepare('SELECT COUNT(*) AS n FROM facilitation_private_cards WHERE meeting_id = ?').get(m.meeting.id) as { n: number }).n +
            (db.prepare('SELECT COUNT(*) AS n FROM facilitation_private_rounds WHERE meeting_id = ?').get(m.meeting.id) as { n: number }).n
        } finally {
          db.close()
        }
      }
      expect(count()).toBe(2)
      resources.destroyClients()
      expect((await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(200)
      expect(count()).toBe(0)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('crash safety', () => {
  it('PR3: cards the server answered for survive a SIGKILL, and the reveal after the restart places every one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-private-crash-'))
    let child = await spawnServer({ dataDir })
    try {
      const m = await seededMeeting(child.httpUrl, child.wsUrl)
      const round = await startRound(child.httpUrl, m)
      const writers = 20
      const answers = await Promise.all(
        Array.from({ length: writers }, (_, i) =>
          api(child.httpUrl, 'PUT', `${rounds(m)}/${round.id}/cards/${device(100 + i)}`, {
            token: m.keys.participant,
            body: { cards: [{ id: `pc_crash${String(i).padStart(3, '0')}`, text: `Idea ${i}`, ...inCell(i % 3) }] },
          }),
        ),
      )
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: writers }, () => 200))
      child.kill('SIGKILL')
      await child.exited
      child = await spawnServer({ dataDir })
      const revealed = await api(child.httpUrl, 'POST', `${rounds(m)}/${round.id}/reveal`, { token: m.keys.facilitator })
      expect(revealed.status, JSON.stringify(revealed.body)).toBe(200)
      const texts = (await liveRecords(child.httpUrl, m)).map((r) => plainTextOfShape(r))
      for (let i = 0; i < writers; i++) expect(texts.some((t) => t.startsWith(`Idea ${i}`)), `Idea ${i}`).toBe(true)
    } finally {
      child.kill('SIGKILL')
      await child.exited
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})
