import { describe, expect, it } from 'vitest'
import { ApiErrorBodySchema } from '../../shared/src/meetings/apiError.ts'
import {
  CreateMeetingResponseSchema,
  MeetingDetailResponseSchema,
  MeetingListResponseSchema,
  RotateKeyResponseSchema,
} from '../../shared/src/meetings/meetingSchemas.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { api, createMeeting, meetingServersClosedAfterEach, type ApiResult } from './meetingServer.ts'

const { start } = meetingServersClosedAfterEach()

function expectError(res: ApiResult, status: number, code: string, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(ApiErrorBodySchema.parse(res.body).error.code).toBe(code)
  if (message !== undefined) expect(res.body.error.message).toMatch(message)
}

const full = {
  title: 'Laboratorio di quartiere',
  reference: 'par-MEET-2025-09-622',
  startsAt: '2025-09-18T17:30:00+02:00',
  endsAt: '2025-09-18T19:30:00+02:00',
  place: 'Sala civica',
  organisations: ['Comune di Vicenza', 'Pro Loco'],
  description: 'Mappa degli attori',
}

describe('POST /api/meetings', () => {
  it('creates a meeting with three distinct keys and four links (paths, key in the fragment)', async () => {
    const s = await start()
    const res = await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, body: full })
    expect(res.status).toBe(201)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = CreateMeetingResponseSchema.parse(res.body)
    expect(body.meeting).toMatchObject({ ...full, lastActivityAt: null })
    expect(body.meeting.id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    const { facilitator, participant, viewer } = body.keys
    expect(new Set([facilitator, participant, viewer]).size).toBe(3)
    for (const k of [facilitator, participant, viewer]) expect(k).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const id = body.meeting.id
    expect(body.links).toEqual({
      facilitator: `/board/${id}#k=${facilitator}`,
      participant: `/board/${id}#k=${participant}`,
      viewer: `/board/${id}#k=${viewer}`,
      projector: `/board/${id}/projector#k=${viewer}`,
    })
  })

  it('needs only a title; optional fields come back as null / []', async () => {
    const s = await start()
    const { meeting } = await createMeeting(s.baseUrl, { title: '  Solo titolo ' })
    expect(meeting).toMatchObject({ title: 'Solo titolo', reference: null, startsAt: null, endsAt: null, place: null, organisations: [], description: null })
  })

  it('makes absolute links under PUBLIC_URL', async () => {
    const s = await start({ publicUrl: 'https://tavolo.comune.example.it/' })
    const { meeting, links, keys } = await createMeeting(s.baseUrl, { title: 't' })
    expect(links.projector).toBe(`https://tavolo.comune.example.it/board/${meeting.id}/projector#k=${keys.viewer}`)
  })

  it.each([
    ['missing title', { place: 'x' }, /title/],
    ['empty title', { title: '   ' }, /title must not be empty/],
    ['title of the wrong type', { title: 42 }, /title: .*expected string/i],
    ['organisations of the wrong type', { title: 't', organisations: 'Comune' }, /organisations: .*expected array/i],
    ['an organisation of the wrong type', { title: 't', organisations: [1] }, /organisations\.0/],
    ['title too long', { title: 'x'.repeat(201) }, /title must be at most 200 characters/],
    ['place too long', { title: 't', place: 'x'.repeat(301) }, /place must be at most 300/],
    ['description too long', { title: 't', description: 'x'.repeat(5001) }, /description must be at most 5000/],
    ['too many organisations', { title: 't', organisations: Array.from({ length: 51 }, () => 'o') }, /at most 50 organisations/],
    ['bad reference', { title: 't', reference: 'rm -rf /' }, /reference must be/],
    ['a date without time zone', { title: 't', startsAt: '2025-09-18 17:30' }, /startsAt: must be an ISO 8601/],
    ['end before start', { title: 't', startsAt: '2025-09-18T18:00:00Z', endsAt: '2025-09-18T17:00:00Z' }, /endsAt must not be before startsAt/],
    ['an unknown field', { title: 't', colour: 'red' }, /colour/],
    ['an array instead of an object', [{ title: 't' }], /expected object/i],
  ])('refuses %s with 400 and a message', async (_name, body, message) => {
    const s = await start()
    const res = await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, body })
    expectError(res, 400, 'invalid_body', message)
    expect(res.body.error.details.length).toBeGreaterThan(0)
    expect((await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings).toEqual([])
  })

  it('refuses invalid JSON with 400, an oversized body with 413, a non-JSON body with 415', async () => {
    const s = await start()
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, rawBody: '{"title": "t",' }), 400, 'invalid_json')
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, rawBody: 'null' }), 400, 'invalid_json')
    const huge = JSON.stringify({ title: 't', description: 'x'.repeat(130 * 1024) })
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, rawBody: huge }), 413, 'payload_too_large')
    // the largest valid meeting, with every character escaped by the client, still fits
    const escape = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    const largest = `{"title":"${escape('t'.repeat(200))}","place":"${escape('p'.repeat(300))}","description":"${escape('d'.repeat(5000))}",` +
      `"organisations":[${Array.from({ length: 50 }, () => `"${escape('o'.repeat(200))}"`).join(',')}]}`
    expect(largest.length).toBeGreaterThan(90_000)
    expect((await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, rawBody: largest })).status).toBe(201)
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN, rawBody: 'title=t', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type')
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { token: TEST_STAFF_TOKEN }), 400, 'invalid_body', /expected a JSON object body/)
    expect((await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body.meetings).toHaveLength(1)
  })
})

