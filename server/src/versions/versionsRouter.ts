import express, { type Response } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { buildMeetingLinks } from '../../../shared/src/meetings/meetingLinks.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { copiedMeetingText } from '../../../shared/src/meetings/meetingCopy.ts'
import { writtenFieldsOf, type MeetingInputSchema } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'
import {
  AuthorInputSchema,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  IMAGES_MAX_COUNT,
  IMAGES_MAX_TOTAL_BYTES,
  IMPORT_MAX_BYTES,
  PutVersionImagesInputSchema,
  SaveVersionInputSchema,
  type CloseSessionResponse,
  type ReopenSessionResponse,
  type ImportMeetingResponse,
  type RestoreVersionResponse,
  type SaveVersionResponse,
  type VersionAuthor,
  type VersionImagesResponse,
  type VersionListResponse,
  type VersionRef,
} from '../../../shared/src/versions/versionSchemas.ts'
import { ApiError } from '../http/apiError.ts'
import { jsonBody, rawJsonBody, type JsonBodyLimits } from '../http/jsonBody.ts'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import { accessOf, type MeetingAccessGuards, type MeetingRule } from '../meetings/meetingAccess.ts'
import type { MeetingFields, StoredMeeting } from '../meetings/meetingStore.ts'
import { createApiErrorHandler, parseBody, toFields } from '../meetings/meetingsRouter.ts'
import type { z } from 'zod'
import type { HeavyWorkGate } from '../work/heavyWork.ts'
import type { ImportLimits } from '../work/boardJobs.ts'
import { VersionError, type NewMeeting, type VersionService } from './versionService.ts'
import type { VersionStore } from './VersionStore.ts'

export interface VersionsRouterOptions {
  service: VersionService
  versions: VersionStore
  config: Pick<Config, 'publicUrl'>
  /** Whether a caller holds the staff token (copy creates a meeting: meetings SPEC S1). */
  auth: Pick<CallerAuth, 'isStaff'>
  /**
   * The access checks (staff token, meeting keys and roles, the wrong-token throttle of meetings SPEC Q3), shared
   * with the meetings and report routers and run before any body is read (meetings SPEC B1).
   */
  access: MeetingAccessGuards
  logger: Logger
  /**
   * Add the diff in the words of the maps (issue 10, shared/src/maps/semanticDiff.ts) to the diff answer as `semantic`.
   * It runs in the worker on the records that differ and those that decide how they read (diffScope.ts, SPEC V8).
   */
  semanticDiff?: boolean
  /** Largest import file; default IMPORT_MAX_BYTES. */
  maxImportBytes?: number
  /** The bounds of a live board an import file is held to (record count, encoded size, nesting). */
  importLimits: ImportLimits
  /** Heavy requests in flight, per meeting and per server (429 past them). */
  heavy: HeavyWorkGate
}

/** Bodies of the small requests: one flat object (label, note, author name). Meetings SPEC B4. */
const SMALL_BODY_BYTES = 64 * 1024
const SMALL_BODY: JsonBodyLimits = { maxBytes: SMALL_BODY_BYTES, maxDepth: 1, maxItems: 16 }
/**
 * `{ images: [{ frameId, svg }] }`, at most IMAGES_MAX_COUNT. JSON-escaping can inflate SVG text a little; the
 * per-image and total limits are checked after parsing.
 */
const IMAGES_BODY: JsonBodyLimits = { maxBytes: Math.ceil(IMAGES_MAX_TOTAL_BYTES * 1.25), maxDepth: 3, maxItems: 4 * IMAGES_MAX_COUNT + 8 }
/**
 * An export file: a tldraw record nests rich text (doc → list → item → paragraph → text → marks) well below 32
 * levels; a 32 MiB file of real records has a few hundred thousand items, a few million at the very most.
 */
const IMPORT_DEPTH = 32
const IMPORT_ITEMS = 4_000_000

/** Refuses what a browser must never get as active content: an uploaded SVG is only ever data (SPEC V13). */
const ACTIVE_SVG = /<script[\s>/]|\son[a-z]+\s*=|javascript:/i

