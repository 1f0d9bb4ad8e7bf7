import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import type { Logger } from 'pino'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { META_MAP, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { countShapes } from '../../../shared/src/versions/boardDiff.ts'
import { canonicalJson, canonicalRecordsJson } from '../../../shared/src/versions/canonicalJson.ts'
import { diffScope, type DiffSide } from '../../../shared/src/versions/diffScope.ts'
import { outlineOf } from '../../../shared/src/versions/recordOutline.ts'
import type {
  BoardRecord,
  SerializedBoardSchema,
  VersionAuthor,
  VersionDetail,
  VersionKind,
  VersionSummary,
} from '../../../shared/src/versions/versionSchemas.ts'
import type { MeetingFactory } from '../meetings/meetingFactory.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import type { DocStore } from '../store/DocStore.ts'
import { encodeBoardUpdate, readBoardContent, writeBoardRecords, type BoardContent } from './boardDocRecords.ts'
import { serverSerializedSchema } from '../board/tldrawSchema.ts'
import { prepareBoard, type BoardProblem } from './boardSchema.ts'
import type { NewVersion, RestoreIntent, VersionStore } from './VersionStore.ts'

/** What the versions need of the sync server's rooms (RoomManager implements it). */
export interface BoardRooms {
  /**
   * Runs `fn` on the board's live doc once every update applied so far is committed, loading the room without any
   * connection when it is not loaded, and resolves after what `fn` changed is committed and relayed.
   */
  withBoardDoc<T>(boardId: BoardId, fn: (doc: Y.Doc) => T): Promise<T>
}

/** The transaction origin of a restore: a server change, so the lock guard lets it through (G1) and all clients get it. */
export const RESTORE_ORIGIN = { kind: 'server', reason: 'restore' } as const

/** The doc's own Yjs client and the clock its next struct gets: what a restore intent names (VersionStore.ts). */
function writerOf(doc: Y.Doc): RestoreIntent['writer'] {
  return { clientId: doc.clientID, clock: Y.getState(doc.store, doc.clientID) }
}

/** After this many rounds of a board that keeps moving under a restore, the restore gives up (409). */
const RESTORE_ATTEMPTS = 10

/** A refusal the router turns into a 4xx. */
export class VersionError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_body' | 'conflict',
    message: string,
    readonly details?: BoardProblem[],
  ) {
    super(message)
    this.name = 'VersionError'
  }
}

/** SHA-256 (hex) of the canonical JSON of the records (SPEC V4); `canonicalOf` may answer from a cache. */
export function contentHashOf(records: ReadonlyArray<{ id: string }>, canonicalOf?: (record: { id: string }) => string): string {
  return createHash('sha256').update(canonicalRecordsJson(records, canonicalOf), 'utf8').digest('hex')
}

/**
 * Canonical JSON per record object, remembered for as long as the object lives. The live doc's record values are
 * immutable objects that Yjs keeps until the record changes, so hashing a 10,000-record board again after 50 edits
 * canonicalises 50 records, not 10,000.
 */
function cachedCanonical(): (record: { id: string }) => string {
  return cachedText(canonicalJson)
}

/** A text of each object (its JSON, its canonical JSON), computed once per object while it lives. */
function cachedText(toText: (value: object) => string): (record: { id: string }) => string {
  const cache = new WeakMap<object, string>()
  return (record) => {
    let text = cache.get(record)
    if (text === undefined) {
      text = toText(record)
      cache.set(record, text)
    }
    return text
  }
}

/** Up to this many parsed versions, and at most this many records in all, stay in memory after a read. */
const RECENT_VERSIONS = 6
const RECENT_RECORDS = 40_000

/**
 * Freezes the version and its records array (not every record: deep-freezing 10,000 records costs as much as parsing
 * them). Callers read cached records and copy what they hand on (writeBoardRecords, the stores, JSON answers).
 */
function freezeShallow(version: VersionDetail): VersionDetail {
  Object.freeze(version.records)
  return Object.freeze(version)
}