describe('staff token on create and list (S1)', () => {
  it('the staff token creates and lists; the list is newest first with links', async () => {
    const s = await start()
    const a = await createMeeting(s.baseUrl, { title: 'primo' })
    const b = await createMeeting(s.baseUrl, { title: 'secondo' })
    const res = await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })
    expect(res.status).toBe(200)
    const list = MeetingListResponseSchema.parse(res.body)
    expect(list.meetings.map((m) => m.meeting.id)).toEqual([b.meeting.id, a.meeting.id])
    expect(list.meetings[1]?.links).toEqual(a.links)
    expect(list.nextCursor).toBeNull()
  })

  it('M6: ?reference= lists the meetings that already have a reference (case ignored, newest first); a bad one is 400', async () => {
    const s = await start()
    const a = await createMeeting(s.baseUrl, { title: 'primo', reference: 'par-MEET-2025-09-622' })
    await createMeeting(s.baseUrl, { title: 'altro', reference: 'altro-1' })
    const c = await createMeeting(s.baseUrl, { title: 'primo (copia del 6/12/2026)', reference: 'PAR-meet-2025-09-622' })
    const res = await api(s.baseUrl, 'GET', '/api/meetings?reference=par-meet-2025-09-622', { token: TEST_STAFF_TOKEN })
    expect(res.status).toBe(200)
    const list = MeetingListResponseSchema.parse(res.body)
    expect(list.meetings.map((m) => m.meeting.id)).toEqual([c.meeting.id, a.meeting.id])
    expect(list.nextCursor).toBeNull()
    const none = MeetingListResponseSchema.parse((await api(s.baseUrl, 'GET', '/api/meetings?reference=nessuna', { token: TEST_STAFF_TOKEN })).body)
    expect(none.meetings).toEqual([])
    const bad = await api(s.baseUrl, 'GET', `/api/meetings?reference=${encodeURIComponent('non va bene')}`, { token: TEST_STAFF_TOKEN })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error: { code: 'invalid_query' } })
    // the staff token only, like the list
    expect((await api(s.baseUrl, 'GET', '/api/meetings?reference=altro-1', { token: a.keys.facilitator })).status).toBe(401)
  })

  it('create and list need the staff token (401 without or with a wrong one, or with a meeting key)', async () => {
    const s = await start({ adminToken: 'the-admin-token-of-this-test' })
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { body: { title: 't' } }), 401, 'unauthorized', /staff link/)
    expectError(await api(s.baseUrl, 'POST', '/api/meetings', { body: { title: 't' }, token: 'the-admin-token-of-this-tesT' }), 401, 'unauthorized')
    expectError(await api(s.baseUrl, 'GET', '/api/meetings'), 401, 'unauthorized')
    expectError(await api(s.baseUrl, 'GET', '/api/meetings', { token: 'nope' }), 401, 'unauthorized')
    const created = await createMeeting(s.baseUrl, { title: 't' }, 'the-admin-token-of-this-test')
    // a meeting key is not the admin token
    expectError(await api(s.baseUrl, 'GET', '/api/meetings', { token: created.keys.facilitator }), 401, 'unauthorized')
    const list = await api(s.baseUrl, 'GET', '/api/meetings', { token: 'the-admin-token-of-this-test' })
    expect(list.status).toBe(200)
    expect(list.body.meetings).toHaveLength(1)
  })
})

