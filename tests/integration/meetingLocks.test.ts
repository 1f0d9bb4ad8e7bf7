import { describe, expect, it } from 'vitest'
import { isTavoloLocked, withTavoloLock } from '../../shared/src/locks.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { createMeeting, meetingServersClosedAfterEach, type BoardClient, type MeetingServer, type Rec } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()

const frame = (id: string, x: number, over: Rec = {}): Rec => ({
  id,
  typeName: 'shape',
  type: 'frame',
  parentId: 'page:page',
  x,
  y: 0,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: { w: 800, h: 600, name: 'Nucleo fondatore' },
  ...over,
})

async function setup() {
  const s = await resources.start()
  const m = await createMeeting(s.baseUrl, { title: 'Mappa degli attori' })
  const connect = (key: string, server: MeetingServer = s) => resources.connect(server.wsUrl, m.meeting.id, key)
  const fac = connect(m.keys.facilitator)
  const par = connect(m.keys.participant)
  await Promise.all([fac.synced, par.synced])
  return { s, m, fac, par, connect }
}

let markers = 0
/**
 * Writes a fresh marker from `from` and waits until every client in `to` has it. The server relays in order on each
 * connection, so a client that has the marker has also received every correction the server made before it.
 */
async function barrier(from: BoardClient, to: BoardClient[]) {
  const id = `shape:marker${++markers}`
  from.records.set(id, frame(id, 0, { type: 'geo' }))
  await waitFor(() => to.every((c) => c.records.get(id) !== undefined), 5000, `marker ${id}`)
}

async function restartAndRead(s: MeetingServer, m: CreateMeetingResponse, id: string): Promise<Rec | undefined> {
  resources.destroyClients()
  await s.stop()
  const again = await resources.start({ dataDir: s.dataDir })
  const fresh = resources.connect(again.wsUrl, m.meeting.id, m.keys.viewer)
  await fresh.synced
  return fresh.records.get(id)
}

