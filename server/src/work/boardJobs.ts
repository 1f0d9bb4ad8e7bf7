/**
 * The heavy pure work on boards that runs in the worker pool (workerPool.ts) instead of on the event loop: reading a
 * board out of its Yjs state, hashing and outlining it, diffing two boards, rendering a report, building an export or
 * a version's JSON answer, checking and migrating an import file or a version to restore. Each job takes and returns
 * plain data (structured-cloneable; byte answers as Uint8Array, transferred). The board semantics themselves stay in
 * shared/ and server/src/versions; this module only composes them for the pool.
 */
import * as Y from 'yjs'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import { MeetingInputSchema } from '../../../shared/src/meetings/meetingSchemas.ts'
import { revealedVotesOf } from '../../../shared/src/facilitation/voteRecords.ts'
import { extractMaps } from '../../../shared/src/maps/extract.ts'
import type { Locale } from '../../../shared/src/maps/templateSchema.ts'
import { semanticDiff } from '../../../shared/src/maps/semanticDiff.ts'
import { renderReport, type ReportData, type ReportFormat } from '../../../shared/src/report/index.ts'
import { processHistory, type NotSameActor, type ProcessMeetingBoard } from '../../../shared/src/process/processHistory.ts'
import { processStory, type ProcessInfo } from '../../../shared/src/process/processStory.ts'
import { renderProcessReport, type ProcessReportFormat } from '../../../shared/src/process/processReport.ts'
import { countShapes, diffBoards } from '../../../shared/src/versions/boardDiff.ts'
import { canonicalJson } from '../../../shared/src/versions/canonicalJson.ts'
import { diffScope } from '../../../shared/src/versions/diffScope.ts'
import { outlineOf, parseOutline, serializeOutline, type RecordOutline } from '../../../shared/src/versions/recordOutline.ts'
import {
  BoardExportFileSchema,
  EXPORT_FORMAT_VERSION,
  type BoardRecord,
  type SerializedBoardSchema,
  type VersionRef,
} from '../../../shared/src/versions/versionSchemas.ts'
import { jsonDepth } from '../sync/updateScan.ts'
import { encodeBoardUpdate, planBoardWrite, readBoardContent, type BoardWritePlan } from '../versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../board/tldrawSchema.ts'
import { prepareBoard, type BoardProblem } from '../versions/boardSchema.ts'
import { schemaOfRecords } from '../versions/schemaOfRecords.ts'
import { contentHashOf } from '../versions/contentHash.ts'

/** A board as the main thread hands it over: a live board's Yjs state, or a stored version's record texts. */
export type BoardSource =
  | { state: Uint8Array }
  | { updates: Uint8Array[] }
  | { ndjson: string; outlineText: string | null; schema: SerializedBoardSchema }

/**
 * A board read for a version, as the stores keep it: the records' JSON joined by newlines and their outline's text
 * (serializeOutline), with the hash and counts of SPEC V4. Two strings cross between threads, not 10,000 objects.
 */
export interface BoardSnapshot {
  ndjson: string
  outlineText: string
  records: number
  /** V15: entries of the board that are no records, left out (0 for a stored version). */
  skipped: number
  schema: SerializedBoardSchema
  contentHash: string
  counts: { shapes: number; byType: Record<string, number> }
  /** For a board read from Yjs updates: the Yjs snapshot (state vector and deletions) of what was read. */
  yjsSnapshot?: Uint8Array
}

interface ReadBoard {
  yjsSnapshot?: Uint8Array
  records: BoardRecord[]
  skipped: number
  texts: () => string[]
  outline: () => RecordOutline[]
  schema: SerializedBoardSchema
}

/**
 * A doc holding a board's stored log (the committed board) or its encoded state; rows Yjs cannot read are skipped, as
 * the room skips them when it loads (sync/Room.ts). The caller destroys it.
 */
function docOf(source: { state: Uint8Array } | { updates: readonly Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const update of 'state' in source ? [source.state] : source.updates) {
      try {
        Y.applyUpdate(doc, update)
      } catch {
        // skipped
      }
    }
  })
  return doc
}

