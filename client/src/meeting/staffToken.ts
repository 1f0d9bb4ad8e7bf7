/**
 * The staff token on this device. Kept in localStorage, so staff sign in once per device (the staff link does it)
 * and sign out from the staff page; never in a cookie, so no other site can make the browser send it.
 */
const STAFF_TOKEN_KEY = 'tavolo.staffToken'
/** Where earlier versions kept it, per tab: moved over once. */
const OLD_SESSION_KEY = 'tavolo.adminToken'

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[kind]
  } catch {
    return null
  }
}

export function readStaffToken(): string | null {
  const local = storage('localStorage')
  const kept = local?.getItem(STAFF_TOKEN_KEY) ?? null
  if (kept !== null) return kept
  const old = storage('sessionStorage')?.getItem(OLD_SESSION_KEY) ?? null
  if (old !== null) {
    saveStaffToken(old)
    storage('sessionStorage')?.removeItem(OLD_SESSION_KEY)
  }
  return old
}

export function saveStaffToken(token: string | null): void {
  try {
    if (token) window.localStorage.setItem(STAFF_TOKEN_KEY, token)
    else {
      window.localStorage.removeItem(STAFF_TOKEN_KEY)
      window.sessionStorage.removeItem(OLD_SESSION_KEY)
    }
  } catch {
    // private mode: the token is then asked again
  }
}

/** The token of a staff link (`#token=…` in the fragment, see server/src/http/staffToken.ts), or null. */
export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash)
  const token = params.get('token')
  return token === null || token.trim() === '' ? null : token.trim()
}

/**
 * Opened through the staff link: keep its token on this device and take it out of the address bar (so it is not
 * bookmarked, shared or left in the history). Returns the token, or null when the address has none.
 */
export function adoptTokenFromAddress(): string | null {
  const token = tokenFromFragment(window.location.hash)
  if (token === null) return null
  saveStaffToken(token)
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`)
  return token
}