describe('locks enforced by the server (L1..L9, G1..G4)', () => {
  it('L3: a participant moving a locked frame ends, for everyone and in the store, at the original position', async () => {
    const { s, m, fac, par } = await setup()
    const locked = withTavoloLock(frame('shape:frame1', 100), true)
    fac.records.set('shape:frame1', locked)
    await waitFor(() => par.records.get('shape:frame1'))

    par.records.set('shape:frame1', { ...par.records.get('shape:frame1')!, x: 900, y: 300 })
    expect(par.records.get('shape:frame1')?.x).toBe(900) // the participant's own doc moved...
    await waitFor(() => par.records.get('shape:frame1')?.x === 100) // ...until the server's correction came back
    await barrier(par, [fac])
    expect(fac.records.get('shape:frame1')).toEqual(locked)
    expect(par.records.get('shape:frame1')).toEqual(locked)

    expect(await restartAndRead(s, m, 'shape:frame1')).toEqual(locked)
  })

  it('L2: a facilitator may move a locked frame, and unlock it', async () => {
    const { s, m, fac, par } = await setup()
    fac.records.set('shape:frame1', withTavoloLock(frame('shape:frame1', 100), true))
    fac.records.set('shape:frame1', withTavoloLock(frame('shape:frame1', 400), true))
    await waitFor(() => par.records.get('shape:frame1')?.x === 400)
    await barrier(par, [fac])
    expect(fac.records.get('shape:frame1')?.x).toBe(400)
    fac.records.set('shape:frame1', withTavoloLock(fac.records.get('shape:frame1')!, false))
    await waitFor(() => par.records.get('shape:frame1') && !isTavoloLocked(par.records.get('shape:frame1')))
    // once unlocked, the participant may move it
    par.records.set('shape:frame1', { ...par.records.get('shape:frame1')!, x: 10 })
    await barrier(par, [fac])
    expect(fac.records.get('shape:frame1')?.x).toBe(10)
    expect(par.records.get('shape:frame1')?.x).toBe(10)
    expect((await restartAndRead(s, m, 'shape:frame1'))?.x).toBe(10)
  })

  it('L3/L4: a participant can neither unlock nor delete a locked frame', async () => {
    const { s, m, fac, par } = await setup()
    const locked = withTavoloLock(frame('shape:frame1', 100), true)
    fac.records.set('shape:frame1', locked)
    await waitFor(() => par.records.get('shape:frame1'))

    par.records.set('shape:frame1', withTavoloLock(par.records.get('shape:frame1')!, false))
    await waitFor(() => isTavoloLocked(par.records.get('shape:frame1')))
    par.records.delete('shape:frame1')
    await waitFor(() => par.records.get('shape:frame1') !== undefined)
    await barrier(par, [fac])
    expect(par.records.get('shape:frame1')).toEqual(locked)
    expect(fac.records.get('shape:frame1')).toEqual(locked)
    expect(await restartAndRead(s, m, 'shape:frame1')).toEqual(locked)
  })

  it('L5/L6: a participant cannot lock an existing shape; a new shape arriving locked loses its lock', async () => {
    const { fac, par } = await setup()
    fac.records.set('shape:free', frame('shape:free', 0))
    await waitFor(() => par.records.get('shape:free'))
    par.records.set('shape:free', withTavoloLock(par.records.get('shape:free')!, true))
    await waitFor(() => par.records.get('shape:free') && !isTavoloLocked(par.records.get('shape:free')))

    par.records.set('shape:pasted', withTavoloLock(frame('shape:pasted', 50, { meta: { ring: 2 } }), true))
    await waitFor(() => par.records.get('shape:pasted') && !isTavoloLocked(par.records.get('shape:pasted')))
    await barrier(par, [fac])
    expect(fac.records.get('shape:pasted')).toEqual(frame('shape:pasted', 50, { meta: { ring: 2 } }))
    expect(fac.records.get('shape:free')).toEqual(frame('shape:free', 0))
  })

  it('L2/L6: participants keep full control of unlocked shapes while a locked one is protected', async () => {
    const { fac, par } = await setup()
    fac.records.set('shape:frame1', withTavoloLock(frame('shape:frame1', 100), true))
    await waitFor(() => par.records.get('shape:frame1'))
    par.doc.transact(() => {
      par.records.set('shape:card', frame('shape:card', 5, { type: 'note', parentId: 'shape:frame1' }))
      par.records.set('shape:frame1', { ...par.records.get('shape:frame1')!, x: -1 })
    })
    await waitFor(() => par.records.get('shape:frame1')?.x === 100)
    await barrier(par, [fac])
    expect(fac.records.get('shape:card')?.x).toBe(5)
    expect(par.records.get('shape:card')?.x).toBe(5)
    expect(fac.records.get('shape:frame1')?.x).toBe(100)
  })

  it('L9: a participant deleting the page that holds a locked frame gets the whole page back, also after restart', async () => {
    const { s, m, fac, par } = await setup()
    const page: Rec = { id: 'page:map', typeName: 'page', name: 'Mappa degli attori', index: 'a1', meta: {} }
    const locked = withTavoloLock(frame('shape:frame1', 100, { parentId: 'page:map' }), true)
    const card = frame('shape:card', 5, { type: 'note', parentId: 'shape:frame1' })
    fac.doc.transact(() => {
      fac.records.set('page:map', page)
      fac.records.set('shape:frame1', locked)
    })
    await waitFor(() => par.records.get('shape:frame1'))
    par.records.set('shape:card', card)
    par.doc.transact(() => {
      for (const id of ['shape:card', 'shape:frame1', 'page:map']) par.records.delete(id)
    })
    await waitFor(() => par.records.get('page:map') && par.records.get('shape:frame1') && par.records.get('shape:card'))
    await barrier(par, [fac])
    for (const c of [fac, par]) {
      expect(c.records.get('page:map')).toEqual(page)
      expect(c.records.get('shape:frame1')).toEqual(locked)
      expect(c.records.get('shape:card')).toEqual(card)
    }
    expect(await restartAndRead(s, m, 'page:map')).toEqual(page)
  })
})
