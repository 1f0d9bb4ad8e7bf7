import type * as Y from 'yjs'
import type { Logger } from 'pino'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { VersionAuthor, VersionRef, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import type { MeetingFactory } from '../meetings/meetingFactory.ts'
import type { MeetingFields, MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import type { DocStore } from '../store/DocStore.ts'
import type { BoardSnapshot } from '../work/boardJobs.ts'
import { FACILITATION_MAP } from '../../../shared/src/facilitation/facilitationDoc.ts'
import { RESTORED_KEY, SESSION_KEY, readSessionState, type RestoreNotice, type SessionState } from '../../../shared/src/facilitation/session.ts'
import { createInlineBoardWork, type BoardWork } from '../work/workerPool.ts'
import { createBoardReader, newVersionOf, type BoardRooms } from './boardReader.ts'
import { createVersionCache } from './versionCache.ts'
import { AUTOMATIC_LABELS, createVersionRestorer } from './versionRestore.ts'
import { VersionError } from './versionError.ts'
import type { VersionStore } from './VersionStore.ts'

export type { BoardRooms } from './boardReader.ts'
export { contentHashOf } from './contentHash.ts'
export { VersionError } from './versionError.ts'
export { AUTOMATIC_LABELS, RESTORE_ORIGIN } from './versionRestore.ts'

export interface VersionServiceOptions {
  versions: VersionStore
  meetings: MeetingStore
  docStore: DocStore
  rooms: () => BoardRooms
  /** Import and copy create their meeting through it, and so spend MEETINGS_PER_MINUTE (meetings SPEC M5, Q2). */
  factory: MeetingFactory
  logger: Logger
  /** Where the heavy pure work runs (main.ts: the worker pool); default: on the calling thread (unit tests). */
  work?: BoardWork
  now?: () => Date
}

/** The origin of the session's writes into the facilitation state (SE1, SE3): a server change, trusted by every guard. */
export const SESSION_ORIGIN = { kind: 'server', reason: 'session' } as const

export interface NewMeeting {
  stored: StoredMeeting
  version: VersionSummary
}

/** A board to make a new meeting from (import, copy): its snapshot and the Yjs update that builds it (null: empty). */
export interface NewBoard {
  snapshot: BoardSnapshot
  update: Uint8Array | null
}

/**
 * The version operations (server/src/versions/SPEC.md), independent of HTTP: saving (manual, session end), restoring
 * (versionRestore.ts), reading live or stored boards for the routers (boardReader.ts), and making a new meeting from
 * a board (import, copy). The heavy pure work runs in `work` (the worker pool).
 */
export function createVersionService(options: VersionServiceOptions) {
  const { versions, meetings, docStore, logger } = options
  const now = options.now ?? (() => new Date())
  const work = options.work ?? createInlineBoardWork()
  const log = logger.child({ component: 'versions' })
  const cache = createVersionCache()
  const reader = createBoardReader({ versions, docStore, rooms: options.rooms, work, cache })
  const restorer = createVersionRestorer({ versions, meetings, rooms: options.rooms, work, reader, logger: log, now })

  /** V6: a session-end version only when the board changed since the latest version (or has shapes and no version). */
  const saveSessionEnd = async (meetingId: MeetingId, snapshot: BoardSnapshot, author: VersionAuthor | null) => {
    const latest = await versions.latest(meetingId)
    if (latest === null && snapshot.counts.shapes === 0) return { version: null, created: false }
    const result = await versions.addIfChanged(
      meetingId,
      newVersionOf(snapshot, { label: AUTOMATIC_LABELS.sessionEnd, kind: 'session-end', author, createdAt: now().toISOString() }),
    )
    if (result.created) log.info({ meetingId, number: result.version.number, author: author?.role ?? 'automatic' }, 'session-end version saved')
    return result
  }

  /** SE1: the session state, written into the board's facilitation state as one server transaction. */
  const writeSession = async (meetingId: MeetingId, session: SessionState): Promise<SessionState> => {
    await options.rooms().withBoardDoc(meetingId, (doc) => {
      doc.transact(() => doc.getMap<unknown>(FACILITATION_MAP).set(SESSION_KEY, session), SESSION_ORIGIN)
    })
    return session
  }

  /**
   * Creates a meeting whose board is `board` and whose version 1 is `imported` (SPEC V11). The meeting row is the
   * commit point: the board's doc and its version are written first under the new, still unknown id (no route or
   * socket reaches them), then the meeting; a failure before that removes them again.
   */
  const createMeetingFromBoard = async (
    fields: MeetingFields,
    board: NewBoard,
    version: { label: string; note: string | null; author: VersionAuthor | null; kind?: 'imported' | 'continued' },
    countsTowardQuota = true,
  ): Promise<NewMeeting> => {
    const made: { first?: VersionSummary } = {}
    const stored = await options.factory.create(fields, {
      countsTowardQuota,
      prepare: async (id) => {
        if (board.update !== null) await docStore.append(id, [board.update])
        made.first = await versions.add(id, newVersionOf(board.snapshot, { ...version, kind: version.kind ?? 'imported', createdAt: now().toISOString() }))
      },
      undo: (id) => Promise.allSettled([docStore.delete(id), versions.deleteAllOf(id)]),
    })
    log.info({ meetingId: stored.meeting.id, records: board.snapshot.records }, 'meeting created from a board')
    if (made.first === undefined) throw new Error('the meeting was created without its first version')
    return { stored, version: made.first }
  }

  return {
    /** The worker pool (or inline work) the routers hand their jobs to. */
    work,
    /** The live board's snapshot (hash, counts, texts, outline), made off the event loop. */
    liveSnapshot: reader.liveSnapshot,
    /** A board to hand to a job of the pool: the live board or version `ref` (with its summary), or not_found. */
    sourceOf: reader.sourceOf,

    /** V5: saves the live board, or answers the latest version when its content hash is the same. */
    async save(meetingId: MeetingId, input: { label: string; note: string | null; author: VersionAuthor }) {
      const snapshot = await reader.liveSnapshot(meetingId)
      const result = await versions.addIfChanged(meetingId, newVersionOf(snapshot, { ...input, kind: 'manual', createdAt: now().toISOString() }))
      if (result.created) log.info({ meetingId, number: result.version.number }, 'version saved')
      if (snapshot.skipped > 0) log.warn({ meetingId, skippedEntries: snapshot.skipped }, 'the board holds entries that are no records: left out of the version')
      return snapshot.skipped > 0 ? { ...result, skippedEntries: snapshot.skipped } : result
    },

    /**
     * V6, SE1: "Chiudi sessione". The session is closed in the board first, so that no participant's change can land
     * after the snapshot and miss the session-end version; the version it saved (or the latest) is then named in the
     * closed state. Closing a closed session saves again only what the facilitator changed since (V5).
     */
    async closeSession(meetingId: MeetingId, author: VersionAuthor) {
      await writeSession(meetingId, { state: 'closed', changedAt: now().toISOString(), version: null })
      const result = await saveSessionEnd(meetingId, await reader.liveSnapshot(meetingId), author)
      const version = result.version?.number ?? (await versions.latest(meetingId))?.number ?? null
      const session = await writeSession(meetingId, { state: 'closed', changedAt: now().toISOString(), version })
      log.info({ meetingId, version }, 'session closed')
      return { ...result, session }
    },

    /** SE1: "Riapri sessione": participants may change the board again. */
    async reopenSession(meetingId: MeetingId) {
      const session = await writeSession(meetingId, { state: 'open', changedAt: now().toISOString(), version: null })
      log.info({ meetingId }, 'session reopened')
      return { session }
    },

    /** The session state of the board (SE1): open when it was never closed. */
    async sessionOf(meetingId: MeetingId): Promise<SessionState> {
      const value = await options.rooms().withBoardDoc(meetingId, (doc) => doc.getMap<unknown>(FACILITATION_MAP).get(SESSION_KEY))
      return readSessionState(value) ?? { state: 'open', changedAt: new Date(0).toISOString(), version: null }
    },

    /**
     * V6: the RoomManager's hook, called after the grace period of a board that an editing connection used, before it
     * unloads. Reads the doc as it is (committed: the manager flushed it) and never throws.
     */
    async onBoardIdle(boardId: BoardId, _doc: Y.Doc): Promise<void> {
      try {
        const meetingId = boardId as MeetingId
        // the manager committed the doc before calling: its stored log is the board (read in the worker)
        if ((await meetings.get(meetingId)) === null) return
        await saveSessionEnd(meetingId, await work.run('snapshot', { source: { updates: (await docStore.load(meetingId)).updates } }), null)
      } catch (error) {
        log.error({ err: error, boardId }, 'could not save the session-end version')
      }
    },

    /** V9, SE3: restores version k and, when the board changed, tells everyone on it (the notice in the document). */
    async restore(meetingId: MeetingId, k: number, author: VersionAuthor) {
      const result = await restorer.restore(meetingId, k, author)
      if (result.changed) {
        const notice: RestoreNotice = { restoredFrom: k, version: result.version.number, at: now().toISOString() }
        await options.rooms().withBoardDoc(meetingId, (doc) => {
          doc.transact(() => doc.getMap<unknown>(FACILITATION_MAP).set(RESTORED_KEY, notice), SESSION_ORIGIN)
        })
      }
      return result
    },
    completeInterruptedRestores: restorer.completeInterruptedRestores,

    /**
     * The diff of two boards (V8) as the JSON answer's bytes: the shape diff and, when `withSemantic`, the diff in
     * the words of the maps. Stored versions are read as texts (decompressed on zlib's threads) and only the records
     * in scope are parsed, in the worker (diffScope.ts).
     */
    async compare(meetingId: MeetingId, a: VersionRef, b: VersionRef, withSemantic: boolean): Promise<Uint8Array> {
      const [from, to] = await Promise.all([reader.sourceOf(meetingId, a), reader.sourceOf(meetingId, b)])
      const answer = await work.run('diff', { from: from.source, to: to.source, a, b, semantic: withSemantic })
      return answer.body
    },

    /** V11: "Apri come nuova riunione": a new meeting (new keys) whose board is version n of this one. */
    async copy(source: StoredMeeting, n: number, author: VersionAuthor, fields: MeetingFields) {
      const board = await restorer.prepareCopy(source.meeting.id as MeetingId, n)
      return createMeetingFromBoard(fields, { snapshot: board.snapshot, update: board.update }, {
        label: AUTOMATIC_LABELS.copied(n, source.meeting.title),
        note: null,
        author,
      })
    },

    /**
     * Issue 22, "Continua in una nuova riunione": a new meeting (new keys, `fields` say which process) whose board is
     * version n of this one, or its live board when n is null (a meeting with no version yet), with a first version of
     * kind `continued`. Card ids are kept: the same card is the same actor or issue across the process. Nothing of the
     * source meeting changes.
     */
    async continueMeeting(source: StoredMeeting, n: number | null, author: VersionAuthor, fields: MeetingFields, countsTowardQuota = true) {
      const id = source.meeting.id as MeetingId
      let board: Awaited<ReturnType<typeof restorer.prepareCopy>>
      if (n !== null) board = await restorer.prepareCopy(id, n)
      else {
        const live = await reader.liveSnapshot(id)
        const prepared = await work.run('prepareVersion', { source: { ndjson: live.ndjson, outlineText: live.outlineText, schema: live.schema }, withUpdate: true })
        if (!prepared.ok) throw new VersionError('conflict', `the board cannot be continued on this server: ${prepared.problems[0]?.message ?? ''}`, prepared.problems)
        board = prepared
      }
      return createMeetingFromBoard(fields, { snapshot: board.snapshot, update: board.update }, {
        label: AUTOMATIC_LABELS.continued(source.meeting.title, n),
        note: null,
        author,
        kind: 'continued',
      }, countsTowardQuota)
    },

    /** Forgets the cached versions of an erased meeting (meetingsFeature.ts wires it to the eraser). */
    forget(meetingId: MeetingId): void {
      cache.forget(meetingId)
    },

    /** Whether a version is in the cache of versions read (tests: an erase must drop them). */
    isCached(meetingId: MeetingId, number: number): boolean {
      return cache.has(meetingId, number)
    },

    /** V10: a new meeting from an import file's board (checked, migrated and encoded in the worker). */
    async importBoard(fields: MeetingFields, board: NewBoard, author: VersionAuthor | null) {
      return createMeetingFromBoard(fields, board, { label: AUTOMATIC_LABELS.imported, note: null, author })
    },
  }
}

export type VersionService = ReturnType<typeof createVersionService>
