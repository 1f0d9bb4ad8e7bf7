import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { outlineOf, parseOutline, serializeOutline } from '../../../shared/src/versions/recordOutline.ts'
import type { VersionDetail, VersionImage, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import { refuseIfErased, type MemoryErasedMeetings } from '../store/meetingErasure.ts'
import type { NewVersion, RestoreIntent, VersionStore } from './VersionStore.ts'

interface Held {
  summary: VersionSummary
  /** JSON text: immutable, so nothing a caller holds can reach a stored version (contract rule 3). */
  schema: string
  records: string
  /** The records' outline as the SQLite store keeps it (serializeOutline). */
  outline: string
  images: string
}

interface MeetingVersions {
  lastNumber: number
  versions: Held[]
  /** Restore intents as JSON text (contract rule 7). */
  intents: Array<{ id: number; json: string }>
}

/** The storage behind memory version stores: pass the same map to a new store to "re-open" it. */
export type MemoryVersionStorage = Map<MeetingId, MeetingVersions>

/** Intent ids across every memory storage: unique, increasing (oldest first), never reused. */
let lastIntentId = 0

/**
 * A VersionStore in memory (tests; the contract suite). Everything it keeps is JSON text or a frozen copy. `erased`:
 * the tombstones shared with the server's other memory stores (contract rule 8).
 */
export function createMemoryVersionStore(storage: MemoryVersionStorage = new Map(), erased?: MemoryErasedMeetings): VersionStore {
  const of = (meetingId: MeetingId): MeetingVersions => {
    let entry = storage.get(meetingId)
    if (entry === undefined) {
      entry = { lastNumber: 0, versions: [], intents: [] }
      storage.set(meetingId, entry)
    }
    return entry
  }
  const find = (meetingId: MeetingId, number: number) => storage.get(meetingId)?.versions.find((v) => v.summary.number === number)
  const copy = <T>(value: T): T => structuredClone(value)
  const latestOf = (meetingId: MeetingId) => storage.get(meetingId)?.versions.at(-1)
  const insert = (meetingId: MeetingId, version: NewVersion): VersionSummary => {
    refuseIfErased(erased?.isErased, meetingId)
    const entry = of(meetingId)
    entry.lastNumber += 1
    const { schema, records, prepared: _prepared, ...fields } = version
    const summary: VersionSummary = { ...copy(fields), number: entry.lastNumber, hasImages: false }
    entry.versions.push({ summary, schema: JSON.stringify(schema), records: JSON.stringify(records), outline: serializeOutline(outlineOf(records)), images: '[]' })
    return copy(summary)
  }
  return {
    async add(meetingId, version) {
      return insert(meetingId, version)
    },
    async addIfChanged(meetingId, version) {
      const latest = latestOf(meetingId)
      if (latest !== undefined && latest.summary.contentHash === version.contentHash) return { version: copy(latest.summary), created: false }
      return { version: insert(meetingId, version), created: true }
    },
    async list(meetingId, options = {}) {
      const before = options.before ?? Number.MAX_SAFE_INTEGER
      const newestFirst = [...(storage.get(meetingId)?.versions ?? [])].reverse().filter((v) => v.summary.number < before)
      return newestFirst.slice(0, options.limit ?? newestFirst.length).map((v) => copy(v.summary))
    },
    async count(meetingId) {
      return storage.get(meetingId)?.versions.length ?? 0
    },
    async latest(meetingId) {
      const latest = latestOf(meetingId)
      return latest === undefined ? null : copy(latest.summary)
    },
    async get(meetingId, number) {
      const held = find(meetingId, number)
      if (held === undefined) return null
      const detail: VersionDetail = {
        ...copy(held.summary),
        schema: JSON.parse(held.schema) as VersionDetail['schema'],
        records: JSON.parse(held.records) as VersionDetail['records'],
      }
      return detail
    },
    async getRecordTexts(meetingId, number) {
      const held = find(meetingId, number)
      if (held === undefined) return null
      const records = JSON.parse(held.records) as unknown[]
      const outline = parseOutline(held.outline, records.length) ?? outlineOf(records)
      return { schema: JSON.parse(held.schema) as VersionDetail['schema'], texts: records.map((r) => JSON.stringify(r)), outline }
    },
    async getRecordsText(meetingId, number) {
      const held = find(meetingId, number)
      if (held === undefined) return null
      const records = JSON.parse(held.records) as unknown[]
      return { schema: JSON.parse(held.schema) as VersionDetail['schema'], ndjson: records.map((r) => JSON.stringify(r)).join('\n'), outlineText: held.outline }
    },
    async putImages(meetingId, number, images) {
      refuseIfErased(erased?.isErased, meetingId)
      const held = find(meetingId, number)
      if (held === undefined) return false
      held.images = JSON.stringify(images.map((i) => ({ frameId: i.frameId, svg: i.svg })))
      held.summary = { ...held.summary, hasImages: images.length > 0 }
      return true
    },
    async getImages(meetingId, number) {
      const held = find(meetingId, number)
      return held === undefined ? null : (JSON.parse(held.images) as VersionImage[])
    },
    async storedBytes(meetingId, number) {
      const held = find(meetingId, number)
      return held === undefined ? null : Buffer.byteLength(held.records, 'utf8') + Buffer.byteLength(held.outline, 'utf8')
    },
    async beginRestore(meetingId, intent) {
      refuseIfErased(erased?.isErased, meetingId)
      const id = ++lastIntentId
      const stored: RestoreIntent = { ...copy(intent), id, meetingId }
      of(meetingId).intents.push({ id, json: JSON.stringify(stored) })
      return copy(stored)
    },
    async completeRestore(meetingId, intentId, version) {
      refuseIfErased(erased?.isErased, meetingId)
      const entry = storage.get(meetingId)
      const at = entry?.intents.findIndex((i) => i.id === intentId) ?? -1
      if (entry === undefined || at < 0) return null
      entry.intents.splice(at, 1)
      return insert(meetingId, version)
    },
    async abandonRestore(meetingId, intentId) {
      const entry = storage.get(meetingId)
      const at = entry?.intents.findIndex((i) => i.id === intentId) ?? -1
      if (entry === undefined || at < 0) return false
      entry.intents.splice(at, 1)
      return true
    },
    async pendingRestores() {
      const all = [...storage.values()].flatMap((entry) => entry.intents)
      return all.sort((a, b) => a.id - b.id).map((i) => JSON.parse(i.json) as RestoreIntent)
    },
    async deleteAllOf(meetingId) {
      const entry = storage.get(meetingId)
      if (entry === undefined) return 0
      const count = entry.versions.length
      // the counter stays: numbers are never reused (contract rule 1)
      entry.versions = []
      entry.intents = []
      return count
    },
    component: 'versions',
    async eraseMeeting(meetingId) {
      const count = storage.get(meetingId as MeetingId)?.versions.length ?? 0
      // the counter goes too: an erased meeting's id is never used again (its tombstone refuses it)
      storage.delete(meetingId as MeetingId)
      return count
    },
    async meetingIds() {
      return [...storage.keys()]
    },
    async close() {},
  }
}
