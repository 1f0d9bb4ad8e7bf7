import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Config } from '../config.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { ApiErrorStatus, type ApiErrorBody, type ApiErrorCode } from '../../../shared/src/meetings/apiError.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { buildMeetingLinks } from '../../../shared/src/meetings/meetingLinks.ts'
import {
  MEETING_LIST_DEFAULT_LIMIT,
  MEETING_LIST_MAX_LIMIT,
  REFERENCE_PATTERN,
  MeetingInputSchema,
  MeetingPatchSchema,
  RoleSchema,
  endsBeforeStart,
  type CreateMeetingResponse,
  type MeetingDetailResponse,
  type MeetingListResponse,
  type RotateKeyResponse,
} from '../../../shared/src/meetings/meetingSchemas.ts'
import { canManageMeeting, ROLES, type Role } from '../../../shared/src/roles.ts'
import { ApiError } from '../http/apiError.ts'
import { jsonBody, type JsonBodyLimits } from '../http/jsonBody.ts'
import { accessOf, type MeetingAccessGuards } from './meetingAccess.ts'
import { credentialOf } from './meetingAuth.ts'
import type { MeetingFactory } from './meetingFactory.ts'
import { generateKey } from './meetingKeys.ts'
import type { MeetingCursor, MeetingFields, MeetingStore, StoredMeeting } from './meetingStore.ts'
import { MeetingErasedError, type MeetingEraser } from '../store/meetingErasure.ts'

/** What the router needs of the sync server's rooms: closing the connections opened with a revoked key (every instance). */
export interface ConnectionCloser {
  closeCredential(boardId: BoardId, credential: string, code: number, reason: string): unknown
}

export interface MeetingsRouterOptions {
  store: MeetingStore
  /** Creates meetings, with the MEETINGS_PER_MINUTE quota (Q2, M5). */
  factory: MeetingFactory
  config: Pick<Config, 'publicUrl'>
  /**
   * The access checks (staff token, meeting keys and roles, the wrong-token throttle Q3), shared with the versions and
   * report routers and run before any body is read (B1). The staff routes are never open.
   */
  access: MeetingAccessGuards
  rooms: ConnectionCloser
  logger: Logger
  /** Erases a meeting (DELETE); without it the route answers 404 like any unknown route. */
  eraser?: MeetingEraser
  /**
   * Largest accepted JSON body; default 128 KiB. A meeting with every field at its maximum is 15,500 characters: up to
   * ~62 KB as 4-byte UTF-8, ~93 KB if a client escapes every character as \uXXXX.
   */
  maxBodyBytes?: number
  /** Clock, for tests. */
  now?: () => Date
  /**
   * Processes (issue 22): whether a `processId` names one, and whether the caller is staff (only staff move a meeting
   * into or out of a process, server/src/processes/SPEC.md PS3). Without it `processId` is refused.
   */
  processes?: { exists(id: string): Promise<boolean>; isStaff(req: Request): boolean }
  /**
   * The versions of a meeting, for its outcome version (issue 22, meetings SPEC M8): whether version n is stored, and
   * the latest number (null: none). Without it `outcomeVersion` is refused.
   */
  outcomeVersions?: (id: MeetingId, n: number) => Promise<{ exists: boolean; latest: number | null }>
}

/** `?cursor=` of the staff list: the last meeting of the previous page, base64url JSON, opaque to clients. */
export function encodeCursor(cursor: MeetingCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.seq]), 'utf8').toString('base64url')
}

export function decodeCursor(value: string): MeetingCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== 2) return null
    const [createdAt, seq] = parsed as unknown[]
    if (typeof createdAt !== 'string' || createdAt.length > 64 || !Number.isSafeInteger(seq) || (seq as number) < 0) return null
    return { createdAt, seq: seq as number }
  } catch {
    return null
  }
}