describe('role matrix on /api/meetings/:id', () => {
  type Who = 'none' | 'wrong' | 'viewer' | 'participant' | 'facilitator' | 'admin'
  const whos: Who[] = ['none', 'wrong', 'viewer', 'participant', 'facilitator', 'admin']

  async function setup() {
    const s = await start({ adminToken: 'adm' })
    const created = await createMeeting(s.baseUrl, full, 'adm')
    const tokenOf = (who: Who): string | undefined =>
      who === 'none' ? undefined : who === 'wrong' ? 'A'.repeat(32) : who === 'admin' ? 'adm' : created.keys[who]
    return { s, created, tokenOf }
  }

  it('GET: 401 without or with a wrong key; every key reads; only facilitators get keys and links', async () => {
    const { s, created, tokenOf } = await setup()
    const path = `/api/meetings/${created.meeting.id}`
    const expected: Record<Who, number> = { none: 401, wrong: 401, viewer: 200, participant: 200, facilitator: 200, admin: 200 }
    for (const who of whos) {
      const res = await api(s.baseUrl, 'GET', path, { token: tokenOf(who) })
      expect(res.status, who).toBe(expected[who])
      if (res.status !== 200) {
        expectError(res, 401, 'unauthorized')
        continue
      }
      const body = MeetingDetailResponseSchema.parse(res.body)
      expect(body.meeting).toEqual(created.meeting)
      expect(body.role).toBe(who === 'admin' ? 'facilitator' : who)
      if (who === 'facilitator' || who === 'admin') {
        expect(body.keys).toEqual(created.keys)
        expect(body.links).toEqual(created.links)
      } else {
        expect(res.body.keys).toBeUndefined()
        expect(res.body.links).toBeUndefined()
        expect(JSON.stringify(res.body)).not.toContain(created.keys.facilitator)
      }
    }
  })

  it('PATCH: 401 / 403 for viewer and participant / 200 for facilitator and admin', async () => {
    const { s, created, tokenOf } = await setup()
    const path = `/api/meetings/${created.meeting.id}`
    const expected: Record<Who, number> = { none: 401, wrong: 401, viewer: 403, participant: 403, facilitator: 200, admin: 200 }
    for (const who of whos) {
      const res = await api(s.baseUrl, 'PATCH', path, { token: tokenOf(who), body: { title: `by ${who}` } })
      expect(res.status, who).toBe(expected[who])
      if (expected[who] === 403) expectError(res, 403, 'forbidden')
      if (expected[who] === 200) expect(res.body.meeting.title).toBe(`by ${who}`)
    }
    const after = await api(s.baseUrl, 'GET', path, { token: created.keys.viewer })
    expect(after.body.meeting.title).toBe('by admin')
  })

  it('rotate: 401 / 403 for viewer and participant / 200 for facilitator and admin', async () => {
    const { s, created, tokenOf } = await setup()
    const path = `/api/meetings/${created.meeting.id}/keys/viewer/rotate`
    const expected: Record<Who, number> = { none: 401, wrong: 401, viewer: 403, participant: 403, facilitator: 200, admin: 200 }
    let lastViewerKey = created.keys.viewer
    for (const who of whos) {
      const res = await api(s.baseUrl, 'POST', path, { token: tokenOf(who) })
      expect(res.status, who).toBe(expected[who])
      if (expected[who] === 403) expectError(res, 403, 'forbidden')
      if (res.status === 200) {
        const body = RotateKeyResponseSchema.parse(res.body)
        expect(body.role).toBe('viewer')
        expect(body.keys.viewer).not.toBe(lastViewerKey)
        expect(body.keys.participant).toBe(created.keys.participant)
        expect(body.links.projector).toBe(`/board/${created.meeting.id}/projector#k=${body.keys.viewer}`)
        lastViewerKey = body.keys.viewer
      }
    }
  })

  it('unknown or malformed meeting ids are 404 for everyone', async () => {
    const { s, tokenOf } = await setup()
    for (const id of ['AAAAAAAAAAAAAAAA', 'not%20valid']) {
      for (const who of whos) {
        expectError(await api(s.baseUrl, 'GET', `/api/meetings/${id}`, { token: tokenOf(who) }), 404, 'not_found')
        expectError(await api(s.baseUrl, 'PATCH', `/api/meetings/${id}`, { token: tokenOf(who), body: { title: 'x' } }), 404, 'not_found')
        expectError(await api(s.baseUrl, 'POST', `/api/meetings/${id}/keys/viewer/rotate`, { token: tokenOf(who) }), 404, 'not_found')
      }
    }
  })

  it('a key of another meeting is a wrong key', async () => {
    const { s, created } = await setup()
    const other = await createMeeting(s.baseUrl, { title: 'altro' }, 'adm')
    expectError(await api(s.baseUrl, 'GET', `/api/meetings/${created.meeting.id}`, { token: other.keys.facilitator }), 401, 'unauthorized')
  })

  it('rotate refuses an unknown role with 400', async () => {
    const { s, created } = await setup()
    expectError(
      await api(s.baseUrl, 'POST', `/api/meetings/${created.meeting.id}/keys/admin/rotate`, { token: created.keys.facilitator }),
      400,
      'invalid_role',
    )
  })
})

