/** meeting SPEC S4: the browser keeps the staff token per device, takes it from the staff link, forgets it on sign out. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { adoptTokenFromAddress, readStaffToken, saveStaffToken } from '../../client/src/meeting/staffToken.ts'
import { memoryStorage } from '../helpers/fixtures.ts'

function fakeWindow(hash: string, session: Record<string, string> = {}) {
  const replaced: string[] = []
  const win = {
    localStorage: memoryStorage(),
    sessionStorage: memoryStorage(session),
    location: { hash, pathname: '/meetings', search: '' },
    history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) },
  }
  vi.stubGlobal('window', win)
  return { win, replaced }
}

afterEach(() => vi.unstubAllGlobals())

describe('staff token on the device (S4)', () => {
  it('the staff link: kept in localStorage and taken out of the address bar', () => {
    const { win, replaced } = fakeWindow('#token=abc%2Bdef')
    expect(adoptTokenFromAddress()).toBe('abc+def')
    expect(win.localStorage.getItem('tavolo.staffToken')).toBe('abc+def')
    expect(replaced).toEqual(['/meetings'])
    expect(readStaffToken()).toBe('abc+def')
  })

  it('an address without a token changes nothing', () => {
    const { replaced } = fakeWindow('#k=participant-key')
    expect(adoptTokenFromAddress()).toBeNull()
    expect(replaced).toEqual([])
    expect(readStaffToken()).toBeNull()
  })

  it('a token kept per tab by an earlier version moves to the device once; sign out forgets both', () => {
    const { win } = fakeWindow('', { 'tavolo.adminToken': 'old-tab-token' })
    expect(readStaffToken()).toBe('old-tab-token')
    expect(win.localStorage.getItem('tavolo.staffToken')).toBe('old-tab-token')
    expect(win.sessionStorage.getItem('tavolo.adminToken')).toBeNull()
    saveStaffToken(null)
    expect(readStaffToken()).toBeNull()
  })
})
