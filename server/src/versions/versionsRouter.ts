import express, { type Request, type RequestHandler, type Response } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { buildMeetingLinks } from '../../../shared/src/meetings/meetingLinks.ts'
import { parseMeetingId, type MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { copiedMeetingText } from '../../../shared/src/meetings/meetingCopy.ts'
import { MeetingInputSchema, writtenFieldsOf } from '../../../shared/src/meetings/meetingSchemas.ts'
import { canManageMeeting, type Role } from '../../../shared/src/roles.ts'
import { diffBoards } from '../../../shared/src/versions/boardDiff.ts'
import { canSeeVersions } from '../../../shared/src/versions/versionAccess.ts'
import {
  AuthorInputSchema,
  BoardExportFileSchema,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  IMAGES_MAX_TOTAL_BYTES,
  IMPORT_MAX_BYTES,
  PutVersionImagesInputSchema,
  SaveVersionInputSchema,
  type BoardExportFile,
  type BoardRecord,
  type CloseSessionResponse,
  type ImportMeetingResponse,
  type RestoreVersionResponse,
  type SaveVersionResponse,
  type VersionAuthor,
  type VersionDetailResponse,
  type VersionDiffResponse,
  type VersionImagesResponse,
  type VersionListResponse,
  type VersionRef,
} from '../../../shared/src/versions/versionSchemas.ts'
import { ApiError } from '../http/apiError.ts'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import { createApiErrorHandler, parseBody, toFields } from '../meetings/meetingsRouter.ts'
import { prepareBoard } from './boardSchema.ts'
import { VersionError, type NewMeeting, type VersionService } from './versionService.ts'
import type { VersionStore } from './VersionStore.ts'

export interface VersionsRouterOptions {
  service: VersionService
  versions: VersionStore
  meetings: MeetingStore
  config: Pick<Config, 'publicUrl'>
  /**
   * The staff token (a facilitator of every meeting) and meeting key checks, with the wrong-token throttle (meetings
   * SPEC Q3) shared with the meetings and report routers.
   */
  auth: CallerAuth
  logger: Logger
  /**
   * The diff in the words of the maps (issue 10), added to the diff answer as `semantic` when given. Gets the records
   * of both sides (older first), plain JSON, read-only: the records that differ and those that decide how they read
   * (shared/src/versions/diffScope.ts, SPEC V8), or the whole boards. It must answer for them what it answers for the
   * whole boards (tests/unit/diffScope.test.ts checks it for the maps' semanticDiff).
   */
  semanticDiff?: (from: BoardRecord[], to: BoardRecord[]) => unknown
  /** Largest import file; default IMPORT_MAX_BYTES. */
  maxImportBytes?: number
}

/** Bodies of the small requests (label, note, author). */
const SMALL_BODY_BYTES = 64 * 1024
/** JSON-escaping can inflate SVG text a little; the per-image and total limits are checked after parsing. */
const IMAGES_BODY_BYTES = Math.ceil(IMAGES_MAX_TOTAL_BYTES * 1.25)

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
  const { service, versions, meetings, config, auth } = options
  const log = options.logger.child({ component: 'versions' })
  const maxImportBytes = options.maxImportBytes ?? IMPORT_MAX_BYTES
  const router = express.Router()
  const base = '/api/meetings'

  /** A2 order: unknown meeting 404 → no token 401 → wrong token 401 (Q3: counted); then the caller's role. */
  const authorise = async (req: Request): Promise<{ stored: StoredMeeting; role: Role; id: MeetingId }> => {
    const raw = req.params.id
    const id = typeof raw === 'string' ? parseMeetingId(raw) : null
    const stored = id === null ? null : await meetings.get(id)
    if (stored === null || id === null) throw new ApiError('not_found', 'no meeting with this id')
    return { stored, role: auth.callerRole(req, stored), id }
  }

  const asFacilitator = async (req: Request, action: string) => {
    const access = await authorise(req)
    if (!canManageMeeting(access.role)) throw new ApiError('forbidden', `only a facilitator may ${action}`)
    return access
  }

  const asReader = async (req: Request) => {
    const access = await authorise(req)
    if (!canSeeVersions(access.role, access.stored.meeting.versionsVisibleTo)) {
      throw new ApiError('forbidden', 'the facilitator has not made the versions of this meeting visible to your role')
    }
    return access
  }

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

  const sendFile = (res: Response, name: string, file: BoardExportFile) => {
    res.set('Content-Disposition', `attachment; filename="${name}"`).type('application/json').send(JSON.stringify(file))
  }

  const exportOf = (stored: StoredMeeting, board: { records: BoardRecord[]; schema: BoardExportFile['schema'] }, version: BoardExportFile['version']): BoardExportFile => {
    const m = stored.meeting
    return {
      format: EXPORT_FORMAT,
      formatVersion: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      meeting: writtenFieldsOf(m),
      version,
      schema: board.schema,
      records: board.records,
    }
  }

  const jsonOnly: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', 'no-store')
    const length = req.headers['content-length']
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
    if (hasBody && req.is('application/json') !== 'application/json') {
      next(new ApiError('unsupported_media_type', 'the body must be JSON (Content-Type: application/json)'))
      return
    }
    next()
  }
  const small = [jsonOnly, express.json({ limit: SMALL_BODY_BYTES, strict: true })]

  // ---- import ------------------------------------------------------------------------------------------------

  /**
   * Creating meetings needs the staff token (meetings SPEC S1), also by import; a wrong one counts as on POST
   * /api/meetings (Q3). Checked before the body is read: nobody else gets up to IMPORT_MAX_BYTES parsed.
   */
  const requireStaffToImport: RequestHandler = (req, _res, next) => {
    auth.requireStaff(req, {
      missing: 'this needs the staff token to import a board (Authorization: Bearer <staff token>)',
      wrong: 'invalid staff token: only staff may import a board',
    })
    next()
  }

  router.post(`${base}/import`, jsonOnly, requireStaffToImport, express.json({ limit: maxImportBytes, strict: true }), async (req, res) => {
    const file = parseBody(BoardExportFileSchema, req.body, 'invalid import file')
    if (file.formatVersion > EXPORT_FORMAT_VERSION) {
      throw new ApiError('unsupported_schema', `the file has format version ${file.formatVersion}; this Tavolo reads up to ${EXPORT_FORMAT_VERSION}: update Tavolo`)
    }
    // ExportedMeetingSchema kept only the meeting's written fields (zod strips the rest): check them as a new meeting.
    const input = MeetingInputSchema.safeParse(file.meeting)
    if (!input.success) {
      const details = input.error.issues.map((i) => ({ path: ['meeting', ...i.path.map(String)].join('.'), message: i.message }))
      throw new ApiError('invalid_body', `invalid import file: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details)
    }
    const prepared = prepareBoard(file.records, file.schema)
    if (!prepared.ok) {
      const summary = prepared.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')
      const more = prepared.problems.length > 3 ? ` (and ${prepared.problems.length - 3} more)` : ''
      throw new ApiError(
        prepared.newerSchema ? 'unsupported_schema' : 'invalid_body',
        prepared.newerSchema
          ? `the file was made by a newer tldraw than this server's, it cannot be imported here: ${summary}${more}`
          : `invalid import file: ${summary}${more}`,
        prepared.problems,
      )
    }
    const author: VersionAuthor = { name: null, role: 'facilitator' }
    const imported = toFields(input.data)
    const marked = copiedMeetingText({ title: imported.title, reference: imported.reference, description: imported.description, kind: 'import' }, new Date())
    const created = await service.importBoard({ ...imported, ...marked }, prepared.records, prepared.schema, author)
    log.info({ meetingId: created.stored.meeting.id, records: prepared.records.length, migrated: prepared.migrated }, 'board imported')
    res.status(201).json(newMeetingBody(created))
  })

  // ---- making versions -----------------------------------------------------------------------------------------

  router.post(`${base}/:id/versions`, ...small, async (req, res) => {
    const { id, role } = await asFacilitator(req, 'save a version')
    const input = parseBody(SaveVersionInputSchema, req.body, 'invalid version')
    const author: VersionAuthor = { name: input.authorName === undefined || input.authorName === null || input.authorName === '' ? null : input.authorName, role }
    const note = input.note === undefined || input.note === null || input.note === '' ? null : input.note
    const result = await service.save(id, { label: input.label, note, author })
    const body: SaveVersionResponse = result
    res.status(result.created ? 201 : 200).json(body)
  })

  router.post(`${base}/:id/close-session`, ...small, async (req, res) => {
    const { id, role } = await asFacilitator(req, 'close the session')
    const result = await service.closeSession(id, authorOf(role, req.body))
    const body: CloseSessionResponse = result
    res.status(result.created ? 201 : 200).json(body)
  })

  router.post(`${base}/:id/versions/:k/restore`, ...small, async (req, res) => {
    const { id, role } = await asFacilitator(req, 'restore a version')
    const k = parseNumber(req.params.k, 'the version to restore')
    const author = authorOf(role, req.body)
    const body: RestoreVersionResponse = await run(() => service.restore(id, k, author))
    res.json(body)
  })

  router.post(`${base}/:id/versions/:n/copy`, ...small, async (req, res) => {
    const { stored, role } = await asFacilitator(req, 'copy a version into a new meeting')
    // As POST /api/meetings (meetings SPEC S1), but the caller already proved to be this meeting's facilitator:
    // known, not allowed, and not a wrong token.
    if (!auth.isStaff(req)) throw new ApiError('forbidden', 'only staff (the staff token) may create meetings')
    const n = parseNumber(req.params.n, 'the version to copy')
    const author = authorOf(role, req.body)
    // every field people wrote is copied; the server-kept ones (id, times) are the new meeting's own
    const { id: _id, createdAt: _c, updatedAt: _u, lastActivityAt: _a, ...written } = stored.meeting
    const marked = copiedMeetingText({ title: written.title, reference: written.reference, description: written.description, version: n, kind: 'version' }, new Date())
    const fields: MeetingFields = { ...written, ...marked }
    const created = await run(() => service.copy(stored, n, author, fields))
    res.status(201).json(newMeetingBody(created))
  })

  router.put(`${base}/:id/versions/:n/images`, jsonOnly, express.json({ limit: IMAGES_BODY_BYTES, strict: true }), async (req, res) => {
    const { id } = await asFacilitator(req, 'add images to a version')
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

  router.get(`${base}/:id/versions`, async (req, res) => {
    const { id } = await asReader(req)
    const [list, total] = await Promise.all([versions.list(id), versions.count(id)])
    const body: VersionListResponse = { versions: list, total }
    res.json(body)
  })

  router.get(`${base}/:id/versions/:n`, async (req, res) => {
    const { id } = await asReader(req)
    const n = parseNumber(req.params.n, 'the version')
    const body: VersionDetailResponse = { version: await run(() => service.getVersion(id, n)) }
    res.json(body)
  })

  router.get(`${base}/:id/versions/:a/diff/:b`, async (req, res) => {
    const { id } = await asReader(req)
    const a = parseRef(req.params.a, 'the first side')
    const b = parseRef(req.params.b, 'the second side')
    const semantic = options.semanticDiff
    const compared = await run(() => service.compare(id, a, b, semantic !== undefined))
    const body: VersionDiffResponse = { from: a, to: b, diff: diffBoards(compared.texts.from, compared.texts.to) }
    if (semantic !== undefined && compared.records !== null) body.semantic = semantic(compared.records.from, compared.records.to)
    res.json(body)
  })

  router.get(`${base}/:id/versions/:n/images`, async (req, res) => {
    const { id } = await asReader(req)
    const n = parseNumber(req.params.n, 'the version')
    const images = await versions.getImages(id, n)
    if (images === null) throw new ApiError('not_found', `this meeting has no version ${n}`)
    // JSON only: an uploaded SVG is never served as a document of this origin (SPEC V13)
    const body: VersionImagesResponse = { number: n, images }
    res.json(body)
  })

  router.get(`${base}/:id/versions/:n/export`, async (req, res) => {
    const { id, stored } = await asReader(req)
    const n = parseNumber(req.params.n, 'the version')
    const board = await run(() => service.boardOf(id, n))
    const v = board.version!
    sendFile(res, fileName(stored, `v${n}`), exportOf(stored, board, { number: v.number, label: v.label, kind: v.kind, createdAt: v.createdAt }))
  })

  router.get(`${base}/:id/export`, async (req, res) => {
    const { id, stored } = await asReader(req)
    const board = await service.boardOf(id, 'live')
    sendFile(res, fileName(stored, 'live'), exportOf(stored, board, null))
  })

  router.use(base, createApiErrorHandler(log, SMALL_BODY_BYTES))
  return router
}