describe('PATCH /api/meetings/:id', () => {
  it('changes the given fields, null clears, and it checks endsAt against the stored startsAt', async () => {
    const s = await start()
    const created = await createMeeting(s.baseUrl, full)
    const path = `/api/meetings/${created.meeting.id}`
    const token = created.keys.facilitator
    const res = await api(s.baseUrl, 'PATCH', path, { token, body: { place: null, organisations: ['Solo uno'], title: ' Nuovo ' } })
    expect(res.status).toBe(200)
    expect(res.body.meeting).toMatchObject({ ...full, place: null, organisations: ['Solo uno'], title: 'Nuovo' })
    expect(res.body.meeting.updatedAt >= created.meeting.updatedAt).toBe(true)
    expectError(await api(s.baseUrl, 'PATCH', path, { token, body: { endsAt: '2025-09-18T10:00:00+02:00' } }), 400, 'invalid_body', /endsAt must not be before startsAt/)
    expectError(await api(s.baseUrl, 'PATCH', path, { token, body: {} }), 400, 'invalid_body', /at least one field/)
    expectError(await api(s.baseUrl, 'PATCH', path, { token, body: { title: 7 } }), 400, 'invalid_body', /title/)
    expectError(await api(s.baseUrl, 'PATCH', path, { token, rawBody: '{oops' }), 400, 'invalid_json')
    const after = await api(s.baseUrl, 'GET', path, { token })
    expect(after.body.meeting.endsAt).toBe(full.endsAt)
  })
})

describe('rotation over REST', () => {
  it('the old key stops working at once, the new one works, other keys are untouched', async () => {
    const s = await start()
    const created = await createMeeting(s.baseUrl, { title: 't' })
    const path = `/api/meetings/${created.meeting.id}`
    const rotated = await api(s.baseUrl, 'POST', `${path}/keys/participant/rotate`, { token: created.keys.facilitator })
    expect(rotated.status).toBe(200)
    expectError(await api(s.baseUrl, 'GET', path, { token: created.keys.participant }), 401, 'unauthorized')
    expect((await api(s.baseUrl, 'GET', path, { token: rotated.body.keys.participant })).body.role).toBe('participant')
    expect((await api(s.baseUrl, 'GET', path, { token: created.keys.viewer })).body.role).toBe('viewer')
    // a facilitator rotating their own key loses access with the old one
    const own = await api(s.baseUrl, 'POST', `${path}/keys/facilitator/rotate`, { token: created.keys.facilitator })
    expect(own.status).toBe(200)
    expectError(await api(s.baseUrl, 'PATCH', path, { token: created.keys.facilitator, body: { title: 'x' } }), 401, 'unauthorized')
    expect((await api(s.baseUrl, 'PATCH', path, { token: own.body.keys.facilitator, body: { title: 'x' } })).status).toBe(200)
  })
})

describe('unknown routes under /api/meetings', () => {
  it('answer 404 in the house format', async () => {
    const s = await start()
    expectError(await api(s.baseUrl, 'DELETE', '/api/meetings'), 404, 'not_found')
    expectError(await api(s.baseUrl, 'GET', '/api/meetings/a/b/c'), 404, 'not_found')
  })
})
