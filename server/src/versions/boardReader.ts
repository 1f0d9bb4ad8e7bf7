import type * as Y from 'yjs'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { BoardRecord, SerializedBoardSchema, VersionAuthor, VersionKind, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import type { DocStore } from '../store/DocStore.ts'
import type { BoardSnapshot, BoardSource } from '../work/boardJobs.ts'
import type { BoardWork } from '../work/workerPool.ts'
import type { VersionCache, VersionTexts } from './versionCache.ts'
import { VersionError } from './versionError.ts'
import type { NewVersion, VersionStore } from './VersionStore.ts'

/** What the versions need of the sync server's rooms (RoomManager implements it). */
export interface BoardRooms {
  /**
   * Runs `fn` on the board's live doc once every update applied so far is committed, loading the room without any
   * connection when it is not loaded, and resolves after what `fn` changed is committed and relayed.
   */
  withBoardDoc<T>(boardId: BoardId, fn: (doc: Y.Doc) => T): Promise<T>
  /**
   * Resolves once everything applied to the board's room so far is committed, without loading the board (sync
   * RoomManager). Without it, the board is loaded and flushed through withBoardDoc.
   */
  committed?(boardId: BoardId): Promise<void>
}

/**
 * Reads boards for the version operations: the live board (as its Yjs state) or a stored version (as its record
 * texts, through a small cache of the versions read last), and the live board's snapshot made in the worker pool.
 */
export function createBoardReader(options: { versions: VersionStore; docStore: DocStore; rooms: () => BoardRooms; work: BoardWork; cache: VersionCache }) {
  const { versions, docStore, work, cache } = options
  /**
   * The live board as its committed update log (R2: every update the room applied is appended before anyone sees
   * it): read from the store once the room committed what it holds, so that nothing of the board is encoded on the
   * event loop and an unloaded board is not loaded for it. The worker replays the log.
   */
  const liveState = async (meetingId: MeetingId): Promise<BoardSource> => {
    const rooms = options.rooms()
    if (rooms.committed !== undefined) await rooms.committed(meetingId)
    else await rooms.withBoardDoc(meetingId, () => undefined)
    return { updates: (await docStore.load(meetingId)).updates }
  }

  const storedTexts = async (meetingId: MeetingId, number: number): Promise<VersionTexts> => {
    const cached = cache.get(meetingId, number)
    if (cached !== undefined) return cached
    const stored = await versions.getRecordsText(meetingId, number)
    if (stored === null) throw new VersionError('not_found', `this meeting has no version ${number}`)
    return cache.put(meetingId, number, stored)
  }

  const summaryOf = async (meetingId: MeetingId, number: number): Promise<VersionSummary> => {
    const [summary] = await versions.list(meetingId, { before: number + 1, limit: 1 })
    if (summary === undefined || summary.number !== number) throw new VersionError('not_found', `this meeting has no version ${number}`)
    return summary
  }

  return {
    liveState,
    storedTexts,
    summaryOf,
    /** The live board's hash, counts, texts and outline (SPEC V4), computed off the event loop. */
    async liveSnapshot(meetingId: MeetingId): Promise<BoardSnapshot> {
      return work.run('snapshot', { source: await liveState(meetingId) })
    },
    /** A board to hand to a job: the live board, or version `ref` with its summary. */
    async sourceOf(meetingId: MeetingId, ref: number | 'live'): Promise<{ source: BoardSource; version: VersionSummary | null }> {
      if (ref === 'live') return { source: await liveState(meetingId), version: null }
      const [version, stored] = await Promise.all([summaryOf(meetingId, ref), storedTexts(meetingId, ref)])
      return { source: stored, version }
    },
  }
}

export type BoardReader = ReturnType<typeof createBoardReader>

/** The fields of a version the server adds, besides its board. */
export interface VersionFields {
  label: string
  note?: string | null
  kind: VersionKind
  author: VersionAuthor | null
  restoredFrom?: number | null
  createdAt: string
}

/**
 * A version to add from a snapshot made in the worker: the stores take its record texts and outline as they are
 * (`prepared`); `records` is parsed only if a store asks for it (the memory store).
 */
export function newVersionOf(snapshot: BoardSnapshot, fields: VersionFields): NewVersion {
  const version = {
    label: fields.label,
    note: fields.note ?? null,
    kind: fields.kind,
    author: fields.author,
    createdAt: fields.createdAt,
    contentHash: snapshot.contentHash,
    counts: snapshot.counts,
    restoredFrom: fields.restoredFrom ?? null,
    schema: snapshot.schema as SerializedBoardSchema,
    prepared: { ndjson: snapshot.ndjson, outlineText: snapshot.outlineText },
  } as Omit<NewVersion, 'records'> as NewVersion
  let records: BoardRecord[] | null = null
  Object.defineProperty(version, 'records', {
    enumerable: true,
    get: () => (records ??= (snapshot.ndjson === '' ? [] : (JSON.parse(`[${snapshot.ndjson.replaceAll('\n', ',')}]`) as BoardRecord[]))),
  })
  return version
}
