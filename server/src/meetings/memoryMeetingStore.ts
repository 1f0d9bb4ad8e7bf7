import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { refuseIfErased, type MemoryErasedMeetings } from '../store/meetingErasure.ts'
import type { MeetingCursor, MeetingFields, MeetingStore, StoredMeeting } from './meetingStore.ts'

/** One stored meeting and its insertion order (the tie-breaker of the list order, like SQLite's rowid). */
interface Held {
  seq: number
  /** JSON text: nothing a caller holds can reach a stored meeting (contract rule 1). */
  json: string
}

/** The storage behind memory meeting stores: pass the same one to a new store to "re-open" it. */
export interface MemoryMeetingStorage {
  meetings: Map<string, Held>
  lastSeq: number
}

export const createMemoryMeetingStorage = (): MemoryMeetingStorage => ({ meetings: new Map(), lastSeq: 0 })

/** Newest first: creation time descending, then insertion order descending. */
const newestFirst = (a: { createdAt: string; seq: number }, b: { createdAt: string; seq: number }) =>
  a.createdAt === b.createdAt ? b.seq - a.seq : a.createdAt < b.createdAt ? 1 : -1

/**
 * A MeetingStore in memory (tests, the contract suite). `erased`: the tombstones shared with the server's other memory
 * stores (contract rule 5).
 */
export function createMemoryMeetingStore(
  storage: MemoryMeetingStorage = createMemoryMeetingStorage(),
  erased?: MemoryErasedMeetings,
): MeetingStore {
  const read = (held: Held | undefined): StoredMeeting | null => (held === undefined ? null : (JSON.parse(held.json) as StoredMeeting))
  const write = (id: string, seq: number, stored: StoredMeeting) => {
    storage.meetings.set(id, { seq, json: JSON.stringify(stored) })
    return read(storage.meetings.get(id))
  }
  const ordered = () =>
    [...storage.meetings.values()]
      .map((held) => ({ held, stored: read(held)!, seq: held.seq }))
      .map((e) => ({ ...e, createdAt: e.stored.meeting.createdAt }))
      .sort(newestFirst)

  return {
    component: 'meetings',
    async create(id, fields, keys, now) {
      refuseIfErased(erased?.isErased, id)
      if (storage.meetings.has(id)) throw new Error(`a meeting with id ${id} already exists`)
      const stored: StoredMeeting = {
        meeting: { id, ...fields, processId: fields.processId ?? null, outcomeVersion: fields.outcomeVersion ?? null, organisations: [...fields.organisations], createdAt: now, updatedAt: now, lastActivityAt: null },
        keys: { ...keys },
        keyVersions: { facilitator: 1, participant: 1, viewer: 1 },
      }
      return write(id, ++storage.lastSeq, stored)!
    },
    async get(id) {
      return read(storage.meetings.get(id))
    },
    async list() {
      return ordered().map((e) => e.stored)
    },
    async listPage(limit, after) {
      const all = ordered()
      const rest = after === null ? all : all.filter((e) => newestFirst(e, after) > 0)
      const page = rest.slice(0, limit)
      const last = page.at(-1)
      const next: MeetingCursor | null = rest.length > limit && last !== undefined ? { createdAt: last.createdAt, seq: last.seq } : null
      return { meetings: page.map((e) => e.stored), next }
    },
    async withReference(reference) {
      const wanted = reference.toLowerCase()
      return ordered()
        .filter((e) => e.stored.meeting.reference?.toLowerCase() === wanted)
        .map((e) => e.stored)
    },
    async update(id, fields, now) {
      refuseIfErased(erased?.isErased, id)
      const held = storage.meetings.get(id)
      const stored = read(held)
      if (held === undefined || stored === null) return null
      const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<MeetingFields>
      stored.meeting = { ...stored.meeting, ...given, updatedAt: now }
      return write(id, held.seq, stored)
    },
    async listByProcess(processId) {
      return ordered()
        .reverse()
        .map((e) => e.stored)
        .filter((stored) => stored.meeting.processId === processId)
    },
    async rotateKey(id, role, newKey, now) {
      refuseIfErased(erased?.isErased, id)
      const held = storage.meetings.get(id)
      const stored = read(held)
      if (held === undefined || stored === null) return null
      stored.keys[role] = newKey
      stored.keyVersions[role] += 1
      stored.meeting.updatedAt = now
      return write(id, held.seq, stored)
    },
    async touchActivity(id, at) {
      if (erased?.isErased(id) === true) return
      const held = storage.meetings.get(id)
      const stored = read(held)
      if (held === undefined || stored === null) return
      const last = stored.meeting.lastActivityAt
      if (last !== null && last >= at) return
      stored.meeting.lastActivityAt = at
      write(id, held.seq, stored)
    },
    async importMeeting(stored) {
      const id = stored.meeting.id
      refuseIfErased(erased?.isErased, id)
      if (storage.meetings.has(id)) throw new Error(`a meeting with id ${id} already exists`)
      write(id, ++storage.lastSeq, stored)
    },
    async eraseMeeting(id) {
      // a meeting and its three keys, as the SQLite store counts its rows
      return storage.meetings.delete(id as MeetingId) ? 4 : 0
    },
    async meetingIds() {
      return [...storage.meetings.keys()]
    },
  }
}
