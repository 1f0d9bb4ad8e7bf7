/**
 * Versions SPEC V9 "Crash safety": a restore interrupted between its steps is settled by the next start
 * (`completeInterruptedRestores`). Two "processes" share a memory doc store and a memory version storage; the first
 * one's version store fails at the step where the process would have died.
 */
import { afterEach, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { createSqliteMeetingStore } from '../../server/src/meetings/sqliteMeetingStore.ts'
import { createMemoryDocStore } from '../../server/src/store/memoryDocStore.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import type { RoomLimits } from '../../server/src/sync/Room.ts'
import { RoomManager } from '../../server/src/sync/RoomManager.ts'
import { readBoardContent, writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { createMemoryVersionStore, type MemoryVersionStorage } from '../../server/src/versions/memoryVersionStore.ts'
import { contentHashOf, createVersionService } from '../../server/src/versions/versionService.ts'
import { createMeetingFactory } from '../../server/src/meetings/meetingFactory.ts'
import type { VersionStore } from '../../server/src/versions/VersionStore.ts'
import { noteRecord } from '../helpers/fixtures.ts'

const logger = createSilentLogger()
const limits: RoomLimits = { maxMessageBytes: 64 * 1024, rateLimitMessages: 1000, rateLimitWindowMs: 10_000, compactAfterUpdates: 500 }
const facilitator = { name: 'Anna', role: 'facilitator' } as const
const PAGE: BoardRecord = { id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} }
const note = (id: string, text: string) => structuredClone(noteRecord(id, text)) as unknown as BoardRecord

const docStore = createMemoryDocStore()
const storage: MemoryVersionStorage = new Map()
const open: Array<{ rooms: RoomManager; db: SqliteDatabase }> = []
let db: SqliteDatabase | null = null

afterEach(async () => {
  for (const p of open.splice(0)) await p.rooms.shutdown()
  db?.close()
  db = null
})

/** One server process: its rooms on the shared doc store, its version store on the shared storage (`wrap` may break it). */
function startProcess(wrap: (store: VersionStore) => VersionStore = (s) => s, now?: () => Date) {
  db ??= openSqliteDatabase(':memory:')
  const meetings = createSqliteMeetingStore(db)
  const rooms = new RoomManager({ store: docStore, logger, limits, roomGraceMs: 10_000 })
  open.push({ rooms, db })
  const versions = createMemoryVersionStore(storage)
  const factory = createMeetingFactory({ store: meetings, meetingsPerMinute: 1000 })
  const service = createVersionService({ versions: wrap(versions), meetings, docStore, rooms: () => rooms, factory, logger, ...(now === undefined ? {} : { now }) })
  return { rooms, versions, meetings, service }
}

/** A process that dies after the restore's write, before its `restored` version. */
const killedAfterTheWrite = (store: VersionStore): VersionStore => ({
  ...store,
  completeRestore: async () => {
    throw new Error('killed before the restored version')
  },
})

/** A process that dies after storing the restore's intent, before the write. */
const killedAfterTheIntent = (store: VersionStore): VersionStore => ({
  ...store,
  beginRestore: async (...args) => {
    await store.beginRestore(...args)
    throw new Error('killed before the write')
  },
})

async function meetingWithBoard(p: ReturnType<typeof startProcess>, id: string, records: BoardRecord[]): Promise<MeetingId> {
  const meetingId = id as MeetingId
  await p.meetings.create(
    meetingId,
    { title: 'Quartiere', reference: null, startsAt: null, endsAt: null, place: null, organisations: [], description: null, versionsVisibleTo: 'facilitators', attendeesCount: null, processId: null },
    { facilitator: `f-${id}`, participant: `p-${id}`, viewer: `v-${id}` },
    '2025-09-15T09:00:00.000Z',
  )
  await edit(p.rooms, meetingId, records)
  return meetingId
}

/**
 * A client's edit reaching the live board: made in a doc of its own (its own Yjs client, not the server's), with the
 * server's schema, and applied to the room's doc as an update.
 */
const edit = (rooms: RoomManager, meetingId: MeetingId, records: BoardRecord[]) =>
  rooms.withBoardDoc(meetingId as string as BoardId, (doc) => {
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(client)
    client.transact(() => writeBoardRecords(client, records, serverSerializedSchema()))
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client, before), 'client')
  })

