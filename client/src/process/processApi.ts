/** Typed calls to /api/processes and POST /api/meetings/:id/continue (issue 22), parsed at the edge. */
import { z } from 'zod'
import {
  ProcessDetailResponseSchema,
  ProcessListResponseSchema,
  ProcessResponseSchema,
  type ContinueMeetingInput,
  type ProcessDetailResponse,
  type ProcessInput,
  type ProcessListResponse,
  type ProcessResponse,
} from '../../../shared/src/process/processSchemas.ts'
import type { ProcessStory } from '../../../shared/src/process/processStory.ts'
import type { Locale } from '../../../shared/src/maps/templateSchema.ts'
import { MeetingDetailResponseSchema, type MeetingDetailResponse } from '../../../shared/src/meetings/meetingSchemas.ts'
import { ImportMeetingResponseSchema, type ImportMeetingResponse } from '../../../shared/src/versions/versionSchemas.ts'
import { call, type ApiFailure, type ApiResult } from '../meeting/meetingApi.ts'

const path = (id: string) => `/api/processes/${encodeURIComponent(id)}`

export function listProcesses(token: string, signal?: AbortSignal): Promise<ApiResult<ProcessListResponse>> {
  return call(ProcessListResponseSchema, 'GET', '/api/processes', { token, signal })
}

export function createProcess(input: ProcessInput, token: string): Promise<ApiResult<ProcessResponse>> {
  return call(ProcessResponseSchema, 'POST', '/api/processes', { token, body: input })
}

export function getProcess(id: string, token: string, signal?: AbortSignal): Promise<ApiResult<ProcessDetailResponse>> {
  return call(ProcessDetailResponseSchema, 'GET', path(id), { token, signal })
}

/** The story is built by the server (shared/src/process/processStory.ts): checked for its outline, trusted for the rest. */
const StorySchema = z.looseObject({ title: z.string(), meetings: z.array(z.unknown()), grids: z.array(z.unknown()) })

export async function getProcessStory(id: string, token: string, locale: Locale, signal?: AbortSignal): Promise<ApiResult<ProcessStory>> {
  const result = await call(StorySchema, 'GET', `${path(id)}/report?format=json&locale=${locale}`, { token, signal })
  return result.ok ? { ok: true, value: result.value as unknown as ProcessStory } : result
}

/** "Non è lo stesso attore" (or, with `same`, the match allowed again). */
export function markNotSame(id: string, token: string, meetingId: string, cardId: string, same = false): Promise<ApiResult<ProcessResponse>> {
  return call(ProcessResponseSchema, 'POST', `${path(id)}/not-same`, { token, body: { meetingId, cardId, same } })
}

/** Staff move a meeting into a process, or out of any (null). */
export function setMeetingProcess(meetingId: string, processId: string | null, token: string): Promise<ApiResult<MeetingDetailResponse>> {
  return call(MeetingDetailResponseSchema, 'PATCH', `/api/meetings/${encodeURIComponent(meetingId)}`, { token, body: { processId } })
}

/** The version a process reads as the meeting's outcome (null: the latest); the server checks it (meetings SPEC M8). */
export function setMeetingOutcome(meetingId: string, outcomeVersion: number | null, token: string): Promise<ApiResult<MeetingDetailResponse>> {
  return call(MeetingDetailResponseSchema, 'PATCH', `/api/meetings/${encodeURIComponent(meetingId)}`, { token, body: { outcomeVersion } })
}

export function continueMeeting(meetingId: string, key: string, input: ContinueMeetingInput): Promise<ApiResult<ImportMeetingResponse>> {
  return call(ImportMeetingResponseSchema, 'POST', `/api/meetings/${encodeURIComponent(meetingId)}/continue`, { token: key, body: input })
}

/** The report as a file (it needs the Authorization header, so it is fetched, then opened or saved from a blob). */
export async function fetchProcessReport(id: string, token: string, format: 'html' | 'md', locale: Locale): Promise<{ ok: true; blob: Blob } | { ok: false; failure: ApiFailure }> {
  try {
    const response = await fetch(`${path(id)}/report?format=${format}&locale=${locale}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' })
    if (!response.ok) return { ok: false, failure: { kind: 'unexpected', status: response.status } }
    return { ok: true, blob: await response.blob() }
  } catch {
    return { ok: false, failure: { kind: 'network' } }
  }
}
