// Pure rules of dot-voting and the timer (server/src/facilitation/SPEC.md DV2..DV9, T1..T3; maps SPEC MP13, RP4).
import { describe, expect, it } from 'vitest'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import {
  acceptsBallots,
  checkBallot,
  CreateVoteInputSchema,
  tallyVotes,
  type PublicVote,
} from '../../shared/src/facilitation/voteRules.ts'
import { cardVoteOf, revealedVotesOf, revealIntoRecords, votableCards } from '../../shared/src/facilitation/voteRecords.ts'
import { applyTimerAction, clockOffsetMs, formatRemaining, timerRemainingMs } from '../../shared/src/facilitation/timer.ts'
import { semanticDiff } from '../../shared/src/maps/semanticDiff.ts'
import { extractMaps } from '../../shared/src/maps/extract.ts'
import { renderReport, type DecidimClosePayload, type ReportData } from '../../shared/src/report/index.ts'

const vote = (over: Partial<PublicVote> = {}): PublicVote => ({
  id: 'vote_a',
  title: 'Priorità',
  frameId: 'shape:demo-issues',
  cell: null,
  cardIds: ['shape:a', 'shape:b', 'shape:c'],
  votesPerVoter: 3,
  onePerCard: false,
  closesAt: null,
  state: 'open',
  createdAt: '2025-09-15T09:00:00.000Z',
  closedAt: null,
  revealedAt: null,
  ...over,
})

describe('ballot rules', () => {
  it('DV3: at most votesPerVoter dots', () => {
    expect(checkBallot(vote(), ['shape:a', 'shape:b', 'shape:c'])).toEqual({ ok: true })
    expect(checkBallot(vote(), ['shape:a', 'shape:b', 'shape:c', 'shape:a'])).toMatchObject({ ok: false, rule: 'DV3' })
    expect(checkBallot(vote(), [])).toEqual({ ok: true })
  })
  it('DV4: only cards of the vote', () => {
    expect(checkBallot(vote(), ['shape:a', 'shape:zzz'])).toMatchObject({ ok: false, rule: 'DV4' })
  })
  it('DV5: one per card when the vote says so, several otherwise', () => {
    expect(checkBallot(vote(), ['shape:a', 'shape:a'])).toEqual({ ok: true })
    expect(checkBallot(vote({ onePerCard: true }), ['shape:a', 'shape:a'])).toMatchObject({ ok: false, rule: 'DV5' })
    expect(checkBallot(vote({ onePerCard: true }), ['shape:a', 'shape:b'])).toEqual({ ok: true })
  })
  it('DV6: open until closed or until closesAt', () => {
    const t = Date.parse('2025-09-15T09:10:00.000Z')
    expect(acceptsBallots(vote(), t)).toBe(true)
    expect(acceptsBallots(vote({ state: 'closed' }), t)).toBe(false)
    expect(acceptsBallots(vote({ state: 'revealed' }), t)).toBe(false)
    expect(acceptsBallots(vote({ closesAt: '2025-09-15T09:10:00.001Z' }), t)).toBe(true)
    expect(acceptsBallots(vote({ closesAt: '2025-09-15T09:10:00.000Z' }), t)).toBe(false)
  })
  it('DV1: votes per person 1..20, default 3', () => {
    expect(CreateVoteInputSchema.parse({ frameId: 'shape:x' })).toMatchObject({ votesPerVoter: 3, onePerCard: false })
    expect(CreateVoteInputSchema.safeParse({ frameId: 'shape:x', votesPerVoter: 0 }).success).toBe(false)
    expect(CreateVoteInputSchema.safeParse({ frameId: 'shape:x', votesPerVoter: 21 }).success).toBe(false)
    expect(CreateVoteInputSchema.safeParse({ frameId: 'shape:x', votesPerVoter: 20 }).success).toBe(true)
  })
})

describe('ranking (DV8)', () => {
  const cards = [
    { id: 'shape:a', text: 'A' },
    { id: 'shape:b', text: 'B' },
    { id: 'shape:c', text: 'C' },
    { id: 'shape:d', text: 'D' },
  ]
  it('ranks by votes, ties share a rank and keep reading order, every card listed', () => {
    const results = tallyVotes(cards, [
      { cardIds: ['shape:c', 'shape:c', 'shape:b'] },
      { cardIds: ['shape:b', 'shape:d'] },
      { cardIds: ['shape:d', 'shape:zzz'] },
    ])
    expect(results.map((r) => [r.cardId, r.votes, r.rank])).toEqual([
      ['shape:b', 2, 1],
      ['shape:c', 2, 1],
      ['shape:d', 2, 1],
      ['shape:a', 0, 4],
    ])
  })
  it('is the same whatever the order of ballots', () => {
    const ballots = [{ cardIds: ['shape:a'] }, { cardIds: ['shape:b', 'shape:b'] }, { cardIds: ['shape:a', 'shape:c'] }]
    expect(tallyVotes(cards, [...ballots].reverse())).toEqual(tallyVotes(cards, ballots))
    expect(tallyVotes(cards, ballots).map((r) => r.rank)).toEqual([1, 1, 3, 4])
  })
})

