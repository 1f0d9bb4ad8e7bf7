/**
 * Issue 17, hostile input round two: the board document (findings 1 and 7). Real sockets against a real meetings
 * server on port 0 (wired like `npm start`). Sync SPEC R17, versions SPEC V15 and V16, shared/src/board/recordsEntries.ts
 * E1-E3, shared/src/boardSchema.ts S5.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { readRecordsEntries } from '../../shared/src/board/recordsEntries.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { isTavoloLocked, withTavoloLock } from '../../shared/src/locks.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { closedWithin, freshClientHasNotes, hostileServersClosedAfterEach, hostileSetup, probeHealth, type HostileSetup } from './hostileHarness.ts'
import { syncFrame } from './hostileUpdates.ts'
import { api, type BoardClient, type Rec } from './meetingServer.ts'
import { DOCUMENT, PAGE, note } from './versionsHarness.ts'

hostileServersClosedAfterEach()

const ours = serverSerializedSchema() as { schemaVersion: 2; sequences: Record<string, number> }

const frame = (x = 100): Rec => ({
  id: 'shape:map',
  typeName: 'shape',
  type: 'frame',
  parentId: 'page:page',
  index: 'a0',
  x,
  y: 100,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: { w: 800, h: 600, name: 'Mappa', color: 'black' },
})

/** A facilitator's board: a locked frame and a note, with the server's schema; the participant writer syncs it. */
async function boardWithLock(setup: HostileSetup): Promise<{ fac: BoardClient; writer: BoardClient; ids: string[] }> {
  const fac = setup.honest('facilitator')
  const writer = setup.honest('participant')
  await Promise.all([fac.synced, writer.synced])
  fac.doc.transact(() => {
    for (const record of [DOCUMENT, PAGE, withTavoloLock(frame(), true), note('prima', 'Prima')]) fac.records.set(record.id as string, record)
    fac.doc.getMap(META_MAP).set(SCHEMA_KEY, ours)
  })
  await waitFor(() => writer.records.get('shape:map') !== undefined && writer.records.get('shape:prima') !== undefined)
  return { fac, writer, ids: ['shape:prima'] }
}

/** What a client holding `base` would send after `change` (a raw doc: no key-value view, nothing that reads entries). */
function updateAfter(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(doc)
  change(doc)
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return update
}

/** The board as the store holds it. */
async function storedDoc(setup: HostileSetup): Promise<Y.Doc> {
  const stored = await setup.server.docStore.load(setup.boardId as BoardId)
  const doc = new Y.Doc()
  for (const update of stored.updates) Y.applyUpdate(doc, update)
  return doc
}

function unreadableEntries(doc: Y.Doc): number {
  return readRecordsEntries(doc.getArray<unknown>(RECORDS_ARRAY).toArray()).skipped.length
}

/** Bad entries a participant pushed into the records array in the audit, and variants the fuzz test also tries. */
const BAD_ENTRIES: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 42],
  ['a string', 'shape:x'],
  ['an array', ['shape:x', {}]],
  ['an entry without val', { key: 'shape:x' }],
  ['an entry whose key is a number', { key: 7, val: { id: 7, typeName: 'shape' } }],
  ['an entry whose record names another id', { key: 'shape:x', val: { id: 'shape:y', typeName: 'shape' } }],
  ['an entry of a session record', { key: 'instance:x', val: { id: 'instance:x', typeName: 'instance' } }],
  ['an entry whose val is null', { key: 'shape:x', val: null }],
]