/** The records of a board source; texts and outline computed once when asked for. */
function readSource(source: BoardSource): ReadBoard {
  if ('state' in source || 'updates' in source) {
    const doc = docOf(source)
    try {
      // the doc is dropped right after: its own objects need no copy
      const content = readBoardContent(doc, { copy: false })
      const records = content.records
      let texts: string[] | null = null
      let outline: RecordOutline[] | null = null
      return {
        records,
        skipped: content.skipped,
        yjsSnapshot: Y.encodeSnapshot(Y.snapshot(doc)),
        schema: schemaOfRecords(records, content.schema),
        texts: () => (texts ??= records.map((r) => JSON.stringify(r))),
        outline: () => (outline ??= outlineOf(records)),
      }
    } finally {
      doc.destroy()
    }
  }
  const texts = source.ndjson === '' ? [] : source.ndjson.split('\n')
  const records = JSON.parse(`[${texts.join(',')}]`) as BoardRecord[]
  let outline = source.outlineText === null ? null : parseOutline(source.outlineText, records.length)
  return { records, skipped: 0, schema: source.schema, texts: () => texts, outline: () => (outline ??= outlineOf(records)) }
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8')

/** A JSON object text whose `records` member is the given record texts (no parse, no re-stringify). */
function jsonWithRecords(head: Record<string, unknown>, texts: readonly string[]): Uint8Array {
  const open = JSON.stringify(head)
  const prefix = open === '{}' ? '{' : `${open.slice(0, -1)},`
  return utf8(`${prefix}"records":[${texts.join(',')}]}`)
}

/** The snapshot of records already read. */
function snapshotOf(records: readonly BoardRecord[], texts: readonly string[], outline: readonly RecordOutline[], schema: SerializedBoardSchema, yjsSnapshot?: Uint8Array, skipped = 0): BoardSnapshot {
  return {
    ndjson: texts.join('\n'),
    outlineText: serializeOutline(outline),
    records: records.length,
    skipped,
    schema,
    contentHash: contentHashOf(records),
    counts: countShapes(records),
    ...(yjsSnapshot === undefined ? {} : { yjsSnapshot }),
  }
}

/** Hash, counts, texts and outline of a board (save, session end, before-restore, restored). */
function snapshot(input: { source: BoardSource }): BoardSnapshot {
  const board = readSource(input.source)
  return snapshotOf(board.records, board.texts(), board.outline(), board.schema, board.yjsSnapshot, board.skipped)
}

/** The diff answer of SPEC V8 (the shape diff, and the diff in the words of the maps when asked), as JSON bytes. */
function diff(input: { from: BoardSource; to: BoardSource; a: VersionRef; b: VersionRef; semantic: boolean }): { body: Uint8Array } {
  const from = readSource(input.from)
  const to = readSource(input.to)
  const sideFrom = { texts: from.texts(), outline: from.outline() }
  const sideTo = { texts: to.texts(), outline: to.outline() }
  const scope = diffScope(sideFrom, sideTo)
  const body: Record<string, unknown> = { from: input.a, to: input.b, diff: diffBoards(scope.shapes.from, scope.shapes.to) }
  if (input.semantic) {
    body.semantic =
      scope.semantic === null
        ? semanticDiff(from.records, to.records)
        : semanticDiff(scope.semantic.from.map((i) => from.records[i]), scope.semantic.to.map((i) => to.records[i]))
  }
  return { body: utf8(JSON.stringify(body)) }
}

/** The meeting report of a board (issue 10). */
function report(input: { source: BoardSource; data: Omit<ReportData, 'maps' | 'votes'>; format: ReportFormat; locale: Locale }): {
  contentType: string
  body: Uint8Array
} {
  const board = readSource(input.source)
  const rendered = renderReport({ ...input.data, maps: extractMaps(board.records), votes: revealedVotesOf(board.records) }, { format: input.format, locale: input.locale })
  return { contentType: rendered.contentType, body: utf8(rendered.body) }
}

/** A process's history and report (issue 22): every meeting's board read, then the pure history, story and rendering. */
function processReport(input: {
  boards: Array<Omit<ProcessMeetingBoard, 'records'> & { source: BoardSource }>
  notSame: NotSameActor[]
  process: ProcessInfo
  format: ProcessReportFormat
  locale: Locale
  generatedAt: string
}): { contentType: string; body: Uint8Array } {
  const boards: ProcessMeetingBoard[] = input.boards.map(({ source, ...rest }) => ({ ...rest, records: readSource(source).records }))
  const story = processStory(input.process, processHistory(boards, input.notSame), input.locale, input.generatedAt)
  const rendered = renderProcessReport(story, input.format)
  return { contentType: rendered.contentType, body: utf8(rendered.body) }
}

/**
 * A JSON object (an export file, a version's detail) whose `records` are the board's and, when `withSchema`, whose
 * `schema` is the board's; `head` gives the other members in order.
 */
function boardJson(input: { source: BoardSource; head: Record<string, unknown>; withSchema: boolean; wrap?: string }): { body: Uint8Array } {
  const board = readSource(input.source)
  const head = input.withSchema ? { ...input.head, schema: board.schema } : input.head
  if (input.wrap === undefined) return { body: jsonWithRecords(head, board.texts()) }
  // `{ "<wrap>": { ...head, records } }`
  const inner = Buffer.from(jsonWithRecords(head, board.texts())).toString('utf8')
  return { body: utf8(`{${JSON.stringify(input.wrap)}:${inner}}`) }
}

/** A board made from records (restore, copy, import), migrated to the server's schema and checked (SPEC V10). */
export type PreparedRecords =
  | { ok: true; records: BoardRecord[]; schema: SerializedBoardSchema; migrated: boolean; snapshot: BoardSnapshot; update: Uint8Array | null }
  | { ok: false; newerSchema: boolean; problems: BoardProblem[] }

/** prepareBoard, which a malformed schema can make throw (tldraw's migrations): a throw becomes a named problem. */
function prepareSafely(records: readonly unknown[], schema: SerializedBoardSchema) {
  try {
    return prepareBoard(records, schema)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false as const, newerSchema: false, problems: [{ path: 'schema', message: `the records cannot be migrated from this schema (${message})` }] }
  }
}

