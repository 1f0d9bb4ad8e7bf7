import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/src/log.ts'
import { startRetention, type Retention } from '../../server/src/ops/retention.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { retentionDeadline } from '../../shared/src/ops/retention.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { api, connectBoard, createMeeting, waitForClose, type BoardClient } from './meetingServer.ts'

const DAY = 24 * 60 * 60 * 1000
const servers: MeetingTestServer[] = []
const clients: BoardClient[] = []
const retentions: Retention[] = []
afterEach(async () => {
  for (const r of retentions.splice(0)) r.stop()
  for (const c of clients.splice(0)) c.destroy()
  for (const s of servers.splice(0)) await s.close()
})

describe('RETAIN_DAYS: automatic deletion of inactive meetings', () => {
  it('E7: deletes exactly the meetings whose last activity (or creation) is older, closes their boards, logs a line each', async () => {
    const lines: Array<Record<string, unknown>> = []
    const logger = createLogger(
      { logLevel: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
          done()
        },
      }),
    )
    const s = await startMeetingTestServer({ logger })
    servers.push(s)
    const idle = await createMeeting(s.httpUrl, { title: 'Mai usata' })
    const active = await createMeeting(s.httpUrl, { title: 'Usata di recente' })
    const old = await createMeeting(s.httpUrl, { title: 'Usata tanto tempo fa' })
    const t0 = Date.now()
    await s.meetings.store.touchActivity(active.meeting.id as MeetingId, new Date(t0 + 20 * DAY).toISOString())
    await s.meetings.store.touchActivity(old.meeting.id as MeetingId, new Date(t0 + 1 * DAY).toISOString())
    const open = connectBoard(s.wsUrl, old.meeting.id, old.keys.participant)
    clients.push(open)
    await open.synced

    let clock = new Date(t0 + 10 * DAY)
    const retention = startRetention({ retainDays: 30, store: s.meetings.store, eraser: s.meetings.eraser, logger, now: () => clock })
    retentions.push(retention)
    expect(await retention.sweep()).toBe(0)

    clock = new Date(t0 + 31.5 * DAY) // idle: created at t0 → due at t0+30; old: active at t0+1 → due t0+31; active: due t0+50
    expect(await retention.sweep()).toBe(2)
    await waitForClose(open, CloseCode.MEETING_DELETED)
    const left = (await s.meetings.store.list()).map((m) => m.meeting.id)
    expect(left).toEqual([active.meeting.id])
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${idle.meeting.id}`, { token: idle.keys.facilitator })).status).toBe(404)
    const logged = lines.filter((l) => l.component === 'retention' && typeof l.msg === 'string' && l.msg.startsWith('meeting deleted'))
    expect(logged.map((l) => l.meetingId).sort()).toEqual([idle.meeting.id, old.meeting.id].sort())
    expect(logged[0]!.msg).toBe('meeting deleted: no activity for more than 30 days (RETAIN_DAYS)')
    expect(JSON.stringify(lines)).not.toContain(old.keys.participant)

    expect(await retention.sweep()).toBe(0)
  })

  it('the deadline the staff list shows is the one the sweep uses', () => {
    expect(retentionDeadline({ createdAt: '2026-01-01T00:00:00.000Z', lastActivityAt: null }, 30)?.toISOString()).toBe('2026-01-31T00:00:00.000Z')
    expect(retentionDeadline({ createdAt: '2026-01-01T00:00:00.000Z', lastActivityAt: '2026-02-01T10:00:00.000Z' }, 1)?.toISOString()).toBe(
      '2026-02-02T10:00:00.000Z',
    )
    expect(retentionDeadline({ createdAt: '2026-01-01T00:00:00.000Z', lastActivityAt: null }, null)).toBeNull()
  })
})