const liveHash = (rooms: RoomManager, meetingId: MeetingId) =>
  rooms.withBoardDoc(meetingId as string as BoardId, (doc) => contentHashOf(readBoardContent(doc).records))

it('V9: killed after the write, and the board edited before the crash: the next start still records the restore', async () => {
  const first = startProcess(killedAfterTheWrite)
  const base = [PAGE, note('a', 'prima'), note('b', 'seconda')]
  const meetingId = await meetingWithBoard(first, 'm-edited', base)
  const v1 = (await first.service.save(meetingId, { label: 'Prima stesura', note: null, author: facilitator })).version
  await edit(first.rooms, meetingId, [PAGE, note('a', 'cambiata'), note('b', 'seconda'), note('c', 'nuova')])
  await expect(first.service.restore(meetingId, v1.number, facilitator)).rejects.toThrow(/killed/)
  expect(await liveHash(first.rooms, meetingId)).toBe(v1.contentHash)
  // someone edits the restored board before the process dies: its hash is no longer version 1's
  const afterEdit = [PAGE, note('a', 'prima'), note('b', 'seconda, corretta')]
  await edit(first.rooms, meetingId, afterEdit)
  await first.rooms.shutdown()

  const second = startProcess()
  expect(await second.service.completeInterruptedRestores()).toEqual({ completed: 1, dropped: 0, failed: 0, left: 0 })
  const list = await second.versions.list(meetingId)
  expect(list.map((v) => v.kind)).toEqual(['restored', 'before-restore', 'manual'])
  expect(list[0]).toMatchObject({ label: 'Ripristino della versione 1', restoredFrom: 1, contentHash: v1.contentHash, author: facilitator })
  // the edit made after the restore is still the live board: recovery only writes history
  expect(await liveHash(second.rooms, meetingId)).toBe(contentHashOf(afterEdit))
  expect(await second.versions.pendingRestores()).toEqual([])
  expect(await second.service.completeInterruptedRestores()).toEqual({ completed: 0, dropped: 0, failed: 0, left: 0 })
})

it('V9: a restore that only removed records, edited before the crash, is recorded too (its update still names its writer)', async () => {
  const first = startProcess(killedAfterTheWrite)
  const base = [PAGE, note('a', 'prima')]
  const meetingId = await meetingWithBoard(first, 'm-removal', base)
  const v1 = (await first.service.save(meetingId, { label: 'Prima stesura', note: null, author: facilitator })).version
  await edit(first.rooms, meetingId, [PAGE, note('a', 'prima'), note('b', 'aggiunta')])
  // version 1 is the board minus note b: the restore's write is a deletion and nothing else
  await expect(first.service.restore(meetingId, v1.number, facilitator)).rejects.toThrow(/killed/)
  expect(await liveHash(first.rooms, meetingId)).toBe(v1.contentHash)
  await edit(first.rooms, meetingId, [PAGE, note('a', 'prima, poi corretta')])
  await first.rooms.shutdown()

  const second = startProcess()
  expect(await second.service.completeInterruptedRestores()).toEqual({ completed: 1, dropped: 0, failed: 0, left: 0 })
  expect((await second.versions.list(meetingId)).map((v) => v.kind)).toEqual(['restored', 'before-restore', 'manual'])
})

