/**
 * Issue 8, findings 1-6 and 8, each reproduced with real sockets against a real server (port 0): a raw `ws` attacker
 * holding a projected key, stock y-websocket honest clients. Every test checks that /healthz answers within 2 s during
 * the attack, that the attacker is closed with the documented code (README "Limits"), and that an honest client
 * joining afterwards has every note an honest participant wrote meanwhile. Rules: server/src/sync/SPEC.md.
 */
import * as encoding from 'lib0/encoding'
import { encodeAwarenessMessage, encodeAwarenessUpdate } from '../../server/src/sync/protocol.ts'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { isTavoloLocked, withTavoloLock } from '../../shared/src/locks.ts'
import { waitFor } from '../helpers/waitFor.ts'
import {
  closedWithin,
  freshClientHasNotes,
  hostileServersClosedAfterEach,
  hostileSetup,
  probeHealth,
  writeNote,
  type HostileSetup,
} from './hostileHarness.ts'
import { chainedAnyUpdate, everyOtherDeleteUpdate, longItemUpdate, recordEntry, subdocUpdate, syncFrame } from './hostileUpdates.ts'
import type { BoardClient, Rec } from './meetingServer.ts'

hostileServersClosedAfterEach()

/** A participant's editor that writes notes before, during and after the attack. */
async function honestWriter(setup: HostileSetup) {
  const writer = setup.honest('participant')
  await writer.synced
  const ids = [writeNote(writer, 'Prima')]
  return { writer, ids }
}

function awarenessFrame(entries: Array<{ clientId: number; clock: number; json: string }>): Uint8Array {
  return encodeAwarenessMessage(encodeAwarenessUpdate(entries))
}

function syncStep1Frame(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint8Array(e, stateVector)
  return encoding.toUint8Array(e)
}

describe('finding 1: chained ContentAny items (R10 copy work)', () => {
  it('a participant update of 15,000 chained items is refused with 4413 before Yjs merges them', async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    const attacker = await setup.attacker('participant')
    const health = probeHealth(setup.server.httpUrl)
    attacker.send(syncFrame(chainedAnyUpdate(15_000, 0x7fff0001, 'x')))
    ids.push(writeNote(writer, 'Durante'))
    const closed = await closedWithin(attacker)
    ids.push(writeNote(writer, 'Dopo'))
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.TOO_LARGE)
    await freshClientHasNotes(setup, ids)
    expect(writer.closes).toEqual([])
  })

  it('deletes cutting a 100,000-element item 20,000 times are refused with 4413 before Yjs splits it', async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    // R17 admits no such item from a client: the long item is a board stored before it (written server-side here)
    await setup.server.server.rooms.withBoardDoc(setup.boardId as BoardId, (doc) => Y.applyUpdate(doc, longItemUpdate(100_000), { kind: 'server' }))
    const attacker = await setup.attacker('participant')
    const health = probeHealth(setup.server.httpUrl)
    attacker.send(syncFrame(everyOtherDeleteUpdate(20_000)))
    ids.push(writeNote(writer, 'Durante'))
    const closed = await closedWithin(attacker, 8000)
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.TOO_LARGE)
    await freshClientHasNotes(setup, ids)
  })

  it('a chain of 500 items (125,000 copies, within the budget) is accepted', async () => {
    const setup = await hostileSetup()
    const attacker = await setup.attacker('participant')
    attacker.send(syncFrame(chainedAnyUpdate(500, 0x7fff0003, 'records', recordEntry)))
    const fresh = setup.honest('viewer')
    await fresh.synced
    await waitFor(() => fresh.doc.getArray('records').length === 500)
  })
})

