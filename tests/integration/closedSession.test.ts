/**
 * A closed session takes no ballots or private cards from participants through REST (server/src/facilitation/SPEC.md
 * CS1; the session: server/src/versions/SPEC.md SE1, SE2). Real HTTP against a meetings server on port 0, the seed
 * board written by a stock client.
 */
import { describe, expect, it } from 'vitest'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { roundFrame } from '../../shared/src/facilitation/privateRound.ts'
import { votableCards } from '../../shared/src/facilitation/voteRecords.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { api, meetingServersClosedAfterEach } from './meetingServer.ts'
import { meetingWithBoard } from './versionsHarness.ts'

const resources = meetingServersClosedAfterEach()
const SEED = buildSeedBoard('final') as unknown as BoardRecord[]
const ISSUES = 'shape:demo-issues'
const CARDS = votableCards(SEED, ISSUES)!.map((c) => c.id)
const FRAME = roundFrame(SEED, ISSUES)!
const device = (n: number) => `device-${String(n).padStart(12, '0')}`
const cell = FRAME.cells[0]!
const card = (id: string) => ({ id: `pc_${id.padEnd(8, '0')}`, text: `idea ${id}`, x: cell.x + cell.w / 2, y: cell.y + cell.h / 2 })

describe('CS1: a closed session refuses participants\' ballots and private cards', () => {
  it('409 with the API\'s error shape while closed, nothing stored; the facilitator still writes; reopened, accepted again', async () => {
    const s = await resources.start()
    const m = await meetingWithBoard(s.baseUrl, s.wsUrl, 'Sessione chiusa', SEED)
    const id = m.meeting.id
    const call = (method: string, path: string, token: string, body?: unknown) => api(s.baseUrl, method, `/api/meetings/${id}${path}`, { token, body })
    const vote = (await call('POST', '/votes', m.keys.facilitator, { frameId: ISSUES, votesPerVoter: 3 })).body.vote as { id: string }
    const round = (await call('POST', '/private-rounds', m.keys.facilitator, { frameId: ISSUES })).body.round as { id: string }
    const ballot = (n: number, token: string, cardIds = [CARDS[0]]) => call('PUT', `/votes/${vote.id}/ballots/${device(n)}`, token, { cardIds })
    const cards = (n: number, token: string, list = [card(String(n))]) => call('PUT', `/private-rounds/${round.id}/cards/${device(n)}`, token, { cards: list })

    // open: accepted
    expect((await ballot(1, m.keys.participant)).status).toBe(200)
    expect((await cards(1, m.keys.participant)).status).toBe(200)

    expect((await call('POST', '/close-session', m.keys.facilitator)).status).toBe(201)

    const refusedBallot = await ballot(1, m.keys.participant, [CARDS[1], CARDS[2]])
    expect(refusedBallot.status).toBe(409)
    expect(refusedBallot.body).toEqual({
      error: { code: 'conflict', message: 'the session is closed: ballots are no longer accepted until the facilitator reopens it' },
    })
    const refusedNew = await ballot(2, m.keys.participant)
    expect(refusedNew.status).toBe(409)
    const refusedCards = await cards(1, m.keys.participant, [card('1'), card('late')])
    expect(refusedCards.status).toBe(409)
    expect(refusedCards.body).toEqual({
      error: { code: 'conflict', message: 'the session is closed: private cards are no longer accepted until the facilitator reopens it' },
    })
    // a malformed body is still a 400 (validated first); a viewer is still a 403 (authorised first)
    expect((await call('PUT', `/votes/${vote.id}/ballots/${device(3)}`, m.keys.participant, { cardIds: 'no' })).status).toBe(400)
    expect((await ballot(3, m.keys.viewer)).status).toBe(403)

    // nothing of the refused writes was stored: the participant's own ballot and cards are as before the closing
    const mine = await call('GET', `/votes/${vote.id}?voterId=${device(1)}`, m.keys.participant)
    expect(mine.body.ballot.cardIds).toEqual([CARDS[0]])
    const myCards = await call('GET', `/private-rounds/${round.id}?voterId=${device(1)}`, m.keys.participant)
    expect((myCards.body.cards as Array<{ id: string }>).map((c) => c.id)).toEqual([card('1').id])

    // the facilitator's own ballot and cards, and facilitator actions, are accepted while closed (SE2's rule)
    expect((await ballot(4, m.keys.facilitator)).status).toBe(200)
    expect((await cards(4, m.keys.facilitator)).status).toBe(200)
    expect((await call('POST', '/timer', m.keys.facilitator, { action: 'start', durationMs: 60_000, sound: false })).status).toBe(200)

    // reopened: participants write again
    expect((await call('POST', '/reopen-session', m.keys.facilitator)).status).toBe(200)
    expect((await ballot(1, m.keys.participant, [CARDS[1]])).status).toBe(200)
    expect((await cards(2, m.keys.participant)).status).toBe(200)
    expect((await call('POST', `/votes/${vote.id}/close`, m.keys.facilitator)).status).toBe(200)
  })
})
