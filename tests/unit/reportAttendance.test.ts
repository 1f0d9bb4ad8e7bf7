import { describe, expect, it } from 'vitest'
import { createAttendanceTracker } from '../../server/src/reports/attendance.ts'

const user = (name: unknown, role = 'participant') => ({ user: { id: String(name), name, color: '#000', role }, presence: {} })

describe('RP3 attendance: distinct named people seen on a board', () => {
  it('counts names once (trimmed, any case), per board; viewers, unnamed and malformed states do not count', () => {
    const t = createAttendanceTracker()
    expect(t.count('b1')).toBeNull()
    t.observe('b1', [user('Anna'), user(' anna '), user('ANNA', 'facilitator'), user('Marco')])
    t.observe('b1', [user('Proiettore', 'viewer'), user(''), user(42), null, 'x', { user: null }, {}])
    t.observe('b2', [user('Giulia')])
    expect(t.count('b1')).toBe(2)
    expect(t.count('b2')).toBe(1)
  })

  it('is bounded: absurdly long names are ignored and a board remembers at most 1000 names', () => {
    const t = createAttendanceTracker()
    t.observe('b', [user('x'.repeat(101))])
    expect(t.count('b')).toBeNull()
    t.observe('b', Array.from({ length: 1500 }, (_, i) => user(`p${i}`)))
    expect(t.count('b')).toBe(1000)
  })

  it('forgets a board when its meeting is erased (a per-meeting store of the eraser), and only that board', async () => {
    const t = createAttendanceTracker()
    t.observe('b1', [user('Anna'), user('Marco')])
    t.observe('b2', [user('Giulia')])
    expect((await t.meetingIds()).sort()).toEqual(['b1', 'b2'])
    expect(await t.eraseMeeting('b1')).toBe(2)
    expect(await t.meetingIds()).toEqual(['b2'])
    expect(t.count('b1')).toBeNull()
    expect(t.count('b2')).toBe(1)
  })
})