function prepared(records: readonly unknown[], schema: SerializedBoardSchema, withUpdate: boolean): PreparedRecords {
  const board = prepareSafely(records, schema)
  if (!board.ok) return board
  const texts = board.records.map((r) => JSON.stringify(r))
  return {
    ok: true,
    records: board.records,
    schema: board.schema,
    migrated: board.migrated,
    snapshot: snapshotOf(board.records, texts, outlineOf(board.records), board.schema),
    update: withUpdate && board.records.length > 0 ? encodeBoardUpdate(board.records, board.schema) : null,
  }
}

/**
 * A stored version's records made ready to write into a board (restore: V9, copy: V11): in the server's schema
 * (migrated when the version was made with another one), with the hash and counts of what will be written and, for a
 * new meeting, the Yjs update that builds its board.
 */
function prepareVersion(input: { source: BoardSource; withUpdate: boolean }): PreparedRecords {
  const board = readSource(input.source)
  const ours = serverSerializedSchema()
  if (canonicalJson(board.schema) === canonicalJson(ours)) {
    return {
      ok: true,
      records: board.records,
      schema: board.schema,
      migrated: false,
      snapshot: snapshotOf(board.records, board.texts(), board.outline(), board.schema),
      update: input.withUpdate && board.records.length > 0 ? encodeBoardUpdate(board.records, board.schema) : null,
    }
  }
  return prepared(board.records, board.schema, input.withUpdate)
}

/** What a restore writes (SPEC V9), planned on the committed board: see versionRestore.ts. */
export type RestorePlan =
  | { ok: false; problems: BoardProblem[] }
  | {
      ok: true
      /** The live board as read (its snapshot carries the Yjs snapshot the plan is valid for). */
      live: BoardSnapshot
      /** The version's records as they will be on the board. */
      target: BoardSnapshot
      plan: BoardWritePlan
      /** The target records themselves, only when asked (a board that kept moving is written on the event loop). */
      records: BoardRecord[] | null
    }

