/**
 * The REST payloads of /api/meetings, shared by the server (validation at the edge) and the browser (typed calls).
 * Every input schema is strict: an unknown field is an error, so a typo never silently drops data.
 */
import { z } from 'zod'
import { ROLES, type Role } from '../roles.ts'

export const TITLE_MAX = 200
export const PLACE_MAX = 300
export const ORGANISATIONS_MAX = 50
export const ORGANISATION_MAX = 200
export const DESCRIPTION_MAX = 5000
/** A reference code such as `par-MEET-2025-09-622`: letters, digits and `-_./`, starting with a letter or digit. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/

const title = z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX, `title must be at most ${TITLE_MAX} characters`)
const reference = z
  .string()
  .trim()
  .regex(REFERENCE_PATTERN, 'reference must be 1..64 letters, digits or -_./ (e.g. par-MEET-2025-09-622)')
/** ISO 8601 date-time with a time zone (Z or an offset), e.g. 2025-09-18T17:30:00+02:00. */
const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-09-18T17:30:00+02:00' })
const place = z.string().trim().max(PLACE_MAX, `place must be at most ${PLACE_MAX} characters`)
const organisations = z
  .array(z.string().trim().min(1, 'an organisation must not be empty').max(ORGANISATION_MAX, `an organisation must be at most ${ORGANISATION_MAX} characters`))
  .max(ORGANISATIONS_MAX, `at most ${ORGANISATIONS_MAX} organisations`)
const description = z.string().max(DESCRIPTION_MAX, `description must be at most ${DESCRIPTION_MAX} characters`)
/** The process a meeting belongs to (issue 22): an id `POST /api/processes` gave. */
export const PROCESS_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/
const processId = z.string().regex(PROCESS_ID_PATTERN, 'processId must be the id of a process (GET /api/processes)')

/** Who may list, open, compare and export a meeting's versions (facilitators always may; default facilitators). */
export const VERSIONS_VISIBLE_TO = ['facilitators', 'participants', 'everyone'] as const
export type VersionsVisibleTo = (typeof VERSIONS_VISIBLE_TO)[number]
export const VersionsVisibleToSchema = z.enum(VERSIONS_VISIBLE_TO, {
  error: `versionsVisibleTo must be one of ${VERSIONS_VISIBLE_TO.join(', ')}`,
})

/** Decidim's close-meeting form accepts 0..999 attendees. */
export const ATTENDEES_MAX = 999
/** The number of participants, as the facilitator counts it (the report and Decidim's attendees_count). */
const attendeesCount = z
  .number({ error: 'attendeesCount must be a whole number' })
  .int('attendeesCount must be a whole number')
  .min(0, 'attendeesCount must not be negative')
  .max(ATTENDEES_MAX, `attendeesCount must be at most ${ATTENDEES_MAX}`)

/** True when both times are present and the end is before the start. */
export function endsBeforeStart(startsAt: string | null | undefined, endsAt: string | null | undefined): boolean {
  return typeof startsAt === 'string' && typeof endsAt === 'string' && Date.parse(endsAt) < Date.parse(startsAt)
}

/** The fields people write, as a creation gives them: only the title is required; null = not set. */
const MeetingFieldsSchema = z.strictObject({
  title,
  reference: reference.nullish(),
  startsAt: dateTime.nullish(),
  endsAt: dateTime.nullish(),
  place: place.nullish(),
  organisations: organisations.optional(),
  description: description.nullish(),
  versionsVisibleTo: VersionsVisibleToSchema.optional(),
  attendeesCount: attendeesCount.nullish(),
  /** At most one process per meeting; null = none (setting or changing it needs the staff token). */
  processId: processId.nullish(),
})

/**
 * The version of the meeting's board that a process takes as the meeting's outcome (issue 22); null = the latest.
 * Only a PATCH sets it (a new meeting has no chosen outcome); the server checks that the version exists.
 */
const outcomeVersion = z
  .number({ error: 'outcomeVersion must be a version number or null' })
  .int('outcomeVersion must be a whole version number')
  .min(1, 'outcomeVersion must be a version number (1 or more) or null')

/** Body of `POST /api/meetings`. Only the title is required; optional fields may also be null (= not set). */
export const MeetingInputSchema = MeetingFieldsSchema
  .refine((m) => !endsBeforeStart(m.startsAt, m.endsAt), { message: 'endsAt must not be before startsAt', path: ['endsAt'] })
export type MeetingInput = z.infer<typeof MeetingInputSchema>

/**
 * Body of `PATCH /api/meetings/:id`: any subset of the fields, at least one. `null` clears an optional field.
 * The endsAt >= startsAt rule is checked here when both are in the patch, and by the server against the merged meeting.
 */
