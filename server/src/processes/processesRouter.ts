/**
 * REST API of processes (issue 22; server/src/processes/SPEC.md):
 *   POST   /api/processes                       (staff) → 201 { process }
 *   GET    /api/processes                       (staff) → 200 { processes: [{ process, meetings }] }
 *   GET    /api/processes/:id                   (staff, or a facilitator of one of its meetings) → 200 { process, role, meetings }
 *   PATCH  /api/processes/:id                   (staff) → 200 { process }
 *   DELETE /api/processes/:id?confirm=<n>       (staff) → 200 { deleted, meetings } | 409 when n is not its meeting count
 *   POST   /api/processes/:id/not-same          (staff, or the facilitator of the meeting named) → 200 { process }
 *   GET    /api/processes/:id/report?format=md|html|json&locale=it|en   (staff, or a facilitator of one of its meetings)
 *   POST   /api/meetings/:id/continue           (the meeting's facilitator, or staff) → 201 { meeting, keys, links, version }
 */
import express from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { buildMeetingLinks } from '../../../shared/src/meetings/meetingLinks.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { LOCALES, type Locale } from '../../../shared/src/maps/templateSchema.ts'
import {
  ContinueMeetingInputSchema,
  NotSameInputSchema,
  OUTCOME_CHOICES_MAX,
  ProcessInputSchema,
  ProcessPatchSchema,
  type ProcessDetailResponse,
  type ProcessFields,
  type ProcessListResponse,
  type ProcessResponse,
} from '../../../shared/src/process/processSchemas.ts'
import { PROCESS_REPORT_FORMATS, type ProcessReportFormat } from '../../../shared/src/process/processReport.ts'
import { outcomeToRead } from '../../../shared/src/process/outcomeVersion.ts'
import type { ImportMeetingResponse, VersionAuthor } from '../../../shared/src/versions/versionSchemas.ts'
import { ApiError } from '../http/apiError.ts'
import { jsonBody } from '../http/jsonBody.ts'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import { accessOf, type MeetingAccessGuards } from '../meetings/meetingAccess.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import { createApiErrorHandler, parseBody } from '../meetings/meetingsRouter.ts'
import type { MeetingEraser } from '../store/meetingErasure.ts'
import { REPORT_HTML_CSP } from '../reports/reportsRouter.ts'
import { VersionError, type VersionService } from '../versions/versionService.ts'
import type { VersionStore } from '../versions/VersionStore.ts'
import type { HeavyWorkGate } from '../work/heavyWork.ts'
import { createProcessAccess } from './processAccess.ts'
import { generateProcessId } from './processId.ts'
import type { ProcessStore } from './ProcessStore.ts'

export interface ProcessesRouterOptions {
  processes: ProcessStore
  meetings: MeetingStore
  versions: Pick<VersionStore, 'latest' | 'count' | 'list'>
  service: Pick<VersionService, 'sourceOf' | 'work' | 'continueMeeting'>
  auth: CallerAuth
  access: MeetingAccessGuards
  /** Erases the meetings of a deleted process, exactly like DELETE /api/meetings/:id. */
  eraser: MeetingEraser
  heavy: HeavyWorkGate
  config: Pick<Config, 'publicUrl'>
  logger: Logger
  now?: () => Date
}

/** B4: a process is one flat object, plus the undo list of at most NOT_SAME_MAX small objects. */
const PROCESS_BODY = jsonBody({ maxBytes: 256 * 1024, maxDepth: 3, maxItems: 3200 })
const SMALL_BODY = jsonBody({ maxBytes: 64 * 1024, maxDepth: 1, maxItems: 16 })

function oneValue(raw: unknown, name: string): string | undefined {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string') throw new ApiError('invalid_parameter', `${name} must be given once`)
  return raw
}

const emptyToNull = (v: string | null | undefined): string | null | undefined => (v === '' ? null : v)

