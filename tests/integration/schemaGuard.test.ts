import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { META_MAP, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { createMeeting, meetingServersClosedAfterEach, type BoardClient } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()
const ours = createTLSchema().serialize()

const note = (id: string, text: string) => ({
  id,
  typeName: 'shape',
  type: 'geo',
  parentId: 'page:page',
  x: 0,
  y: 0,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: { text },
  props: {},
})

const schemaOf = (c: BoardClient) => c.doc.getMap(META_MAP).get(SCHEMA_KEY)

/** Issue 8, finding 7: a participant wrote `meta.schema`, and every browser loading the board next showed 0 shapes. */
describe('R8: meta.schema holds only a schema the server recognises', () => {
  it('a participant cannot poison the schema; later joiners read the true one and every note', async () => {
    const s = await resources.start()
    const m = await createMeeting(s.baseUrl, { title: 'Schema' })
    const fac = resources.connect(s.wsUrl, m.meeting.id, m.keys.facilitator)
    const attacker = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await Promise.all([fac.synced, attacker.synced])
    fac.doc.transact(() => {
      fac.doc.getMap(META_MAP).set(SCHEMA_KEY, ours)
      fac.records.set('shape:a', note('shape:a', 'prima'))
    })
    await waitFor(() => attacker.records.get('shape:a'))

    const poisoned = { schemaVersion: 2, sequences: Object.fromEntries(Object.keys(ours.sequences).map((k) => [k, 999])) }
    attacker.doc.getMap(META_MAP).set(SCHEMA_KEY, poisoned)
    fac.records.set('shape:b', note('shape:b', 'durante'))
    // the attacker is closed (stock y-websocket clients do not reconnect after 44xx) and the server puts the schema
    // back for everyone
    expect(await waitFor(() => attacker.closes.find((c) => c.code === 4400))).toEqual({ code: 4400, reason: 'unrecognised board schema' })
    await waitFor(() => JSON.stringify(schemaOf(fac)) === JSON.stringify(ours) && fac.records.get('shape:b'), 5000, 'schema put back')

    // removing the schema is refused the same way
    const second = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await second.synced
    expect(schemaOf(second)).toEqual(ours)
    second.doc.getMap(META_MAP).delete(SCHEMA_KEY)
    expect(await waitFor(() => second.closes.find((c) => c.code === 4400))).toEqual({ code: 4400, reason: 'unrecognised board schema' })
    await waitFor(() => JSON.stringify(schemaOf(fac)) === JSON.stringify(ours), 5000, 'deleted schema put back')

    const health = await fetch(`${s.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) })
    expect(health.status).toBe(200)

    const late = resources.connect(s.wsUrl, m.meeting.id, m.keys.viewer)
    await late.synced
    expect(schemaOf(late)).toEqual(ours)
    expect(late.records.get('shape:a')).toBeDefined()
    expect(late.records.get('shape:b')).toBeDefined()
  })

  it("an honest client's schema write stands, an older version included", async () => {
    const s = await resources.start()
    const m = await createMeeting(s.baseUrl, { title: 'Schema' })
    const fac = resources.connect(s.wsUrl, m.meeting.id, m.keys.facilitator)
    const par = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await Promise.all([fac.synced, par.synced])
    const older = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape.note': 1 } }
    par.doc.getMap(META_MAP).set(SCHEMA_KEY, older)
    await waitFor(() => JSON.stringify(schemaOf(fac)) === JSON.stringify(older))
    // and it stays: a later marker from the facilitator arrives after any correction would have
    fac.records.set('shape:m', note('shape:m', 'marker'))
    await waitFor(() => par.records.get('shape:m'))
    expect(schemaOf(par)).toEqual(older)
    expect(par.closes).toEqual([])
  })
})
