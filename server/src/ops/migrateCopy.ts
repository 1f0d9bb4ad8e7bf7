import type { BoardId } from '../../../shared/src/boardId.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { outlineOf, serializeOutline } from '../../../shared/src/versions/recordOutline.ts'
import type { DemoStore } from '../demo/demoStore.ts'
import type { PrivateCardStore } from '../facilitation/PrivateCardStore.ts'
import type { VoteStore } from '../facilitation/VoteStore.ts'
import type { MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import type { ProcessStore } from '../processes/ProcessStore.ts'
import type { DocStore } from '../store/DocStore.ts'
import type { ErasedMeetings } from '../store/meetingErasure.ts'
import { mergeUpdateLog } from '../store/mergeUpdates.ts'
import type { VersionStore } from '../versions/VersionStore.ts'

/** Every store of a Tavolo server, whatever the backend: what `npm run migrate-to-postgres` copies, store by store. */
export interface TavoloStores {
  docStore: DocStore
  meetings: MeetingStore
  versions: VersionStore
  demo: DemoStore
  votes: VoteStore
  privateCards: PrivateCardStore
  processes: ProcessStore
  erased: ErasedMeetings
}

/** The kinds of things copied and verified, in the order of the summary table. */
export const KINDS = ['tombstones', 'processes', 'meetings', 'demo', 'versions', 'images', 'restore intents', 'votes', 'private rounds', 'boards'] as const
export type Kind = (typeof KINDS)[number]

/** Something that was not copied (unreadable in the source, or refused by the target), and why. */
export interface Skipped {
  kind: Kind
  what: string
  why: string
}

export interface CopyReport {
  copied: Record<Kind, number>
  skipped: Skipped[]
  /** Board rows Yjs could not decode, left out (the server skips them too when it loads the board: sync SPEC R18). */
  badBoardRows: Array<{ boardId: string; rows: number }>
  /**
   * Meetings erased in the source that still have rows there (an erase the server did not finish; its start-up sweep
   * deletes them): not copied, their tombstones are.
   */
  erasedLeftovers: string[]
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * The source's meetings oldest first (the order they were created in, so that the target's insertion order, which
 * breaks ties in the list, is the same). A meeting that cannot be read (a key row missing) fails `list` as a whole:
 * then each is read on its own and the unreadable ones are skipped and reported.
 */
export async function readMeetings(source: MeetingStore, skipped: Skipped[]): Promise<StoredMeeting[]> {
  try {
    return (await source.list()).reverse()
  } catch {
    const found: StoredMeeting[] = []
    for (const id of await source.meetingIds()) {
      try {
        const meeting = await source.get(id as MeetingId)
        if (meeting !== null) found.push(meeting)
      } catch (error) {
        skipped.push({ kind: 'meetings', what: id, why: message(error) })
      }
    }
    return found.sort((a, b) => (a.meeting.createdAt < b.meeting.createdAt ? -1 : a.meeting.createdAt > b.meeting.createdAt ? 1 : 0))
  }
}

/** The outline text of a version's records (the stored ndjson), as a store makes it when it stores them. */
export function outlineTextOf(ndjson: string): string {
  return serializeOutline(outlineOf(ndjson === '' ? [] : ndjson.split('\n').map((line) => JSON.parse(line) as unknown)))
}

/** Every id any per-meeting store keeps something for (versions, votes and rounds may outlive a meeting row). */
export async function meetingIdsOf(stores: TavoloStores): Promise<string[]> {
  const ids = new Set<string>()
  for (const store of [stores.meetings, stores.versions, stores.docStore]) for (const id of await store.meetingIds()) ids.add(id)
  for (const id of await stores.votes.meetingIds()) ids.add(id)
  for (const id of await stores.privateCards.meetingIds()) ids.add(id)
  return [...ids].sort()
}

/**
 * Copies everything of `source` into `target` (expected empty: migrateToPostgres.ts checks), through the stores'
 * interfaces and their export/import methods, so that no SQL lives outside the stores. Ids, numbers, keys and times
 * stay as they were. Tombstones go first: whatever is left in the source of an erased meeting (the server's start-up
 * sweep would delete it) is refused by the target's stores and reported, never resurrected. Boards are copied one at a
 * time (memory stays bounded by the biggest board). A row that cannot be read or written is skipped and reported.
 */
export async function copyStores(source: TavoloStores, target: TavoloStores, progress: (line: string) => void = () => {}): Promise<CopyReport> {
  const copied = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>
  const skipped: Skipped[] = []
  const badBoardRows: CopyReport['badBoardRows'] = []
  const attempt = async (kind: Kind, what: string, work: () => Promise<number | void>) => {
    try {
      copied[kind] += (await work()) ?? 1
    } catch (error) {
      skipped.push({ kind, what, why: message(error) })
    }
  }

  const erasedLeftovers = await source.erased.erasedAmong(await meetingIdsOf(source))
  const erased = new Set(erasedLeftovers)
  const keep = (id: string) => !erased.has(id)

  const tombstones = await source.erased.exportTombstones()
  await target.erased.importTombstones(tombstones)
  copied.tombstones = tombstones.length

  // oldest first: the insertion order breaks ties of the creation time in the list
  for (const process of (await source.processes.list()).reverse()) {
    await attempt('processes', process.id, async () => {
      const { id, title, description, decidimUrl, notSameActors, createdAt, updatedAt } = process
      await target.processes.create(id, { title, description, decidimUrl, notSameActors }, createdAt)
      if (updatedAt !== createdAt) await target.processes.update(id, {}, updatedAt)
    })
  }

  for (const meeting of (await readMeetings(source.meetings, skipped)).filter((m) => keep(m.meeting.id))) {
    await attempt('meetings', meeting.meeting.id, () => target.meetings.importMeeting(meeting))
  }

  const demo = await source.demo.exportRecord()
  if (demo !== null) await attempt('demo', demo.meetingId ?? '(erased demo meeting)', () => target.demo.importRecord(demo))

  /** A read of a whole list that fails (a row that does not parse) skips that list, reported, and the copy goes on. */
  const readAll = async <T>(kind: Kind, what: string, read: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await read()
    } catch (error) {
      skipped.push({ kind, what, why: `unreadable in the source: ${message(error)}` })
      return []
    }
  }
  const versionsCopied = new Map<string, number>()
  const copiedVersions = (id: string) => versionsCopied.get(id) ?? 0
  for (const id of (await meetingIdsOf(source)).filter(keep) as MeetingId[]) {
    // The target numbers versions itself (1, 2, ... in the order added), and links, outcomeVersion and restoredFrom name
    // them: once one cannot be copied with its own number, the later ones of that meeting are not copied either.
    let stopped: string | null = null
    for (const summary of (await readAll('versions', `${id} versions`, () => source.versions.list(id))).reverse()) {
      const what = `${id} version ${summary.number}`
      if (stopped === null && summary.number !== copiedVersions(id) + 1) stopped = `version ${copiedVersions(id) + 1} is missing in the source`
      if (stopped !== null) {
        skipped.push({ kind: 'versions', what, why: `not copied: ${stopped} (the target would number this one differently)` })
        continue
      }
      await attempt('versions', what, async () => {
        const text = await source.versions.getRecordsText(id, summary.number)
        if (text === null) throw new Error('listed but not readable')
        // a version stored before outlines existed gets the outline the source would compute on its first read
        const outlineText = text.outlineText ?? outlineTextOf(text.ndjson)
        const { number, hasImages, ...fields } = summary
        await target.versions.add(id, { ...fields, schema: text.schema, records: [], prepared: { ndjson: text.ndjson, outlineText } })
        versionsCopied.set(id, number)
        if (hasImages) {
          const images = (await source.versions.getImages(id, number)) ?? []
          await target.versions.putImages(id, number, images)
          copied.images += images.length
        }
      })
      if (copiedVersions(id) !== summary.number) stopped = `version ${summary.number} could not be copied`
    }
    for (const exported of await readAll('votes', `${id} votes`, () => source.votes.exportMeeting(id))) {
      await attempt('votes', `${id} vote ${exported.vote.id}`, () => target.votes.importVote(id, exported))
    }
    for (const exported of await readAll('private rounds', `${id} private rounds`, () => source.privateCards.exportMeeting(id))) {
      await attempt('private rounds', `${id} round ${exported.round.id}`, () => target.privateCards.importRound(id, exported))
    }
  }

  for (const intent of (await source.versions.pendingRestores()).filter((i) => keep(i.meetingId))) {
    await attempt('restore intents', `${intent.meetingId} restore of version ${intent.restoredFrom}`, async () => {
      const { id: _id, meetingId, ...rest } = intent
      await target.versions.beginRestore(meetingId, rest)
    })
  }

  const boards = (await source.docStore.list()).filter(keep)
  for (const [index, boardId] of boards.entries()) {
    await attempt('boards', boardId, () => copyBoard(source.docStore, target.docStore, boardId, badBoardRows))
    if ((index + 1) % 50 === 0) progress(`boards: ${index + 1} of ${boards.length}`)
  }
  return { copied, skipped, badBoardRows, erasedLeftovers }
}

/**
 * One board: its stored rows replayed into a doc (rows Yjs cannot decode are left out and counted), the state appended
 * to the target as causally ordered chunks and compacted there into the target's own compacted form.
 */
async function copyBoard(source: DocStore, target: DocStore, boardId: BoardId, badBoardRows: CopyReport['badBoardRows']): Promise<void> {
  const { updates } = await source.load(boardId)
  let bad = 0
  const chunks = mergeUpdateLog(updates, () => bad++)
  if (bad > 0) badBoardRows.push({ boardId, rows: bad })
  await target.append(boardId, chunks)
  await target.compact(boardId)
}