/** A least-recently-used cache of parsed, frozen versions, bounded by count and by records held. */
function recentVersions() {
  const entries = new Map<string, VersionDetail>()
  let records = 0
  const keyOf = (meetingId: MeetingId, number: number) => `${meetingId}/${number}`
  return {
    get(meetingId: MeetingId, number: number): VersionDetail | undefined {
      const key = keyOf(meetingId, number)
      const hit = entries.get(key)
      if (hit !== undefined) {
        entries.delete(key)
        entries.set(key, hit)
      }
      return hit
    },
    put(meetingId: MeetingId, number: number, version: VersionDetail): VersionDetail {
      const frozen = freezeShallow(version)
      if (version.records.length > RECENT_RECORDS) return frozen
      entries.set(keyOf(meetingId, number), frozen)
      records += version.records.length
      for (const [key, old] of entries) {
        if (entries.size <= RECENT_VERSIONS && records <= RECENT_RECORDS) break
        entries.delete(key)
        records -= old.records.length
      }
      return frozen
    },
    /** Forgets a meeting's versions (when they are deleted). */
    forget(meetingId: MeetingId): void {
      for (const [key, old] of entries) {
        if (key.startsWith(`${meetingId}/`)) {
          entries.delete(key)
          records -= old.records.length
        }
      }
    },
  }
}

/** Board content with what a version needs of it. */
interface Snapshot {
  records: BoardRecord[]
  /** V15: entries of the board that are no records, left out (0 for a stored version). */
  skipped: number
  schema: SerializedBoardSchema
  contentHash: string
  counts: VersionSummary['counts']
}

/**
 * V1, V16: the schema a version is stored with is one its records satisfy. The doc's `meta.schema` normally is (every
 * client writes its schema with its records), but a board written before sync rule R17 may hold a schema that lies
 * (every sequence at 0: migrating current records through every migration fails, so the version could never be
 * restored or copied). When the records do not migrate from the doc's schema but are valid as they are under the
 * server's, the server's is stored. Only boards whose schema is not the server's pay for the check.
 */
function schemaOfRecords(records: readonly BoardRecord[], docSchema: SerializedBoardSchema | null): SerializedBoardSchema {
  const ours = serverSerializedSchema()
  if (docSchema === null || canonicalJson(docSchema) === canonicalJson(ours)) return ours
  if (prepareBoard(records, docSchema).ok) return docSchema
  return prepareBoard(records, ours).ok ? ours : docSchema
}

function snapshotOf(content: BoardContent, canonicalOf?: (record: { id: string }) => string): Snapshot {
  return {
    records: content.records,
    skipped: content.skipped,
    schema: schemaOfRecords(content.records, content.schema),
    contentHash: contentHashOf(content.records, canonicalOf),
    counts: countShapes(content.records),
  }
}

/** Labels of the versions the server makes (stored data; Italian, the product's first language). */
export const AUTOMATIC_LABELS = {
  sessionEnd: 'Fine sessione',
  beforeRestore: (k: number) => `Prima del ripristino della versione ${k}`,
  restored: (k: number) => `Ripristino della versione ${k}`,
  imported: 'Importata da file',
  copied: (n: number, title: string) => `Copia della versione ${n} di «${title}»`,
}

export interface VersionServiceOptions {
  versions: VersionStore
  meetings: MeetingStore
  docStore: DocStore
  rooms: () => BoardRooms
  /** Import and copy create their meeting through it, and so spend MEETINGS_PER_MINUTE (meetings SPEC M5, Q2). */
  factory: MeetingFactory
  logger: Logger
  now?: () => Date
}

export interface NewMeeting {
  stored: StoredMeeting
  version: VersionSummary
}

/**
 * The version operations (server/src/versions/SPEC.md), independent of HTTP: saving (manual, session end), restoring,
 * reading live or stored boards, and making a new meeting from a board (import, copy).
 */