describe('R17: an update is judged before it is applied (issue 17, finding 1)', () => {
  it.each(BAD_ENTRIES)('a participant pushing %s into the records array is refused whole: nothing applied, stored or relayed', async (_name, bad) => {
    const setup = await hostileSetup()
    const { fac, writer, ids } = await boardWithLock(setup)
    const observer = setup.honest('viewer')
    await observer.synced
    const attacker = await setup.attacker('participant')
    // a good note in the same update: refused with it (the whole update is judged)
    const update = updateAfter(writer.doc, (doc) =>
      doc.transact(() => doc.getArray<unknown>(RECORDS_ARRAY).push([{ key: 'shape:companion', val: note('companion', 'x') }, bad])),
    )
    const health = probeHealth(setup.server.httpUrl)
    attacker.send(syncFrame(update))
    const closed = await closedWithin(attacker)
    expect(closed).toEqual({ code: CloseCode.MALFORMED_MESSAGE, reason: 'not a board record entry' })

    // the locks still hold: a participant moving the locked frame is put back
    writer.records.set('shape:map', { ...(writer.records.get('shape:map') as Rec), x: 5000 })
    await waitFor(() => writer.records.get('shape:map')?.x === 100, 5000, 'locked frame put back')
    ids.push('shape:durante')
    writer.records.set('shape:durante', note('durante', 'Durante'))
    await waitFor(() => fac.records.get('shape:durante') !== undefined)
    expect(await health.stop()).toBeLessThan(2000)

    for (const client of [fac, writer, observer]) {
      expect(unreadableEntries(client.doc)).toBe(0)
      expect(client.records.get('shape:companion')).toBeUndefined()
      expect(isTavoloLocked(client.records.get('shape:map'))).toBe(true)
    }
    const stored = await storedDoc(setup)
    expect(unreadableEntries(stored)).toBe(0)
    expect(stored.getArray(RECORDS_ARRAY).length).toBe(5)
    await freshClientHasNotes(setup, ids)
    expect([...writer.closes, ...fac.closes, ...observer.closes]).toEqual([])
  })

  it.each([
    ['a nested type in the records array', (doc: Y.Doc) => doc.getArray<unknown>(RECORDS_ARRAY).push([new Y.Map()])],
    ['text in the records array', (doc: Y.Doc) => doc.getArray<unknown>(RECORDS_ARRAY).insert(0, ['ok']) as unknown],
    ['another root type', (doc: Y.Doc) => doc.getMap('other').set('a', 1)],
    ['another key of meta', (doc: Y.Doc) => doc.getMap(META_MAP).set('extra', { a: 1 })],
    ['an entry continuing an existing one (parent found through its origin)', (doc: Y.Doc) => doc.getArray<unknown>(RECORDS_ARRAY).insert(1, [null])],
  ] as Array<[string, (doc: Y.Doc) => unknown]>)('%s is refused with 4400 and never reaches anyone', async (_name, change) => {
    const setup = await hostileSetup()
    const { fac, writer, ids } = await boardWithLock(setup)
    const attacker = await setup.attacker('facilitator')
    attacker.send(syncFrame(updateAfter(writer.doc, (doc) => void change(doc)), true))
    const closed = await closedWithin(attacker)
    expect(closed.code).toBe(CloseCode.MALFORMED_MESSAGE)
    ids.push('shape:dopo')
    writer.records.set('shape:dopo', note('dopo', 'Dopo'))
    await waitFor(() => fac.records.get('shape:dopo') !== undefined)
    const stored = await storedDoc(setup)
    expect(unreadableEntries(stored)).toBe(0)
    expect([...stored.share.keys()].every((name) => name === RECORDS_ARRAY || name === META_MAP)).toBe(true)
    expect([...stored.getMap(META_MAP).keys()]).toEqual([SCHEMA_KEY])
    expect(fac.doc.getArray(RECORDS_ARRAY).toArray().some((e) => e === 'ok' || e === null)).toBe(false)
    await freshClientHasNotes(setup, ids)
  })

  it("an honest participant's notes, deletions and the stock client's duplicate clean-up all pass", async () => {
    const setup = await hostileSetup()
    const { fac, writer } = await boardWithLock(setup)
    for (let i = 0; i < 20; i++) writer.records.set(`shape:n${i}`, note(`n${i}`, `nota ${i}`))
    for (let i = 0; i < 5; i++) writer.records.delete(`shape:n${i}`)
    writer.records.set('shape:n10', note('n10', 'cambiata'))
    await waitFor(() => fac.records.get('shape:n19') !== undefined && fac.records.get('shape:n0') === undefined)
    expect(writer.closes).toEqual([])
    expect(fac.closes).toEqual([])
  })
})

/** Writes a board into the store directly, as a board damaged before R17 sits there. */
async function storeDamagedBoard(setup: HostileSetup, options: { schema?: unknown } = {}): Promise<void> {
  const doc = new Y.Doc()
  doc.transact(() => {
    const array = doc.getArray<unknown>(RECORDS_ARRAY)
    for (const record of [DOCUMENT, PAGE, withTavoloLock(frame(), true), note('a', 'Idea A'), note('b', 'Idea B')]) array.push([{ key: record.id, val: record }])
    array.push([null, 42, { key: 'shape:zz' }])
    doc.getMap(META_MAP).set(SCHEMA_KEY, options.schema ?? ours)
  })
  await setup.server.docStore.append(setup.boardId as BoardId, [Y.encodeStateAsUpdate(doc)])
  doc.destroy()
}

