import { describe, expect, test } from 'vitest'
import {
  choosePresenter,
  frameAt,
  nextPresentingSince,
  orderFrames,
  qrLinkFor,
  readSummon,
  stepFrame,
  summonsToApply,
  type Frame,
} from '../../client/src/meeting/leading.ts'
import { formatMeetingTime, formatShortDateTime } from '../../client/src/meeting/formatMeetingTime.ts'
import { localDateTimeToIso, parseOrganisations, validateMeetingForm } from '../../client/src/app/HomePage.tsx'

type State = Record<string, unknown>
const user = (role: string, id = `user:${role}`, name = role) => ({ id, name, color: '#000000', role })
const states = (entries: Array<[number, State]>) => new Map(entries)

describe('presenter (P1, P2)', () => {
  test('P1: the facilitator with the greatest `since` presents; other roles are ignored whatever they claim to do', () => {
    const s = states([
      [1, { user: user('facilitator', 'user:a', 'Anna'), presenting: { since: 100, showQr: false } }],
      [2, { user: user('facilitator', 'user:b', 'Bea'), presenting: { since: 200, showQr: true } }],
      [3, { user: user('participant', 'user:p'), presenting: { since: 999, showQr: true } }],
      [4, { user: user('viewer', 'user:v'), presenting: { since: 1000, showQr: true } }],
      [5, { user: user('facilitator', 'user:c') }],
    ])
    expect(choosePresenter(s)).toMatchObject({ clientId: 2, userId: 'user:b', name: 'Bea' })
  })

  test('P1: nobody presenting, malformed presenting values, and ties (greater client id wins)', () => {
    expect(choosePresenter(states([[1, { user: user('facilitator') }]]))).toBeNull()
    expect(choosePresenter(states([[1, { user: user('facilitator'), presenting: { since: 'x', showQr: true } }]]))).toBeNull()
    expect(choosePresenter(states([[1, { user: user('facilitator'), presenting: null }]]))).toBeNull()
    expect(choosePresenter(states([[1, { presenting: { since: 1, showQr: true } }]]))).toBeNull()
    const tie = states([
      [7, { user: user('facilitator', 'user:x'), presenting: { since: 5, showQr: false } }],
      [3, { user: user('facilitator', 'user:y'), presenting: { since: 5, showQr: false } }],
    ])
    expect(choosePresenter(tie)?.clientId).toBe(7)
  })

  test('P2: pressing later wins even with a slow clock', () => {
    const s = states([[1, { user: user('facilitator'), presenting: { since: 5000, showQr: false } }]])
    expect(nextPresentingSince(s, 1000)).toBe(5001)
    expect(nextPresentingSince(s, 9000)).toBe(9000)
    // A participant's claim does not push the clock.
    expect(nextPresentingSince(states([[1, { user: user('participant'), presenting: { since: 9e12, showQr: false } }]]), 10)).toBe(10)
  })
})

describe('join QR on the projector (P3)', () => {
  const presenter = (presenting: Record<string, unknown>) =>
    choosePresenter(states([[1, { user: user('facilitator'), presenting: { since: 1, ...presenting } }]]))
  const origin = 'http://127.0.0.1:8080'

  test('shown only when asked, for a link to this board with a key', () => {
    expect(qrLinkFor(presenter({ showQr: true, participantLink: '/board/b1#k=abc' }), 'b1', origin)).toBe(`${origin}/board/b1#k=abc`)
    expect(qrLinkFor(presenter({ showQr: true, participantLink: 'https://tavolo.example.org/x/board/b1#k=abc' }), 'b1', origin)).toBe(
      'https://tavolo.example.org/x/board/b1#k=abc',
    )
    expect(qrLinkFor(presenter({ showQr: false, participantLink: '/board/b1#k=abc' }), 'b1', origin)).toBeNull()
    expect(qrLinkFor(presenter({ showQr: true }), 'b1', origin)).toBeNull()
    expect(qrLinkFor(null, 'b1', origin)).toBeNull()
  })

  test('refuses links elsewhere: another board, no key, other schemes', () => {
    expect(qrLinkFor(presenter({ showQr: true, participantLink: '/board/other#k=abc' }), 'b1', origin)).toBeNull()
    expect(qrLinkFor(presenter({ showQr: true, participantLink: '/board/b1' }), 'b1', origin)).toBeNull()
    expect(qrLinkFor(presenter({ showQr: true, participantLink: 'javascript:alert(1)//board/b1#k=a' }), 'b1', origin)).toBeNull()
    expect(qrLinkFor(presenter({ showQr: true, participantLink: 'https://evil.example/phish' }), 'b1', origin)).toBeNull()
  })
})