function parseNumber(raw: unknown, what: string): number {
  if (typeof raw === 'string' && /^[1-9][0-9]{0,8}$/.test(raw)) return Number(raw)
  throw new ApiError('invalid_version', `${what} must be a version number (1, 2, ...)`)
}

function parseRef(raw: unknown, what: string): VersionRef {
  if (raw === 'live') return 'live'
  if (typeof raw === 'string' && /^[1-9][0-9]{0,8}$/.test(raw)) return Number(raw)
  throw new ApiError('invalid_version', `${what} must be a version number (1, 2, ...) or "live"`)
}

/** A file name safe in a Content-Disposition header: letters, digits, `-_.` only. */
function fileName(stored: StoredMeeting, suffix: string): string {
  const base = (stored.meeting.reference ?? stored.meeting.id).replace(/[^A-Za-z0-9._-]+/g, '-')
  return `tavolo-${base}-${suffix}.json`
}

/**
 * REST API of meeting versions (server/src/versions/SPEC.md). Mounted before the meetings router, whose error
 * handler and helpers it shares. Who may do what: V12.
 */
export function createVersionsRouter(options: VersionsRouterOptions): express.Router {
  const { service, versions, config, auth, access, heavy } = options
  const work = service.work
  const log = options.logger.child({ component: 'versions' })
  const maxImportBytes = options.maxImportBytes ?? IMPORT_MAX_BYTES
  const router = express.Router()
  const base = '/api/meetings'

  const asFacilitator = (action: string) => access.meeting({ kind: 'facilitator', action })
  const reader: MeetingRule = { kind: 'versionReader', what: 'the versions' }
  const asReader = access.meeting(reader)
  const small = jsonBody(SMALL_BODY)

  const authorOf = (role: Role, body: unknown): VersionAuthor => {
    const input = parseBody(AuthorInputSchema, body ?? {}, 'invalid body')
    return { name: input.authorName === undefined || input.authorName === null || input.authorName === '' ? null : input.authorName, role }
  }

  const linksOf = (stored: StoredMeeting) => buildMeetingLinks(config.publicUrl, stored.meeting.id as MeetingId, stored.keys)
  const newMeetingBody = ({ stored, version }: NewMeeting): ImportMeetingResponse => ({
    meeting: stored.meeting,
    keys: stored.keys,
    links: linksOf(stored),
    version,
  })

  /** VersionError (from the service) → ApiError. */
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      if (error instanceof VersionError) throw new ApiError(error.code, error.message, error.details)
      throw error
    }
  }

  /** JSON bytes built in the worker: written as they are, never turned into a string on the event loop. */
  const sendJsonBytes = (res: Response, body: Uint8Array, status = 200) => {
    res.status(status).type('application/json').end(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  }

  /** An export file (SPEC V11) of the live board or of a version, built in the worker. */
  const sendExport = async (res: Response, stored: StoredMeeting, id: MeetingId, ref: number | 'live') => {
    const { source, version } = await run(() => service.sourceOf(id, ref))
    const head = {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      meeting: writtenFieldsOf(stored.meeting),
      version: version === null ? null : { number: version.number, label: version.label, kind: version.kind, createdAt: version.createdAt },
    }
    const file = await work.run('boardJson', { source, head, withSchema: true })
    res.set('Content-Disposition', `attachment; filename="${fileName(stored, ref === 'live' ? 'live' : `v${ref}`)}"`)
    sendJsonBytes(res, file.body)
  }

  router.use(base, (_req, res, next) => {
    res.set('Cache-Control', 'no-store')
    next()
  })

  /**
   * An import file (SPEC V10), raw JSON bytes or already parsed (a body layer in front may parse it), checked, bounded
   * like a live board, migrated and encoded in the worker pool; every bad file is a 400 naming the problem.
   */
  const importBoardFile = async (body: Uint8Array | { parsed: unknown }) => {
    const outcome = await work.run('importFile', { body, limits: options.importLimits })
    if (!outcome.ok) throw new ApiError(outcome.code, outcome.message, outcome.details)
    return { ...outcome, meeting: outcome.meeting as z.output<typeof MeetingInputSchema> }
  }

  // ---- import ------------------------------------------------------------------------------------------------

  /**
   * Creating meetings needs the staff token (meetings SPEC S1), also by import; a wrong one counts as on POST
   * /api/meetings (Q3). Checked before the body is read: nobody else gets up to IMPORT_MAX_BYTES read.
   */
  const staffToImport = access.staff({
    missing: 'this needs the staff token to import a board (Authorization: Bearer <staff token>)',
    wrong: 'invalid staff token: only staff may import a board',
  })
  // B6: the bytes, scanned but unparsed: a 32 MiB parse does not fit the event loop's 100 ms budget.
  const importBody = rawJsonBody({ maxBytes: maxImportBytes, maxDepth: IMPORT_DEPTH, maxItems: IMPORT_ITEMS })

  router.post(`${base}/import`, staffToImport, importBody, async (req, res) => {
    const body: unknown = req.body
    if (!(body instanceof Uint8Array)) throw new ApiError('invalid_body', 'the body must be an import file (JSON)')
    const created = await heavy.run(null, async () => {
      const file = await importBoardFile(body)
      const author: VersionAuthor = { name: null, role: 'facilitator' }
      const imported = toFields(file.meeting)
      const marked = copiedMeetingText({ title: imported.title, reference: imported.reference, description: imported.description, kind: 'import' }, new Date())
      return service.importBoard({ ...imported, ...marked }, { snapshot: file.snapshot, update: file.update }, author)
    })
    log.info({ meetingId: created.stored.meeting.id, records: created.version.counts.shapes }, 'board imported')
    res.status(201).json(newMeetingBody(created))
  })

  // ---- making versions -----------------------------------------------------------------------------------------

  router.post(`${base}/:id/versions`, asFacilitator('save a version'), small, async (req, res) => {
    const { id, role } = accessOf(res)
    const input = parseBody(SaveVersionInputSchema, req.body, 'invalid version')
    const author: VersionAuthor = { name: input.authorName === undefined || input.authorName === null || input.authorName === '' ? null : input.authorName, role }
    const note = input.note === undefined || input.note === null || input.note === '' ? null : input.note
    const result = await heavy.run(id, () => service.save(id, { label: input.label, note, author }))
    const body: SaveVersionResponse = result
    res.status(result.created ? 201 : 200).json(body)
  })

  router.post(`${base}/:id/close-session`, asFacilitator('close the session'), small, async (req, res) => {
    const { id, role } = accessOf(res)
    const author = authorOf(role, req.body)
    const result = await heavy.run(id, () => service.closeSession(id, author))
    const body: CloseSessionResponse = result
    res.status(result.created ? 201 : 200).json(body)
  })

  // SE1: takes no body (B1: a route that takes none never reads one)
  router.post(`${base}/:id/reopen-session`, asFacilitator('reopen the session'), async (_req, res) => {
    const { id } = accessOf(res)
    const body: ReopenSessionResponse = await heavy.run(id, () => service.reopenSession(id))
    res.json(body)
  })

  router.post(`${base}/:id/versions/:k/restore`, asFacilitator('restore a version'), small, async (req, res) => {
    const { id, role } = accessOf(res)
    const k = parseNumber(req.params.k, 'the version to restore')
    const author = authorOf(role, req.body)
    const body: RestoreVersionResponse = await heavy.run(id, () => run(() => service.restore(id, k, author)))
    res.json(body)
  })

  // As POST /api/meetings (meetings SPEC S1), but the caller already proved to be this meeting's facilitator:
  // known, not allowed, and not a wrong token. Before the body, like every check of who may (B1).
  const staffToCopy: express.RequestHandler = (req, _res, next) => {
    if (!auth.isStaff(req)) throw new ApiError('forbidden', 'only staff (the staff token) may create meetings')
    next()
  }

  router.post(`${base}/:id/versions/:n/copy`, asFacilitator('copy a version into a new meeting'), staffToCopy, small, async (req, res) => {
    const { stored, role, id } = accessOf(res)
    const n = parseNumber(req.params.n, 'the version to copy')
    const author = authorOf(role, req.body)
    // every field people wrote is copied; the server-kept ones (id, times) are the new meeting's own
    const { id: _id, createdAt: _c, updatedAt: _u, lastActivityAt: _a, ...written } = stored.meeting
    const marked = copiedMeetingText({ title: written.title, reference: written.reference, description: written.description, version: n, kind: 'version' }, new Date())
    // a copy is a new meeting of its own, not the next one of the process (that is POST .../continue)
    const fields: MeetingFields = { ...written, ...marked, processId: null }
    const created = await heavy.run(id, () => run(() => service.copy(stored, n, author, fields)))
    res.status(201).json(newMeetingBody(created))
  })

  router.put(`${base}/:id/versions/:n/images`, asFacilitator('add images to a version'), jsonBody(IMAGES_BODY), async (req, res) => {
    const { id } = accessOf(res)
    const n = parseNumber(req.params.n, 'the version')
    const input = parseBody(PutVersionImagesInputSchema, req.body, 'invalid images')
    const total = input.images.reduce((sum, image) => sum + image.svg.length, 0)
    if (total > IMAGES_MAX_TOTAL_BYTES) throw new ApiError('payload_too_large', `the images together are larger than ${IMAGES_MAX_TOTAL_BYTES} characters`)
    const active = input.images.findIndex((image) => ACTIVE_SVG.test(image.svg))
    if (active >= 0) {
      throw new ApiError('invalid_body', `invalid images: images.${active}.svg: scripts, event handlers and javascript: links are not allowed`, [
        { path: `images.${active}.svg`, message: 'scripts, event handlers and javascript: links are not allowed' },
      ])
    }
    if (!(await versions.putImages(id, n, input.images))) throw new ApiError('not_found', `this meeting has no version ${n}`)
    const body: VersionImagesResponse = { number: n, images: input.images }
    res.json(body)
  })

  // ---- reading versions ------------------------------------------------------------------------------------------

  router.get(`${base}/:id/versions`, asReader, async (req, res) => {
    const { id } = accessOf(res)
    const [list, total] = await Promise.all([versions.list(id), versions.count(id)])
    const body: VersionListResponse = { versions: list, total }
    res.json(body)
  })

  router.get(`${base}/:id/versions/:n`, asReader, async (req, res) => {
    const { id } = accessOf(res)
    const n = parseNumber(req.params.n, 'the version')
    // VersionDetailResponse, built in the worker from the stored record texts
    const answer = await heavy.run(id, async () => {
      const { source, version } = await run(() => service.sourceOf(id, n))
      return work.run('boardJson', { source, head: { ...version }, withSchema: true, wrap: 'version' })
    })
    res.set('Cache-Control', 'no-store')
    sendJsonBytes(res, answer.body)
  })

  router.get(`${base}/:id/versions/:a/diff/:b`, asReader, async (req, res) => {
    const { id } = accessOf(res)
    const a = parseRef(req.params.a, 'the first side')
    const b = parseRef(req.params.b, 'the second side')
    // VersionDiffResponse, built in the worker
    const body = await heavy.run(id, () => run(() => service.compare(id, a, b, options.semanticDiff === true)))
    sendJsonBytes(res, body)
  })

  router.get(`${base}/:id/versions/:n/images`, asReader, async (req, res) => {
    const { id } = accessOf(res)
    const n = parseNumber(req.params.n, 'the version')
    const images = await versions.getImages(id, n)
    if (images === null) throw new ApiError('not_found', `this meeting has no version ${n}`)
    // JSON only: an uploaded SVG is never served as a document of this origin (SPEC V13)
    const body: VersionImagesResponse = { number: n, images }
    res.json(body)
  })

  router.get(`${base}/:id/versions/:n/export`, asReader, async (req, res) => {
    const { id, stored } = accessOf(res)
    const n = parseNumber(req.params.n, 'the version')
    await heavy.run(id, () => sendExport(res, stored, id, n))
  })

  router.get(`${base}/:id/export`, asReader, async (_req, res) => {
    const { id, stored } = accessOf(res)
    await heavy.run(id, () => sendExport(res, stored, id, 'live'))
  })

  router.use(base, createApiErrorHandler(log, SMALL_BODY_BYTES))
  return router
}