describe('forgiving readers: a board already damaged opens, saves, restores and reports (issue 17, finding 1; V15)', () => {
  it('the room loads, locks hold, save/report/export answer and a restore repairs the board', async () => {
    const setup = await hostileSetup()
    await storeDamagedBoard(setup)
    const { meeting } = setup
    const token = meeting.keys.facilitator
    const writer = setup.honest('participant')
    const fac = setup.honest('facilitator')
    await Promise.all([writer.synced, fac.synced])
    await waitFor(() => writer.records.get('shape:b') !== undefined)
    // locks hold while the room is loaded
    writer.records.set('shape:map', { ...(writer.records.get('shape:map') as Rec), x: 5000 })
    await waitFor(() => writer.records.get('shape:map')?.x === 100, 5000, 'locked frame put back')

    const saved = await api(setup.server.httpUrl, 'POST', `/api/meetings/${meeting.meeting.id}/versions`, { token, body: { label: 'Danneggiata' } })
    expect(saved.status).toBe(201)
    expect(saved.body.skippedEntries).toBe(3)
    expect(saved.body.version.counts.shapes).toBe(3)
    for (const format of ['md', 'json']) {
      const report = await api(setup.server.httpUrl, 'GET', `/api/meetings/${meeting.meeting.id}/report?version=live&format=${format}`, { token })
      expect(report.status).toBe(200)
    }
    const exported = await api(setup.server.httpUrl, 'GET', `/api/meetings/${meeting.meeting.id}/export`, { token })
    expect(exported.status).toBe(200)
    expect(exported.body.records).toHaveLength(5)

    const restored = await api(setup.server.httpUrl, 'POST', `/api/meetings/${meeting.meeting.id}/versions/1/restore`, { token, body: {} })
    expect(restored.status).toBe(200)
    expect(restored.body.repairedEntries).toBe(3)
    await waitFor(() => unreadableEntries(fac.doc) === 0, 5000, 'repair relayed')
    expect(unreadableEntries(await storedDoc(setup))).toBe(0)
    expect(fac.records.get('shape:a')).toBeDefined()
    expect([...writer.closes, ...fac.closes]).toEqual([])
  })

  it('after the room unloads and loads again, nobody gets 4500 (the damaged board loads)', async () => {
    const setup = await hostileSetup({ config: { roomGraceMs: 10 } })
    await storeDamagedBoard(setup)
    const first = setup.honest('participant')
    await first.synced
    await waitFor(() => first.records.get('shape:a') !== undefined)
    first.destroy()
    await waitFor(() => setup.server.server.rooms.stats().roomsLoaded === 0, 5000, 'room unloaded')
    const again = setup.honest('participant')
    await again.synced
    await waitFor(() => again.records.get('shape:b') !== undefined)
    again.records.set('shape:c', note('c', 'Idea C'))
    const viewer = setup.honest('viewer')
    await viewer.synced
    await waitFor(() => viewer.records.get('shape:c') !== undefined)
    expect([...again.closes, ...viewer.closes]).toEqual([])
  })
})

describe('S5: the board schema never goes backwards (issue 17, finding 7)', () => {
  it("a participant's schema with every sequence at 0 is refused; versions stay restorable and copyable", async () => {
    const setup = await hostileSetup()
    const { fac, writer } = await boardWithLock(setup)
    const zero = { schemaVersion: 2, sequences: Object.fromEntries(Object.keys(ours.sequences).map((k) => [k, 0])) }
    const attacker = await setup.attacker('participant')
    attacker.send(syncFrame(updateAfter(writer.doc, (doc) => doc.getMap(META_MAP).set(SCHEMA_KEY, zero))))
    expect(await closedWithin(attacker)).toEqual({ code: CloseCode.MALFORMED_MESSAGE, reason: 'unrecognised board schema' })
    // a schema that drops a sequence is refused the same way
    const dropped = { schemaVersion: 2, sequences: { ...ours.sequences } }
    delete (dropped.sequences as Record<string, number>)['com.tldraw.shape.note']
    const second = await setup.attacker('participant')
    second.send(syncFrame(updateAfter(writer.doc, (doc) => doc.getMap(META_MAP).set(SCHEMA_KEY, dropped))))
    expect((await closedWithin(second)).code).toBe(CloseCode.MALFORMED_MESSAGE)

    writer.records.set('shape:dopo', note('dopo', 'Dopo'))
    await waitFor(() => fac.records.get('shape:dopo') !== undefined)
    expect(fac.doc.getMap(META_MAP).get(SCHEMA_KEY)).toEqual(ours)
    const token = setup.meeting.keys.facilitator
    const id = setup.meeting.meeting.id
    expect((await api(setup.server.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token, body: { label: 'v' } })).status).toBe(201)
    expect((await api(setup.server.httpUrl, 'GET', `/api/meetings/${id}/versions/1`, { token })).body.version.schema).toEqual(ours)
  })

  it('a board stored with a lying schema (every sequence 0) saves versions with the schema its records satisfy', async () => {
    const setup = await hostileSetup()
    const zero = { schemaVersion: 2, sequences: Object.fromEntries(Object.keys(ours.sequences).map((k) => [k, 0])) }
    await storeDamagedBoard(setup, { schema: zero })
    const token = setup.meeting.keys.facilitator
    const id = setup.meeting.meeting.id
    const saved = await api(setup.server.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token, body: { label: 'v' } })
    expect(saved.status).toBe(201)
    expect((await api(setup.server.httpUrl, 'GET', `/api/meetings/${id}/versions/1`, { token })).body.version.schema).toEqual(ours)
    const restored = await api(setup.server.httpUrl, 'POST', `/api/meetings/${id}/versions/1/restore`, { token, body: {} })
    expect(restored.status).toBe(200)
    const exported = await api(setup.server.httpUrl, 'GET', `/api/meetings/${id}/versions/1/export`, { token })
    expect(exported.status).toBe(200)
    const reimported = await api(setup.server.httpUrl, 'POST', '/api/meetings/import', { token: setup.server.config.adminToken!, body: exported.body })
    expect(reimported.status).toBe(201)
  })
})