describe('bring everyone to me (S1)', () => {
  const summon = (nonce: string) => ({ nonce, pageId: 'page:page', bounds: { x: 1, y: 2, w: 300, h: 200 } })

  test('each facilitator nonce is applied once; own and non-facilitator summons are ignored', () => {
    const s1 = states([
      [1, { user: user('facilitator'), summon: summon('n1') }],
      [2, { user: user('participant'), summon: summon('p1') }],
      [9, { user: user('facilitator'), summon: summon('mine') }],
    ])
    const first = summonsToApply(s1, new Map(), 9)
    expect(first.apply.map((s) => s.nonce)).toEqual(['n1'])
    const again = summonsToApply(s1, first.seen, 9)
    expect(again.apply).toEqual([])
    const s2 = states([[1, { user: user('facilitator'), summon: summon('n2') }]])
    expect(summonsToApply(s2, again.seen, 9).apply.map((s) => s.nonce)).toEqual(['n2'])
    // The summon removed (after its time): nothing to do, and the seen nonce is kept.
    const gone = summonsToApply(states([[1, { user: user('facilitator'), summon: null }]]), again.seen, 9)
    expect(gone.apply).toEqual([])
    expect(gone.seen.get(1)).toBe('n1')
  })

  test('malformed summons are ignored', () => {
    expect(readSummon({ summon: { nonce: 'a', pageId: 'page:p', bounds: { x: 0, y: 0, w: 0, h: 10 } } })).toBeNull()
    expect(readSummon({ summon: { nonce: 'a', pageId: 'shape:p', bounds: { x: 0, y: 0, w: 10, h: 10 } } })).toBeNull()
    expect(readSummon({ summon: { nonce: '', pageId: 'page:p', bounds: { x: 0, y: 0, w: 10, h: 10 } } })).toBeNull()
    expect(readSummon({ summon: { nonce: 'a', pageId: 'page:p', bounds: { x: NaN, y: 0, w: 10, h: 10 } } })).toBeNull()
    expect(readSummon({ summon: { nonce: 'a', pageId: 'page:p', bounds: { x: 0, y: 0, w: 10, h: 10 } } })).not.toBeNull()
  })
})

