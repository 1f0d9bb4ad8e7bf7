import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { META_MAP, RECORDS_ARRAY } from '../../../shared/src/boardDocument.ts'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { canonicalJson } from '../../../shared/src/versions/canonicalJson.ts'
import type { DocStore } from '../store/DocStore.ts'
import { KINDS, meetingIdsOf, outlineTextOf, readMeetings, type Kind, type TavoloStores } from './migrateCopy.ts'

/** What one side holds of one kind: how many, and a SHA-256 over a canonical listing of all of it. */
export interface Digest {
  count: number
  hash: string
}

export interface VerifyRow {
  kind: Kind
  source: Digest
  target: Digest
  ok: boolean
}

/** A read that may fail on a damaged row: its fallback then stands for it in the listing. */
async function forgiving<T, F>(read: () => Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await read()
  } catch {
    return fallback
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** A listing digested one entry at a time: memory holds the entries' hashes, never the entries. */
class Listing {
  private readonly lines: string[] = []
  count = 0
  add(value: unknown, counted = 1): void {
    this.lines.push(sha256(canonicalJson(value)))
    this.count += counted
  }
  digest(): Digest {
    return { count: this.count, hash: sha256(this.lines.join('\n')) }
  }
}

/**
 * A board as a client would get it: its stored rows replayed into a doc (rows Yjs cannot decode skipped, as the server
 * skips them), then its state vector and its content (the records array's entries in their order, the meta map) in
 * canonical JSON. Two stores that hold different rows (the source's log, the target's compacted chunks) of the same
 * board digest the same.
 */
export async function boardDigest(store: DocStore, boardId: BoardId): Promise<string> {
  const doc = new Y.Doc()
  try {
    const { updates } = await store.load(boardId)
    doc.transact(() => {
      for (const update of updates) {
        try {
          Y.applyUpdate(doc, update)
        } catch {
          // unreadable row: left out on both sides (migrateCopy.ts reports it)
        }
      }
    })
    const stateVector = Buffer.from(Y.encodeStateVector(doc)).toString('base64')
    const shares = [...doc.share.keys()].sort()
    const content = { records: doc.getArray(RECORDS_ARRAY).toJSON(), meta: doc.getMap(META_MAP).toJSON() }
    return sha256(canonicalJson({ stateVector, shares, content }))
  } finally {
    doc.destroy()
  }
}

/**
 * Digests every kind of one side. `exclude`: meeting ids whose leftovers are not compared (the source's rows of
 * erased meetings, which the target refuses by their tombstones and the server's start-up sweep deletes).
 */
export async function digestStores(stores: TavoloStores, exclude: ReadonlySet<string> = new Set()): Promise<Record<Kind, Digest>> {
  const of = Object.fromEntries(KINDS.map((k) => [k, new Listing()])) as Record<Kind, Listing>
  const keep = (id: string) => !exclude.has(id)

  for (const t of await stores.erased.exportTombstones()) of.tombstones.add(t)
  for (const p of await stores.processes.list()) of.processes.add(p)
  // list order included: the order of meetings created at the same time must survive too
  for (const m of await readMeetings(stores.meetings, [])) if (keep(m.meeting.id)) of.meetings.add(m)
  const demo = await stores.demo.exportRecord()
  if (demo !== null) of.demo.add(demo)

  for (const id of (await meetingIdsOf(stores)).filter(keep) as MeetingId[]) {
    for (const summary of await forgiving(() => stores.versions.list(id), [])) {
      // the stored texts themselves, hashed: equal bytes, not only equal records. Unreadable: digested as such (the
      // copy skipped it, so the two sides differ and the kind is reported).
      of.versions.add(
        await forgiving(async () => {
          const text = await stores.versions.getRecordsText(id, summary.number)
          const outline = text === null ? null : (text.outlineText ?? outlineTextOf(text.ndjson))
          return { id, summary, schema: text?.schema ?? null, ndjson: text === null ? null : sha256(text.ndjson), outline: outline === null ? null : sha256(outline) }
        }, { id, summary, unreadable: true }),
      )
      if (summary.hasImages) {
        const images = await forgiving(async () => (await stores.versions.getImages(id, summary.number)) ?? [], null)
        of.images.add({ id, number: summary.number, images }, images?.length ?? 0)
      }
    }
    for (const vote of await forgiving(() => stores.votes.exportMeeting(id), [{ unreadable: true }])) of.votes.add({ id, vote })
    for (const round of await forgiving(() => stores.privateCards.exportMeeting(id), [{ unreadable: true }])) of['private rounds'].add({ id, round })
  }
  // intent ids are the store's own (assigned again in the target): compared without them
  for (const { id: _id, ...intent } of await stores.versions.pendingRestores()) if (keep(intent.meetingId)) of['restore intents'].add(intent)
  for (const boardId of await stores.docStore.list()) if (keep(boardId)) of.boards.add({ boardId, state: await boardDigest(stores.docStore, boardId) })

  return Object.fromEntries(KINDS.map((k) => [k, of[k].digest()])) as Record<Kind, Digest>
}

/** Digests both sides and compares them kind by kind. */
export async function verifyStores(source: TavoloStores, target: TavoloStores): Promise<VerifyRow[]> {
  const erasedInSource = new Set(await source.erased.erasedAmong(await meetingIdsOf(source)))
  const [s, t] = [await digestStores(source, erasedInSource), await digestStores(target)]
  return KINDS.map((kind) => ({ kind, source: s[kind], target: t[kind], ok: s[kind].count === t[kind].count && s[kind].hash === t[kind].hash }))
}
