import { describe, expect, it } from 'vitest'
import { createAttendanceTracker } from '../../server/src/reports/attendance.ts'
import { ATTENDEES_MAX } from '../../shared/src/meetings/meetingSchemas.ts'
import { attendeeKey, countAttendees, UNNAMED_PRESENCE_NAME } from '../../shared/src/presence/attendees.ts'

const user = (name: unknown, role = 'participant') => ({ user: { id: String(name), name, color: '#000', role }, presence: {} })
const conn = (connectionId: string, role: 'participant' | 'facilitator' | 'viewer' = 'participant') => ({ connectionId, role })

describe('the attendee rule (shared/src/presence/attendees.ts)', () => {
  it('counts named participants and facilitators; never viewers, unnamed, empty, non-string or absurd names', () => {
    expect(attendeeKey('participant', ' Anna ')).toBe('anna')
    expect(attendeeKey('facilitator', 'Federica')).toBe('federica')
    expect(attendeeKey('viewer', 'Proiettore')).toBeNull()
    expect(attendeeKey('participant', UNNAMED_PRESENCE_NAME)).toBeNull()
    expect(attendeeKey('participant', '  ')).toBeNull()
    expect(attendeeKey('participant', 42)).toBeNull()
    expect(attendeeKey('admin', 'Anna')).toBeNull()
    expect(attendeeKey('participant', 'x'.repeat(101))).toBeNull()
  })

  it('counts distinct keys, skips nulls and never exceeds Decidim\'s 999', () => {
    expect(countAttendees(['anna', 'anna', null, 'marco'])).toBe(2)
    expect(countAttendees(Array.from({ length: 1500 }, (_, i) => `p${i}`))).toBe(ATTENDEES_MAX)
  })
})

describe('RP3 attendance: distinct named people seen on a board', () => {
  it('counts names once (trimmed, any case), per board; viewers, unnamed and malformed states do not count', () => {
    const t = createAttendanceTracker()
    expect(t.count('b1')).toBeNull()
    t.observe('b1', conn('c1'), [user('Anna')])
    t.observe('b1', conn('c2'), [user(' anna ')])
    t.observe('b1', conn('c3', 'facilitator'), [user('ANNA', 'facilitator')])
    t.observe('b1', conn('c4'), [user('Marco')])
    t.observe('b1', conn('c5', 'viewer'), [user('Proiettore', 'viewer')])
    for (const [i, bad] of [user(''), user(42), user(UNNAMED_PRESENCE_NAME), null, 'x', { user: null }, {}].entries()) {
      t.observe('b1', conn(`bad${i}`), [bad])
    }
    t.observe('b2', conn('c6'), [user('Giulia')])
    expect(t.count('b1')).toBe(2)
    expect(t.count('b2')).toBe(1)
  })

  it('the role is the connection\'s, not what the state claims: a viewer claiming to be a participant does not count', () => {
    const t = createAttendanceTracker()
    t.observe('b', conn('wall', 'viewer'), [user('Sala', 'participant')])
    expect(t.count('b')).toBeNull()
  })

  it('one connection counts once, with its last name, however many names it publishes (issue 17 finding 6)', () => {
    const t = createAttendanceTracker()
    t.observe('b', conn('hostile'), Array.from({ length: 1000 }, (_, i) => user(`p${i}`)))
    for (let i = 0; i < 1000; i++) t.observe('b', conn('hostile'), [user(`q${i}`)])
    expect(t.count('b')).toBe(1)
    t.observe('b', conn('anna'), [user('Ann')])
    t.observe('b', conn('anna'), [user('Anna')])
    t.observe('b', conn('anna'), [null])
    expect(t.count('b')).toBe(2)
  })

  it('is bounded: absurdly long names are ignored and the count stops at 999', () => {
    const t = createAttendanceTracker()
    t.observe('b', conn('c'), [user('x'.repeat(101))])
    expect(t.count('b')).toBeNull()
    for (let i = 0; i < 1500; i++) t.observe('b', conn(`c${i}`), [user(`p${i}`)])
    expect(t.count('b')).toBe(ATTENDEES_MAX)
  })

  it('forgets a board when its meeting is erased (a per-meeting store of the eraser), and only that board', async () => {
    const t = createAttendanceTracker()
    t.observe('b1', conn('a'), [user('Anna')])
    t.observe('b1', conn('m'), [user('Marco')])
    t.observe('b2', conn('g'), [user('Giulia')])
    expect((await t.meetingIds()).sort()).toEqual(['b1', 'b2'])
    expect(await t.eraseMeeting('b1')).toBe(2)
    expect(await t.meetingIds()).toEqual(['b2'])
    expect(t.count('b1')).toBeNull()
    expect(t.count('b2')).toBe(1)
  })
})
