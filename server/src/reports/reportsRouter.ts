/**
 * `GET /api/meetings/:id/report?version=<n|live>&format=<md|html|json|decidim>&locale=<it|en>` (issue 10).
 * Defaults: the latest version (the live board when the meeting has none yet), Markdown, Italian.
 * Who: whoever may read the meeting's versions (facilitators, or the roles `versionsVisibleTo` allows), the same
 * rule for the live board. Errors as every REST route: 404 unknown meeting or version, 401 no or wrong key,
 * 403 role not allowed, 400 `invalid_parameter` / `invalid_version` naming the parameter.
 */
import { writtenFieldsOf } from '../../../shared/src/meetings/meetingSchemas.ts'
import express, { type Request } from 'express'
import type { Logger } from 'pino'
import { parseMeetingId, type MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { extractMaps } from '../../../shared/src/maps/extract.ts'
import { LOCALES, type Locale } from '../../../shared/src/maps/templateSchema.ts'
import { revealedVotesOf } from '../../../shared/src/facilitation/voteRecords.ts'
import { REPORT_FORMATS, renderReport, type ReportData, type ReportFormat } from '../../../shared/src/report/index.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { canSeeVersions } from '../../../shared/src/versions/versionAccess.ts'
import { ApiError } from '../http/apiError.ts'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import type { MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import { createApiErrorHandler } from '../meetings/meetingsRouter.ts'
import { VersionError, type VersionService } from '../versions/versionService.ts'
import type { VersionStore } from '../versions/VersionStore.ts'
import type { AttendanceTracker } from './attendance.ts'

export interface ReportsRouterOptions {
  service: Pick<VersionService, 'boardOf'>
  versions: Pick<VersionStore, 'latest' | 'getImages'>
  meetings: MeetingStore
  attendance: Pick<AttendanceTracker, 'count'>
  /**
   * The staff token (a facilitator of every meeting) and meeting key checks, with the wrong-token throttle (meetings
   * SPEC Q3) shared with the meetings and versions routers.
   */
  auth: CallerAuth
  logger: Logger
  now?: () => Date
}

function oneValue(raw: unknown, name: string): string | undefined {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string') throw new ApiError('invalid_parameter', `${name} must be given once`)
  return raw
}

function parseFormat(raw: unknown): ReportFormat {
  const v = oneValue(raw, 'format') ?? 'md'
  if ((REPORT_FORMATS as readonly string[]).includes(v)) return v as ReportFormat
  throw new ApiError('invalid_parameter', `format must be one of ${REPORT_FORMATS.join(', ')}`)
}

function parseLocale(raw: unknown): Locale {
  const v = oneValue(raw, 'locale') ?? 'it'
  if ((LOCALES as readonly string[]).includes(v)) return v as Locale
  throw new ApiError('invalid_parameter', `locale must be one of ${LOCALES.join(', ')}`)
}

function parseVersion(raw: unknown): number | 'live' | 'latest' {
  const v = oneValue(raw, 'version')
  if (v === undefined) return 'latest'
  if (v === 'live') return 'live'
  if (/^[1-9][0-9]{0,8}$/.test(v)) return Number(v)
  throw new ApiError('invalid_version', 'version must be a version number (1, 2, ...) or "live"')
}

const FILE_EXTENSION: Record<ReportFormat, string> = { md: 'md', html: 'html', json: 'json', decidim: 'decidim.json' }

export function createReportsRouter(options: ReportsRouterOptions): express.Router {
  const { service, versions, meetings, attendance, auth } = options
  const now = options.now ?? (() => new Date())
  const log = options.logger.child({ component: 'reports' })
  const router = express.Router()

  /** Meetings SPEC A2 order (404, 401, 401 counted by Q3), then the versions' read rule (V12). */
  const reader = async (req: Request): Promise<{ id: MeetingId; stored: StoredMeeting; role: Role }> => {
    const raw = req.params.id
    const id = typeof raw === 'string' ? parseMeetingId(raw) : null
    const stored = id === null ? null : await meetings.get(id)
    if (stored === null || id === null) throw new ApiError('not_found', 'no meeting with this id')
    const role = auth.callerRole(req, stored)
    if (!canSeeVersions(role, stored.meeting.versionsVisibleTo)) {
      throw new ApiError('forbidden', 'the facilitator has not made the versions (and so the report) of this meeting visible to your role')
    }
    return { id, stored, role }
  }

  router.get('/api/meetings/:id/report', async (req, res) => {
    const { id, stored } = await reader(req)
    const format = parseFormat(req.query.format)
    const locale = parseLocale(req.query.locale)
    const asked = parseVersion(req.query.version)
    const ref = asked === 'latest' ? ((await versions.latest(id))?.number ?? 'live') : asked
    let board: Awaited<ReturnType<VersionService['boardOf']>>
    try {
      board = await service.boardOf(id, ref)
    } catch (error) {
      if (error instanceof VersionError) throw new ApiError(error.code, error.message, error.details)
      throw error
    }
    const images = ref === 'live' ? [] : ((await versions.getImages(id, ref)) ?? [])
    const m = stored.meeting
    const data: ReportData = {
      meeting: writtenFieldsOf(m),
      version: board.version === null ? null : { number: board.version.number, label: board.version.label, createdAt: board.version.createdAt, kind: board.version.kind },
      maps: extractMaps(board.records),
      votes: revealedVotesOf(board.records),
      images,
      suggestedAttendees: attendance.count(id),
      generatedAt: now().toISOString(),
    }
    const started = performance.now()
    const report = renderReport(data, { format, locale })
    log.debug({ meetingId: id, format, ref, ms: Math.round(performance.now() - started) }, 'report rendered')
    const name = `tavolo-${(m.reference ?? m.id).replace(/[^A-Za-z0-9._-]+/g, '-')}-${ref === 'live' ? 'live' : `v${ref}`}.${FILE_EXTENSION[format]}`
    res.set('Cache-Control', 'no-store')
    res.set('X-Content-Type-Options', 'nosniff')
    // the HTML report is a page of this origin built from user text: no script may ever run in it
    if (format === 'html') res.set('Content-Security-Policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
    res.set('Content-Disposition', `inline; filename="${name}"`)
    res.type(report.contentType).send(report.body)
  })

  router.use('/api/meetings', createApiErrorHandler(log, 0))
  return router
}