describe('MP10: map structure is only what the facilitator wrote and locked (issue 17, finding 6)', () => {
  it("a participant's structure meta is put back for everyone; the report keeps the true question and every card", async () => {
    const setup = await hostileSetup()
    const { fac, writer } = await boardWithLock(setup)
    // the facilitator's map: a locked frame marked as a map, and its locked question
    const mapFrame = withTavoloLock({ ...frame(), meta: { tavoloMap: { template: 'issues', templateVersion: 1 } } }, true)
    const question = withTavoloLock({ ...note('question', 'La vera domanda', 120, 120), parentId: 'shape:map', meta: { tavoloMapPart: 'question' } }, true)
    fac.doc.transact(() => {
      fac.records.set('shape:map', mapFrame)
      fac.records.set(question.id as string, question)
      fac.records.set('shape:card', { ...note('card', 'Una carta', 300, 300), parentId: 'shape:map' })
    })
    await waitFor(() => writer.records.get('shape:card') !== undefined && writer.records.get(question.id as string) !== undefined)

    writer.doc.transact(() => {
      // a new shape claiming to be the question, a card marked as a part, and a frame of its own marked as a map
      writer.records.set('shape:fakeq', { ...note('fakeq', 'Domanda falsa', 130, 130), parentId: 'shape:map', meta: { tavoloMapPart: 'question' } })
      writer.records.set('shape:card', { ...(writer.records.get('shape:card') as Rec), meta: { tavoloMapPart: 'cell' } })
      writer.records.set('shape:fakemap', { ...frame(3000), id: 'shape:fakemap', meta: { tavoloMap: { template: 'actors', templateVersion: 1 } } })
    })
    const plain = (c: BoardClient, id: string) => {
      const meta = c.records.get(id)?.meta as Rec | undefined
      return meta !== undefined && meta.tavoloMapPart === undefined && meta.tavoloMap === undefined
    }
    for (const client of [fac, writer]) {
      await waitFor(() => ['shape:fakeq', 'shape:card', 'shape:fakemap'].every((id) => plain(client, id)), 5000, 'structure meta put back')
    }
    expect(writer.records.get('shape:fakeq')?.x).toBe(130)
    expect(writer.closes).toEqual([])

    const report = await api(setup.server.httpUrl, 'GET', `/api/meetings/${setup.meeting.meeting.id}/report?version=live&format=json`, { token: setup.meeting.keys.facilitator })
    expect(report.status).toBe(200)
    const text = JSON.stringify(report.body)
    expect(text).toContain('La vera domanda')
    expect(text).toContain('Una carta')
    expect(text).toContain('Domanda falsa')
    expect(report.body.maps.map((m: { kind: string }) => m.kind)).toEqual(['issues'])
  })

  it('the facilitator still writes and edits map structure', async () => {
    const setup = await hostileSetup()
    const { fac, writer } = await boardWithLock(setup)
    fac.records.set('shape:map', withTavoloLock({ ...frame(), meta: { tavoloMap: { template: 'issues', templateVersion: 1 } } }, true))
    fac.records.set('shape:part', withTavoloLock({ ...note('part', 'Parte'), parentId: 'shape:map', meta: { tavoloMapPart: 'label' } }, true))
    await waitFor(() => (writer.records.get('shape:part')?.meta as Rec | undefined)?.tavoloMapPart === 'label')
    fac.records.set('shape:part', { ...(fac.records.get('shape:part') as Rec), meta: { tavoloMapPart: 'question', tavoloLocked: true } })
    await waitFor(() => (writer.records.get('shape:part')?.meta as Rec | undefined)?.tavoloMapPart === 'question')
    expect((fac.records.get('shape:map')?.meta as Rec).tavoloMap).toEqual({ template: 'issues', templateVersion: 1 })
  })
})
