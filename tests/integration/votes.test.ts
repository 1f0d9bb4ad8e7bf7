/**
 * Dot-voting against a real server with real y-websocket clients (server/src/facilitation/SPEC.md): the REST contract
 * for every role (DV1..DV9), nothing hidden in any frame a participant's stock client receives before the reveal
 * (DV9), the document guard (FG1), restore and erase (DV11), the timer (T2), and a SIGKILL between ballots and reveal.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { FACILITATION_MAP, TIMER_KEY, VOTE_KEY } from '../../shared/src/facilitation/facilitationDoc.ts'
import { votableCards } from '../../shared/src/facilitation/voteRecords.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { recordingClient } from '../helpers/recordingClient.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard, createMeeting, meetingServersClosedAfterEach, type BoardClient } from './meetingServer.ts'
import { liveRecords, meetingWithBoard, saveVersion, writeRecords } from './versionsHarness.ts'

const resources = meetingServersClosedAfterEach()
const SEED = buildSeedBoard('final') as unknown as BoardRecord[]
const ISSUES = 'shape:demo-issues'
const CARDS = votableCards(SEED, ISSUES)!.map((c) => c.id)
const voter = (n: number) => `device-${String(n).padStart(12, '0')}`

const seededMeeting = (baseUrl: string, wsUrl: string) => meetingWithBoard(baseUrl, wsUrl, 'Votazione', SEED)

async function startVote(baseUrl: string, m: CreateMeetingResponse, body: Record<string, unknown> = {}) {
  const res = await api(baseUrl, 'POST', `/api/meetings/${m.meeting.id}/votes`, { token: m.keys.facilitator, body: { frameId: ISSUES, votesPerVoter: 3, ...body } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.vote as { id: string; cardIds: string[]; state: string }
}

const ballotPath = (m: CreateMeetingResponse, voteId: string, voterId: string) => `/api/meetings/${m.meeting.id}/votes/${voteId}/ballots/${voterId}`

describe('dot-voting REST contract', () => {
  it('DV1, DV3..DV9: every role, quotas, closing, reveal, the record (versions, report, diff)', async () => {
    const s = await resources.start()
    const m = await seededMeeting(s.baseUrl, s.wsUrl)
    const id = m.meeting.id
    const before = (await saveVersion(s.baseUrl, m, 'Prima del voto')).body.version.number as number

    // DV1: facilitator only; 401 without key
    for (const [token, status] of [[m.keys.participant, 403], [m.keys.viewer, 403], [undefined, 401], ['wrong-key', 401]] as const) {
      expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes`, { token, body: { frameId: ISSUES } })).status).toBe(status)
    }
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes`, { token: m.keys.facilitator, body: { frameId: ISSUES, votesPerVoter: 21 } })).status).toBe(400)
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes`, { token: m.keys.facilitator, body: { frameId: 'shape:nope' } })).status).toBe(400)
    const vote = await startVote(s.baseUrl, m)
    expect(vote).toMatchObject({ state: 'open', cardIds: CARDS })
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes`, { token: m.keys.facilitator, body: { frameId: ISSUES } })).status).toBe(409)

    // DV3..DV6 for each role
    const put = (token: string | undefined, voterId: string, cardIds: string[]) => api(s.baseUrl, 'PUT', ballotPath(m, vote.id, voterId), { token, body: { cardIds } })
    const ok = await put(m.keys.participant, voter(1), [CARDS[0]!, CARDS[0]!, CARDS[1]!])
    expect(ok.status).toBe(200)
    expect(ok.body.ballot).toEqual({ voterId: voter(1), cardIds: [CARDS[0], CARDS[0], CARDS[1]], remaining: 0 })
    const over = await put(m.keys.participant, voter(2), [CARDS[0]!, CARDS[1]!, CARDS[2]!, CARDS[3]!])
    expect(over.status).toBe(409)
    expect(over.body.error.message).toMatch(/quota/)
    expect((await put(m.keys.participant, voter(2), ['shape:demo-comune'])).status).toBe(409)
    expect((await put(m.keys.viewer, voter(3), [CARDS[0]!])).status).toBe(403)
    expect((await put(undefined, voter(3), [CARDS[0]!])).status).toBe(401)
    expect((await put(m.keys.participant, 'short', [CARDS[0]!])).status).toBe(400)
    expect((await put(m.keys.facilitator, voter(4), [CARDS[1]!])).status).toBe(200)
    // a voter moves their dots
    expect((await put(m.keys.participant, voter(2), [CARDS[2]!])).status).toBe(200)
    expect((await put(m.keys.participant, voter(2), [CARDS[1]!, CARDS[1]!])).status).toBe(200)

    // DV7: a participant sees only their own ballot; the facilitator the number of voters; nobody the totals
    const mine = await api(s.baseUrl, 'GET', `/api/meetings/${id}/votes/${vote.id}?voterId=${voter(2)}`, { token: m.keys.participant })
    expect(mine.status).toBe(200)
    expect(mine.body).toEqual({ vote: expect.objectContaining({ state: 'open' }), ballot: { voterId: voter(2), cardIds: [CARDS[1], CARDS[1]], remaining: 1 } })
    const lead = await api(s.baseUrl, 'GET', `/api/meetings/${id}/votes/${vote.id}`, { token: m.keys.facilitator })
    expect(lead.body.voters).toBe(3)
    expect(lead.body.results).toBeUndefined()
    expect(JSON.stringify(lead.body)).not.toContain(voter(1))
    const viewer = await api(s.baseUrl, 'GET', `/api/meetings/${id}/votes/${vote.id}?voterId=${voter(2)}`, { token: m.keys.viewer })
    expect(viewer.body.ballot).toBeUndefined()

    // DV6: closed → no more ballots
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes/${vote.id}/close`, { token: m.keys.participant })).status).toBe(403)
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes/${vote.id}/close`, { token: m.keys.facilitator })).body.vote.state).toBe('closed')
    expect((await put(m.keys.participant, voter(5), [CARDS[0]!])).status).toBe(409)

    // DV8, DV9: the reveal ranks and everyone gets the results
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes/${vote.id}/reveal`, { token: m.keys.participant })).status).toBe(403)
    const revealed = await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes/${vote.id}/reveal`, { token: m.keys.facilitator })
    expect(revealed.status).toBe(200)
    expect(revealed.body.results.slice(0, 2)).toEqual([
      expect.objectContaining({ cardId: CARDS[1], votes: 4, rank: 1 }),
      expect.objectContaining({ cardId: CARDS[0], votes: 2, rank: 2 }),
    ])
    const seen = await api(s.baseUrl, 'GET', `/api/meetings/${id}/votes/${vote.id}`, { token: m.keys.viewer })
    expect(seen.body.results).toEqual(revealed.body.results)
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes/${vote.id}/close`, { token: m.keys.facilitator })).status).toBe(409)
    expect((await put(m.keys.participant, voter(1), [])).status).toBe(409)
    const again = await api(s.baseUrl, 'POST', `/api/meetings/${id}/votes/${vote.id}/reveal`, { token: m.keys.facilitator })
    expect(again.body.results).toEqual(revealed.body.results)

    // the record: a version after the reveal holds the totals; report and semantic diff say them
    const after = (await saveVersion(s.baseUrl, m, 'Dopo il voto')).body.version.number as number
    const detail = await api(s.baseUrl, 'GET', `/api/meetings/${id}/versions/${after}`, { token: m.keys.facilitator })
    const frame = (detail.body.version.records as Array<{ id: string; meta: Record<string, unknown> }>).find((r) => r.id === ISSUES)!
    expect(frame.meta.tavoloVotes).toEqual([expect.objectContaining({ id: vote.id, voters: 3, votesCast: 6 })])
    const report = await api(s.baseUrl, 'GET', `/api/meetings/${id}/report?format=md`, { token: m.keys.facilitator })
    expect(report.body).toContain('## Priorità votate')
    // the rank is escaped like any list text that starts with a number (Markdown, RP1)
    expect(report.body).toMatch(/1\\?\. .+ — 4 voti/)
    const decidim = await api(s.baseUrl, 'GET', `/api/meetings/${id}/report?format=decidim`, { token: m.keys.facilitator })
    expect(decidim.body.closingReport).toContain('Priorità votate')
    const diff = await api(s.baseUrl, 'GET', `/api/meetings/${id}/versions/${before}/diff/${after}`, { token: m.keys.facilitator })
    expect(diff.body.semantic.map((c: { it: string }) => c.it)).toContainEqual(expect.stringMatching(/^Votazione «Priorità» chiusa: 1\. «.+» 4 voti; 2\. «.+» 2 voti/))
  })

  it('DV9: before the reveal no frame a participant receives holds a ballot or a total; after it, the totals arrive', async () => {
    const s = await resources.start()
    const m = await seededMeeting(s.baseUrl, s.wsUrl)
    const watcher = recordingClient(s.wsUrl, m.meeting.id, m.keys.participant)
    try {
      await watcher.synced
      const vote = await startVote(s.baseUrl, m, { title: 'Priorità del quartiere' })
      for (let i = 0; i < 6; i++) {
        const res = await api(s.baseUrl, 'PUT', ballotPath(m, vote.id, voter(100 + i)), { token: m.keys.participant, body: { cardIds: [CARDS[i % 3]!, CARDS[0]!] } })
        expect(res.status).toBe(200)
      }
      await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/votes/${vote.id}/close`, { token: m.keys.facilitator })
      // the vote's public state reaches the client: everything sent before the reveal has arrived by then
      await waitFor(() => (watcher.doc.getMap(FACILITATION_MAP).get(VOTE_KEY) as { state?: string } | undefined)?.state === 'closed', 5000, 'closed state')
      const all = watcher.frames.join('\n')
      expect(all).toContain('Priorità del quartiere')
      for (let i = 0; i < 6; i++) expect(all).not.toContain(voter(100 + i))
      expect(all).not.toContain('tavoloVote')
      expect(all).not.toContain('votesCast')
      expect(all).not.toContain('results')
      await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/votes/${vote.id}/reveal`, { token: m.keys.facilitator })
      await waitFor(() => watcher.frames.join('\n').includes('tavoloVotes'), 5000, 'the totals after the reveal')
      for (let i = 0; i < 6; i++) expect(watcher.frames.join('\n')).not.toContain(voter(100 + i))
    } finally {
      watcher.destroy()
    }
  })

  it('FG1: a participant cannot write the facilitation state; DV11: a restore keeps ballots and the vote', async () => {
    const s = await resources.start()
    const m = await seededMeeting(s.baseUrl, s.wsUrl)
    const v1 = (await saveVersion(s.baseUrl, m, 'Prima')).body.version.number as number
    const vote = await startVote(s.baseUrl, m)
    expect((await api(s.baseUrl, 'PUT', ballotPath(m, vote.id, voter(7)), { token: m.keys.participant, body: { cardIds: [CARDS[4]!] } })).status).toBe(200)
    const intruder: BoardClient = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await intruder.synced
    const map = intruder.doc.getMap(FACILITATION_MAP)
    await waitFor(() => map.get(VOTE_KEY) !== undefined, 5000, 'vote state')
    map.set(VOTE_KEY, { forged: true })
    map.set(TIMER_KEY, { startedAt: 0, durationMs: 1, pausedRemainingMs: null, sound: true })
    // sync R17: an editor's update that writes outside the records is refused whole (4400): nothing of it is applied,
    // stored or relayed, so the facilitation guard (FG1) never even sees it
    await waitFor(() => intruder.closes[0], 5000, 'the intruder closed')
    expect(intruder.closes[0]!.code).toBe(CloseCode.MALFORMED_MESSAGE)
    intruder.destroy()
    const honest: BoardClient = resources.connect(s.wsUrl, m.meeting.id, m.keys.participant)
    await honest.synced
    const seen = honest.doc.getMap(FACILITATION_MAP)
    await waitFor(() => (seen.get(VOTE_KEY) as { id?: string } | undefined)?.id === vote.id, 5000, 'the true vote state')
    expect(seen.get(TIMER_KEY)).toBeUndefined()
    // a card added after v1, then restore v1: the ballot and the open vote stay
    writeRecords(honest, [{ ...(SEED.find((r) => r.id === CARDS[0])!), id: 'shape:late' } as BoardRecord])
    await waitFor(async () => (await liveRecords(s.baseUrl, m)).some((r) => r.id === 'shape:late'), 5000, 'late card')
    const restored = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/versions/${v1}/restore`, { token: m.keys.facilitator, body: {} })
    expect(restored.status).toBe(200)
    const mine = await api(s.baseUrl, 'GET', `/api/meetings/${m.meeting.id}/votes/${vote.id}?voterId=${voter(7)}`, { token: m.keys.participant })
    expect(mine.body).toMatchObject({ vote: { state: 'open' }, ballot: { cardIds: [CARDS[4]] } })
    expect((seen.get(VOTE_KEY) as { state?: string }).state).toBe('open')
  })

  it('DV11: erasing a meeting erases its votes and ballots; T2: the timer runs in server time', async () => {
    const s = await resources.start()
    const m = await seededMeeting(s.baseUrl, s.wsUrl)
    const time = await api(s.baseUrl, 'GET', '/api/time')
    expect(Math.abs(time.body.now - Date.now())).toBeLessThan(5000)
    const timer = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/timer`, { token: m.keys.facilitator, body: { action: 'start', durationMs: 300_000 } })
    expect(timer.status).toBe(200)
    expect(timer.body.timer).toMatchObject({ durationMs: 300_000, pausedRemainingMs: null, sound: false })
    expect((await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/timer`, { token: m.keys.participant, body: { action: 'pause' } })).status).toBe(403)
    const paused = await api(s.baseUrl, 'POST', `/api/meetings/${m.meeting.id}/timer`, { token: m.keys.facilitator, body: { action: 'pause' } })
    expect(paused.body.timer.pausedRemainingMs).toBeGreaterThan(290_000)

    const vote = await startVote(s.baseUrl, m)
    await api(s.baseUrl, 'PUT', ballotPath(m, vote.id, voter(8)), { token: m.keys.participant, body: { cardIds: [CARDS[0]!] } })
    const dbFile = join(s.dataDir, 'tavolo.sqlite')
    const count = () => {
      const db = new Database(dbFile, { readonly: true })
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM facilitation_ballots WHERE meeting_id = ?').get(m.meeting.id) as { n: number }).n +
          (db.prepare('SELECT COUNT(*) AS n FROM facilitation_votes WHERE meeting_id = ?').get(m.meeting.id) as { n: number }).n
      } finally {
        db.close()
      }
    }
    expect(count()).toBe(2)
    expect((await api(s.baseUrl, 'DELETE', `/api/meetings/${m.meeting.id}`, { token: m.keys.facilitator })).status).toBe(200)
    expect(count()).toBe(0)
  })
})

describe('crash safety', () => {
  let child: ChildServer | null = null
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-votes-crash-'))
  afterEach(async () => {
    if (child) {
      child.kill('SIGKILL')
      await child.exited
      child = null
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('DV9/VS2: a SIGKILL between the ballots and the reveal loses no ballot', async () => {
    child = await spawnServer({ dataDir })
    const m = await createMeeting(child.httpUrl, { title: 'Crash' }, TEST_STAFF_TOKEN)
    const writer = connectBoard(child.wsUrl, m.meeting.id, m.keys.facilitator)
    await writer.synced
    writeRecords(writer, SEED)
    await waitFor(async () => (await liveRecords(child!.httpUrl, m)).length >= SEED.length, 10_000, 'seed board')
    writer.destroy()
    const vote = await startVote(child.httpUrl, m)
    const voters = 30
    const answers = await Promise.all(
      Array.from({ length: voters }, (_, i) =>
        api(child!.httpUrl, 'PUT', ballotPath(m, vote.id, voter(200 + i)), { token: m.keys.participant, body: { cardIds: [CARDS[i % CARDS.length]!, CARDS[0]!] } }),
      ),
    )
    expect(answers.every((a) => a.status === 200)).toBe(true)
    child.kill('SIGKILL')
    await child.exited
    child = await spawnServer({ dataDir })
    const revealed = await api(child.httpUrl, 'POST', `/api/meetings/${m.meeting.id}/votes/${vote.id}/reveal`, { token: m.keys.facilitator })
    expect(revealed.status).toBe(200)
    const total = (revealed.body.results as Array<{ votes: number }>).reduce((n, r) => n + r.votes, 0)
    expect(total).toBe(voters * 2)
    expect(revealed.body.results[0]).toMatchObject({ cardId: CARDS[0], votes: voters + 3 })
  })
})
