/**
 * Typed calls to /api/meetings. Every answer is parsed at the edge with the shared zod schemas; any failure becomes an
 * `ApiFailure` the pages turn into plain words (never a thrown raw error in the UI).
 */
import { z } from 'zod'
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
  type MeetingPatch,
  type RotateKeyResponse,
} from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'

export type ApiFailure =
  /** The server answered with our error vocabulary. */
  | {
      kind: 'api'
      status: number
      code: ApiErrorCode
      message: string
      details: Array<{ path: string; message: string }>
      /** Seconds from the Retry-After header of a 429, when there is one. */
      retryAfter?: number
    }
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
  const retryAfter = Number(response.headers.get('retry-after'))
  return {
    ok: false,
    failure: {
      kind: 'api',
      status: response.status,
      code,
      message,
      details: details ?? [],
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfter } : {}),
    },
  }
}

export function createMeeting(input: MeetingInput, adminToken: string | null): Promise<ApiResult<CreateMeetingResponse>> {
  return call(CreateMeetingResponseSchema, 'POST', '/api/meetings', { token: adminToken, body: input })
}

/** One page of the staff list (newest first); pass the previous page's `nextCursor` for the next one. */
export function listMeetings(adminToken: string | null, cursor: string | null, signal?: AbortSignal): Promise<ApiResult<MeetingListResponse>> {
  const query = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`
  return call(MeetingListResponseSchema, 'GET', `/api/meetings${query}`, { token: adminToken, signal })
}

/** M6: the meetings that already have this reference (staff), for the warning before a duplicate. */
export function meetingsWithReference(adminToken: string, reference: string, signal?: AbortSignal): Promise<ApiResult<MeetingListResponse>> {
  return call(MeetingListResponseSchema, 'GET', `/api/meetings?reference=${encodeURIComponent(reference)}`, { token: adminToken, signal })
}

export function getMeeting(id: string, key: string, signal?: AbortSignal): Promise<ApiResult<MeetingDetailResponse>> {
  return call(MeetingDetailResponseSchema, 'GET', `/api/meetings/${encodeURIComponent(id)}`, { token: key, signal })
}

export function updateMeeting(id: string, patch: MeetingPatch, facilitatorKey: string): Promise<ApiResult<MeetingDetailResponse>> {
  return call(MeetingDetailResponseSchema, 'PATCH', `/api/meetings/${encodeURIComponent(id)}`, { token: facilitatorKey, body: patch })
}

export function rotateKey(id: string, role: Role, facilitatorKey: string): Promise<ApiResult<RotateKeyResponse>> {
  return call(RotateKeyResponseSchema, 'POST', `/api/meetings/${encodeURIComponent(id)}/keys/${role}/rotate`, {
    token: facilitatorKey,
  })
}

const DeleteMeetingResponseSchema = z.object({ deleted: z.string() })

/** Erases a meeting and its board for good (facilitator key or staff token). */
export function deleteMeeting(id: string, token: string | null): Promise<ApiResult<{ deleted: string }>> {
  return call(DeleteMeetingResponseSchema, 'DELETE', `/api/meetings/${encodeURIComponent(id)}`, { token })
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
