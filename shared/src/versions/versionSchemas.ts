/**
 * The REST payloads of meeting versions (`/api/meetings/:id/versions...`, export and import), shared by the server
 * (validation at the edge) and the browser (typed calls). Rules: server/src/versions/SPEC.md. Input schemas are
 * strict (an unknown field is an error); answer schemas are not, so the server may add fields without breaking a
 * client.
 */
import { z } from 'zod'
import { SessionStateSchema } from '../facilitation/session.ts'
import { CreateMeetingResponseSchema, RoleSchema } from '../meetings/meetingSchemas.ts'

export { VERSIONS_VISIBLE_TO, VersionsVisibleToSchema, type VersionsVisibleTo } from '../meetings/meetingSchemas.ts'

/** `continued`: the first version of a meeting continued from another one (issue 22). */
export const VERSION_KINDS = ['manual', 'session-end', 'before-restore', 'restored', 'imported', 'continued'] as const
export type VersionKind = (typeof VERSION_KINDS)[number]
export const VersionKindSchema = z.enum(VERSION_KINDS)

export const LABEL_MAX = 200
export const NOTE_MAX = 2000
export const AUTHOR_NAME_MAX = 100

const label = z.string().trim().min(1, 'label must not be empty').max(LABEL_MAX, `label must be at most ${LABEL_MAX} characters`)
const note = z.string().trim().max(NOTE_MAX, `note must be at most ${NOTE_MAX} characters`)
const authorName = z.string().trim().max(AUTHOR_NAME_MAX, `authorName must be at most ${AUTHOR_NAME_MAX} characters`)

/** Body of `POST /api/meetings/:id/versions`. `authorName` is the display name the facilitator gave on the board. */
export const SaveVersionInputSchema = z.strictObject({
  label,
  note: note.nullish(),
  authorName: authorName.nullish(),
})

/**
 * Optional body of `POST /api/meetings/:id/close-session`, `POST .../versions/:k/restore` and
 * `POST .../versions/:n/copy`: the caller's display name, recorded as the author of the versions it makes.
 */
export const AuthorInputSchema = z.strictObject({ authorName: authorName.nullish() })

/** Who made a version: the display name given (null when none) and the role of the key used. Null for automatic ones. */
export const VersionAuthorSchema = z.object({ name: z.string().nullable(), role: RoleSchema })
export type VersionAuthor = z.infer<typeof VersionAuthorSchema>

/** Shapes on the board, in total and by tldraw shape type (`note`, `geo`, `frame`, `arrow`...). */
export const VersionCountsSchema = z.object({
  shapes: z.number().int().nonnegative(),
  byType: z.record(z.string(), z.number().int().nonnegative()),
})

/** A version without its records: what the list shows ("Versione k (di n)"). */
export const VersionSummarySchema = z.object({
  /** 1..n per meeting, never reused. */
  number: z.number().int().positive(),
  label: z.string(),
  note: z.string().nullable(),
  kind: VersionKindSchema,
  author: VersionAuthorSchema.nullable(),
  /** ISO time (UTC). */
  createdAt: z.string(),
  /** SHA-256 (hex) of the canonical JSON of the records (shared/src/versions/canonicalJson.ts). */
  contentHash: z.string(),
  counts: VersionCountsSchema,
  /** For `restored` versions: the number of the version that was restored; otherwise null. */
  restoredFrom: z.number().int().positive().nullable(),
  /** True when map images (SVG) were uploaded for this version (`GET .../versions/:n/images`). */
  hasImages: z.boolean(),
})
export type VersionSummary = z.infer<typeof VersionSummarySchema>

/** A tldraw document record as plain JSON (page, shape, binding, asset, document). */
export const BoardRecordSchema = z.looseObject({ id: z.string(), typeName: z.string() })
export type BoardRecord = z.infer<typeof BoardRecordSchema>

/** A serialized tldraw schema (`store.schema.serialize()`): `{ schemaVersion: 2, sequences: {...} }`. */
export const SerializedBoardSchemaSchema = z.looseObject({
  schemaVersion: z.number().int(),
  sequences: z.record(z.string(), z.number().int()).optional(),
})
export type SerializedBoardSchema = z.infer<typeof SerializedBoardSchemaSchema>

/** A version with its records and the tldraw schema they were made with. */
export const VersionDetailSchema = VersionSummarySchema.extend({
  schema: SerializedBoardSchemaSchema,
  records: z.array(BoardRecordSchema),
})
export type VersionDetail = z.infer<typeof VersionDetailSchema>