/** `limit` and `cursor` of `GET /api/meetings`, or a 400 naming the bad parameter. */
function parseListQuery(query: Request['query']): { limit: number; after: MeetingCursor | null; reference: string | null } {
  const single = (name: string): string | undefined => {
    const value = query[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw new ApiError('invalid_query', `${name}: give it once`)
    return value
  }
  const rawLimit = single('limit')
  const rawCursor = single('cursor')
  const rawReference = single('reference')
  if (rawReference !== undefined && !REFERENCE_PATTERN.test(rawReference)) {
    throw new ApiError('invalid_query', 'reference: 1..64 letters, digits or -_./ (e.g. par-MEET-2025-09-622)')
  }
  let limit = MEETING_LIST_DEFAULT_LIMIT
  if (rawLimit !== undefined) {
    limit = Number(rawLimit)
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MEETING_LIST_MAX_LIMIT) {
      throw new ApiError('invalid_query', `limit: must be an integer from 1 to ${MEETING_LIST_MAX_LIMIT}`)
    }
  }
  const after = rawCursor === undefined || rawCursor === '' ? null : decodeCursor(rawCursor)
  if (rawCursor !== undefined && rawCursor !== '' && after === null) {
    throw new ApiError('invalid_query', 'cursor: not a cursor this server gave (use nextCursor of the previous page)')
  }
  return { limit, after, reference: rawReference ?? null }
}

function sendError(res: Response, code: ApiErrorCode, message: string, details?: ApiErrorBody['error']['details']) {
  const body: ApiErrorBody = { error: details === undefined ? { code, message } : { code, message, details } }
  res.status(ApiErrorStatus[code]).json(body)
}

/**
 * The error handler of the REST routers: ApiError → its status and body; body-parser failures → invalid_json (400),
 * payload_too_large (413), unsupported_media_type (415); anything else is logged and answered 500 `internal`.
 */
export function createApiErrorHandler(log: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err)
      return
    }
    // a save, restore or edit that was still running when the meeting was erased (meetings SPEC E5)
    if (err instanceof MeetingErasedError) return sendError(res, 'not_found', 'this meeting was deleted')
    if (err instanceof ApiError) {
      if (err.retryAfter !== undefined) res.set('Retry-After', String(err.retryAfter))
      sendError(res, err.code, err.message, err.details)
      return
    }
    const type = typeof err === 'object' && err !== null && 'type' in err ? (err as { type: unknown }).type : undefined
    if (type === 'entity.parse.failed') return sendError(res, 'invalid_json', 'the body is not valid JSON')
    if (type === 'entity.too.large') {
      const limit = (err as { limit?: unknown }).limit
      return sendError(res, 'payload_too_large', `the body is larger than ${typeof limit === 'number' ? limit : maxBodyBytes} bytes`)
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return sendError(res, 'unsupported_media_type', 'the body must be UTF-8 JSON')
    }
    const status = typeof err === 'object' && err !== null && 'status' in err ? (err as { status: unknown }).status : undefined
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, 'invalid_body', 'the request body could not be read')
    }
    log.error({ err, method: req.method, path: req.path }, 'meetings request failed')
    sendError(res, 'internal', 'internal error')
  }
}

/** Parses a body with a schema, or throws a 400 listing every issue. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  if (body === undefined) throw new ApiError('invalid_body', `${what}: expected a JSON object body`)
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  const summary = details.map((d) => (d.path === '' ? d.message : `${d.path}: ${d.message}`)).join('; ')
  throw new ApiError('invalid_body', `${what}: ${summary}`, details)
}

/** Normalises optional input (absent or null) to the stored form. */
export function toFields(input: z.output<typeof MeetingInputSchema>): MeetingFields {
  return {
    title: input.title,
    reference: input.reference ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    place: input.place === undefined || input.place === null || input.place === '' ? null : input.place,
    organisations: input.organisations ?? [],
    description: input.description === undefined || input.description === null || input.description === '' ? null : input.description,
    versionsVisibleTo: input.versionsVisibleTo ?? 'facilitators',
    attendeesCount: input.attendeesCount ?? null,
    processId: input.processId ?? null,
  }
}

/**
 * REST API of meetings (see server/src/meetings/SPEC.md for the full contract):
 *   POST  /api/meetings                          (staff token) → 201 { meeting, keys, links }
 *   GET   /api/meetings?limit&cursor             (staff token) → 200 { meetings: [{ meeting, links }], nextCursor }
 *   GET   /api/meetings/:id                      (any key of the meeting, or admin) → 200 { meeting, role, keys?, links? }
 *   PATCH /api/meetings/:id                      (facilitator key, or admin) → 200 { meeting, role, keys, links }
 *   POST  /api/meetings/:id/keys/:role/rotate    (facilitator key, or admin) → 200 { role, keys, links }
 *   DELETE /api/meetings/:id                     (facilitator key, or admin) → 200 { deleted: id }
 */