export function createProcessesRouter(options: ProcessesRouterOptions): express.Router {
  const { processes, meetings, versions, service, auth, access, eraser, heavy, config } = options
  const now = options.now ?? (() => new Date())
  const log = options.logger.child({ component: 'processes' })
  const router = express.Router()
  const base = '/api/processes'
  const caller = createProcessAccess({ processes, meetings, auth })
  const staff = access.staff({
    missing: 'this needs the staff token (Authorization: Bearer <staff token>)',
    wrong: 'invalid staff token',
  })
  /** PS2 for the staff-only routes on one process: 404 first, then the staff token. */
  const staffOnProcess: express.RequestHandler = async (req, res, next) => {
    const found = await caller(req)
    if (!found.staff) throw new ApiError('forbidden', 'only staff (the staff token) may change or delete a process')
    res.locals.processCaller = found
    next()
  }
  const anyCaller: express.RequestHandler = async (req, res, next) => {
    res.locals.processCaller = await caller(req)
    next()
  }
  /** Version n of a meeting (its summary), or null when it is not stored. */
  const versionAt = async (id: MeetingId, n: number) => (await versions.list(id, { before: n + 1, limit: 1 })).find((v) => v.number === n) ?? null
  const callerOf = (res: express.Response) => res.locals.processCaller as Awaited<ReturnType<typeof caller>>

  router.use(base, (_req, res, next) => {
    res.set('Cache-Control', 'no-store')
    next()
  })

  router.post(base, staff, PROCESS_BODY, async (req, res) => {
    const input = parseBody(ProcessInputSchema, req.body, 'invalid process')
    const fields: ProcessFields = { title: input.title, description: emptyToNull(input.description) ?? null, decidimUrl: emptyToNull(input.decidimUrl) ?? null, notSameActors: [] }
    const process = await processes.create(generateProcessId(), fields, now().toISOString())
    log.info({ processId: process.id }, 'process created')
    const body: ProcessResponse = { process }
    res.status(201).json(body)
  })

  router.get(base, staff, async (_req, res) => {
    const all = await processes.list()
    const body: ProcessListResponse = {
      processes: await Promise.all(all.map(async (process) => ({ process, meetings: (await meetings.listByProcess(process.id)).length }))),
    }
    res.json(body)
  })

  router.get(`${base}/:id`, anyCaller, async (_req, res) => {
    const found = callerOf(res)
    const body: ProcessDetailResponse = {
      process: found.process,
      role: found.staff ? 'staff' : 'facilitator',
      meetings: await Promise.all(
        found.meetings.map(async (stored) => ({
          meeting: stored.meeting,
          // PS2: a facilitator of one meeting never gets another meeting's keys
          ...(found.staff ? { links: buildMeetingLinks(config.publicUrl, stored.meeting.id as MeetingId, stored.keys) } : {}),
          versions: await versions.count(stored.meeting.id as MeetingId),
          // PR1: who may choose the meeting's outcome version sees its versions (PATCH /api/meetings/:id checks again)
          ...(found.staff || found.facilitatorOf.has(stored.meeting.id)
            ? {
                outcomeChoices: (await versions.list(stored.meeting.id as MeetingId, { limit: OUTCOME_CHOICES_MAX })).map((v) => ({
                  number: v.number,
                  label: v.label,
                  createdAt: v.createdAt,
                })),
              }
            : {}),
        })),
      ),
    }
    res.json(body)
  })

  router.patch(`${base}/:id`, staffOnProcess, PROCESS_BODY, async (req, res) => {
    const { process } = callerOf(res)
    const patch = parseBody(ProcessPatchSchema, req.body, 'invalid process patch')
    const fields: Partial<ProcessFields> = {}
    if (patch.title !== undefined) fields.title = patch.title
    if (patch.description !== undefined) fields.description = emptyToNull(patch.description) ?? null
    if (patch.decidimUrl !== undefined) fields.decidimUrl = emptyToNull(patch.decidimUrl) ?? null
    if (patch.notSameActors !== undefined) fields.notSameActors = patch.notSameActors
    const updated = await processes.update(process.id, fields, now().toISOString())
    if (updated === null) throw new ApiError('not_found', 'no process with this id')
    log.info({ processId: process.id, fields: Object.keys(fields) }, 'process updated')
    const body: ProcessResponse = { process: updated }
    res.json(body)
  })

  router.delete(`${base}/:id`, staffOnProcess, async (req, res) => {
    const { process, meetings: list } = callerOf(res)
    const confirm = oneValue(req.query.confirm, 'confirm')
    const n = list.length
    // PS6: erasing meetings cannot be undone: the caller says how many it expects to erase
    if (confirm === undefined || !/^\d{1,6}$/.test(confirm) || Number(confirm) !== n) {
      throw new ApiError(
        'conflict',
        `the process «${process.title}» has ${n} ${n === 1 ? 'meeting' : 'meetings'}: DELETE ${base}/${process.id}?confirm=${n} erases the process and ${n === 1 ? 'it' : `all ${n}`}, with everything stored for them`,
      )
    }
    const erased: string[] = []
    for (const stored of list) {
      const report = await eraser.erase(stored.meeting.id, 'request')
      if (report !== null) erased.push(report.meetingId)
    }
    await processes.delete(process.id)
    log.info({ processId: process.id, meetings: erased.length }, 'process erased with its meetings')
    res.json({ deleted: process.id, meetings: erased })
  })

  router.post(`${base}/:id/not-same`, anyCaller, SMALL_BODY, async (req, res) => {
    const found = callerOf(res)
    const input = parseBody(NotSameInputSchema, req.body, 'invalid body')
    if (!found.meetings.some((m) => m.meeting.id === input.meetingId)) throw new ApiError('invalid_body', 'meetingId: not a meeting of this process')
    if (!found.staff && !found.facilitatorOf.has(input.meetingId)) throw new ApiError('forbidden', 'only the facilitator of that meeting (or staff) may undo its matches')
    const rest = found.process.notSameActors.filter((x) => x.meetingId !== input.meetingId || x.cardId !== input.cardId)
    const notSameActors = input.same === true ? rest : [...rest, { meetingId: input.meetingId, cardId: input.cardId }]
    const updated = await processes.update(found.process.id, { notSameActors }, now().toISOString())
    if (updated === null) throw new ApiError('not_found', 'no process with this id')
    const body: ProcessResponse = { process: updated }
    res.json(body)
  })

  router.get(`${base}/:id/report`, anyCaller, async (req, res) => {
    const { process, meetings: list } = callerOf(res)
    const format = (oneValue(req.query.format, 'format') ?? 'md') as ProcessReportFormat
    if (!(PROCESS_REPORT_FORMATS as readonly string[]).includes(format)) throw new ApiError('invalid_parameter', `format must be one of ${PROCESS_REPORT_FORMATS.join(', ')}`)
    const locale = (oneValue(req.query.locale, 'locale') ?? 'it') as Locale
    if (!(LOCALES as readonly string[]).includes(locale)) throw new ApiError('invalid_parameter', `locale must be one of ${LOCALES.join(', ')}`)
    // PS7: every meeting's board is read, and the history rendered, in the worker pool
    const report = await heavy.run(null, async () => {
      const boards = await Promise.all(
        list.map(async (stored) => {
          const id = stored.meeting.id as MeetingId
          const chosen = stored.meeting.outcomeVersion
          const [latest, total, chosenVersion] = await Promise.all([versions.latest(id), versions.count(id), chosen === null ? null : versionAt(id, chosen)])
          // PR1: the version chosen as the meeting's outcome, or the latest (also when the chosen one is gone)
          const read = outcomeToRead(chosen, latest?.number ?? null, chosenVersion !== null)
          const summary = read.outcome?.found === true ? chosenVersion : latest
          const { source } = await service.sourceOf(id, read.number ?? 'live')
          const { id: meetingId, title, startsAt, createdAt } = stored.meeting
          return {
            meeting: { id: meetingId, title, startsAt, createdAt },
            version: summary === null ? null : { number: summary.number, total, label: summary.label },
            outcome: read.outcome,
            source,
          }
        }),
      )
      return service.work.run('processReport', {
        boards,
        notSame: process.notSameActors,
        process: { id: process.id, title: process.title, description: process.description, decidimUrl: process.decidimUrl },
        format,
        locale,
        generatedAt: now().toISOString(),
      })
    })
    res.set('X-Content-Type-Options', 'nosniff')
    if (format === 'html') res.set('Content-Security-Policy', REPORT_HTML_CSP)
    res.set('Content-Disposition', `inline; filename="tavolo-processo-${process.id}.${format}"`)
    res.type(report.contentType).end(Buffer.from(report.body.buffer, report.body.byteOffset, report.body.byteLength))
  })

  router.use(base, (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such processes route' } })
  })
  router.use(base, createApiErrorHandler(log, 256 * 1024))

  // ---- continuing a meeting (mounted before the meetings router, which answers 404 to the rest) ------------------

  router.post('/api/meetings/:id/continue', access.meeting({ kind: 'facilitator', action: 'continue the meeting' }), SMALL_BODY, async (req, res) => {
    const { stored, role, id } = accessOf(res)
    const input = parseBody(ContinueMeetingInputSchema, req.body, 'invalid continuation')
    const latest = await versions.latest(id)
    const n = input.version ?? latest?.number ?? null
    const fields = continuedFields(stored, input.title, input.startsAt ?? null)
    const author: VersionAuthor = { name: null, role }
    const created = await heavy.run(id, async () => {
      try {
        return await service.continueMeeting(stored, n, author, fields)
      } catch (error) {
        if (error instanceof VersionError) throw new ApiError(error.code, error.message, error.details)
        throw error
      }
    })
    log.info({ meetingId: created.stored.meeting.id, from: id, version: n, processId: fields.processId }, 'meeting continued')
    const body: ImportMeetingResponse = {
      meeting: created.stored.meeting,
      keys: created.stored.keys,
      links: buildMeetingLinks(config.publicUrl, created.stored.meeting.id as MeetingId, created.stored.keys),
      version: created.version,
    }
    res.status(201).json(body)
  })
  router.use('/api/meetings/:id/continue', createApiErrorHandler(log, 64 * 1024))
  return router
}

/**
 * PS5: the next meeting of the process: its own title and start; the place, organisations and who may see versions
 * carried over; the process kept; a description naming where it continues from.
 */
function continuedFields(source: StoredMeeting, title: string, startsAt: string | null): MeetingFields {
  const m = source.meeting
  return {
    title,
    reference: null,
    startsAt,
    endsAt: null,
    place: m.place,
    organisations: [...m.organisations],
    description: `Continua «${m.title}»${m.reference === null ? '' : ` (${m.reference})`}.`,
    versionsVisibleTo: m.versionsVisibleTo,
    attendeesCount: null,
    processId: m.processId,
  }
}
