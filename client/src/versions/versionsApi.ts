/**
 * Typed calls to the versions API (`/api/meetings/:id/versions…`, close-session, export, import). Every answer is
 * parsed with the shared zod schemas (shared/src/versions/versionSchemas.ts); failures are `ApiFailure`s, as for
 * meetings, so the pages say them in plain words with the server's own message.
 */
import { ApiErrorBodySchema } from '../../../shared/src/meetings/apiError.ts'
import {
  BoardExportFileSchema,
  CloseSessionResponseSchema,
  ImportMeetingResponseSchema,
  ReopenSessionResponseSchema,
  RestoreVersionResponseSchema,
  SaveVersionResponseSchema,
  VersionDetailResponseSchema,
  VersionDiffResponseSchema,
  VersionImagesResponseSchema,
  VersionListResponseSchema,
  type BoardExportFile,
  type CloseSessionResponse,
  type ImportMeetingResponse,
  type ReopenSessionResponse,
  type RestoreVersionResponse,
  type SaveVersionResponse,
  type VersionDetailResponse,
  type VersionDiffResponse,
  type VersionImage,
  type VersionImagesResponse,
  type VersionListResponse,
  type VersionRef,
} from '../../../shared/src/versions/versionSchemas.ts'
import { call, type ApiResult } from '../meeting/meetingApi.ts'

const meetingPath = (id: string) => `/api/meetings/${encodeURIComponent(id)}`

export function listVersions(id: string, key: string, signal?: AbortSignal): Promise<ApiResult<VersionListResponse>> {
  return call(VersionListResponseSchema, 'GET', `${meetingPath(id)}/versions`, { token: key, signal })
}

export function getVersion(id: string, key: string, n: number, signal?: AbortSignal): Promise<ApiResult<VersionDetailResponse>> {
  return call(VersionDetailResponseSchema, 'GET', `${meetingPath(id)}/versions/${n}`, { token: key, signal })
}

export function saveVersion(
  id: string,
  key: string,
  input: { label: string; note?: string | null; authorName?: string | null },
): Promise<ApiResult<SaveVersionResponse>> {
  return call(SaveVersionResponseSchema, 'POST', `${meetingPath(id)}/versions`, { token: key, body: input })
}

export function closeSession(id: string, key: string, authorName: string | null): Promise<ApiResult<CloseSessionResponse>> {
  return call(CloseSessionResponseSchema, 'POST', `${meetingPath(id)}/close-session`, { token: key, body: { authorName } })
}

export function reopenSession(id: string, key: string): Promise<ApiResult<ReopenSessionResponse>> {
  return call(ReopenSessionResponseSchema, 'POST', `${meetingPath(id)}/reopen-session`, { token: key })
}

export function diffVersions(id: string, key: string, from: VersionRef, to: VersionRef, signal?: AbortSignal): Promise<ApiResult<VersionDiffResponse>> {
  return call(VersionDiffResponseSchema, 'GET', `${meetingPath(id)}/versions/${from}/diff/${to}`, { token: key, signal })
}

export function restoreVersion(id: string, key: string, n: number, authorName: string | null): Promise<ApiResult<RestoreVersionResponse>> {
  return call(RestoreVersionResponseSchema, 'POST', `${meetingPath(id)}/versions/${n}/restore`, { token: key, body: { authorName } })
}

export function copyVersion(id: string, key: string, n: number, authorName: string | null): Promise<ApiResult<ImportMeetingResponse>> {
  return call(ImportMeetingResponseSchema, 'POST', `${meetingPath(id)}/versions/${n}/copy`, { token: key, body: { authorName } })
}

export function putVersionImages(id: string, key: string, n: number, images: VersionImage[]): Promise<ApiResult<VersionImagesResponse>> {
  return call(VersionImagesResponseSchema, 'PUT', `${meetingPath(id)}/versions/${n}/images`, { token: key, body: { images } })
}

/** The live board's records (its export file), to show it beside a version in a comparison. */
export function getLiveBoard(id: string, key: string, signal?: AbortSignal): Promise<ApiResult<BoardExportFile>> {
  return call(BoardExportFileSchema, 'GET', `${meetingPath(id)}/export`, { token: key, signal })
}

/** Sends an export file's text as it is: the server validates every record and names what is wrong. */
export function importBoard(fileText: string, adminToken: string | null): Promise<ApiResult<ImportMeetingResponse>> {
  return call(ImportMeetingResponseSchema, 'POST', '/api/meetings/import', { token: adminToken, rawBody: fileText })
}

/**
 * The JSON export file of a version (`n`) or of the live board (`'live'`), as a Blob to download. The key travels in
 * the Authorization header, so this cannot be a plain link.
 */
export async function fetchExportFile(id: string, key: string, which: VersionRef): Promise<ApiResult<Blob>> {
  const path = which === 'live' ? `${meetingPath(id)}/export` : `${meetingPath(id)}/versions/${which}/export`
  let response: Response
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, cache: 'no-store' })
  } catch {
    return { ok: false, failure: { kind: 'network' } }
  }
  if (response.ok) return { ok: true, value: new Blob([await response.arrayBuffer()], { type: 'application/json' }) }
  let json: unknown = null
  try {
    json = await response.json()
  } catch {
    // not our error vocabulary
  }
  const error = ApiErrorBodySchema.safeParse(json)
  if (!error.success) return { ok: false, failure: { kind: 'unexpected', status: response.status } }
  const { code, message, details } = error.data.error
  return { ok: false, failure: { kind: 'api', status: response.status, code, message, details: details ?? [] } }
}
