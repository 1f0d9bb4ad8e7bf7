/**
 * Typed calls to /api/meetings. Every answer is parsed at the edge with the shared zod schemas; any failure becomes an
 * `ApiFailure` the pages turn into plain words (never a thrown raw error in the UI).
 */
import type { z } from 'zod'
import { ApiErrorBodySchema, type ApiErrorCode } from '../../../shared/src/meetings/apiError.ts'
import {
  CreateMeetingResponseSchema,
  MeetingDetailResponseSchema,
  MeetingListResponseSchema,
  RotateKeyResponseSchema,
  type CreateMeetingResponse,
  type MeetingDetailResponse,
  type MeetingInput,
  type MeetingListResponse,
  type RotateKeyResponse,
} from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'

export type ApiFailure =
  /** The server answered with our error vocabulary. */
  | { kind: 'api'; status: number; code: ApiErrorCode; message: string; details: Array<{ path: string; message: string }> }
  /** No answer (offline, server down). */
  | { kind: 'network' }
  /** An answer that is not what the API promises (e.g. a server without meetings). */
  | { kind: 'unexpected'; status: number }

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure }

/** One JSON call; `rawBody` sends a JSON text as it is (an imported file), `body` is serialized. */
export async function call<S extends z.ZodType>(
  schema: S,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<z.output<S>>> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      signal: options.signal,
      cache: 'no-store',
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    return { ok: false, failure: { kind: 'network' } }
  }
  let json: unknown
  try {
    json = await response.json()
  } catch {
    return { ok: false, failure: { kind: 'unexpected', status: response.status } }
  }
  if (response.ok) {
    const parsed = schema.safeParse(json)
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: { kind: 'unexpected', status: response.status } }
  }
  const error = ApiErrorBodySchema.safeParse(json)
  if (!error.success) return { ok: false, failure: { kind: 'unexpected', status: response.status } }
  const { code, message, details } = error.data.error
  return { ok: false, failure: { kind: 'api', status: response.status, code, message, details: details ?? [] } }
}

export function createMeeting(input: MeetingInput, adminToken: string | null): Promise<ApiResult<CreateMeetingResponse>> {
  return call(CreateMeetingResponseSchema, 'POST', '/api/meetings', { token: adminToken, body: input })
}

export function listMeetings(adminToken: string | null, signal?: AbortSignal): Promise<ApiResult<MeetingListResponse>> {
  return call(MeetingListResponseSchema, 'GET', '/api/meetings', { token: adminToken, signal })
}

export function getMeeting(id: string, key: string, signal?: AbortSignal): Promise<ApiResult<MeetingDetailResponse>> {
  return call(MeetingDetailResponseSchema, 'GET', `/api/meetings/${encodeURIComponent(id)}`, { token: key, signal })
}

export function rotateKey(id: string, role: Role, facilitatorKey: string): Promise<ApiResult<RotateKeyResponse>> {
  return call(RotateKeyResponseSchema, 'POST', `/api/meetings/${encodeURIComponent(id)}/keys/${role}/rotate`, {
    token: facilitatorKey,
  })
}

/** The staff token, kept for this browser tab only (sessionStorage): asked again in a new tab. */
const ADMIN_TOKEN_KEY = 'tavolo.adminToken'

export function readAdminToken(): string | null {
  try {
    return window.sessionStorage.getItem(ADMIN_TOKEN_KEY)
  } catch {
    return null
  }
}

export function saveAdminToken(token: string | null): void {
  try {
    if (token) window.sessionStorage.setItem(ADMIN_TOKEN_KEY, token)
    else window.sessionStorage.removeItem(ADMIN_TOKEN_KEY)
  } catch {
    // private mode: the token is then asked again
  }
}

/** The path + fragment of a link the API returned (absolute when PUBLIC_URL is set), for in-app navigation. */
export function localPathOf(link: string): string {
  try {
    const url = new URL(link, window.location.origin)
    return url.origin === window.location.origin ? `${url.pathname}${url.hash}` : url.href
  } catch {
    return link
  }
}

/** The absolute form of a link (to copy or encode in a QR code). */
export function absoluteLink(link: string): string {
  try {
    return new URL(link, window.location.origin).href
  } catch {
    return link
  }
}