describe('finding 2: sub-documents (R9) and viewers (R3)', () => {
  it("a viewer's 4.5 MB frame of sub-documents is refused by size (1009) before it is read", async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    // Sub-documents followed by padding inside the update: the size is what counts here (old code decoded it all).
    const docs = subdocUpdate(1_000)
    const update = new Uint8Array(4.5 * 1024 * 1024)
    update.set(docs.subarray(0, docs.length - 1))
    const frame = syncFrame(update)
    const attacker = await setup.attacker('viewer')
    const health = probeHealth(setup.server.httpUrl)
    attacker.send(frame)
    ids.push(writeNote(writer, 'Durante'))
    const closed = await closedWithin(attacker)
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.MESSAGE_TOO_BIG)
    await freshClientHasNotes(setup, ids)
  })

  it("a viewer's 1 MB flood of 60,000 sub-documents is dropped unread: no stall, the viewer is not decoded", async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    const attacker = await setup.attacker('viewer')
    const health = probeHealth(setup.server.httpUrl)
    for (let i = 0; i < 3; i++) attacker.send(syncFrame(subdocUpdate(60_000, 0x7fff0010 + i)))
    ids.push(writeNote(writer, 'Durante'))
    await freshClientHasNotes(setup, ids)
    expect(await health.stop()).toBeLessThan(2000)
    const closed = await closedWithin(attacker, 300)
    // Dropped, not closed (R3: honest projectors send their cached state back), and nothing of it is in the board.
    expect(closed.code).toBe(-1)
    const fresh = setup.honest('viewer')
    await fresh.synced
    expect(fresh.doc.getArray('records').length).toBeGreaterThan(0)
    expect([...fresh.doc.getSubdocs()]).toEqual([])
  })

  it("a participant's sub-document is refused with 4400 at its first struct", async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    const attacker = await setup.attacker('participant')
    const health = probeHealth(setup.server.httpUrl)
    attacker.send(syncFrame(subdocUpdate(20_000)))
    ids.push(writeNote(writer, 'Durante'))
    const closed = await closedWithin(attacker)
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.MALFORMED_MESSAGE)
    const fresh = await freshClientHasNotes(setup, ids)
    expect([...fresh.doc.getSubdocs()]).toEqual([])
  })
})

describe('finding 3: a reader that never reads (R13)', () => {
  it('repeated sync step 1 from a socket that does not read: one answer in flight, then closed with 4408', async () => {
    const setup = await hostileSetup({ limits: { maxBufferedBytes: 256 * 1024 } })
    const { writer, ids } = await honestWriter(setup)
    // ~1 MB board: ten records with 100 KB of text each.
    for (let i = 0; i < 10; i++) writer.records.set(`shape:big${i}`, { id: `shape:big${i}`, typeName: 'shape', text: 'x'.repeat(100_000) })
    ids.push(writeNote(writer, 'Grande'))
    const check = setup.honest('viewer')
    await waitFor(() => check.records.get(ids[1]!) !== undefined, 10_000)
    check.destroy()
    const attacker = await setup.attacker('viewer')
    // the writer and the attacker (the check client has left)
    const connectionsBefore = 2
    await waitFor(() => setup.server.server.rooms.stats().connections === connectionsBefore)
    attacker.ws.pause()
    const health = probeHealth(setup.server.httpUrl)
    // Up to 100 requests for the full board, one every 10 ms, while the socket reads nothing (old code: 100 MB queued).
    const isDropped = () => setup.server.server.rooms.stats().connections < connectionsBefore
    let requests = 0
    for (; requests < 100 && !isDropped(); requests++) {
      attacker.send(syncStep1Frame(new Uint8Array([0])))
      if (requests === 50) ids.push(writeNote(writer, 'Durante'))
      await new Promise((r) => setTimeout(r, 10))
    }
    const dropped = await waitFor(isDropped, 2000, 'attacker dropped').catch(() => false)
    expect(await health.stop()).toBeLessThan(2000)
    attacker.ws.resume()
    const closed = await closedWithin(attacker)
    expect(dropped).toBe(true)
    expect(closed.code).toBe(CloseCode.SLOW_READER)
    // Far fewer than one full board per request reached the socket before it was closed.
    const step2s = attacker.received.filter((f) => f[0] === 0 && f[1] === 1).length
    expect(step2s).toBeLessThan(requests)
    if (ids.length < 4) ids.push(writeNote(writer, 'Dopo'))
    await freshClientHasNotes(setup, ids)
  })
})

