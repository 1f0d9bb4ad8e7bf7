import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServer } from '../helpers/childServer.ts'
import { describe, expect, it } from 'vitest'
import { CloseCode, isTerminalCloseCode } from '../../shared/src/closeCodes.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { boardLogEraseStep, createMeetingEraser, meetingRowsEraseStep } from '../../server/src/ops/meetingEraser.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { startMeetingTestServer } from '../helpers/meetingTestServer.ts'
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

describe('DELETE /api/meetings/:id (erasing a meeting)', () => {
  it('E1-E3: removes the board, its log and its keys in one go, closes open boards with 4410, and leaves nothing on disk', async () => {
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

  it('E2: a component step that fails, or would run outside the transaction (async), erases nothing', async () => {
    const s = await startMeetingTestServer()
    try {
      const m = await createMeeting(s.httpUrl, { title: 'Intatta' })
      const c = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
      await c.synced
      c.records.set('shape:k', note('shape:k', 'resto'))
      await waitFor(async () => (await s.docStore.load(m.meeting.id as never)).updates.length > 0, 5000, 'persisted')
      c.destroy()
      const db = s.db!
      for (const bad of [
        { component: 'versions', erase: (async () => 0) as unknown as () => number },
        {
          component: 'versions',
          erase: () => {
            throw new Error('disk full')
          },
        },
      ]) {
        const eraser = createMeetingEraser({
          db,
          rooms: () => s.server.rooms,
          steps: [boardLogEraseStep(db), bad, meetingRowsEraseStep(db)],
          logger: createSilentLogger(),
        })
        await expect(eraser.erase(m.meeting.id as MeetingId, 'request')).rejects.toThrow(/must delete synchronously|disk full/)
        expect(await s.meetings.store.get(m.meeting.id as MeetingId)).not.toBeNull()
        expect((await s.docStore.load(m.meeting.id as never)).updates.length).toBeGreaterThan(0)
      }
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

  it('an unknown or malformed id is 404, and nothing is erased', async () => {
    const s = await resources.start()
    const m = await createMeeting(s.baseUrl, { title: 'Resta' })
    expect((await api(s.baseUrl, 'DELETE', '/api/meetings/AAAAAAAAAAAAAAAA', { token: m.keys.facilitator })).status).toBe(404)
    expect((await api(s.baseUrl, 'DELETE', '/api/meetings/not-an-id', { token: m.keys.facilitator })).status).toBe(404)
    expect((await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(200)
  })
})
