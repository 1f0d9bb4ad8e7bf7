import { privateWriter, storedRound, storedVote } from '../helpers/voteFixture.ts'
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServer } from '../helpers/childServer.ts'
import { describe, expect, it } from 'vitest'
import { CloseCode, isTerminalCloseCode } from '../../shared/src/closeCodes.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createMeetingEraser } from '../../server/src/ops/meetingEraser.ts'
import { MeetingErasedError, tombstoneOf, type PerMeetingStore } from '../../server/src/store/meetingErasure.ts'
import { createSqliteErasedMeetings } from '../../server/src/store/sqliteErasedMeetings.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { meetingRows, meetingTables } from '../helpers/meetingRows.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, createMeeting, meetingServersClosedAfterEach, waitForClose } from './meetingServer.ts'

const resources = meetingServersClosedAfterEach()

const note = (id: string, text: string) => ({ id, typeName: 'shape', type: 'note', x: 0, y: 0, isLocked: false, meta: {}, props: { text } })

/** True when `needle` occurs in the database file or its WAL: erased data must not be left readable on disk. */
function onDisk(dataDir: string, needle: string): boolean {
  return ['tavolo.sqlite', 'tavolo.sqlite-wal']
    .map((name) => join(dataDir, name))
    .filter((file) => existsSync(file))
    .some((file) => readFileSync(file).includes(Buffer.from(needle)))
}

/**
 * Gives a meeting a row in every table that can hold one: board edits by a named facilitator (doc_updates, and the
 * attendance names in memory), two versions (versions, version_counters), images of version 1 (version_images), a
 * restore under way (version_restore_intents) and a rotated key (meeting_keys). Returns every key it ever had.
 */