describe('finding 4: locks against pending structs (R11)', () => {
  const frameRecord = (over: Rec = {}): Rec => ({
    id: 'shape:locked',
    typeName: 'shape',
    type: 'frame',
    parentId: 'page:page',
    index: 'a1',
    x: 100,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { w: 800, h: 600, name: 'Nucleo fondatore' },
    ...over,
  })

  it("a participant's change to a locked shape that waits for the facilitator's next struct is refused with 4400", async () => {
    const setup = await hostileSetup()
    const fac = setup.honest('facilitator')
    const { writer, ids } = await honestWriter(setup)
    await fac.synced
    const locked = withTavoloLock(frameRecord(), true)
    fac.records.set('shape:locked', locked)
    await waitFor(() => writer.records.get('shape:locked') !== undefined)

    // The attacker forges the facilitator's next struct locally, writes its change after it, and sends only its own
    // part: Yjs would keep it pending and apply it inside the facilitator's next transaction, under that origin.
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(writer.doc))
    const asFacilitator = new Y.Doc()
    Y.applyUpdate(asFacilitator, Y.encodeStateAsUpdate(forged))
    // after the update: Yjs gives a doc a new client id when an applied update carries its own
    asFacilitator.clientID = fac.doc.clientID
    const beforeForge = Y.encodeStateVector(forged)
    new YKeyValue<Rec>(asFacilitator.getArray(RECORDS_ARRAY)).set('shape:placeholder', { id: 'shape:placeholder' })
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(asFacilitator, beforeForge))
    const withForged = Y.encodeStateVector(forged)
    // A second entry for the key after the forged struct (YKeyValue keeps the last one), no delete that would apply now.
    forged.getArray<{ key: string; val: Rec }>(RECORDS_ARRAY).push([{ key: 'shape:locked', val: withTavoloLock(frameRecord({ x: 9999 }), false) }])
    const attack = Y.encodeStateAsUpdate(forged, withForged)

    const attacker = await setup.attacker('participant')
    const health = probeHealth(setup.server.httpUrl)
    attacker.send(syncFrame(attack))
    const closed = await closedWithin(attacker, 2000)
    // The facilitator's next change supplies the missing clock.
    fac.records.set('shape:other', frameRecord({ id: 'shape:other', x: 0 }))
    ids.push(writeNote(writer, 'Durante'))
    await waitFor(() => writer.records.get('shape:other') !== undefined)
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.MALFORMED_MESSAGE)

    const fresh = await freshClientHasNotes(setup, ids)
    for (const client of [fresh, fac, writer] as BoardClient[]) {
      const record = client.records.get('shape:locked')
      expect(record?.x).toBe(100)
      expect(isTavoloLocked(record)).toBe(true)
    }
  })
})

describe('finding 5: a deeply nested awareness state (R12)', () => {
  it('is refused with 4413; the batch of honest presence changes and the next greeting go out', async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    const watcher = setup.honest('participant')
    await watcher.synced
    const attacker = await setup.attacker('participant')
    const health = probeHealth(setup.server.httpUrl)
    const deep = '['.repeat(20_000) + ']'.repeat(20_000)
    attacker.send(awarenessFrame([{ clientId: 0x7fff0100, clock: 1, json: deep }]))
    writer.provider.awareness.setLocalStateField('user', { id: 'u1', name: 'Anna', color: '#f00', role: 'participant' })
    ids.push(writeNote(writer, 'Durante'))
    const closed = await closedWithin(attacker)
    await waitFor(() => (watcher.provider.awareness.getStates().get(writer.doc.clientID) as Rec | undefined)?.user !== undefined)
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.TOO_LARGE)
    const fresh = await freshClientHasNotes(setup, ids)
    await waitFor(() => fresh.provider.awareness.getStates().has(writer.doc.clientID), 5000, 'greeting carries the honest state')
    fresh.destroy()
    await waitFor(() => setup.server.server.rooms.stats().connections === 2, 5000, 'only the two honest editors stay')
  })
})

