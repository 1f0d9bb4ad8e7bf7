import { describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, createMeeting, meetingServersClosedAfterEach, waitForClose, type BoardClient, type MeetingServer } from './meetingServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'

const resources = meetingServersClosedAfterEach()

async function setup(): Promise<{ s: MeetingServer; m: CreateMeetingResponse; connect: (key: string | null, id?: string) => BoardClient }> {
  const s = await resources.start()
  const m = await createMeeting(s.baseUrl, { title: 'Laboratorio' })
  const connect = (key: string | null, id: string = m.meeting.id) => resources.connect(s.wsUrl, id, key)
  return { s, m, connect }
}

const note = (id: string, text: string) => ({ id, typeName: 'shape', type: 'note', x: 0, y: 0, isLocked: false, meta: {}, props: { text } })

describe('WebSocket access with meeting keys', () => {
  it('W1: a wrong or missing key is closed with 4401 and the provider stops reconnecting', async () => {
    const { s, m, connect } = await setup()
    for (const key of ['A'.repeat(32), null, '']) {
      const c = connect(key)
      const close = await waitForClose(c, CloseCode.UNAUTHORIZED)
      expect(close.reason).toMatch(/key/)
      expect(c.provider.shouldConnect).toBe(false)
      expect(c.provider.synced).toBe(false)
    }
    // a key of one meeting does not open another
    const other = await createMeeting(s.baseUrl, { title: 'altro' })
    await waitForClose(connect(other.keys.facilitator, m.meeting.id), CloseCode.UNAUTHORIZED)
  })

  it('W1: an unknown meeting is closed with 4404', async () => {
    const { m, connect } = await setup()
    const c = connect(m.keys.facilitator, 'AAAAAAAAAAAAAAAA')
    const close = await waitForClose(c, CloseCode.NOT_FOUND)
    expect(close.reason).toBe('unknown meeting')
  })

  it('every key of the meeting syncs, and edits travel between facilitator and participant', async () => {
    const { m, connect } = await setup()
    const fac = connect(m.keys.facilitator)
    const par = connect(m.keys.participant)
    const view = connect(m.keys.viewer)
    await Promise.all([fac.synced, par.synced, view.synced])
    par.records.set('shape:p', note('shape:p', 'ciao'))
    await waitFor(() => fac.records.get('shape:p') && view.records.get('shape:p'))
    fac.records.set('shape:f', note('shape:f', 'benvenuti'))
    await waitFor(() => par.records.get('shape:f') && view.records.get('shape:f'))
  })

  it("W2: a viewer's update is dropped unread (the viewer stays), is never seen by others and never stored", async () => {
    const { s, m, connect } = await setup()
    const fac = connect(m.keys.facilitator)
    const par = connect(m.keys.participant)
    const view = connect(m.keys.viewer)
    await Promise.all([fac.synced, par.synced, view.synced])
    view.records.set('shape:viewer', note('shape:viewer', 'should not exist'))
    // The viewer's next frame (awareness) follows the update on the same socket: once others see it, the server has
    // handled the update before it.
    view.provider.awareness.setLocalStateField('user', { id: 'v', name: 'Proiettore', color: '#000' })
    await waitFor(() => fac.provider.awareness.getStates().has(view.doc.clientID))
    par.records.set('shape:marker', note('shape:marker', 'after'))
    await waitFor(() => fac.records.get('shape:marker') && view.records.get('shape:marker'))
    expect(view.closes).toEqual([])
    expect(fac.records.get('shape:viewer')).toBeUndefined()
    expect(par.records.get('shape:viewer')).toBeUndefined()

    // After a restart, with every old client gone (a provider resends its state on reconnect), a fresh client
    // reads only what the server stored.
    for (const c of [fac, par, view]) c.destroy()
    await s.stop()
    const again = await resources.start({ dataDir: s.dataDir })
    const fresh = resources.connect(again.wsUrl, m.meeting.id, m.keys.facilitator)
    await fresh.synced
    expect(fresh.records.get('shape:marker')).toBeDefined()
    expect(fresh.records.get('shape:viewer')).toBeUndefined()
  })

  it('K5: a rotated key is cut off (open connection closed with 4401, new connections refused); the new key works', async () => {
    const { s, m, connect } = await setup()
    const fac = connect(m.keys.facilitator)
    const par = connect(m.keys.participant)
    const view = connect(m.keys.viewer)
    await Promise.all([fac.synced, par.synced, view.synced])
    par.records.set('shape:before', note('shape:before', 'prima'))
    await waitFor(() => fac.records.get('shape:before'))

    const res = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/keys/participant/rotate`, { token: m.keys.facilitator })
    expect(res.status).toBe(200)
    const close = await waitForClose(par, CloseCode.UNAUTHORIZED)
    expect(close.reason).toBe('key revoked')
    expect(par.provider.shouldConnect).toBe(false)

    // the old key is refused on a new connection
    await waitForClose(connect(m.keys.participant), CloseCode.UNAUTHORIZED)

    // the new key opens the board and sees its content; the other roles were not disturbed
    const par2 = connect(res.body.keys.participant as string)
    await par2.synced
    expect(par2.records.get('shape:before')).toBeDefined()
    par2.records.set('shape:after', note('shape:after', 'dopo'))
    await waitFor(() => fac.records.get('shape:after') && view.records.get('shape:after'))
    expect(fac.closes).toEqual([])
    expect(view.closes).toEqual([])
  })

  it('M3: a client edit sets lastActivityAt; opening the board alone does not', async () => {
    const { s, m, connect } = await setup()
    const fac = connect(m.keys.facilitator)
    await fac.synced
    const read = async () => (await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: m.keys.viewer })).body.meeting.lastActivityAt
    expect(await read()).toBeNull()
    const before = new Date().toISOString()
    fac.records.set('shape:x', note('shape:x', 'x'))
    const at = await waitFor(read)
    expect(at >= before.slice(0, 19)).toBe(true)
    const list = await api(s.baseUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })
    expect(list.body.meetings[0].meeting.lastActivityAt).toBe(at)
  })
})
