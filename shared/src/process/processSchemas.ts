/**
 * The REST payloads of /api/processes and of `POST /api/meetings/:id/continue` (issue 22; server/src/processes/SPEC.md),
 * shared by the server (validation at the edge) and the browser. Input schemas are strict: an unknown field is an error.
 */
import { z } from 'zod'
import { DESCRIPTION_MAX, MeetingLinksSchema, MeetingSchema, PROCESS_ID_PATTERN, RoleSchema, TITLE_MAX } from '../meetings/meetingSchemas.ts'

export { PROCESS_ID_PATTERN }

export const DECIDIM_URL_MAX = 2000
/** The newest versions offered as a meeting's outcome on the process page (an older one is still valid in a PATCH). */
export const OUTCOME_CHOICES_MAX = 100
/** Undone name matches kept per process (PR3). */
export const NOT_SAME_MAX = 1000

const title = z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`)
const description = z.string().max(DESCRIPTION_MAX, `description must be at most ${DESCRIPTION_MAX} characters`)
const decidimUrl = z
  .string()
  .trim()
  .max(DECIDIM_URL_MAX, `decidimUrl must be at most ${DECIDIM_URL_MAX} characters`)
  .refine((v) => v === '' || /^https?:\/\/[^\s]+$/i.test(v), 'decidimUrl must be an http(s) address')

/** "Non è lo stesso attore": a card of a meeting never matched by name to an earlier actor (PR3). */
export const NotSameActorSchema = z.strictObject({
  meetingId: z.string().min(1).max(64),
  cardId: z.string().min(1).max(200),
})

/** Body of `POST /api/processes`. */
export const ProcessInputSchema = z.strictObject({
  title,
  description: description.nullish(),
  decidimUrl: decidimUrl.nullish(),
})
export type ProcessInput = z.infer<typeof ProcessInputSchema>

/** Body of `PATCH /api/processes/:id`: any subset, at least one field; null clears an optional one. */
export const ProcessPatchSchema = ProcessInputSchema.extend({
  notSameActors: z.array(NotSameActorSchema).max(NOT_SAME_MAX, `at most ${NOT_SAME_MAX} entries`).optional(),
})
  .partial()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'the patch must change at least one field' })
export type ProcessPatch = z.infer<typeof ProcessPatchSchema>

/** Body of `POST /api/processes/:id/not-same`: undo one name match (`same: false`) or allow it again (`same: true`). */
export const NotSameInputSchema = NotSameActorSchema.extend({ same: z.boolean().optional() })

export const ProcessSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  decidimUrl: z.string().nullable(),
  notSameActors: z.array(z.object({ meetingId: z.string(), cardId: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Process = z.infer<typeof ProcessSchema>

/** The fields of a process people write (what the store keeps besides id and times). */
export type ProcessFields = Pick<Process, 'title' | 'description' | 'decidimUrl' | 'notSameActors'>

/** `201` of POST, `200` of PATCH. */
export const ProcessResponseSchema = z.object({ process: ProcessSchema })
export type ProcessResponse = z.infer<typeof ProcessResponseSchema>

/** `200` of `GET /api/processes` (staff), newest first, each with how many meetings it has. */
export const ProcessListResponseSchema = z.object({ processes: z.array(z.object({ process: ProcessSchema, meetings: z.number().int() })) })
export type ProcessListResponse = z.infer<typeof ProcessListResponseSchema>

/**
 * `200` of `GET /api/processes/:id`: the meetings in date order (PS4). Staff get each meeting's links; a facilitator
 * of one of its meetings (`role: 'facilitator'`) gets the meetings without any key or link.
 */
export const ProcessDetailResponseSchema = z.object({
  process: ProcessSchema,
  role: z.union([z.literal('staff'), RoleSchema]),
  meetings: z.array(
    z.object({
      meeting: MeetingSchema,
      links: MeetingLinksSchema.optional(),
      versions: z.number().int(),
      /**
       * The versions the caller may choose as the meeting's outcome (PR1), newest first, at most OUTCOME_CHOICES_MAX:
       * present only where the caller may choose (staff: every meeting; a facilitator: their own meeting).
       */
      outcomeChoices: z.array(z.object({ number: z.number().int(), label: z.string(), createdAt: z.string() })).optional(),
    }),
  ),
})
export type ProcessDetailResponse = z.infer<typeof ProcessDetailResponseSchema>

/** Body of `POST /api/meetings/:id/continue`: the new meeting's title, its start, and the version to start from (default the latest). */
export const ContinueMeetingInputSchema = z.strictObject({
  title,
  startsAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-09-18T17:30:00+02:00' }).nullish(),
  version: z.number({ error: 'version must be a version number (1, 2, ...)' }).int('version must be a whole number').positive('version must be 1 or more').optional(),
})
export type ContinueMeetingInput = z.infer<typeof ContinueMeetingInputSchema>