export function createMeetingsRouter(options: MeetingsRouterOptions): express.Router {
  const { store, factory, config, rooms, logger, access } = options
  const now = options.now ?? (() => new Date())
  const log = logger.child({ component: 'meetings' })
  const maxBodyBytes = options.maxBodyBytes ?? 128 * 1024
  // B4: a meeting is one object with one array of strings (organisations, at most 50) and ten other fields.
  const meetingBody = jsonBody({ maxBytes: maxBodyBytes, maxDepth: 2, maxItems: 100 } satisfies JsonBodyLimits)
  const router = express.Router()
  const base = '/api/meetings'

  const linksOf = (stored: StoredMeeting) => buildMeetingLinks(config.publicUrl, stored.meeting.id as MeetingId, stored.keys)

  /** S1: creating and listing always need the staff token (there is no open mode). */
  const staff = access.staff({
    missing: 'this needs the staff token (Authorization: Bearer <staff token>): open the staff link the server printed at start',
    wrong: 'invalid staff token',
  })

  const detail = (stored: StoredMeeting, role: Role): MeetingDetailResponse =>
    canManageMeeting(role)
      ? { meeting: stored.meeting, role, keys: stored.keys, links: linksOf(stored) }
      : { meeting: stored.meeting, role }

  router.use(base, (req, res, next) => {
    // answers may carry keys: never cache them
    res.set('Cache-Control', 'no-store')
    next()
  })

  /** PS3: a processId must name a process; null (out of any process) always may. */
  const checkProcess = async (processId: string | null | undefined) => {
    if (processId === undefined || processId === null) return
    if (options.processes === undefined || !(await options.processes.exists(processId))) {
      throw new ApiError('invalid_body', 'invalid meeting: processId: no process with this id', [{ path: 'processId', message: 'no process with this id' }])
    }
  }

  /** M8: an outcome version is one of the meeting's stored versions, and only a meeting of a process has one. */
  const checkOutcome = async (stored: StoredMeeting, movedTo: string | null | undefined, n: number | null): Promise<number | null> => {
    if (n === null) return null
    const processId = movedTo !== undefined ? movedTo : stored.meeting.processId
    if (processId === null) {
      throw new ApiError('conflict', 'this meeting is in no process: an outcome version is what a process reads of the meeting (put it in a process first)')
    }
    const found = options.outcomeVersions === undefined ? null : await options.outcomeVersions(stored.meeting.id as MeetingId, n)
    if (found === null || !found.exists) {
      const has = found?.latest == null ? 'it has no saved version yet' : `its versions are numbered 1 to ${found.latest}`
      throw new ApiError('not_found', `outcomeVersion: this meeting has no version ${n} (${has})`, [{ path: 'outcomeVersion', message: `no version ${n}` }])
    }
    return n
  }

  router.post(base, staff, meetingBody, async (req, res) => {
    const input = parseBody(MeetingInputSchema, req.body, 'invalid meeting')
    await checkProcess(input.processId)
    const stored = await factory.create(toFields(input))
    log.info({ meetingId: stored.meeting.id }, 'meeting created')
    const body: CreateMeetingResponse = { meeting: stored.meeting, keys: stored.keys, links: linksOf(stored) }
    res.status(201).json(body)
  })

  router.get(base, staff, async (req, res) => {
    const { limit, after, reference } = parseListQuery(req.query)
    // M6: the meetings that already have a reference (the create and import forms warn before a duplicate), one page
    const page = reference !== null ? { meetings: (await store.withReference(reference)).slice(0, limit), next: null } : await store.listPage(limit, after)
    const body: MeetingListResponse = {
      meetings: page.meetings.map((stored) => ({ meeting: stored.meeting, links: linksOf(stored) })),
      nextCursor: page.next === null ? null : encodeCursor(page.next),
    }
    res.json(body)
  })

  router.get(`${base}/:id`, access.meeting({ kind: 'member' }), (_req, res) => {
    const { stored, role } = accessOf(res)
    res.json(detail(stored, role))
  })

  router.patch(`${base}/:id`, access.meeting({ kind: 'facilitator', action: 'change the meeting' }), meetingBody, async (req, res) => {
    const { stored, role } = accessOf(res)
    const patch = parseBody(MeetingPatchSchema, req.body, 'invalid meeting patch')
    const fields: Partial<MeetingFields> = {}
    if (patch.title !== undefined) fields.title = patch.title
    if (patch.reference !== undefined) fields.reference = patch.reference
    if (patch.startsAt !== undefined) fields.startsAt = patch.startsAt
    if (patch.endsAt !== undefined) fields.endsAt = patch.endsAt
    if (patch.place !== undefined) fields.place = patch.place === '' ? null : patch.place
    if (patch.organisations !== undefined) fields.organisations = patch.organisations
    if (patch.description !== undefined) fields.description = patch.description === '' ? null : patch.description
    if (patch.versionsVisibleTo !== undefined) fields.versionsVisibleTo = patch.versionsVisibleTo
    if (patch.attendeesCount !== undefined) fields.attendeesCount = patch.attendeesCount
    if (patch.processId !== undefined && patch.processId !== stored.meeting.processId) {
      if (options.processes?.isStaff(req) !== true) throw new ApiError('forbidden', 'only staff (the staff token) may move a meeting into or out of a process')
      await checkProcess(patch.processId)
      fields.processId = patch.processId
    }
    if (patch.outcomeVersion !== undefined) fields.outcomeVersion = await checkOutcome(stored, fields.processId, patch.outcomeVersion)
    const startsAt = fields.startsAt !== undefined ? fields.startsAt : stored.meeting.startsAt
    const endsAt = fields.endsAt !== undefined ? fields.endsAt : stored.meeting.endsAt
    if (endsBeforeStart(startsAt, endsAt)) {
      throw new ApiError('invalid_body', 'invalid meeting patch: endsAt: endsAt must not be before startsAt', [
        { path: 'endsAt', message: 'endsAt must not be before startsAt' },
      ])
    }
    const updated = await store.update(stored.meeting.id as MeetingId, fields, now().toISOString())
    if (updated === null) throw new ApiError('not_found', 'no meeting with this id')
    log.info({ meetingId: updated.meeting.id, fields: Object.keys(fields) }, 'meeting updated')
    res.json(detail(updated, role))
  })

  router.post(`${base}/:id/keys/:role/rotate`, access.meeting({ kind: 'facilitator', action: 'rotate keys' }), async (req, res) => {
    const { stored } = accessOf(res)
    const parsedRole = RoleSchema.safeParse(req.params.role)
    if (!parsedRole.success) throw new ApiError('invalid_role', `role must be one of ${ROLES.join(', ')}`)
    const role = parsedRole.data
    const id = stored.meeting.id as MeetingId
    const revoked = credentialOf(role, stored.keyVersions[role])
    const rotated = await store.rotateKey(id, role, generateKey(), now().toISOString())
    if (rotated === null) throw new ApiError('not_found', 'no meeting with this id')
    // From here on the access policy refuses the old key; cut off the connections it opened.
    rooms.closeCredential(id, revoked, CloseCode.UNAUTHORIZED, 'key revoked')
    log.info({ meetingId: id, role, revoked }, 'meeting key rotated')
    const body: RotateKeyResponse = { role, keys: rotated.keys, links: linksOf(rotated) }
    res.json(body)
  })

  const { eraser } = options
  if (eraser !== undefined) {
    router.delete(`${base}/:id`, access.meeting({ kind: 'facilitator', action: 'delete the meeting' }), async (_req, res) => {
      const { stored } = accessOf(res)
      const report = await eraser.erase(stored.meeting.id, 'request')
      if (report === null) throw new ApiError('not_found', 'no meeting with this id')
      res.json({ deleted: report.meetingId })
    })
  }

  router.use(base, (_req, res) => sendError(res, 'not_found', 'no such meetings route'))

  router.use(base, createApiErrorHandler(log, maxBodyBytes))
  return router
}