/**
 * Plans a restore of version `target` into the live board read from its log: the version migrated to the server's
 * schema, both snapshots (before-restore, restored), and the deletes and appends that turn the live records array
 * into the version's, so that the room's turn only applies them.
 */
function restorePlan(input: { live: BoardSource; target: BoardSource; withRecords: boolean }): RestorePlan {
  const target = prepareVersion({ source: input.target, withUpdate: false })
  if (!target.ok) return { ok: false, problems: target.problems }
  const liveSource = input.live
  if ('ndjson' in liveSource) throw new Error('a restore plans on the live board')
  const doc = docOf(liveSource)
  try {
    const content = readBoardContent(doc, { copy: false })
    const texts = content.records.map((r) => JSON.stringify(r))
    const live = snapshotOf(content.records, texts, outlineOf(content.records), schemaOfRecords(content.records, content.schema), Y.encodeSnapshot(Y.snapshot(doc)), content.skipped)
    const plan = planBoardWrite(doc.getArray<unknown>(RECORDS_ARRAY).toArray(), doc.getMap<unknown>(META_MAP).get(SCHEMA_KEY), target.records, target.schema)
    return { ok: true, live, target: target.snapshot, plan, records: input.withRecords ? target.records : null }
  } finally {
    doc.destroy()
  }
}

/** Bounds an import file is held to: the same as a live board's (sync/limits.ts, updateScan.ts). */
export interface ImportLimits {
  /** Records a board may hold. */
  maxRecords: number
  /** Encoded size a board may reach (MAX_BOARD_BYTES). */
  maxBoardBytes: number
  /** Nesting of any JSON value (MAX_VALUE_DEPTH of a live update, plus the file's own levels). */
  maxDepth: number
}

/** What an import file turned into: a board to create, or why it is refused (the router's 400 / 422 answer). */
export type ImportOutcome =
  | {
      ok: true
      meeting: unknown
      records: number
      migrated: boolean
      schema: SerializedBoardSchema
      snapshot: BoardSnapshot
      update: Uint8Array | null
    }
  | { ok: false; code: 'invalid_json' | 'invalid_body' | 'unsupported_schema'; message: string; details?: Array<{ path: string; message: string }> }

/** Levels an export file adds above a record's own JSON: the file, `records`, the record. */
const FILE_LEVELS = 3

const refuse = (code: Extract<ImportOutcome, { ok: false }>['code'], message: string, details?: Array<{ path: string; message: string }>): ImportOutcome =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details }

/**
 * An import file (SPEC V10), given as its raw JSON bytes or already parsed: bounded (nesting, record count, board
 * size) before anything costly, then checked, migrated and encoded. Every bad file is refused with a named problem.
 */