export const MeetingPatchSchema = MeetingFieldsSchema.extend({ outcomeVersion: outcomeVersion.nullable() })
  .partial()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'the patch must change at least one field' })
  .refine((m) => !endsBeforeStart(m.startsAt, m.endsAt), { message: 'endsAt must not be before startsAt', path: ['endsAt'] })
export type MeetingPatch = z.infer<typeof MeetingPatchSchema>

export const RoleSchema = z.enum(ROLES as [Role, ...Role[]])

/** A meeting as the API returns it. Times are ISO strings (UTC for the server-made ones). */
export const MeetingSchema = z.object({
  id: z.string(),
  reference: z.string().nullable(),
  title: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  place: z.string().nullable(),
  organisations: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Last time the server saw the board document change (to the minute), or null if it never changed. */
  lastActivityAt: z.string().nullable(),
  /** Who besides facilitators may see the meeting's versions (server/src/versions/SPEC.md). */
  versionsVisibleTo: VersionsVisibleToSchema,
  /** Participants as the facilitator counted them (null = not given yet; the report suggests a figure). */
  attendeesCount: z.number().int().nullable(),
  /** The process the meeting belongs to (issue 22), or null (also for answers cached before processes existed). */
  processId: z.string().nullable().default(null),
  /** The version chosen as the meeting's outcome for its process (issue 22); null = the latest (also for older answers). */
  outcomeVersion: z.number().int().nullable().default(null),
})
export type Meeting = z.infer<typeof MeetingSchema>

/** The fields of a meeting that people wrote (not the server-kept id and times): what exports and reports carry. */
export type MeetingWrittenFields = Pick<
  Meeting,
  'title' | 'reference' | 'startsAt' | 'endsAt' | 'place' | 'organisations' | 'description' | 'attendeesCount'
>

/** The fields of a meeting that people write, normalised (absent = null / empty list): what the store keeps. */
export type MeetingFields = MeetingWrittenFields &
  Pick<Meeting, 'versionsVisibleTo' | 'processId'> &
  /** Absent on creation = null (the latest version); set by PATCH. */
  Partial<Pick<Meeting, 'outcomeVersion'>>

export function writtenFieldsOf(m: MeetingWrittenFields): MeetingWrittenFields {
  return {
    title: m.title,
    reference: m.reference,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    place: m.place,
    organisations: m.organisations,
    description: m.description,
    attendeesCount: m.attendeesCount,
  }
}

export const MeetingKeysSchema = z.object({ facilitator: z.string(), participant: z.string(), viewer: z.string() })
export type MeetingKeys = z.infer<typeof MeetingKeysSchema>

export const MeetingLinksSchema = z.object({
  facilitator: z.string(),
  participant: z.string(),
  viewer: z.string(),
  projector: z.string(),
})
export type MeetingLinks = z.infer<typeof MeetingLinksSchema>

/** `201` answer of `POST /api/meetings`. */
export const CreateMeetingResponseSchema = z.object({ meeting: MeetingSchema, keys: MeetingKeysSchema, links: MeetingLinksSchema })
export type CreateMeetingResponse = z.infer<typeof CreateMeetingResponseSchema>

/** `200` answer of `GET /api/meetings` (staff list, newest first). */
export const MeetingListResponseSchema = z.object({
  meetings: z.array(z.object({ meeting: MeetingSchema, links: MeetingLinksSchema })),
  /** Pass as `?cursor=` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
})

/** Meetings per page of `GET /api/meetings` when `limit` is not given, and the largest `limit` accepted. */
export const MEETING_LIST_DEFAULT_LIMIT = 50
export const MEETING_LIST_MAX_LIMIT = 200
export type MeetingListResponse = z.infer<typeof MeetingListResponseSchema>

/**
 * `200` answer of `GET /api/meetings/:id` and `PATCH /api/meetings/:id`. `role` is the caller's role (the admin token
 * counts as facilitator); `keys` and `links` are present only for facilitators.
 */
export const MeetingDetailResponseSchema = z.object({
  meeting: MeetingSchema,
  role: RoleSchema,
  keys: MeetingKeysSchema.optional(),
  links: MeetingLinksSchema.optional(),
})
export type MeetingDetailResponse = z.infer<typeof MeetingDetailResponseSchema>

/** `200` answer of `POST /api/meetings/:id/keys/:role/rotate`: the rotated role, and every current key and link. */
export const RotateKeyResponseSchema = z.object({ role: RoleSchema, keys: MeetingKeysSchema, links: MeetingLinksSchema })
export type RotateKeyResponse = z.infer<typeof RotateKeyResponseSchema>