it('V9: killed after the intent, before the write: the next start drops it and the board is the old one', async () => {
  const first = startProcess(killedAfterTheIntent)
  const meetingId = await meetingWithBoard(first, 'm-dropped', [PAGE, note('a', 'prima')])
  const v1 = (await first.service.save(meetingId, { label: 'Prima stesura', note: null, author: facilitator })).version
  const changed = [PAGE, note('a', 'cambiata')]
  await edit(first.rooms, meetingId, changed)
  await expect(first.service.restore(meetingId, v1.number, facilitator)).rejects.toThrow(/killed/)
  await first.rooms.shutdown()

  const second = startProcess()
  expect(await second.versions.pendingRestores()).toHaveLength(1)
  expect(await second.service.completeInterruptedRestores()).toEqual({ completed: 0, dropped: 1, failed: 0, left: 0 })
  expect((await second.versions.list(meetingId)).map((v) => v.kind)).toEqual(['before-restore', 'manual'])
  expect(await liveHash(second.rooms, meetingId)).toBe(contentHashOf(changed))
  expect(await second.versions.pendingRestores()).toEqual([])
})

it('V9: a restore that completes leaves no intent behind', async () => {
  const p = startProcess()
  const meetingId = await meetingWithBoard(p, 'm-normal', [PAGE, note('a', 'prima')])
  const v1 = (await p.service.save(meetingId, { label: 'Prima stesura', note: null, author: facilitator })).version
  await edit(p.rooms, meetingId, [PAGE, note('a', 'cambiata')])
  const result = await p.service.restore(meetingId, v1.number, facilitator)
  expect(result).toMatchObject({ changed: true, version: { kind: 'restored', restoredFrom: 1, contentHash: v1.contentHash } })
  expect(await p.versions.pendingRestores()).toEqual([])
})

it("V9 with several instances: an intent younger than a restore takes is another instance's restore in flight, left alone", async () => {
  // the first instance stops between its intent and its write, as a restore does for a moment
  let resume: () => void = () => undefined
  const paused = new Promise<void>((resolve) => (resume = resolve))
  const first = startProcess((store) => ({
    ...store,
    beginRestore: async (...args) => {
      const intent = await store.beginRestore(...args)
      await paused
      return intent
    },
  }))
  const meetingId = await meetingWithBoard(first, 'm-in-flight', [PAGE, note('a', 'prima')])
  const v1 = (await first.service.save(meetingId, { label: 'Prima stesura', note: null, author: facilitator })).version
  await edit(first.rooms, meetingId, [PAGE, note('a', 'cambiata')])
  const restoring = first.service.restore(meetingId, v1.number, facilitator)
  while ((await first.versions.pendingRestores()).length === 0) await new Promise((resolve) => setImmediate(resolve))

  // another instance starts meanwhile, on the same database
  const second = startProcess()
  expect(await second.service.completeInterruptedRestores({ olderThanMs: 120_000 })).toEqual({ completed: 0, dropped: 0, failed: 0, left: 1 })
  resume()
  await expect(restoring).resolves.toMatchObject({ changed: true, version: { kind: 'restored', restoredFrom: 1 } })
  expect((await second.versions.list(meetingId)).map((v) => v.kind)).toEqual(['restored', 'before-restore', 'manual'])
  expect(await second.versions.pendingRestores()).toEqual([])
})

it('V9 with several instances: an intent older than a restore takes is settled by whichever instance looks next', async () => {
  const first = startProcess(killedAfterTheIntent)
  const meetingId = await meetingWithBoard(first, 'm-old-intent', [PAGE, note('a', 'prima')])
  const v1 = (await first.service.save(meetingId, { label: 'Prima stesura', note: null, author: facilitator })).version
  await edit(first.rooms, meetingId, [PAGE, note('a', 'cambiata')])
  await expect(first.service.restore(meetingId, v1.number, facilitator)).rejects.toThrow(/killed/)
  await first.rooms.shutdown()

  const second = startProcess()
  expect(await second.service.completeInterruptedRestores({ olderThanMs: 120_000 })).toEqual({ completed: 0, dropped: 0, failed: 0, left: 1 })
  // two minutes later
  const later = startProcess(undefined, () => new Date(Date.now() + 121_000))
  expect(await later.service.completeInterruptedRestores({ olderThanMs: 120_000 })).toEqual({ completed: 0, dropped: 1, failed: 0, left: 0 })
  expect(await later.versions.pendingRestores()).toEqual([])
})
