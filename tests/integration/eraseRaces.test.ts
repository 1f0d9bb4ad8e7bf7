/**
 * Meetings SPEC E5 (issue 17 finding 4): erase wins over a save or a restore still in flight. The version store is
 * wrapped so that the save (or restore) is held at a known point while the meeting is erased, then let go: whatever it
 * writes afterwards must be refused in the write's own transaction, and the request answered 404, not 201/200.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import type { VersionStore } from '../../server/src/versions/VersionStore.ts'
import { meetingRows } from '../helpers/meetingRows.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard, createMeeting, type BoardClient } from './meetingServer.ts'

/** A promise and its resolver. */
function signal() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/** Holds the wrapped store's `method` (after running it when `after`) until released, once armed. */
function holdPoint(method: 'addIfChanged' | 'beginRestore', when: 'before' | 'after') {
  const reached = signal()
  const release = signal()
  let armed = false
  const wrap = (versions: VersionStore): VersionStore => ({
    ...versions,
    [method]: async (...args: unknown[]) => {
      const run = () => (versions[method] as (...a: unknown[]) => Promise<unknown>)(...args)
      if (!armed) return run()
      armed = false
      const result = when === 'after' ? await run() : undefined
      reached.resolve()
      await release.promise
      return when === 'after' ? result : run()
    },
  })
  return { wrap, reached: reached.promise, release: release.resolve, arm: () => (armed = true) }
}

const servers: MeetingTestServer[] = []
const clients: BoardClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of servers.splice(0)) await s.close()
})

const note = (i: number, text: string) => ({
  id: `shape:n${i}`,
  typeName: 'shape',
  type: 'note',
  x: (i % 50) * 220,
  y: Math.floor(i / 50) * 220,
  isLocked: false,
  meta: {},
  props: { text },
})

/** A meeting whose board holds `count` notes (a few hundred KB of records). */
async function bigMeeting(s: MeetingTestServer, count: number) {
  const m = await createMeeting(s.httpUrl, { title: 'Grande' })
  const c = connectBoard(s.wsUrl, m.meeting.id, m.keys.facilitator)
  clients.push(c)
  await c.synced
  c.doc.transact(() => {
    for (let i = 0; i < count; i++) c.records.set(`shape:n${i}`, note(i, `nota ${i} ${'x'.repeat(100)}`))
  })
  await waitFor(async () => (await s.meetings.service.liveSnapshot(m.meeting.id as MeetingId)).records >= count, 10_000, 'board stored')
  return { m, c }
}

const noRowsLeft = (s: MeetingTestServer, id: string) =>
  Object.fromEntries(Object.entries(meetingRows(join(s.dataDir, 'tavolo.sqlite'), id)).filter(([, n]) => n !== 0))

describe('erase wins over writes in flight (meetings SPEC E5)', () => {
  it('E5: a save in flight when the meeting is erased writes no version and answers 404', async () => {
    const hold = holdPoint('addIfChanged', 'before')
    const s = await startMeetingTestServer({ wrapVersions: hold.wrap })
    servers.push(s)
    const { m } = await bigMeeting(s, 3000)
    hold.arm()
    const saving = api(s.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/versions`, { token: m.keys.facilitator, body: { label: 'In volo' } })
    await hold.reached
    expect((await api(s.httpUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(200)
    hold.release()
    const saved = await saving
    expect(saved.status).toBe(404)
    expect(saved.body).toEqual({ error: { code: 'not_found', message: 'this meeting was deleted' } })
    expect(noRowsLeft(s, m.meeting.id)).toEqual({})
    await s.server.close()
    expect(noRowsLeft(s, m.meeting.id)).toEqual({})
  })

  it('E5: a restore in flight when the meeting is erased writes neither the board nor a version, and answers 404', async () => {
    const hold = holdPoint('beginRestore', 'after')
    const s = await startMeetingTestServer({ wrapVersions: hold.wrap })
    servers.push(s)
    const { m, c } = await bigMeeting(s, 3000)
    const token = m.keys.facilitator
    expect((await api(s.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/versions`, { token, body: { label: 'Uno' } })).status).toBe(201)
    c.records.delete('shape:n0')
    await waitFor(async () => (await s.meetings.service.liveSnapshot(m.meeting.id as MeetingId)).records < 3000 + 10, 5000, 'changed')
    await s.server.rooms.flushAll()
    hold.arm()
    // the restore writes the 3,000 notes back into the live board once its intent is stored
    const restoring = api(s.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/versions/1/restore`, { token, body: {} })
    await hold.reached
    expect((await api(s.httpUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token })).status).toBe(200)
    hold.release()
    const restored = await restoring
    expect(restored.status).toBe(404)
    expect(restored.body.error.code).toBe('not_found')
    expect(noRowsLeft(s, m.meeting.id)).toEqual({})
    // a room the restore loaded again for the erased board writes nothing when it unloads (flush, compaction, session end)
    await s.server.close()
    expect(noRowsLeft(s, m.meeting.id)).toEqual({})
  })
})
