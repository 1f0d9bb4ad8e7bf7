/**
 * Versions and the live board (server/src/versions/SPEC.md V6, V9): a restore reaches every connected stock
 * y-websocket client, goes through the lock guard, works with the room unloaded, keeps offline edits; the automatic
 * session-end version is made once, not twice.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/src/log.ts'
import { withTavoloLock } from '../../shared/src/locks.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard, createMeeting, meetingServersClosedAfterEach, type BoardClient } from './meetingServer.ts'
import { boardOf, listVersions, note, saveVersion, textIn, textOf, waitForLive, writeRecords } from './versionsHarness.ts'

const resources = meetingServersClosedAfterEach()

async function setup() {
  const s = await resources.start()
  const m = await createMeeting(s.baseUrl, { title: 'Laboratorio' })
  const connect = (key: string) => resources.connect(s.wsUrl, m.meeting.id, key)
  return { s, m, connect }
}

const restore = (baseUrl: string, id: string, k: number, token: string) =>
  api(baseUrl, 'POST', `/api/meetings/${id}/versions/${k}/restore`, { token, body: { authorName: 'Anna' } })

describe('restoring a version (V9)', () => {
  it('every connected client sees the restored board; before-restore and restored versions record both states', async () => {
    const { s, m, connect } = await setup()
    const participant = connect(m.keys.participant)
    const viewer = connect(m.keys.viewer)
    await Promise.all([participant.synced, viewer.synced])
    writeRecords(participant, boardOf(3))
    await waitForLive(s.baseUrl, m, (r) => r.length === 5)
    expect((await saveVersion(s.baseUrl, m, 'Prima stesura')).status).toBe(201)
    writeRecords(participant, [note('n0', 'cambiata'), note('extra', 'in più')])
    participant.records.delete('shape:n2')
    await waitFor(() => viewer.records.has('shape:extra') && !viewer.records.has('shape:n2'))

    const res = await restore(s.baseUrl, m.meeting.id, 1, m.keys.facilitator)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      restoredFrom: 1,
      changed: true,
      beforeRestore: { number: 2, kind: 'before-restore', label: 'Prima del ripristino della versione 1', author: { name: 'Anna', role: 'facilitator' } },
      version: { number: 3, kind: 'restored', label: 'Ripristino della versione 1', restoredFrom: 1 },
    })
    // the answer comes once the change is committed and relayed: both clients have it within a second
    for (const client of [participant, viewer]) {
      await waitFor(() => textOf(client, 'shape:n0') === 'idea 0' && client.records.has('shape:n2') && !client.records.has('shape:extra'), 1000)
    }
    const versions = (await listVersions(s.baseUrl, m)).body.versions
    expect(versions[0].contentHash).toBe(versions[2].contentHash)
    const before = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/2`, { token: m.keys.facilitator })
    expect(textIn(before.body.version.records, 'shape:n0')).toBe('cambiata')
    // restoring what is already there changes nothing and makes no version
    const again = await restore(s.baseUrl, m.meeting.id, 1, m.keys.facilitator)
    expect(again.body).toMatchObject({ changed: false, beforeRestore: null, version: { number: 3 } })
    expect((await listVersions(s.baseUrl, m)).body.total).toBe(3)
  })

  it('the lock guard lets the restore through: a locked shape comes back as it was', async () => {
    const { s, m, connect } = await setup()
    const facilitator = connect(m.keys.facilitator)
    const participant = connect(m.keys.participant)
    await Promise.all([facilitator.synced, participant.synced])
    writeRecords(facilitator, [...boardOf(1), withTavoloLock(note('title', 'Titolo'), true)])
    await waitFor(() => participant.records.has('shape:title'))
    await saveVersion(s.baseUrl, m, 'uno')
    writeRecords(facilitator, [withTavoloLock(note('title', 'Titolo cambiato'), true)])
    await waitFor(() => textOf(participant, 'shape:title') === 'Titolo cambiato')
    expect((await restore(s.baseUrl, m.meeting.id, 1, m.keys.facilitator)).status).toBe(200)
    await waitFor(() => textOf(participant, 'shape:title') === 'Titolo' && textOf(facilitator, 'shape:title') === 'Titolo', 1000)
  })

  it('works with the room unloaded: the next client to connect gets the restored board', async () => {
    const dataDir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'tavolo-vr-'))
    const first = await resources.start({ dataDir })
    const m = await createMeeting(first.baseUrl, { title: 'Riavvio' })
    const writer = resources.connect(first.wsUrl, m.meeting.id, m.keys.participant)
    await writer.synced
    writeRecords(writer, boardOf(2))
    await waitForLive(first.baseUrl, m, (r) => r.length === 4)
    await saveVersion(first.baseUrl, m, 'uno')
    writeRecords(writer, [note('n1', 'dopo')])
    await waitForLive(first.baseUrl, m, (r) => textIn(r, 'shape:n1') === 'dopo')
    resources.destroyClients()
    await first.stop()
    const second = await resources.start({ dataDir })
    expect(second.server.rooms.getRoom(m.meeting.id as never)).toBeUndefined()
    const res = await restore(second.baseUrl, m.meeting.id, 1, m.keys.facilitator)
    expect(res.status).toBe(200)
    expect(res.body.beforeRestore.counts.shapes).toBe(2)
    const fresh = resources.connect(second.wsUrl, m.meeting.id, m.keys.viewer)
    await fresh.synced
    expect(textOf(fresh, 'shape:n1')).toBe('idea 1')
    ;(await import('node:fs')).rmSync(dataDir, { recursive: true, force: true })
  })

  it('edits a client made offline before the restore arrive when it reconnects; nothing is lost', async () => {
    const { s, m, connect } = await setup()
    const online = connect(m.keys.participant)
    const offline = connect(m.keys.participant)
    await Promise.all([online.synced, offline.synced])
    writeRecords(online, boardOf(2))
    await waitFor(() => offline.records.has('shape:n1'))
    await saveVersion(s.baseUrl, m, 'uno')
    writeRecords(online, [note('later', 'aggiunta dopo la versione 1')])
    await waitFor(() => offline.records.has('shape:later'))

    offline.provider.disconnect()
    await waitFor(() => !offline.provider.wsconnected)
    writeRecords(offline, [note('n0', 'scritta offline'), note('fromOffline', 'nuova offline')])

    const res = await restore(s.baseUrl, m.meeting.id, 1, m.keys.facilitator)
    expect(res.status).toBe(200)
    await waitFor(() => !online.records.has('shape:later'), 1000)

    offline.provider.connect()
    for (const client of [online, offline]) {
      await waitFor(
        () => textOf(client, 'shape:n0') === 'scritta offline' && client.records.has('shape:fromOffline') && !client.records.has('shape:later'),
        5000,
        'offline edits merged with the restore',
      )
    }
    // the history shows both states: before the restore (with "later"), and now the merged board
    const before = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions/${res.body.beforeRestore.number}`, { token: m.keys.facilitator })
    expect(before.body.version.records.some((r: { id: string }) => r.id === 'shape:later')).toBe(true)
    const now = await saveVersion(s.baseUrl, m, 'dopo il rientro')
    expect(now.status).toBe(201)
    expect(now.body.version.counts.shapes).toBe(3)
  })
})

describe('automatic session-end version (V6, sync R8)', () => {
  let server: MeetingTestServer | null = null
  const clients: BoardClient[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server?.close()
    server = null
  })

  it('is made once when the last editor leaves a changed board, not again when people come and go', async () => {
    const logs: Array<{ msg?: string; boardId?: string }> = []
    const logger = createLogger({ logLevel: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) })
    server = await startMeetingTestServer({ config: { roomGraceMs: 50 }, logger })
    const s = server
    const m = await createMeeting(s.httpUrl, { title: 'Sessione' })
    const unloads = () => logs.filter((l) => l.msg === 'room unloaded' && l.boardId === m.meeting.id).length
    /** One visit: connect, maybe edit (then wait until a fresh reader sees `seen`), leave, wait for the unload. */
    const session = async (key: string, edit?: (c: BoardClient) => void, seen?: (reader: BoardClient) => boolean) => {
      const before = unloads()
      const c = connectBoard(s.wsUrl, m.meeting.id, key)
      clients.push(c)
      await c.synced
      if (edit) {
        edit(c)
        // the server has it once another reader sees it
        const probe = connectBoard(s.wsUrl, m.meeting.id, m.keys.viewer)
        clients.push(probe)
        await waitFor(() => probe.provider.synced && seen!(probe))
        probe.destroy()
      }
      c.destroy()
      await waitFor(() => unloads() > before, 5000, 'room unloaded')
    }
    const list = async () => (await api(s.httpUrl, 'GET', `/api/meetings/${m.meeting.id}/versions`, { token: m.keys.facilitator })).body

    await session(m.keys.participant, (c) => writeRecords(c, boardOf(2)), (r) => r.records.has('shape:n1'))
    const first = await list()
    expect(first.total).toBe(1)
    expect(first.versions[0]).toMatchObject({ number: 1, kind: 'session-end', label: 'Fine sessione', author: null, counts: { shapes: 2 } })

    await session(m.keys.participant)
    await session(m.keys.viewer)
    expect((await list()).total).toBe(1)

    await session(m.keys.participant, (c) => writeRecords(c, [note('n0', 'cambiata')]), (r) => textOf(r, 'shape:n0') === 'cambiata')
    expect((await list()).total).toBe(2)

    // "Chiudi sessione" first, then the last editor leaves: still one version for that state
    const c = connectBoard(s.wsUrl, m.meeting.id, m.keys.participant)
    clients.push(c)
    await c.synced
    writeRecords(c, [note('n1', 'ultima modifica')])
    await waitFor(async () => (await api(s.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/close-session`, { token: m.keys.facilitator })).status === 201)
    const before = unloads()
    c.destroy()
    await waitFor(() => unloads() > before)
    expect((await list()).total).toBe(3)
  })
})
