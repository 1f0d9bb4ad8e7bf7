import type { ApiErrorCode } from '../../../shared/src/meetings/apiError.ts'
import { retryAfterSeconds } from './quotas.ts'

/** A refusal carried from a handler to the REST error handler (meetings/meetingsRouter.ts createApiErrorHandler). */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly details: Array<{ path: string; message: string }> | undefined
  /** Seconds for the Retry-After header of a 429. */
  retryAfter: number | undefined
  constructor(code: ApiErrorCode, message: string, details?: Array<{ path: string; message: string }>) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.details = details
  }
}

/** `429 rate_limited` with `Retry-After` for a wait in milliseconds. */
export function tooManyRequests(message: string, waitMs: number): ApiError {
  const error = new ApiError('rate_limited', message)
  error.retryAfter = retryAfterSeconds(waitMs)
  return error
}