/** `201 { version, created: true }` for a new version, `200 { version, created: false }` when unchanged. */
/**
 * `skippedEntries`: entries of the live board's records array that are no records (shared/src/board/recordsEntries.ts
 * E1): left out of the version, and still on the board until a restore repairs it (versions SPEC V15).
 */
export const SaveVersionResponseSchema = z.object({
  version: VersionSummarySchema,
  created: z.boolean(),
  skippedEntries: z.number().int().nonnegative().optional(),
})
export type SaveVersionResponse = z.infer<typeof SaveVersionResponseSchema>

/** `GET /api/meetings/:id/versions`: newest first; `total` = how many versions the meeting has. */
export const VersionListResponseSchema = z.object({ versions: z.array(VersionSummarySchema), total: z.number().int().nonnegative() })
export type VersionListResponse = z.infer<typeof VersionListResponseSchema>

/** `GET /api/meetings/:id/versions/:n`. */
export const VersionDetailResponseSchema = z.object({ version: VersionDetailSchema })
export type VersionDetailResponse = z.infer<typeof VersionDetailResponseSchema>

// ---- diff -----------------------------------------------------------------------------------------------------

/** A point in page space (a shape's own x/y composed through its parent frames and groups). */
export const PagePointSchema = z.object({ x: z.number(), y: z.number() })
export type PagePoint = z.infer<typeof PagePointSchema>

/** One shape as the diff names it: enough to say it in words and to find it on the board. */
export const DiffShapeSchema = z.object({
  id: z.string(),
  /** tldraw shape type: note, geo, text, frame, arrow... */
  type: z.string(),
  /** The shape's plain text (richText flattened, or a frame's name); '' when it has none. */
  text: z.string(),
  pageId: z.string().nullable(),
  /** Page-space position of the shape's origin. */
  at: PagePointSchema,
  /** Page-space size when the record says it (w/h props), else null. */
  size: z.object({ w: z.number(), h: z.number() }).nullable(),
})
export type DiffShape = z.infer<typeof DiffShapeSchema>

export const DiffShapeChangeSchema = z.object({
  /** The shape as it is in the newer board. */
  shape: DiffShapeSchema,
  /**
   * Names of the changed properties, other than position: top-level fields (`rotation`, `opacity`, `isLocked`,
   * `index`) and `props.<name>` / `meta.<name>`.
   */
  fields: z.array(z.string()),
  /** Old and new plain text when the text changed (richText, text or a frame's name), else null. */
  text: z.object({ before: z.string(), after: z.string() }).nullable(),
})
export type DiffShapeChange = z.infer<typeof DiffShapeChangeSchema>

export const DiffShapeMoveSchema = z.object({
  shape: DiffShapeSchema,
  from: PagePointSchema,
  to: PagePointSchema,
  /** Set when the shape changed parent (e.g. dropped into another frame): old and new parent ids. */
  parent: z.object({ before: z.string(), after: z.string() }).nullable(),
})
export type DiffShapeMove = z.infer<typeof DiffShapeMoveSchema>

/** Records that are not shapes (pages, bindings, assets, the document): only which ones changed. */
export const DiffOtherRecordSchema = z.object({
  id: z.string(),
  typeName: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
})
export type DiffOtherRecord = z.infer<typeof DiffOtherRecordSchema>

/** What changed from board A to board B (shared/src/versions/boardDiff.ts). A shape may be both moved and changed. */
export const BoardDiffSchema = z.object({
  /** In B, not in A (shape as in B). */
  added: z.array(DiffShapeSchema),
  /** In A, not in B (shape as in A). */
  removed: z.array(DiffShapeSchema),
  changed: z.array(DiffShapeChangeSchema),
  moved: z.array(DiffShapeMoveSchema),
  others: z.array(DiffOtherRecordSchema),
  summary: z.object({
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    moved: z.number().int(),
    others: z.number().int(),
  }),
})
export type BoardDiff = z.infer<typeof BoardDiffSchema>

/** A side of a comparison: a version number or the live board. */
export const VersionRefSchema = z.union([z.number().int().positive(), z.literal('live')])
export type VersionRef = z.infer<typeof VersionRefSchema>

/**
 * `GET /api/meetings/:id/versions/:a/diff/:b` (`:a`, `:b` = numbers or `live`). `semantic` is the diff in the words
 * of the maps (issue 10), absent when the maps feature does not provide it.
 */
export const VersionDiffResponseSchema = z.object({
  from: VersionRefSchema,
  to: VersionRefSchema,
  diff: BoardDiffSchema,
  semantic: z.unknown().optional(),
})
export type VersionDiffResponse = z.infer<typeof VersionDiffResponseSchema>

// ---- restore, close session -------------------------------------------------------------------------------------

