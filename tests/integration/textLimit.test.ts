import { describe, expect, it } from 'vitest'
import { MAX_SHAPE_TEXT } from '../../shared/src/board/textLimit.ts'
import { plainTextOfShape } from '../../shared/src/board/richText.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { createMeeting, meetingServersClosedAfterEach, type Rec } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()

/** Issue 19 item 14: the 20,280-character paste of the workshop. */
const PASTE = 'Testo incollato da un documento, riga dopo riga. '.repeat(414).slice(0, 20_280)

describe('meetings SPEC M-T1: a shape\'s text is bounded by the server', () => {
  it('a participant\'s 20,280-character card is cut to 1,000 characters for everyone and in the store', async () => {
    const s = await resources.start()
    const m = await createMeeting(s.baseUrl, { title: 'Testi lunghi' })
    const fac = resources.connect(s.wsUrl, m.meeting.id, m.keys.facilitator)
    const par = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await Promise.all([fac.synced, par.synced])
    const note = noteRecord({ id: 'shape:long', parentId: 'page:page', x: 0, y: 0, text: PASTE, order: 1 }) as Rec
    expect(plainTextOfShape(note).length).toBe(20_280)
    par.records.set('shape:long', note)
    await waitFor(() => plainTextOfShape(fac.records.get('shape:long')).length === MAX_SHAPE_TEXT, 5000, 'the facilitator sees the cut text')
    await waitFor(() => plainTextOfShape(par.records.get('shape:long')).length === MAX_SHAPE_TEXT, 5000, 'the writer gets the cut text')
    expect(plainTextOfShape(fac.records.get('shape:long'))).toBe(PASTE.slice(0, MAX_SHAPE_TEXT))

    // an update of a short card to a long text too; a text that fits is left alone
    par.records.set('shape:short', noteRecord({ id: 'shape:short', parentId: 'page:page', x: 300, y: 0, text: 'Biblioteca', order: 2 }) as Rec)
    await waitFor(() => fac.records.get('shape:short') !== undefined, 5000, 'short card')
    par.records.set('shape:short', noteRecord({ id: 'shape:short', parentId: 'page:page', x: 300, y: 0, text: 'x'.repeat(1500), order: 2 }) as Rec)
    await waitFor(() => plainTextOfShape(fac.records.get('shape:short')).length === MAX_SHAPE_TEXT, 5000, 'updated card cut')

    // what the store kept: a fresh client after a restart reads the cut text
    resources.destroyClients()
    await s.stop()
    const again = await resources.start({ dataDir: s.dataDir })
    const fresh = resources.connect(again.wsUrl, m.meeting.id, m.keys.viewer)
    await fresh.synced
    expect(plainTextOfShape(fresh.records.get('shape:long')).length).toBe(MAX_SHAPE_TEXT)
  })
})