describe('votes on the board records', () => {
  const board = buildSeedBoard('final') as Array<Record<string, unknown>>
  it('DV2: the cards of the issue map in reading order, optionally one facet', () => {
    const all = votableCards(board, 'shape:demo-issues')!
    expect(all.length).toBe(10)
    const social = votableCards(board, 'shape:demo-issues', 'sociale')!
    expect(social.map((c) => c.text)).toEqual(['Laboratorio di relazioni', 'Forme innovative di collaborazione e mutualità'])
    expect(votableCards(board, 'shape:nope')).toBeNull()
    // a card is never a frame of another map
    expect(votableCards(board, 'shape:demo-actors')!.every((c) => !all.some((a) => a.id === c.id))).toBe(true)
  })

  function revealedBoard() {
    const cards = votableCards(board, 'shape:demo-issues')!
    const v = vote({ cardIds: cards.map((c) => c.id), state: 'revealed', closedAt: '2025-09-15T09:20:00.000Z', revealedAt: '2025-09-15T09:21:00.000Z' })
    const ballots = [{ cardIds: [cards[2]!.id, cards[2]!.id, cards[0]!.id] }, { cardIds: [cards[2]!.id, cards[5]!.id] }]
    const results = tallyVotes(cards, ballots)
    const byId = new Map(board.map((r) => [r.id as string, r]))
    const { changed } = revealIntoRecords(byId, v, results, { voters: 2, votesCast: 5 })
    for (const r of changed) byId.set(r.id as string, r)
    return { after: [...byId.values()], cards }
  }

  it('DV9: the reveal writes the totals on the frame and a badge on each card, no ballot', () => {
    const { after, cards } = revealedBoard()
    const votes = revealedVotesOf(after)
    expect(votes).toHaveLength(1)
    expect(votes[0]).toMatchObject({ id: 'vote_a', frameTitle: 'Mappa delle questioni in gioco', voters: 2, votesCast: 5 })
    expect(votes[0]!.results[0]).toMatchObject({ cardId: cards[2]!.id, votes: 3, rank: 1 })
    expect(cardVoteOf(after.find((r) => r.id === cards[2]!.id))).toEqual({ voteId: 'vote_a', votes: 3, rank: 1 })
    expect(JSON.stringify(after)).not.toContain('voterId')
  })

  it('MP13: the semantic diff says which vote closed with its ranking', () => {
    const { after, cards } = revealedBoard()
    const changes = semanticDiff(board, after).filter((c) => c.kind === 'vote-revealed')
    expect(changes).toHaveLength(1)
    expect(changes[0]!.it).toBe(`Votazione «Priorità» chiusa: 1. «${cards[2]!.text}» 3 voti; 2. «${cards[0]!.text}» 1 voto; 2. «${cards[5]!.text}» 1 voto`)
    expect(changes[0]!.en).toContain('Vote «Priorità» closed: 1.')
    expect(semanticDiff(after, after)).toEqual([])
  })

  it('RP4: every report format has "Priorità votate" with the ranking, voters and rules; Decidim includes it', () => {
    const { after, cards } = revealedBoard()
    const data: ReportData = {
      meeting: { title: 'Incontro', reference: null, startsAt: null, endsAt: null, place: null, organisations: [], description: null, attendeesCount: 4 },
      version: null,
      maps: extractMaps(after),
      votes: revealedVotesOf(after),
      images: [],
      suggestedAttendees: null,
      generatedAt: '2025-09-22T11:03:00.000Z',
    }
    const md = renderReport(data, { format: 'md', locale: 'it' }).body
    expect(md).toContain('## Priorità votate')
    // a list text that starts with a number is escaped in Markdown (RP1): it reads "1. …" once rendered
    expect(md).toContain(`1\\. ${cards[2]!.text} — 3 voti`)
    expect(md).toContain('2 dispositivi, 5 voti espressi')
    expect(md).toContain('3 voti a persona')
    const html = renderReport(data, { format: 'html', locale: 'en' }).body
    expect(html).toContain('Voted priorities')
    expect(html).toContain(`1. ${cards[2]!.text} — 3 votes`)
    const json = JSON.parse(renderReport(data, { format: 'json', locale: 'it' }).body) as { votes: Array<{ results: unknown[] }> }
    expect(json.votes[0]!.results).toHaveLength(10)
    const decidim = JSON.parse(renderReport(data, { format: 'decidim', locale: 'it' }).body) as DecidimClosePayload
    expect(decidim.closingReport).toContain('Priorità votate')
    expect(decidim.closingReport).toContain(`${cards[2]!.text} — 3 voti`)
  })
})

describe('timer (T1..T3)', () => {
  it('counts down in server time, pauses, resumes, adds a minute, stops', () => {
    const started = applyTimerAction(null, { action: 'start', durationMs: 300_000, sound: false }, 1_000)!
    expect(timerRemainingMs(started, 61_000)).toBe(240_000)
    const paused = applyTimerAction(started, { action: 'pause' }, 61_000)!
    expect(timerRemainingMs(paused, 999_999)).toBe(240_000)
    const more = applyTimerAction(paused, { action: 'add-minute' }, 70_000)!
    expect(timerRemainingMs(more, 70_000)).toBe(300_000)
    const resumed = applyTimerAction(more, { action: 'resume' }, 100_000)!
    expect(timerRemainingMs(resumed, 160_000)).toBe(240_000)
    expect(timerRemainingMs(resumed, 10_000_000)).toBe(0)
    expect(applyTimerAction(resumed, { action: 'stop' }, 0)).toBeNull()
  })
  it('a minute added at zero counts from now', () => {
    const started = applyTimerAction(null, { action: 'start', durationMs: 1_000, sound: true }, 0)!
    const more = applyTimerAction(started, { action: 'add-minute' }, 50_000)!
    expect(timerRemainingMs(more, 50_000)).toBe(60_000)
  })
  it('offset from one round trip; mm:ss rounded up', () => {
    expect(clockOffsetMs(1_000, 10_050, 1_100)).toBe(9_000)
    expect(formatRemaining(61_001)).toBe('1:02')
    expect(formatRemaining(0)).toBe('0:00')
    expect(formatRemaining(3_600_000)).toBe('1:00:00')
  })
})