describe('frames as slides (F1, F2)', () => {
  const f = (id: string, x: number, y: number, w = 100, h = 80): Frame => ({ id, bounds: { x, y, w, h } })

  test('F1: reading order, rows top to bottom and left to right, with slightly misaligned rows', () => {
    const frames = [f('c', 300, 10), f('e', 150, 400), f('a', 0, 0), f('b', 150, 30), f('d', 0, 390)]
    expect(orderFrames(frames).map((x) => x.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    // A frame that overlaps a row by less than half of the shorter height starts a new row.
    expect(orderFrames([f('a', 0, 0), f('b', 200, 50)]).map((x) => x.id)).toEqual(['a', 'b'])
    expect(orderFrames([f('a', 200, 0), f('b', 0, 50)]).map((x) => x.id)).toEqual(['a', 'b'])
    expect(orderFrames([f('a', 200, 0), f('b', 0, 20)]).map((x) => x.id)).toEqual(['b', 'a'])
    expect(orderFrames([])).toEqual([])
  })

  test('F2: next/previous from the frame under the viewport centre, first/last from nowhere, no wrap-around', () => {
    const ordered = orderFrames([f('a', 0, 0), f('b', 200, 0), f('c', 400, 0)])
    const on = (i: number) => ({ x: ordered[i]!.bounds.x - 10, y: -10, w: 120, h: 100 })
    expect(frameAt(ordered, on(1))).toBe(1)
    expect(stepFrame(ordered, on(1), 1)).toBe(2)
    expect(stepFrame(ordered, on(1), -1)).toBe(0)
    expect(stepFrame(ordered, on(2), 1)).toBeNull()
    expect(stepFrame(ordered, on(0), -1)).toBeNull()
    const nowhere = { x: 5000, y: 5000, w: 100, h: 100 }
    expect(frameAt(ordered, nowhere)).toBe(-1)
    expect(stepFrame(ordered, nowhere, 1)).toBe(0)
    expect(stepFrame(ordered, nowhere, -1)).toBe(2)
    expect(stepFrame([], nowhere, 1)).toBeNull()
  })

  test('F2: with nested frames under the centre, the smallest one is the current one', () => {
    const ordered = orderFrames([f('big', 0, 0, 1000, 1000), f('small', 400, 400, 200, 200)])
    expect(ordered[frameAt(ordered, { x: 450, y: 450, w: 100, h: 100 })]!.id).toBe('small')
  })
})

describe('meeting form and dates', () => {
  const empty = { title: '', reference: '', startsAt: '', endsAt: '', place: '', organisations: '', description: '' }

  test('validation with the shared schema, as translated message keys', () => {
    expect(validateMeetingForm(empty)).toEqual({ title: 'create.error.titleMissing' })
    expect(validateMeetingForm({ ...empty, title: 'x'.repeat(201) })).toEqual({ title: 'create.error.title' })
    expect(validateMeetingForm({ ...empty, title: 'Ok', reference: 'con spazi' })).toEqual({ reference: 'create.error.reference' })
    expect(validateMeetingForm({ ...empty, title: 'Ok', startsAt: '2025-09-18T17:30', endsAt: '2025-09-18T16:00' })).toEqual({
      endsAt: 'create.error.endBeforeStart',
    })
    expect(validateMeetingForm({ ...empty, title: 'Ok', organisations: Array.from({ length: 51 }, (_, i) => `Org ${i}`).join('\n') })).toEqual({
      organisations: 'create.error.organisations',
    })
    expect(validateMeetingForm({ ...empty, title: 'Ok', reference: 'par-MEET-2025-09-622', organisations: 'A\n\n B \n' })).toEqual({})
  })

  test('organisations one per line; local date-time to ISO with a zone', () => {
    expect(parseOrganisations('Comune di Esempio\n\n  Pro Loco, sezione 2 \n')).toEqual(['Comune di Esempio', 'Pro Loco, sezione 2'])
    expect(localDateTimeToIso('')).toBeNull()
    expect(localDateTimeToIso('2025-09-18T17:30')).toMatch(/^2025-09-18T\d\d:30:00\.000Z$/)
  })

  test('meeting time in Italian and English', () => {
    const tz = 'Europe/Rome'
    expect(formatMeetingTime('2025-09-18T15:30:00Z', '2025-09-18T17:30:00Z', 'it', tz)).toBe('giovedì 18 settembre 2025, 17:30–19:30')
    expect(formatMeetingTime('2025-09-18T15:30:00Z', null, 'en', tz)).toBe('Thursday, 18 September 2025, 17:30')
    expect(formatMeetingTime('2025-09-18T15:30:00Z', '2025-09-19T08:00:00Z', 'it', tz)).toBe(
      'giovedì 18 settembre 2025, 17:30 – venerdì 19 settembre 2025, 10:00',
    )
    expect(formatMeetingTime(null, null, 'it')).toBeNull()
    expect(formatShortDateTime(null, 'it')).toBeNull()
    expect(formatShortDateTime('2025-09-18T15:30:00Z', 'it', tz)).toBe('18 set 2025, 17:30')
  })

  test('issue 19 item 17: a meeting\'s time is shown in its own zone (Europe/Rome), whatever the browser\'s zone', () => {
    // 09:00 in Rome is 08:00 UTC in December: the staff list said 07:00/08:00 where the browser ran in another zone
    expect(formatMeetingTime('2026-12-06T09:00:00+01:00', '2026-12-06T11:00:00+01:00', 'it')).toBe('domenica 6 dicembre 2026, 09:00–11:00')
    expect(formatShortDateTime('2026-12-06T08:00:00Z', 'it')).toBe('6 dic 2026, 09:00')
    expect(formatMeetingTime('2026-07-06T07:00:00Z', null, 'en')).toBe('Monday, 6 July 2026, 09:00')
  })
})
