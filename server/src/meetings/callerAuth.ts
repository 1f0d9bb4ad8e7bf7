import type { Request } from 'express'
import type { Logger } from 'pino'
import type { Role } from '../../../shared/src/roles.ts'
import { ApiError, tooManyRequests } from '../http/apiError.ts'
import { quotaKeyOf } from '../http/clientAddress.ts'
import { FixedWindowLimiter, retryAfterSeconds } from '../http/quotas.ts'
import { authenticateKey } from './meetingAuth.ts'
import { bearerToken, secretMatches } from './meetingKeys.ts'
import type { StoredMeeting } from './meetingStore.ts'

/**
 * Who is calling a REST route: the staff token, a meeting key's role, or nobody. The one place that checks them and
 * that counts wrong ones (meetings SPEC Q3), shared by every router under /api/meetings, so guesses on any route
 * spend the same per-address budget and a throttled address is refused on all of them.
 */
export interface CallerAuth {
  /** True when the request carries the staff token. Counts nothing: for callers already authenticated. */
  isStaff(req: Request): boolean
  /**
   * S1: the staff token or a throw. Throttled address → 429 (even with the right token); no token → 401 `missing`,
   * not counted; any other token → 401 `wrong`, counted.
   */
  requireStaff(req: Request, messages: { missing: string; wrong: string }): void
  /**
   * The caller's role on a meeting: its key's role, or facilitator for the staff token; no token → 401, not counted;
   * a token that is neither → 401, counted. A key of the meeting works even from a throttled address; the staff
   * token and wrong tokens get 429 there.
   */
  callerRole(req: Request, stored: StoredMeeting): Role
}

export function createCallerAuth(options: {
  staffToken: string
  /** AUTH_FAILURE_LIMIT wrong tokens per AUTH_FAILURE_WINDOW_MS per client address. */
  failureLimit: number
  failureWindowMs: number
  logger: Logger
  /** Clock in ms, for tests. */
  now?: () => number
}): CallerAuth {
  const { staffToken } = options
  const clock = options.now ?? Date.now
  const failures = new FixedWindowLimiter({ limit: options.failureLimit, windowMs: options.failureWindowMs })
  const log = options.logger.child({ component: 'auth' })
  // req.ip already walked X-Forwarded-For through TRUST_PROXY only (app.ts `trust proxy`, SPEC Q5).
  const addressOf = (req: Request) => quotaKeyOf(req.ip ?? req.socket.remoteAddress ?? 'unknown')

  const isStaff = (req: Request): boolean => {
    const token = bearerToken(req.headers.authorization)
    return token !== null && secretMatches(token, staffToken)
  }

  /** An address that presented too many wrong tokens waits, whatever it presents now (even the right one). */
  const refuseIfThrottled = (req: Request): void => {
    const wait = failures.blockedFor(addressOf(req), clock())
    if (wait > 0) throw tooManyRequests(`too many wrong tokens or keys from this address: try again in ${retryAfterSeconds(wait)} s`, wait)
  }

  const wrongToken = (req: Request, message: string): ApiError => {
    failures.hit(addressOf(req), clock())
    log.info({ method: req.method, path: req.path }, 'wrong token or key')
    return new ApiError('unauthorized', message)
  }

  return {
    isStaff,
    requireStaff(req, messages) {
      refuseIfThrottled(req)
      if (bearerToken(req.headers.authorization) === null) throw new ApiError('unauthorized', messages.missing)
      if (!isStaff(req)) throw wrongToken(req, messages.wrong)
    },
    callerRole(req, stored) {
      const token = bearerToken(req.headers.authorization)
      if (token === null) throw new ApiError('unauthorized', 'missing key (Authorization: Bearer <key>)')
      // Before the throttle: a venue's devices may share one NAT address, and one participant's wrong guesses must not
      // lock the others out of their boards (192-bit keys cannot be guessed anyway).
      const match = authenticateKey(stored, token)
      if (match !== null) return match.role
      refuseIfThrottled(req)
      if (isStaff(req)) return 'facilitator'
      throw wrongToken(req, 'invalid or revoked key')
    },
  }
}
