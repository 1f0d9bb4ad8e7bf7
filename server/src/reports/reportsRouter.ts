/**
 * `GET /api/meetings/:id/report?version=<n|live>&format=<md|html|json|decidim>&locale=<it|en>` (issue 10).
 * Defaults: the latest version (the live board when the meeting has none yet), Markdown, Italian.
 * Who: whoever may read the meeting's versions (facilitators, or the roles `versionsVisibleTo` allows), the same
 * rule for the live board. Errors as every REST route: 404 unknown meeting or version, 401 no or wrong key,
 * 403 role not allowed, 400 `invalid_parameter` / `invalid_version` naming the parameter.
 */
import { writtenFieldsOf } from '../../../shared/src/meetings/meetingSchemas.ts'
import express from 'express'
import type { Logger } from 'pino'
import { LOCALES, type Locale } from '../../../shared/src/maps/templateSchema.ts'
import { REPORT_FORMATS, type ReportData, type ReportFormat } from '../../../shared/src/report/index.ts'
import { ApiError } from '../http/apiError.ts'
import { accessOf, type MeetingAccessGuards } from '../meetings/meetingAccess.ts'
import { createApiErrorHandler } from '../meetings/meetingsRouter.ts'
import { VersionError, type VersionService } from '../versions/versionService.ts'
import type { VersionStore } from '../versions/VersionStore.ts'
import type { HeavyWorkGate } from '../work/heavyWork.ts'
import type { AttendanceTracker } from './attendance.ts'

export interface ReportsRouterOptions {
  service: Pick<VersionService, 'sourceOf' | 'work'>
  /** Heavy requests in flight, per meeting and per server (429 past them). */
  heavy: HeavyWorkGate
  versions: Pick<VersionStore, 'latest' | 'getImages'>
  attendance: Pick<AttendanceTracker, 'count'>
  /**
   * The access checks (staff token, meeting keys and roles, the wrong-token throttle of meetings SPEC Q3), shared
   * with the meetings and versions routers.
   */
  access: MeetingAccessGuards
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

/** RP2: the HTML report's policy. Not the app's (securityHeaders.ts): a report needs no script, font or socket. */
export const REPORT_HTML_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"

const FILE_EXTENSION: Record<ReportFormat, string> = { md: 'md', html: 'html', json: 'json', decidim: 'decidim.json' }

export function createReportsRouter(options: ReportsRouterOptions): express.Router {
  const { service, versions, attendance, access } = options
  const now = options.now ?? (() => new Date())
  const log = options.logger.child({ component: 'reports' })
  const router = express.Router()

  /** Meetings SPEC A2 order (404, 401, 401 counted by Q3), then the versions' read rule (V12). */
  const reader = access.meeting({ kind: 'versionReader', what: 'the versions (and so the report)' })

  router.get('/api/meetings/:id/report', reader, async (req, res) => {
    const { id, stored } = accessOf(res)
    const format = parseFormat(req.query.format)
    const locale = parseLocale(req.query.locale)
    const asked = parseVersion(req.query.version)
    const ref = asked === 'latest' ? ((await versions.latest(id))?.number ?? 'live') : asked
    const m = stored.meeting
    // the maps are extracted and the report rendered in the worker pool
    const report = await options.heavy.run(id, async () => {
      let board: Awaited<ReturnType<VersionService['sourceOf']>>
      try {
        board = await service.sourceOf(id, ref)
      } catch (error) {
        if (error instanceof VersionError) throw new ApiError(error.code, error.message, error.details)
        throw error
      }
      const images = ref === 'live' ? [] : ((await versions.getImages(id, ref)) ?? [])
      const data: Omit<ReportData, 'maps' | 'votes'> = {
        meeting: writtenFieldsOf(m),
        version: board.version === null ? null : { number: board.version.number, label: board.version.label, createdAt: board.version.createdAt, kind: board.version.kind },
        images,
        suggestedAttendees: attendance.count(id),
        generatedAt: now().toISOString(),
      }
      const started = performance.now()
      const rendered = await service.work.run('report', { source: board.source, data, format, locale })
      log.debug({ meetingId: id, format, ref, ms: Math.round(performance.now() - started) }, 'report rendered')
      return rendered
    })
    const name = `tavolo-${(m.reference ?? m.id).replace(/[^A-Za-z0-9._-]+/g, '-')}-${ref === 'live' ? 'live' : `v${ref}`}.${FILE_EXTENSION[format]}`
    res.set('Cache-Control', 'no-store')
    res.set('X-Content-Type-Options', 'nosniff')
    // the HTML report is a page of this origin built from user text: no script may ever run in it, no other site may
    // frame it, and no form or <base> in it may send or redirect anything (RP2)
    if (format === 'html') res.set('Content-Security-Policy', REPORT_HTML_CSP)
    res.set('Content-Disposition', `inline; filename="${name}"`)
    res.type(report.contentType).end(Buffer.from(report.body.buffer, report.body.byteOffset, report.body.byteLength))
  })

  router.use('/api/meetings', createApiErrorHandler(log, 0))
  return router
}
