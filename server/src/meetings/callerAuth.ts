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
   * S1: the staff token or a throw. The right token always passes (Q3); no token → 401 `missing`, not counted; any
   * other token → 401 `wrong`, counted, or 429 from an address over its budget.
   */
  requireStaff(req: Request, messages: { missing: string; wrong: string }): void
  /**
   * The caller's role on a meeting: its key's role, or facilitator for the staff token; no token → 401, not counted;
   * a token that is neither → 401, counted, or 429 from an address over its budget. Right credentials always work.
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

  /**
   * An address that presented too many wrong tokens waits before its next wrong one is even compared. Only failures
   * are throttled: a venue's devices share one NAT address, and one person's wrong guesses must not lock the right
   * staff token or keys out (both are 144+ random bits: guessing is hopeless anyway; the throttle keeps it slow and
   * the logs quiet).
   */
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
      if (bearerToken(req.headers.authorization) === null) throw new ApiError('unauthorized', messages.missing)
      if (isStaff(req)) return
      refuseIfThrottled(req)
      throw wrongToken(req, messages.wrong)
    },
    callerRole(req, stored) {
      const token = bearerToken(req.headers.authorization)
      if (token === null) throw new ApiError('unauthorized', 'missing key (Authorization: Bearer <key>)')
      const match = authenticateKey(stored, token)
      if (match !== null) return match.role
      if (isStaff(req)) return 'facilitator'
      refuseIfThrottled(req)
      throw wrongToken(req, 'invalid or revoked key')
    },
  }
}
