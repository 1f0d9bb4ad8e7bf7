import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Shortest ADMIN_TOKEN accepted (config refuses shorter ones): 24 characters, 144 bits as base64url. */
export const MIN_STAFF_TOKEN_LENGTH = 24

/** File in DATA_DIR that keeps the generated staff token when ADMIN_TOKEN is not set. */
export const STAFF_TOKEN_FILE = 'staff-token'

export interface StaffToken {
  token: string
  /** Where it came from: the environment, or the file in DATA_DIR (created now or on an earlier start). */
  source: 'ADMIN_TOKEN' | 'generated' | 'file'
  file: string | null
}

/**
 * The token that guards the staff routes. ADMIN_TOKEN when set; otherwise the one kept in DATA_DIR/staff-token,
 * generated (32 random bytes, base64url) and written with mode 0600 on the first start. The staff routes are never
 * open: a server without a token would hand every facilitator link to anyone on the network, and "the request came
 * from loopback" proves nothing behind a reverse proxy.
 */
export function resolveStaffToken(adminToken: string | null, dataDir: string): StaffToken {
  if (adminToken !== null) return { token: adminToken, source: 'ADMIN_TOKEN', file: null }
  const file = join(dataDir, STAFF_TOKEN_FILE)
  let existing: string | null = null
  try {
    existing = readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (existing !== null) {
    if (existing.length < MIN_STAFF_TOKEN_LENGTH || /\s/.test(existing)) {
      throw new Error(`${file} does not hold a usable staff token (at least ${MIN_STAFF_TOKEN_LENGTH} characters, no spaces): delete it and Tavolo makes a new one at start`)
    }
    // Someone may have copied it around with a wider mode: keep it readable by the server's user only.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
    return { token: existing, source: 'file', file }
  }
  mkdirSync(dataDir, { recursive: true })
  const token = randomBytes(32).toString('base64url')
  // 'wx': never overwrite a token another process has just written.
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' })
  return { token, source: 'generated', file }
}

/**
 * The staff link: the list of meetings, carrying the token in the URL fragment (never sent to the server, so it
 * never reaches a log or a Referer). The staff page stores it on that device and removes it from the address bar.
 * The one builder of this link: the start banner and the log line use it.
 */
export function staffLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/meetings#token=${encodeURIComponent(token)}`
}