/**
 * `POST /api/meetings/:id/versions/:k/restore` → 200. `beforeRestore` is the version saved from the live board first
 * (null when the live board equalled the latest version). `version` is the new `restored` version; when the live
 * board already matched version k nothing changes: `changed: false`, `version` is the latest version.
 */
export const RestoreVersionResponseSchema = z.object({
  version: VersionSummarySchema,
  beforeRestore: VersionSummarySchema.nullable(),
  restoredFrom: z.number().int().positive(),
  changed: z.boolean(),
  /** Entries that were no records, removed from the live board by this restore (versions SPEC V15). */
  repairedEntries: z.number().int().nonnegative().optional(),
})
export type RestoreVersionResponse = z.infer<typeof RestoreVersionResponseSchema>

/**
 * `POST /api/meetings/:id/close-session` → `201 { version, created: true }` when a `session-end` version was saved,
 * `200 { version, created: false }` when the board had not changed (version = the latest, or null when the meeting
 * has no version and its board no shape).
 */
export const CloseSessionResponseSchema = z.object({ version: VersionSummarySchema.nullable(), created: z.boolean(), session: SessionStateSchema })
export type CloseSessionResponse = z.infer<typeof CloseSessionResponseSchema>

/** `POST /api/meetings/:id/reopen-session` (no body) → `200 { session }`: participants may change the board again (SE1). */
export const ReopenSessionResponseSchema = z.object({ session: SessionStateSchema })
export type ReopenSessionResponse = z.infer<typeof ReopenSessionResponseSchema>

// ---- export / import ------------------------------------------------------------------------------------------

export const EXPORT_FORMAT = 'tavolo-board'
export const EXPORT_FORMAT_VERSION = 1

/** The meeting fields carried by an export file (no keys, no ids). */
export const ExportedMeetingSchema = z.object({
  title: z.string(),
  reference: z.string().nullish(),
  startsAt: z.string().nullish(),
  endsAt: z.string().nullish(),
  place: z.string().nullish(),
  organisations: z.array(z.string()).optional(),
  description: z.string().nullish(),
  attendeesCount: z.number().nullish(),
})

/**
 * The JSON file of `GET /api/meetings/:id/versions/:n/export` and `GET /api/meetings/:id/export` (live board), and
 * the body of `POST /api/meetings/import`. `version` says which version it was (null for the live board).
 */
export const BoardExportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.number().int().positive(),
  exportedAt: z.string().optional(),
  meeting: ExportedMeetingSchema,
  version: z
    .object({ number: z.number().int().positive(), label: z.string(), kind: VersionKindSchema, createdAt: z.string() })
    .nullish(),
  schema: SerializedBoardSchemaSchema,
  records: z.array(z.unknown()),
})
export type BoardExportFile = z.infer<typeof BoardExportFileSchema>

/**
 * `201` answer of `POST /api/meetings/import` and `POST /api/meetings/:id/versions/:n/copy`: like `POST /api/meetings`
 * (the new meeting, its keys and links), plus its `imported` version 1.
 */
export const ImportMeetingResponseSchema = CreateMeetingResponseSchema.extend({ version: VersionSummarySchema })
export type ImportMeetingResponse = z.infer<typeof ImportMeetingResponseSchema>

/** Largest accepted import file (and export a server produces is checked against it too). */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024

// ---- map images -------------------------------------------------------------------------------------------------

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024
export const IMAGES_MAX_COUNT = 20
export const IMAGES_MAX_TOTAL_BYTES = 8 * 1024 * 1024

/** One SVG image of a map frame, exported by the facilitator's browser after saving a version. */
export const VersionImageSchema = z.strictObject({
  frameId: z.string().regex(/^shape:[A-Za-z0-9_-]{1,64}$/, 'frameId must be a shape id such as shape:abc'),
  svg: z
    .string()
    .max(IMAGE_MAX_BYTES, `an image must be at most ${IMAGE_MAX_BYTES} characters`)
    .refine((s) => /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(s), 'svg must be an SVG document starting with <svg'),
})
export type VersionImage = z.infer<typeof VersionImageSchema>

/** Body of `PUT /api/meetings/:id/versions/:n/images`: replaces the version's images. */
export const PutVersionImagesInputSchema = z.strictObject({
  images: z.array(VersionImageSchema).max(IMAGES_MAX_COUNT, `at most ${IMAGES_MAX_COUNT} images`),
})

/** `GET /api/meetings/:id/versions/:n/images` and the answer of the PUT. */
export const VersionImagesResponseSchema = z.object({
  number: z.number().int().positive(),
  images: z.array(z.object({ frameId: z.string(), svg: z.string() })),
})
export type VersionImagesResponse = z.infer<typeof VersionImagesResponseSchema>