describe('finding 6: awareness floods (R12)', () => {
  it('a viewer claiming 5,000 awareness ids is closed with 4413; a joiner gets a small greeting', async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    const attacker = await setup.attacker('viewer')
    const health = probeHealth(setup.server.httpUrl)
    const entries = Array.from({ length: 5_000 }, (_, i) => ({ clientId: 0x10000000 + i, clock: 1, json: '{"user":{"name":"x"}}' }))
    attacker.send(awarenessFrame(entries))
    ids.push(writeNote(writer, 'Durante'))
    const closed = await closedWithin(attacker)
    expect(await health.stop()).toBeLessThan(2000)
    expect(closed.code).toBe(CloseCode.TOO_LARGE)
    const fresh = await freshClientHasNotes(setup, ids)
    expect(fresh.provider.awareness.getStates().size).toBeLessThan(10)
  })

  it('many connections each within their own id limit stop at the per-room limit (4413)', async () => {
    const setup = await hostileSetup({ limits: { maxAwarenessStatesPerRoom: 10 } })
    const { ids } = await honestWriter(setup)
    const codes: number[] = []
    for (let c = 0; c < 4; c++) {
      const attacker = await setup.attacker('viewer')
      attacker.send(awarenessFrame(Array.from({ length: 4 }, (_, i) => ({ clientId: 0x20000000 + c * 10 + i, clock: 1, json: '{}' }))))
      codes.push((await closedWithin(attacker, 500)).code)
    }
    expect(codes).toEqual([-1, -1, CloseCode.TOO_LARGE, CloseCode.TOO_LARGE])
    await freshClientHasNotes(setup, ids)
  })
})

describe("finding 8: taking over a facilitator's awareness id (R7)", () => {
  it('after a blip the id stays reserved for the facilitator key, and a clock jump closes the attacker with 4400', async () => {
    const setup = await hostileSetup()
    const { writer, ids } = await honestWriter(setup)
    const fac = setup.honest('facilitator')
    await fac.synced
    const presenting = { user: { id: 'f', name: 'Facilitatrice', color: '#00f', role: 'facilitator' }, presenting: { since: 1 } }
    fac.provider.awareness.setLocalState(presenting)
    const facId = fac.doc.clientID
    await waitFor(() => writer.provider.awareness.getStates().has(facId))
    const clock = fac.provider.awareness.meta.get(facId)!.clock
    // Network blip: the facilitator's socket goes away (the server removes its state).
    fac.provider.disconnect()
    await waitFor(() => !writer.provider.awareness.getStates().has(facId))

    const health = probeHealth(setup.server.httpUrl)
    const taker = await setup.attacker('participant')
    taker.send(awarenessFrame([{ clientId: facId, clock: clock + 2, json: '{"user":{"name":"impostore"}}' }]))
    const jumper = await setup.attacker('participant')
    jumper.send(awarenessFrame([{ clientId: facId, clock: 2 ** 40, json: '{"user":{"name":"impostore"}}' }]))
    const jumped = await closedWithin(jumper)
    ids.push(writeNote(writer, 'Durante'))
    expect(await health.stop()).toBeLessThan(2000)
    expect(jumped.code).toBe(CloseCode.MALFORMED_MESSAGE)

    fac.provider.connect()
    await fac.synced
    fac.provider.awareness.setLocalState({ ...presenting, presenting: { since: 2 } })
    await waitFor(
      () => (writer.provider.awareness.getStates().get(facId) as { presenting?: { since: number } } | undefined)?.presenting?.since === 2,
      5000,
      "the facilitator's presence after reconnecting reaches the participants",
    )
    expect((writer.provider.awareness.getStates().get(facId) as Rec).user).toMatchObject({ name: 'Facilitatrice', role: 'facilitator' })
    await freshClientHasNotes(setup, ids)
  })
})