function importFile(input: { body: Uint8Array | { parsed: unknown }; limits: ImportLimits }): ImportOutcome {
  const { limits } = input
  let parsed: unknown
  if (input.body instanceof Uint8Array) {
    const text = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength).toString('utf8')
    // nesting first: it is counted without parsing, and a deep value is what makes parsers and validators overflow
    const depth = jsonDepth(text)
    if (depth > limits.maxDepth + FILE_LEVELS) {
      return refuse('invalid_body', `invalid import file: values nest ${depth} levels deep; a board allows ${limits.maxDepth}`)
    }
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      return refuse('invalid_json', `the import file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
    }
  } else {
    parsed = input.body.parsed
    const tooDeep = deeperThan(parsed, limits.maxDepth + FILE_LEVELS)
    if (tooDeep) return refuse('invalid_body', `invalid import file: values nest deeper than ${limits.maxDepth} levels`)
  }
  // before zod: its record() copy would turn a "__proto__" member into the copy's prototype, and hide it
  const rawSchema = (parsed as { schema?: unknown } | null)?.schema
  if (typeof rawSchema === 'object' && rawSchema !== null) {
    const problem = schemaShapeProblem(rawSchema as SerializedBoardSchema)
    if (problem !== null) return refuse('invalid_body', `invalid import file: schema: ${problem}`, [{ path: 'schema', message: problem }])
  }
  const records = (parsed as { records?: unknown } | null)?.records
  if (Array.isArray(records) && records.length > limits.maxRecords) {
    return refuse('invalid_body', `invalid import file: it holds ${records.length} records; a board holds at most ${limits.maxRecords}`)
  }
  const file = BoardExportFileSchema.safeParse(parsed)
  if (!file.success) {
    const details = file.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
    return refuse('invalid_body', `invalid import file: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details)
  }
  const data = file.data
  if (data.formatVersion > EXPORT_FORMAT_VERSION) {
    return refuse('unsupported_schema', `the file has format version ${data.formatVersion}; this Tavolo reads up to ${EXPORT_FORMAT_VERSION}: update Tavolo`)
  }
  // ExportedMeetingSchema kept only the meeting's written fields (zod strips the rest): check them as a new meeting.
  const meeting = MeetingInputSchema.safeParse(data.meeting)
  if (!meeting.success) {
    const details = meeting.error.issues.map((i) => ({ path: ['meeting', ...i.path.map(String)].join('.'), message: i.message }))
    return refuse('invalid_body', `invalid import file: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details)
  }
  const schemaProblem = schemaShapeProblem(data.schema)
  if (schemaProblem !== null) return refuse('invalid_body', `invalid import file: schema: ${schemaProblem}`, [{ path: 'schema', message: schemaProblem }])
  const board = prepared(data.records, data.schema, true)
  if (!board.ok) {
    const summary = board.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')
    const more = board.problems.length > 3 ? ` (and ${board.problems.length - 3} more)` : ''
    return board.newerSchema
      ? refuse('unsupported_schema', `the file was made by a newer tldraw than this server's, it cannot be imported here: ${summary}${more}`, board.problems)
      : refuse('invalid_body', `invalid import file: ${summary}${more}`, board.problems)
  }
  const bytes = board.update?.byteLength ?? 0
  if (bytes > limits.maxBoardBytes) {
    return refuse('invalid_body', `invalid import file: its board takes ${bytes} bytes; a board may take at most ${limits.maxBoardBytes} (MAX_BOARD_BYTES)`)
  }
  return { ok: true, meeting: meeting.data, records: board.records.length, migrated: board.migrated, schema: board.schema, snapshot: board.snapshot, update: board.update }
}

/**
 * What tldraw's migrations need of a serialized schema before they run: version 2 with a `sequences` object of
 * plain numbers (version 1 files are older than any Tavolo; a `__proto__` or missing member would throw inside them).
 */
function schemaShapeProblem(schema: SerializedBoardSchema): string | null {
  const s = schema as { schemaVersion?: unknown; sequences?: unknown }
  if (s.schemaVersion !== 2) return `schemaVersion ${JSON.stringify(s.schemaVersion)} is not supported (Tavolo writes 2)`
  if (typeof s.sequences !== 'object' || s.sequences === null || Array.isArray(s.sequences)) return 'sequences must be an object'
  for (const key of Object.keys(s.sequences)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `"${key}" is not a sequence name`
    const version = (s.sequences as Record<string, unknown>)[key]
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return `sequences.${key} must be a version number`
  }
  return null
}

/** True when a parsed value nests deeper than `limit` (iterative: a deep value must not overflow the stack here). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth > limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

/** The jobs of the pool, by name. */
export const BOARD_JOBS = { snapshot, diff, report, processReport, boardJson, prepareVersion, restorePlan, importFile }
export type BoardJobs = typeof BOARD_JOBS
export type JobName = keyof BoardJobs

/** The ArrayBuffers of a job's answer that can move to the other thread instead of being copied. */
export function transferablesOf(output: unknown): ArrayBuffer[] {
  if (typeof output !== 'object' || output === null) return []
  const found: ArrayBuffer[] = []
  for (const value of Object.values(output)) {
    if (value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer) {
      found.push(value.buffer)
    }
  }
  return found
}