export function createVersionService(options: VersionServiceOptions) {
  const { versions, meetings, docStore, logger } = options
  const now = options.now ?? (() => new Date())
  const log = logger.child({ component: 'versions' })

  const canonicalOf = cachedCanonical()
  const jsonOf = cachedText(JSON.stringify)
  /**
   * The live board, read in the room's turn: its records are the doc's own objects (V2: only read, hashed and
   * serialised by the store, never kept or changed), hashed through the cache.
   */
  const readLive = (doc: Y.Doc): Snapshot => snapshotOf(readBoardContent(doc, { copy: false }), canonicalOf)
  const liveSnapshot = (meetingId: MeetingId): Promise<Snapshot> => options.rooms().withBoardDoc(meetingId, readLive)

  const newVersion = (
    snapshot: Snapshot,
    fields: { label: string; note?: string | null; kind: VersionKind; author: VersionAuthor | null; restoredFrom?: number | null },
  ): NewVersion => ({
    label: fields.label,
    note: fields.note ?? null,
    kind: fields.kind,
    author: fields.author,
    createdAt: now().toISOString(),
    contentHash: snapshot.contentHash,
    counts: snapshot.counts,
    restoredFrom: fields.restoredFrom ?? null,
    schema: snapshot.schema,
    records: snapshot.records,
  })

  /** V6: a session-end version only when the board changed since the latest version (or has shapes and no version). */
  const saveSessionEnd = async (meetingId: MeetingId, snapshot: Snapshot, author: VersionAuthor | null) => {
    const latest = await versions.latest(meetingId)
    if (latest === null && snapshot.counts.shapes === 0) return { version: null, created: false }
    const result = await versions.addIfChanged(meetingId, newVersion(snapshot, { label: AUTOMATIC_LABELS.sessionEnd, kind: 'session-end', author }))
    if (result.created) log.info({ meetingId, number: result.version.number, author: author?.role ?? 'automatic' }, 'session-end version saved')
    return result
  }

  const recent = recentVersions()
  /**
   * Reads a stored version, or throws not_found. The answer is frozen and may come from a small cache of the
   * versions read last (versions are immutable: a staff member stepping through versions and diffs reads the same
   * ones again); callers only read it, and copy what they hand on.
   */
  const getVersion = async (meetingId: MeetingId, number: number): Promise<VersionDetail> => {
    const cached = recent.get(meetingId, number)
    if (cached !== undefined) return cached
    const version = await versions.get(meetingId, number)
    if (version === null) throw new VersionError('not_found', `this meeting has no version ${number}`)
    return recent.put(meetingId, number, version)
  }

  /** The records of version k in the server's schema (migrated when it was made with another one). */
  const recordsToRestore = (version: VersionDetail): { records: BoardRecord[]; schema: SerializedBoardSchema } => {
    const ours = serverSerializedSchema()
    if (canonicalJson(version.schema) === canonicalJson(ours)) return { records: version.records, schema: version.schema }
    const prepared = prepareBoard(version.records, version.schema)
    if (!prepared.ok) {
      throw new VersionError('conflict', `version ${version.number} cannot be restored on this server: ${prepared.problems[0]?.message ?? ''}`, prepared.problems)
    }
    return { records: prepared.records, schema: prepared.schema }
  }

  /**
   * V9 crash safety: settles a restore intent left behind, from the live board as it is now. The restore happened
   * when the board is version k's records, or when the doc holds a struct its writer made from the intent's clock on
   * (the restore's own update, even under later edits); then its `restored` version is added, with version k's records
   * (what the restore wrote) and the intent's time. Otherwise the write never became durable: the board is the old
   * one, already saved as `before-restore` or unchanged, and the intent is dropped.
   */
  const settleRestore = async (intent: RestoreIntent): Promise<'completed' | 'dropped'> => {
    const { meetingId } = intent
    if ((await meetings.get(meetingId)) === null) {
      await versions.abandonRestore(meetingId, intent.id)
      return 'dropped'
    }
    const seen = await options.rooms().withBoardDoc(meetingId, (doc) => ({
      hash: readLive(doc).contentHash,
      written: Y.getState(doc.store, intent.writer.clientId) > intent.writer.clock,
    }))
    if (seen.hash !== intent.targetHash && !seen.written) {
      await versions.abandonRestore(meetingId, intent.id)
      log.info({ meetingId, restoredFrom: intent.restoredFrom }, 'an interrupted restore never reached the board: dropped')
      return 'dropped'
    }
    const target = recordsToRestore(await getVersion(meetingId, intent.restoredFrom))
    const snapshot: Snapshot = { records: target.records, skipped: 0, schema: target.schema, contentHash: intent.targetHash, counts: countShapes(target.records) }
    const version = await versions.completeRestore(meetingId, intent.id, {
      ...newVersion(snapshot, { label: AUTOMATIC_LABELS.restored(intent.restoredFrom), kind: 'restored', author: intent.author, restoredFrom: intent.restoredFrom }),
      createdAt: intent.createdAt,
    })
    log.info({ meetingId, restoredFrom: intent.restoredFrom, number: version?.number }, 'an interrupted restore completed: restored version added')
    return 'completed'
  }

  /**
   * Creates a meeting whose board is `records` and whose version 1 is `imported` (SPEC V11). The meeting row is the
   * commit point: the board's doc and its version are written first under the new, still unknown id (no route or
   * socket reaches them), then the meeting; a failure before that removes them again.
   */
  const createMeetingFromBoard = async (
    fields: MeetingFields,
    records: BoardRecord[],
    schema: SerializedBoardSchema,
    version: { label: string; note: string | null; author: VersionAuthor | null },
  ): Promise<NewMeeting> => {
    const snapshot: Snapshot = { records, skipped: 0, schema, contentHash: contentHashOf(records), counts: countShapes(records) }
    const made: { first?: VersionSummary } = {}
    const stored = await options.factory.create(fields, {
      prepare: async (id) => {
        if (records.length > 0) await docStore.append(id, [encodeBoardUpdate(records, schema)])
        made.first = await versions.add(id, newVersion(snapshot, { ...version, kind: 'imported' }))
      },
      undo: (id) => Promise.allSettled([docStore.delete(id), versions.deleteAllOf(id)]),
    })
    log.info({ meetingId: stored.meeting.id, records: records.length }, 'meeting created from a board')
    if (made.first === undefined) throw new Error('the meeting was created without its first version')
    return { stored, version: made.first }
  }

  /** The records and schema of a version number, or of the live board. */
  const boardOf = async (
    meetingId: MeetingId,
    ref: number | 'live',
  ): Promise<{ records: BoardRecord[]; schema: SerializedBoardSchema; version: VersionDetail | null }> => {
    if (ref === 'live') {
      // no hash or counts needed here: the doc's records as they are (read-only, V2)
      const live = await options.rooms().withBoardDoc(meetingId, (doc) => readBoardContent(doc, { copy: false }))
      return { records: live.records, schema: live.schema ?? serverSerializedSchema(), version: null }
    }
    const version = await getVersion(meetingId, ref)
    return { records: version.records, schema: version.schema, version }
  }

  /**
   * One side of a diff: each record's text and outline, the record at a position (parsed on demand) and all of them
   * (a stored version through the cache of parsed versions; the live board as read here, once).
   */
  const diffSideOf = async (
    meetingId: MeetingId,
    ref: number | 'live',
  ): Promise<DiffSide & { record: (i: number) => BoardRecord; all: () => Promise<BoardRecord[]> }> => {
    if (ref === 'live') {
      const live = await options.rooms().withBoardDoc(meetingId, (doc) => readBoardContent(doc, { copy: false }))
      const records = live.records
      return { texts: records.map(jsonOf), outline: outlineOf(records), record: (i) => records[i]!, all: async () => records }
    }
    const stored = await versions.getRecordTexts(meetingId, ref)
    if (stored === null) throw new VersionError('not_found', `this meeting has no version ${ref}`)
    const texts = stored.texts
    return {
      texts,
      outline: stored.outline,
      record: (i) => JSON.parse(texts[i]!) as BoardRecord,
      all: async () => (await getVersion(meetingId, ref)).records,
    }
  }

  return {
    liveSnapshot,
    getVersion,

    /** V5: saves the live board, or answers the latest version when its content hash is the same. */
    async save(meetingId: MeetingId, input: { label: string; note: string | null; author: VersionAuthor }) {
      const snapshot = await liveSnapshot(meetingId)
      const result = await versions.addIfChanged(meetingId, newVersion(snapshot, { ...input, kind: 'manual' }))
      if (result.created) log.info({ meetingId, number: result.version.number }, 'version saved')
      if (snapshot.skipped > 0) log.warn({ meetingId, skippedEntries: snapshot.skipped }, 'the board holds entries that are no records: left out of the version')
      return snapshot.skipped > 0 ? { ...result, skippedEntries: snapshot.skipped } : result
    },

    /** V6: "Chiudi sessione". */
    async closeSession(meetingId: MeetingId, author: VersionAuthor) {
      return saveSessionEnd(meetingId, await liveSnapshot(meetingId), author)
    },

    /**
     * V6: the RoomManager's hook, called after the grace period of a board that an editing connection used, before it
     * unloads. Reads the doc as it is (committed: the manager flushed it) and never throws.
     */
    async onBoardIdle(boardId: BoardId, doc: Y.Doc): Promise<void> {
      try {
        const meetingId = boardId as MeetingId
        // read at once; Yjs never changes a value object it handed out, so the snapshot stays as read
        const snapshot = readLive(doc)
        if ((await meetings.get(meetingId)) === null) return
        await saveSessionEnd(meetingId, snapshot, null)
      } catch (error) {
        log.error({ err: error, boardId }, 'could not save the session-end version')
      }
    },

    /**
     * V9: saves the live board as `before-restore` (unless unchanged), changes the live doc forward to version k in one
     * transaction through its room, then records a `restored` version.
     */
    async restore(meetingId: MeetingId, k: number, author: VersionAuthor) {
      const source = await getVersion(meetingId, k)
      const target = recordsToRestore(source)
      // the version's own hash, unless migration changed its records
      const targetHash = target.records === source.records ? source.contentHash : contentHashOf(target.records)
      const rooms = options.rooms()
      let beforeRestore: VersionSummary | null = null
      let intent: RestoreIntent
      let repairedEntries: number
      // An edit arriving between saving the live board and changing it would be lost from both: if the doc moved in
      // between, save again (a few rounds at most; edits are rare compared with the milliseconds this takes).
      for (let attempt = 0; ; attempt++) {
        const { live, seen, writer } = await rooms.withBoardDoc(meetingId, (doc) => ({ live: readLive(doc), seen: Y.snapshot(doc), writer: writerOf(doc) }))
        // V15: a board holding entries that are no records is written even when its records equal version k's, so
        // that the restore removes them (writeBoardRecords keeps only readable entries)
        if (live.contentHash === targetHash && live.skipped === 0) {
          const latest = (await versions.latest(meetingId)) ?? source
          return { version: latest, beforeRestore: null, restoredFrom: k, changed: false }
        }
        const saved = await versions.addIfChanged(
          meetingId,
          newVersion(live, { label: AUTOMATIC_LABELS.beforeRestore(k), kind: 'before-restore', author }),
        )
        if (saved.created) beforeRestore = saved.version
        repairedEntries = live.skipped
        // durable before the doc changes: a crash from here on is settled at the next start (settleRestore)
        intent = await versions.beginRestore(meetingId, { restoredFrom: k, targetHash, author, createdAt: now().toISOString(), writer })
        const pending = intent
        let written: ReturnType<typeof writeBoardRecords> | null
        try {
          written = await rooms.withBoardDoc(meetingId, (doc) => {
            // the intent names this doc's client and clock: a reloaded room or a server write since would make it wrong
            const current = writerOf(doc)
            if (current.clientId !== writer.clientId || current.clock !== writer.clock) return null
            if (attempt < 3 && !Y.equalSnapshots(Y.snapshot(doc), seen)) return null
            let counts: ReturnType<typeof writeBoardRecords> | null = null
            doc.transact(() => {
              counts = writeBoardRecords(doc, target.records, target.schema)
              // A restore that only removes records makes no struct (deletions carry no client), and the recovery
              // would then know it only by the board's hash: writing the same schema again marks the update as ours.
              if (Y.getState(doc.store, doc.clientID) === writer.clock) doc.getMap<unknown>(META_MAP).set(SCHEMA_KEY, structuredClone(target.schema))
            }, RESTORE_ORIGIN)
            return counts
          })
        } catch (error) {
          // the write may or may not be durable: the board says which, now or at the next start
          await settleRestore(pending).catch((settleError: unknown) => log.error({ err: settleError, meetingId }, 'restore left for the next start'))
          throw error
        }
        if (written === null) {
          await versions.abandonRestore(meetingId, pending.id)
          if (attempt + 1 >= RESTORE_ATTEMPTS) throw new VersionError('conflict', 'the board kept changing during the restore; try again')
          continue
        }
        log.info({ meetingId, restoredFrom: k, ...(written as object) }, 'version restored into the live board')
        break
      }
      const after = await liveSnapshot(meetingId)
      const recorded = await versions.completeRestore(
        meetingId,
        intent.id,
        newVersion(after, { label: AUTOMATIC_LABELS.restored(k), kind: 'restored', author, restoredFrom: k }),
      )
      // null only when something else settled the intent first (it then added the restored version)
      const version = recorded ?? (await versions.latest(meetingId)) ?? source
      if (repairedEntries > 0) log.warn({ meetingId, repairedEntries }, 'entries that were no records removed from the board by the restore')
      return { version, beforeRestore, restoredFrom: k, changed: true, ...(repairedEntries > 0 ? { repairedEntries } : {}) }
    },

    /**
     * V9 crash safety: settles every restore intent a previous process left behind (main.ts, before the server listens,
     * so that no edit reaches a board between the crash and this). A failure is logged and left for the next start.
     */
    async completeInterruptedRestores(): Promise<{ completed: number; dropped: number; failed: number }> {
      const outcome = { completed: 0, dropped: 0, failed: 0 }
      for (const intent of await versions.pendingRestores()) {
        try {
          outcome[await settleRestore(intent)] += 1
        } catch (error) {
          outcome.failed += 1
          log.error({ err: error, meetingId: intent.meetingId, restoredFrom: intent.restoredFrom }, 'could not settle an interrupted restore; tried again at the next start')
        }
      }
      return outcome
    },

    boardOf,

    /**
     * What the diff of two boards (V8) reads: the texts by id of the records the shape diff needs and, when
     * `withSemantic`, the records the semantic diff needs (diffScope.ts), plain JSON, read-only. Stored versions
     * decompress without parsing, and only the records in scope are parsed; the live board's texts are cached per
     * record object. When a frame differs the semantic diff gets both whole boards.
     */
    async compare(meetingId: MeetingId, a: number | 'live', b: number | 'live', withSemantic: boolean) {
      const [from, to] = await Promise.all([diffSideOf(meetingId, a), diffSideOf(meetingId, b)])
      const scope = diffScope(from, to)
      let records: { from: BoardRecord[]; to: BoardRecord[] } | null = null
      if (withSemantic) {
        if (scope.semantic === null) {
          const [before, after] = await Promise.all([from.all(), to.all()])
          records = { from: before, to: after }
        } else {
          records = { from: scope.semantic.from.map(from.record), to: scope.semantic.to.map(to.record) }
        }
      }
      return { texts: scope.shapes, records }
    },

    /** V11: "Apri come nuova riunione": a new meeting (new keys) whose board is version n of this one. */
    async copy(source: StoredMeeting, n: number, author: VersionAuthor, fields: MeetingFields) {
      const version = await getVersion(source.meeting.id as MeetingId, n)
      const board = recordsToRestore(version)
      return createMeetingFromBoard(fields, board.records, board.schema, {
        label: AUTOMATIC_LABELS.copied(n, source.meeting.title),
        note: null,
        author,
      })
    },

    /** Deletes every version of a meeting (meeting deletion, V1): through here, so that no cached copy outlives it. */
    async deleteAllOf(meetingId: MeetingId): Promise<number> {
      recent.forget(meetingId)
      return versions.deleteAllOf(meetingId)
    },

    /** V10: a new meeting from an import file's board (already validated and migrated by prepareBoard). */
    async importBoard(fields: MeetingFields, records: BoardRecord[], schema: SerializedBoardSchema, author: VersionAuthor | null) {
      return createMeetingFromBoard(fields, records, schema, { label: AUTOMATIC_LABELS.imported, note: null, author })
    },
  }
}

export type VersionService = ReturnType<typeof createVersionService>
