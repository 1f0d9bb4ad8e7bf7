/**
 * Closing and reopening the session, and the restore notice (server/src/versions/SPEC.md SE1-SE3), with real
 * y-websocket clients: while closed, a participant's changes are undone by the server and every client converges;
 * the facilitator still edits; the state survives a restart; reopening lets participants write again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FACILITATION_MAP } from '../../shared/src/facilitation/facilitationDoc.ts'
import { readRestoreNotice, readSessionState, RESTORED_KEY, SESSION_KEY } from '../../shared/src/facilitation/session.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, createMeeting, meetingServersClosedAfterEach, type BoardClient } from './meetingServer.ts'
import { boardOf, note, saveVersion, textIn, textOf, waitForLive, writeRecords } from './versionsHarness.ts'

const resources = meetingServersClosedAfterEach()
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const sessionOf = (client: BoardClient) => readSessionState(client.doc.getMap(FACILITATION_MAP).get(SESSION_KEY))
const post = (baseUrl: string, path: string, token: string, body?: unknown) => api(baseUrl, 'POST', path, { token, body })

async function setup(dataDir?: string) {
  const s = await resources.start(dataDir === undefined ? {} : { dataDir })
  const m = await createMeeting(s.baseUrl, { title: 'Laboratorio' })
  const connect = (key: string) => resources.connect(s.wsUrl, m.meeting.id, key)
  return { s, m, connect }
}

describe('closing the session (SE1, SE2)', () => {
  it('saves the version, makes the board read-only for participants (server-enforced), and reopens', async () => {
    const { s, m, connect } = await setup()
    const participant = connect(m.keys.participant)
    const facilitator = connect(m.keys.facilitator)
    await Promise.all([participant.synced, facilitator.synced])
    writeRecords(participant, boardOf(2))
    await waitForLive(s.baseUrl, m, (r) => r.length === 4)

    const closed = await post(s.baseUrl, `/api/meetings/${m.meeting.id}/close-session`, m.keys.facilitator, { authorName: 'Anna' })
    expect(closed.status).toBe(201)
    expect(closed.body).toMatchObject({ created: true, version: { number: 1, kind: 'session-end' }, session: { state: 'closed', version: 1 } })
    await waitFor(() => sessionOf(participant)?.state === 'closed', 2000, 'the participant sees the closed session')

    // a participant adds, changes and removes: the server puts all three back
    writeRecords(participant, [note('late', 'troppo tardi'), note('n0', 'cambiata')])
    participant.records.delete('shape:n1')
    await waitFor(() => !participant.records.has('shape:late') && textOf(participant, 'shape:n0') === 'idea 0' && participant.records.has('shape:n1'), 3000, 'the participant converges on the closed board')
    const live = await waitForLive(s.baseUrl, m, (r) => r.length === 4)
    expect(textIn(live, 'shape:n0')).toBe('idea 0')
    expect(live.some((r) => r.id === 'shape:late')).toBe(false)
    // the connection stays open: it is corrected, not thrown out
    expect(participant.closes).toEqual([])

    // the facilitator still edits the closed board
    writeRecords(facilitator, [note('summary', 'sintesi')])
    await waitForLive(s.baseUrl, m, (r) => textIn(r, 'shape:summary') === 'sintesi')
    await waitFor(() => textOf(participant, 'shape:summary') === 'sintesi', 2000)

    // a participant may not reopen it
    expect((await post(s.baseUrl, `/api/meetings/${m.meeting.id}/reopen-session`, m.keys.participant)).status).toBe(403)
    const reopened = await post(s.baseUrl, `/api/meetings/${m.meeting.id}/reopen-session`, m.keys.facilitator)
    expect(reopened.status).toBe(200)
    expect(reopened.body).toMatchObject({ session: { state: 'open', version: null } })
    await waitFor(() => sessionOf(participant)?.state === 'open', 2000)
    writeRecords(participant, [note('again', 'di nuovo')])
    await waitForLive(s.baseUrl, m, (r) => textIn(r, 'shape:again') === 'di nuovo')
    // still there once the next round of corrections would have run
    await saveVersion(s.baseUrl, m, 'dopo la riapertura')
    expect(textOf(participant, 'shape:again')).toBe('di nuovo')
  })

  it('a participant cannot reopen the session by writing the state into the document (R17, FG1)', async () => {
    const { s, m, connect } = await setup()
    const participant = connect(m.keys.participant)
    await participant.synced
    writeRecords(participant, boardOf(1))
    await waitForLive(s.baseUrl, m, (r) => r.length === 3)
    expect((await post(s.baseUrl, `/api/meetings/${m.meeting.id}/close-session`, m.keys.facilitator)).status).toBe(201)
    await waitFor(() => sessionOf(participant)?.state === 'closed', 2000)
    participant.doc.transact(() => {
      participant.doc.getMap(FACILITATION_MAP).set(SESSION_KEY, { state: 'open', changedAt: new Date().toISOString(), version: null })
      participant.records.set('shape:sneaky', note('sneaky', 'di nascosto') as Record<string, unknown>)
    })
    // the whole update is refused before anything of it is applied
    await waitFor(() => participant.closes.some((c) => c.code === 4400), 3000, 'the update is refused')
    resources.destroyClients()
    const fresh = connect(m.keys.participant)
    await fresh.synced
    expect(sessionOf(fresh)?.state).toBe('closed')
    expect(fresh.records.has('shape:sneaky')).toBe(false)
  })

  it('the closed state survives a restart of the server, and is still enforced', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-session-'))
    dirs.push(dataDir)
    const { s, m, connect } = await setup(dataDir)
    const participant = connect(m.keys.participant)
    await participant.synced
    writeRecords(participant, boardOf(1))
    await waitForLive(s.baseUrl, m, (r) => r.length === 3)
    expect((await post(s.baseUrl, `/api/meetings/${m.meeting.id}/close-session`, m.keys.facilitator)).status).toBe(201)
    resources.destroyClients()
    await s.stop()

    const again = await resources.start({ dataDir })
    const back = resources.connect(again.wsUrl, m.meeting.id, m.keys.participant)
    await back.synced
    expect(sessionOf(back)).toMatchObject({ state: 'closed', version: 1 })
    writeRecords(back, [note('after', 'dopo il riavvio')])
    await waitFor(() => !back.records.has('shape:after'), 3000, 'the change is undone after the restart')
    const live = await waitForLive(again.baseUrl, m, (r) => r.length === 3)
    expect(live.some((r) => r.id === 'shape:after')).toBe(false)
  })
})

describe('the restore notice (SE3)', () => {
  it('a restore that changed the board tells every client which version came back; one that changed nothing does not', async () => {
    const { s, m, connect } = await setup()
    const participant = connect(m.keys.participant)
    const viewer = connect(m.keys.viewer)
    await Promise.all([participant.synced, viewer.synced])
    writeRecords(participant, boardOf(2))
    await waitForLive(s.baseUrl, m, (r) => r.length === 4)
    expect((await saveVersion(s.baseUrl, m, 'Prima')).status).toBe(201)
    writeRecords(participant, [note('n0', 'cambiata')])
    await waitForLive(s.baseUrl, m, (r) => textIn(r, 'shape:n0') === 'cambiata')

    const restored = await post(s.baseUrl, `/api/meetings/${m.meeting.id}/versions/1/restore`, m.keys.facilitator, { authorName: 'Anna' })
    expect(restored.status).toBe(200)
    for (const client of [participant, viewer]) {
      await waitFor(() => readRestoreNotice(client.doc.getMap(FACILITATION_MAP).get(RESTORED_KEY))?.restoredFrom === 1, 2000)
    }
    const notice = readRestoreNotice(viewer.doc.getMap(FACILITATION_MAP).get(RESTORED_KEY))
    expect(notice).toMatchObject({ restoredFrom: 1, version: restored.body.version.number })

    const unchanged = await post(s.baseUrl, `/api/meetings/${m.meeting.id}/versions/1/restore`, m.keys.facilitator)
    expect(unchanged.body).toMatchObject({ changed: false })
    expect(readRestoreNotice(viewer.doc.getMap(FACILITATION_MAP).get(RESTORED_KEY))?.at).toBe(notice?.at)
  })
})