async function fillMeeting(s: MeetingTestServer, id: MeetingId, keys: { facilitator: string; participant: string; viewer: string }): Promise<string[]> {
  const c = resources.connect(s.wsUrl, id, keys.facilitator)
  await c.synced
  c.provider.awareness.setLocalStateField('user', { id: 'anna', name: 'Anna', color: '#000' })
  await waitFor(() => s.meetings.attendance.count(id) === 1, 5000, 'attendance seen')
  const save = async (label: string) => {
    const res = await api(s.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token: keys.facilitator, body: { label } })
    expect(res.status).toBe(201)
  }
  c.records.set('shape:a', note('shape:a', `prima-${id}`))
  await waitFor(async () => (await s.docStore.load(id as never)).updates.length > 0, 5000, 'persisted')
  await save('Prima')
  c.records.set('shape:b', note('shape:b', `seconda-${id}`))
  await s.server.rooms.flushAll()
  await waitFor(async () => (await s.meetings.service.liveSnapshot(id)).records >= 2, 5000, 'second note')
  await save('Seconda')
  const images = await api(s.httpUrl, 'PUT', `/api/meetings/${id}/versions/1/images`, {
    token: keys.facilitator,
    body: { images: [{ frameId: 'shape:f', svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' }] },
  })
  expect(images.status).toBe(200)
  await s.meetings.versions.beginRestore(id, { restoredFrom: 1, targetHash: 'h', author: null, createdAt: new Date().toISOString(), writer: { clientId: 1, clock: 0 } })
  // a dot-vote with a ballot (issue 20): ballots are per-meeting rows too
  await s.meetings.votes.create(id, storedVote({ createdAt: new Date().toISOString() }))
  expect(await s.meetings.votes.putBallot(id, 'vote_one', { voterId: 'device-0000000001', cardIds: ['shape:a'] }, Date.now())).toBe('ok')
  // a private round with a device's cards (issue 20): per-meeting rows too
  await s.meetings.privateCards.create(id, storedRound({ createdAt: new Date().toISOString() }))
  expect(await s.meetings.privateCards.putCards(id, 'round_one', privateWriter('device-0000000001', [`privata-${id}`]))).toBe('ok')
  const rotated = await api(s.httpUrl, 'POST', `/api/meetings/${id}/keys/viewer/rotate`, { token: keys.facilitator })
  expect(rotated.status).toBe(200)
  c.destroy()
  return [keys.facilitator, keys.participant, keys.viewer, rotated.body.keys.viewer as string]
}

describe('DELETE /api/meetings/:id (erasing a meeting)', () => {
  it('E1, E3: removes the board, its log and its keys, closes open boards with 4410, and leaves nothing on disk', async () => {
    const s = await resources.start({ adminToken: 'staff-secret' })
    const m = await createMeeting(s.baseUrl, { title: 'Da cancellare' }, 'staff-secret')
    const kept = await createMeeting(s.baseUrl, { title: 'Da tenere' }, 'staff-secret')
    // short: a value longer than a page is split over overflow pages and would not be found in one piece anyway
    const secret = 'Mario-Rossi-via-Roma-12'
    const facilitator = resources.connect(s.wsUrl, m.meeting.id, m.keys.facilitator)
    const participant = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    const other = resources.connect(s.wsUrl, kept.meeting.id, kept.keys.participant)
    await Promise.all([facilitator.synced, participant.synced, other.synced])
    facilitator.records.set('shape:secret', note('shape:secret', secret))
    other.records.set('shape:kept', note('shape:kept', 'resta qui'))
    await waitFor(() => participant.records.get('shape:secret') !== undefined, 5000, 'note relayed')
    await s.server.rooms.flushAll()
    await waitFor(() => onDisk(s.dataDir, secret), 5000, 'note on disk')

    // a participant may not delete; a viewer neither; no key: 401
    expect((await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.participant })).status).toBe(403)
    expect((await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`)).status).toBe(401)

    const res = await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ deleted: m.meeting.id })

    // everyone on the board is told, with a code after which the client stops retrying
    for (const client of [facilitator, participant]) {
      const close = await waitForClose(client, CloseCode.MEETING_DELETED)
      expect(close.reason).toBe('meeting deleted')
    }
    expect(isTerminalCloseCode(CloseCode.MEETING_DELETED)).toBe(true)
    expect(other.closes).toEqual([])

    // gone from the API, the store, the sync endpoint
    expect((await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(404)
    expect((await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: 'staff-secret' })).status).toBe(404)
    expect((await s.docStore.load(m.meeting.id as never)).updates).toEqual([])
    const again = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await waitForClose(again, CloseCode.NOT_FOUND)
    expect(s.server.rooms.getRoom(kept.meeting.id as never)).toBeDefined()
    const list = await api(s.baseUrl, 'GET', '/api/meetings', { token: 'staff-secret' })
    expect(list.body.meetings.map((x: { meeting: { id: string } }) => x.meeting.id)).toEqual([kept.meeting.id])

    // secure_delete + vacuum + WAL truncate: the text is not readable in the file any more
    expect(onDisk(s.dataDir, secret)).toBe(false)
    expect(onDisk(s.dataDir, m.keys.facilitator)).toBe(false)
    // the other meeting still works
    other.records.set('shape:kept2', note('shape:kept2', 'ancora'))
    await s.server.rooms.flushAll()
    expect((await s.docStore.load(kept.meeting.id as never)).updates.length).toBeGreaterThan(0)
  })

  it('E3: the admin token erases any meeting, and the database file shrinks', async () => {
    const s = await resources.start({ adminToken: 'staff-secret' })
    const file = join(s.dataDir, 'tavolo.sqlite')
    const sizeBefore = () => statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0)
    // the tables every component creates, empty: what no erase can give back
    const empty = sizeBefore()
    const m = await createMeeting(s.baseUrl, { title: 'Grande' }, 'staff-secret')
    const c = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await c.synced
    for (let i = 0; i < 40; i++) c.records.set(`shape:n${i}`, note(`shape:n${i}`, `${i}-${'y'.repeat(20_000)}`))
    await waitFor(async () => (await s.docStore.load(m.meeting.id as never)).updates.length > 0, 5000, 'persisted')
    await s.server.rooms.flushAll()
    const before = sizeBefore()
    const res = await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: 'staff-secret' })
    expect(res.status).toBe(200)
    await waitForClose(c, CloseCode.MEETING_DELETED)
    expect(sizeBefore() - empty).toBeLessThan((before - empty) / 4)
  })

  it('E1: a board being edited while it is erased is not written again afterwards (no append, no final compaction)', async () => {
    const s = await resources.start()
    const m = await createMeeting(s.baseUrl, { title: 'Attiva' })
    const c = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await c.synced
    let n = 0
    const timer = setInterval(() => c.records.set(`shape:w${n}`, note(`shape:w${n++}`, 'scrivo')), 5)
    try {
      await waitFor(() => n > 20, 5000, 'writing')
      const res = await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })
      expect(res.status).toBe(200)
      await waitForClose(c, CloseCode.MEETING_DELETED)
    } finally {
      clearInterval(timer)
    }
    await s.server.rooms.flushAll()
    await s.server.close()
    expect(await s.docStore.list()).toEqual([])
  })

  it('E2, E5: a store failing after the tombstone leaves the meeting listed but frozen; erasing it again finishes the job', async () => {
    const s = await startMeetingTestServer()
    try {
      const m = await createMeeting(s.httpUrl, { title: 'A metà' })
      const id = m.meeting.id as MeetingId
      const c = resources.connect(s.wsUrl, id, m.keys.participant)
      await c.synced
      c.records.set('shape:k', note('shape:k', 'resto'))
      await waitFor(async () => (await s.docStore.load(id as never)).updates.length > 0, 5000, 'persisted')
      c.destroy()
      const failing: PerMeetingStore = {
        component: 'ballots',
        eraseMeeting: async () => {
          throw new Error('disk full')
        },
        meetingIds: async () => [],
      }
      const eraser = createMeetingEraser({
        erased: createSqliteErasedMeetings(s.db!),
        meetings: s.meetings.store,
        stores: [s.docStore, failing, s.meetings.versions],
        rooms: () => s.server.rooms,
        logger: createSilentLogger(),
      })
      await expect(eraser.erase(id, 'request')).rejects.toThrow(/disk full/)
      // the meeting rows go last: it is still listed, so staff can erase it again; nothing can write it any more
      expect(await s.meetings.store.get(id)).not.toBeNull()
      expect((await s.docStore.load(id as never)).updates).toEqual([])
      await expect(s.meetings.store.update(id, { title: 'tardi' }, new Date().toISOString())).rejects.toBeInstanceOf(MeetingErasedError)
      const late = resources.connect(s.wsUrl, id, m.keys.participant)
      await late.synced
      late.records.set('shape:late', note('shape:late', 'troppo tardi'))
      await waitForClose(late, CloseCode.MEETING_DELETED)
      expect((await s.docStore.load(id as never)).updates).toEqual([])

      const res = await api(s.httpUrl, 'DELETE', `/api/meetings/${id}`, { token: m.keys.facilitator })
      expect(res.status).toBe(200)
      expect(Object.values(meetingRows(join(s.dataDir, 'tavolo.sqlite'), id)).every((n) => n === 0)).toBe(true)
    } finally {
      await s.close()
    }
  })

  it('E3: on a database made before auto_vacuum (the real server, append worker running), the first erase converts it with VACUUM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-erase-old-'))
    try {
      // A file whose first table was created without auto_vacuum, as every Tavolo database before this change.
      const old = new Database(join(dataDir, 'tavolo.sqlite'))
      old.exec('CREATE TABLE tavolo_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)')
      old.close()
      const child = await spawnServer({ dataDir })
      try {
        const m = await createMeeting(child.httpUrl, { title: 'Vecchio file' })
        const c = resources.connect(child.wsUrl, m.meeting.id, m.keys.participant)
        await c.synced
        for (let i = 0; i < 20; i++) c.records.set(`shape:o${i}`, note(`shape:o${i}`, 'z'.repeat(10_000)))
        await waitFor(() => c.records.get('shape:o19') !== undefined, 5000, 'written')
        const probe = () => {
          const db = new Database(join(dataDir, 'tavolo.sqlite'), { readonly: true })
          try {
            return db.pragma('auto_vacuum', { simple: true })
          } finally {
            db.close()
          }
        }
        expect(probe()).toBe(0)
        const res = await api(child.httpUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })
        expect(res.status).toBe(200)
        await waitForClose(c, CloseCode.MEETING_DELETED)
        expect(probe()).toBe(2)
        // and the server goes on working: a new meeting's edits are stored by the append worker
        const next = await createMeeting(child.httpUrl, { title: 'Dopo' })
        const d = resources.connect(child.wsUrl, next.meeting.id, next.keys.participant)
        await d.synced
        d.records.set('shape:after', note('shape:after', 'ok'))
        const e = resources.connect(child.wsUrl, next.meeting.id, next.keys.viewer)
        await waitFor(() => e.records.get('shape:after') !== undefined, 5000, 'relayed (so committed) after the VACUUM')
        await waitFor(() => child.logs.some((l) => l.msg === 'meeting erased'), 5000, 'erase logged')
        const line = child.logs.find((l) => l.msg === 'meeting erased')!
        expect(line.reclaimedBytes).toBeGreaterThan(100_000)
      } finally {
        child.kill('SIGTERM')
        expect(await child.exited).toBe(0)
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('E1: every row of the meeting goes, in every table that names a meeting or board (counted per table), and none of another meeting', async () => {
    const s = await startMeetingTestServer()
    try {
      const file = join(s.dataDir, 'tavolo.sqlite')
      const gone = await createMeeting(s.httpUrl, { title: 'Da cancellare' })
      const kept = await createMeeting(s.httpUrl, { title: 'Da tenere' })
      for (const m of [gone, kept]) await fillMeeting(s, m.meeting.id as MeetingId, m.keys)
      // the demo row names a meeting too: here the erased one
      await s.meetings.demo.remember(gone.meeting.id as MeetingId, new Date().toISOString())

      // a new table with a meeting column must be added here, and to an erasing store (E1)
      expect(meetingTables(file)).toEqual({
        demo_meeting: 'meeting_id',
        doc_updates: 'board_id',
        facilitation_ballots: 'meeting_id',
        facilitation_private_cards: 'meeting_id',
        facilitation_private_rounds: 'meeting_id',
        facilitation_votes: 'meeting_id',
        meeting_keys: 'meeting_id',
        meetings: 'id',
        version_counters: 'meeting_id',
        version_images: 'meeting_id',
        version_restore_intents: 'meeting_id',
        versions: 'meeting_id',
      })
      const before = meetingRows(file, gone.meeting.id)
      for (const [table, n] of Object.entries(before)) expect({ table, n }).toEqual({ table, n: expect.any(Number) as number })
      expect(Object.entries(before).filter(([, n]) => n === 0)).toEqual([])
      const keptBefore = meetingRows(file, kept.meeting.id)
      expect(s.meetings.attendance.count(gone.meeting.id)).toBe(1)

      const res = await api(s.httpUrl, 'DELETE', `/api/meetings/${gone.meeting.id}`, { token: gone.keys.facilitator })
      expect(res.status).toBe(200)

      expect(meetingRows(file, gone.meeting.id)).toEqual(Object.fromEntries(Object.keys(before).map((table) => [table, 0])))
      expect(meetingRows(file, kept.meeting.id)).toEqual(keptBefore)
      expect(s.meetings.attendance.count(gone.meeting.id)).toBeNull()
      expect(s.meetings.attendance.count(kept.meeting.id)).toBe(1)
      // the demo stays "made once" (no second demo at the next start), without the erased id
      expect(await s.meetings.demo.made()).toEqual({ meetingId: null })
    } finally {
      await s.close()
    }
  })

  it('E4: after the erase, the meeting id and every key it ever had are nowhere in the database files', async () => {
    const s = await startMeetingTestServer()
    try {
      const m = await createMeeting(s.httpUrl, { title: 'Segreta' })
      const id = m.meeting.id as MeetingId
      const keys = await fillMeeting(s, id, m.keys)
      await s.server.rooms.flushAll()
      for (const needle of [id, ...keys]) expect({ needle, found: onDisk(s.dataDir, needle) }).toEqual({ needle, found: true })
      expect((await api(s.httpUrl, 'DELETE', `/api/meetings/${id}`, { token: m.keys.facilitator })).status).toBe(200)
      s.db!.pragma('wal_checkpoint(TRUNCATE)')
      for (const needle of [id, ...keys]) expect({ needle, found: onDisk(s.dataDir, needle) }).toEqual({ needle, found: false })
      // the tombstone keeps only a hash of the id
      expect(onDisk(s.dataDir, tombstoneOf(id))).toBe(true)
    } finally {
      await s.close()
    }
  })

  it('E6: rows left behind by an erase that did not finish (tombstone written, then a crash), and rows of no meeting, are erased at the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-erase-sweep-'))
    try {
      const file = join(dataDir, 'tavolo.sqlite')
      let child = await spawnServer({ dataDir })
      const m = await createMeeting(child.httpUrl, { title: 'Interrotta' })
      const kept = await createMeeting(child.httpUrl, { title: 'Resta' })
      for (const meeting of [m, kept]) {
        const c = resources.connect(child.wsUrl, meeting.meeting.id, meeting.keys.facilitator)
        await c.synced
        c.records.set('shape:a', note('shape:a', 'prima'))
        await waitFor(() => meetingRows(file, meeting.meeting.id).doc_updates! > 0, 5000, 'board stored')
        expect((await api(child.httpUrl, 'POST', `/api/meetings/${meeting.meeting.id}/versions`, { token: meeting.keys.facilitator, body: { label: 'v' } })).status).toBe(201)
        c.destroy()
      }
      child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
      // what a process killed right after writing the tombstone leaves: the tombstone and every row
      const db = new Database(file)
      db.prepare('INSERT INTO erased_meetings (id_hash, erased_at) VALUES (?, ?)').run(tombstoneOf(m.meeting.id), new Date().toISOString())
      // and what an erase raced by a save left before tombstones existed: rows of no meeting at all
      const orphan = 'OrphanRows000001'
      db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)').run(orphan, Buffer.from([0, 0]))
      db.prepare('INSERT INTO version_counters (meeting_id, last_number) VALUES (?, 3)').run(orphan)
      db.close()
      child = await spawnServer({ dataDir })
      try {
        expect(child.logs.some((l) => l.msg === 'rows of erased meetings found at start: erased now' && l.meetings === 2)).toBe(true)
        expect(Object.values(meetingRows(file, m.meeting.id)).every((n) => n === 0)).toBe(true)
        expect(Object.values(meetingRows(file, orphan)).every((n) => n === 0)).toBe(true)
        expect(meetingRows(file, kept.meeting.id)).toMatchObject({ meetings: 1, meeting_keys: 3, versions: 1 })
        expect((await api(child.httpUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(404)
      } finally {
        child.kill('SIGTERM')
        expect(await child.exited).toBe(0)
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('an unknown or malformed id is 404, and nothing is erased', async () => {
    const s = await resources.start()
    const m = await createMeeting(s.baseUrl, { title: 'Resta' })
    expect((await api(s.baseUrl, 'DELETE', '/api/meetings/AAAAAAAAAAAAAAAA', { token: m.keys.facilitator })).status).toBe(404)
    expect((await api(s.baseUrl, 'DELETE', '/api/meetings/not-an-id', { token: m.keys.facilitator })).status).toBe(404)
    expect((await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(200)
  })
})
