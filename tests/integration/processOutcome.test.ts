// The version chosen as a meeting's outcome over REST (meetings SPEC M8, process SPEC PR1), real server and clients.
import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { META_MAP, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import { parseMeetingId } from '../../shared/src/meetings/meetingId.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { ProcessDetailResponse } from '../../shared/src/process/processSchemas.ts'
import type { ProcessStory } from '../../shared/src/process/processStory.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { processBoard } from '../helpers/processBoards.ts'
import { api, createMeeting, meetingServersClosedAfterEach, type MeetingServer } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()
const STAFF = TEST_STAFF_TOKEN
const ACTORS = [
  { id: 'shape:proloco', text: 'Pro Loco', category: 'reti-solidali', level: 'allargamento-strategico' },
  { id: 'shape:comune', text: 'Amministrazione comunale', category: 'partner-progetto', level: 'nucleo-fondativo' },
]

/** A process of two meetings: the second continued from the first (its version 1), then Pro Loco moved (version 2). */
async function processOfTwo(server: MeetingServer) {
  const processId = (await api(server.baseUrl, 'POST', '/api/processes', { token: STAFF, body: { title: 'Opificio' } })).body.process.id as string
  const first = await createMeeting(server.baseUrl, { title: '1° incontro', startsAt: '2025-09-15T09:00:00+02:00', processId })
  const writer = resources.connect(server.wsUrl, first.meeting.id, first.keys.facilitator)
  await writer.synced
  writer.doc.transact(() => {
    writer.doc.getMap(META_MAP).set(SCHEMA_KEY, createTLSchema().serialize())
    for (const r of processBoard({ actors: ACTORS })) writer.records.set(String(r.id), r)
  })
  await waitFor(
    async () => (await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/versions`, { token: first.keys.facilitator, body: { label: 'Fine' } })).body?.version?.counts?.shapes > 0,
    5000,
    'first version',
  )
  const next = (await api(server.baseUrl, 'POST', `/api/meetings/${first.meeting.id}/continue`, { token: STAFF, body: { title: 'Tavolo', startsAt: '2025-10-01T17:00:00+02:00' } }))
    .body as CreateMeetingResponse
  const client = resources.connect(server.wsUrl, next.meeting.id, next.keys.facilitator)
  await client.synced
  const card = client.records.get('shape:proloco') as Record<string, unknown>
  client.doc.transact(() => client.records.set('shape:proloco', { ...card, meta: { tavoloMap: { category: 'reti-solidali', level: 'nucleo-fondativo' } } }))
  await waitFor(
    async () => (await api(server.baseUrl, 'POST', `/api/meetings/${next.meeting.id}/versions`, { token: next.keys.facilitator, body: { label: 'Spostato' } })).status === 201,
    5000,
    'moved',
  )
  const story = async (token = STAFF) => (await api(server.baseUrl, 'GET', `/api/processes/${processId}/report?format=json`, { token })).body as ProcessStory
  return { processId, first, next, story }
}

describe('outcome version (meetings SPEC M8, process PR1)', () => {
  it('the meeting\'s facilitator or staff choose it; other keys are refused; the report reads it; null goes back to the latest', async () => {
    const server = await resources.start()
    const { processId, first, next, story } = await processOfTwo(server)
    const path = `/api/meetings/${next.meeting.id}`
    const patch = (token: string, outcomeVersion: unknown) => api(server.baseUrl, 'PATCH', path, { token, body: { outcomeVersion } })

    const before = await story()
    expect(before.meetings.map((m) => m.versionText)).toEqual(['Versione 1 (di 1)', 'Versione 2 (di 2)'])
    expect(before.trajectories).toHaveLength(1)

    // who: the participant and viewer keys 403; the facilitator of another meeting of the process 401; nothing changed
    expect((await patch(next.keys.participant, 1)).status).toBe(403)
    expect((await patch(next.keys.viewer, 1)).status).toBe(403)
    expect((await patch(first.keys.facilitator, 1)).status).toBe(401)
    expect((await patch(first.keys.participant, 1)).status).toBe(401)
    expect((await api(server.baseUrl, 'PATCH', path, { body: { outcomeVersion: 1 } })).status).toBe(401)
    expect((await server.meetingStore.get(parseMeetingId(next.meeting.id)!))?.meeting.outcomeVersion).toBeNull()

    // what: a version number of this meeting, or null
    for (const bad of [0, -1, 1.5, '1', true, {}]) {
      const res = await patch(next.keys.facilitator, bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect(res.body.error.message).toMatch(/outcomeVersion/)
    }
    const missing = await patch(next.keys.facilitator, 3)
    expect(missing.status).toBe(404)
    expect(missing.body.error.message).toBe('outcomeVersion: this meeting has no version 3 (its versions are numbered 1 to 2)')

    const chosen = await patch(next.keys.facilitator, 1)
    expect(chosen.status).toBe(200)
    expect(chosen.body.meeting.outcomeVersion).toBe(1)
    // the report reads version 1 of the second meeting: the move is not there, in words or in the picture
    const after = await story(next.keys.facilitator)
    expect(after.meetings[1]).toMatchObject({ versionText: 'Versione 1 (di 2), scelta come esito', outcome: { chosen: 1, found: true } })
    expect(after.trajectories).toEqual([])
    expect(after.grids[0]?.meetings[1]?.cells['reti-solidali']?.['allargamento-strategico']).toEqual([{ name: 'Pro Loco', moved: false }])
    const md = await api(server.baseUrl, 'GET', `/api/processes/${processId}/report?format=md&locale=en`, { token: STAFF })
    expect(md.body).toContain('Version 1 (of 2), chosen as the outcome')

    // the process page offers the choice where the caller may make it
    const asStaff = (await api(server.baseUrl, 'GET', `/api/processes/${processId}`, { token: STAFF })).body as ProcessDetailResponse
    expect(asStaff.meetings.map((m) => m.outcomeChoices?.map((c) => c.number))).toEqual([[1], [2, 1]])
    expect(asStaff.meetings[1]?.meeting.outcomeVersion).toBe(1)
    const asFacilitator = (await api(server.baseUrl, 'GET', `/api/processes/${processId}`, { token: next.keys.facilitator })).body as ProcessDetailResponse
    expect(asFacilitator.meetings.map((m) => m.outcomeChoices?.map((c) => c.label))).toEqual([undefined, ['Spostato', expect.stringContaining('Continua')]])

    // staff clear it: the latest again
    expect((await patch(STAFF, null)).body.meeting.outcomeVersion).toBeNull()
    expect((await story()).trajectories).toHaveLength(1)
    // staff choose for any meeting of the process
    expect((await api(server.baseUrl, 'PATCH', `/api/meetings/${first.meeting.id}`, { token: STAFF, body: { outcomeVersion: 1 } })).status).toBe(200)
  })

  it('409 on a meeting of no process; a chosen version no longer there is read as the latest, and the report says so', async () => {
    const server = await resources.start()
    const { next, story } = await processOfTwo(server)
    const outside = await createMeeting(server.baseUrl, { title: 'Fuori' })
    const refused = await api(server.baseUrl, 'PATCH', `/api/meetings/${outside.meeting.id}`, { token: outside.keys.facilitator, body: { outcomeVersion: 1 } })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(/in no process/)
    expect((await api(server.baseUrl, 'PATCH', `/api/meetings/${outside.meeting.id}`, { token: outside.keys.facilitator, body: { outcomeVersion: null } })).status).toBe(200)
    // no version yet: the message says so
    const none = await api(server.baseUrl, 'PATCH', `/api/meetings/${outside.meeting.id}`, { token: STAFF, body: { outcomeVersion: 1, processId: next.meeting.processId } })
    expect(none.status).toBe(404)
    expect(none.body.error.message).toMatch(/no saved version yet/)

    // a version chosen that is not there any more (e.g. a data dir restored from an older backup)
    await server.meetingStore.update(parseMeetingId(next.meeting.id)!, { outcomeVersion: 7 }, new Date().toISOString())
    const s = await story()
    expect(s.meetings[1]?.versionText).toBe('Versione 2 (di 2) — la versione 7, scelta come esito, non c\'è più: si legge l\'ultima')
    expect(s.trajectories).toHaveLength(1)
  })
})
