/**
 * The caller checks every /api/meetings router shares (server/src/meetings/callerAuth.ts, meetings SPEC Q3): the
 * order of the checks and the per-address budget, with a fake clock. The routes themselves are covered by
 * tests/integration/httpHardening.test.ts.
 */
import type { Request } from 'express'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/src/http/apiError.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createCallerAuth } from '../../server/src/meetings/callerAuth.ts'
import type { StoredMeeting } from '../../server/src/meetings/meetingStore.ts'

const STAFF = 'staff-token-for-caller-auth-unit'
const stored = {
  meeting: {},
  keys: { facilitator: 'f'.repeat(32), participant: 'p'.repeat(32), viewer: 'v'.repeat(32) },
  keyVersions: { facilitator: 1, participant: 1, viewer: 1 },
} as unknown as StoredMeeting
const messages = { missing: 'no staff token', wrong: 'wrong staff token' }

function request(token: string | null, ip: string): Request {
  return { headers: token === null ? {} : { authorization: `Bearer ${token}` }, ip, socket: { remoteAddress: ip }, method: 'GET', path: '/x' } as unknown as Request
}

/** What a check throws, as `status code`, or 'ok'. */
function outcome(check: () => unknown): string {
  try {
    const value = check()
    return typeof value === 'string' ? value : 'ok'
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return `${error.code}${error.retryAfter === undefined ? '' : ` ${error.retryAfter}s`}`
  }
}

function setup(limit = 2) {
  let now = 1_000_000
  const auth = createCallerAuth({ staffToken: STAFF, failureLimit: limit, failureWindowMs: 60_000, logger: createSilentLogger(), now: () => now })
  return { auth, advance: (ms: number) => (now += ms) }
}

describe('callerAuth (meetings SPEC Q3)', () => {
  it('roles: a key of the meeting, the staff token as facilitator; missing and wrong tokens are 401', () => {
    const { auth } = setup()
    expect(outcome(() => auth.callerRole(request('p'.repeat(32), '10.0.0.1'), stored))).toBe('participant')
    expect(outcome(() => auth.callerRole(request(STAFF, '10.0.0.1'), stored))).toBe('facilitator')
    expect(outcome(() => auth.callerRole(request(null, '10.0.0.1'), stored))).toBe('unauthorized')
    expect(outcome(() => auth.callerRole(request('x'.repeat(32), '10.0.0.1'), stored))).toBe('unauthorized')
    expect(auth.isStaff(request('f'.repeat(32), '10.0.0.1'))).toBe(false)
    expect(auth.isStaff(request(STAFF, '10.0.0.1'))).toBe(true)
  })

  it('requireStaff and callerRole spend one budget; past it wrong tokens wait until the window ends, the staff token and keys never do', () => {
    const { auth, advance } = setup(2)
    const from = '10.0.0.2'
    expect(outcome(() => auth.requireStaff(request('wrong-1', from), messages))).toBe('unauthorized')
    expect(outcome(() => auth.callerRole(request('wrong-2', from), stored))).toBe('unauthorized')
    expect(outcome(() => auth.requireStaff(request('wrong-3', from), messages))).toBe('rate_limited 60s')
    expect(outcome(() => auth.callerRole(request('wrong-4', from), stored))).toBe('rate_limited 60s')
    // Q3: only failures are throttled; the right staff token keeps working from the throttled address.
    expect(outcome(() => auth.requireStaff(request(STAFF, from), messages))).toBe('ok')
    expect(outcome(() => auth.callerRole(request(STAFF, from), stored))).toBe('facilitator')
    expect(outcome(() => auth.callerRole(request('v'.repeat(32), from), stored))).toBe('viewer')
    // Missing tokens are neither counted nor (on a meeting) throttled: the 401 tells what to send.
    expect(outcome(() => auth.callerRole(request(null, from), stored))).toBe('unauthorized')
    advance(59_500)
    expect(outcome(() => auth.requireStaff(request('wrong-5', from), messages))).toBe('rate_limited 1s')
    advance(500)
    expect(outcome(() => auth.requireStaff(request('wrong-6', from), messages))).toBe('unauthorized')
  })

  it('counts IPv6 callers by their /64, and a missing staff token not at all', () => {
    const { auth } = setup(2)
    expect(outcome(() => auth.requireStaff(request('wrong-1', '2001:db8:1:2::a'), messages))).toBe('unauthorized')
    expect(outcome(() => auth.requireStaff(request('wrong-2', '2001:db8:1:2::b'), messages))).toBe('unauthorized')
    expect(outcome(() => auth.requireStaff(request('wrong-3', '2001:db8:1:2:ffff::1'), messages))).toBe('rate_limited 60s')
    expect(outcome(() => auth.requireStaff(request('wrong-3', '2001:db8:1:3::a'), messages))).toBe('unauthorized')
    for (let i = 0; i < 5; i++) expect(outcome(() => auth.requireStaff(request(null, '10.0.0.3'), messages))).toBe('unauthorized')
    expect(outcome(() => auth.requireStaff(request(STAFF, '10.0.0.3'), messages))).toBe('ok')
  })
})
