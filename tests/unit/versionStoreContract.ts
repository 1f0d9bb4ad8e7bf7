/**
 * The VersionStore contract (server/src/versions/VersionStore.ts, rules 1-8), run against every implementation by
 * versionStore.test.ts. A new implementation (PostgreSQL...) must pass it unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { outlineOf } from '../../shared/src/versions/recordOutline.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import type { NewRestoreIntent, NewVersion, VersionStore } from '../../server/src/versions/VersionStore.ts'
import { MeetingErasedError, type ErasedMeetings } from '../../server/src/store/meetingErasure.ts'

export interface VersionStoreHarness {
  /** Opens a store on the harness's storage: twice on the same storage must see the same data. */
  open(): VersionStore
  /** The tombstones the stores of this storage check (rule 8); call after open(). */
  erased(): ErasedMeetings
  dispose(): void | Promise<void>
}

const meeting = (id: string) => id as MeetingId

function note(id: string, text: string): BoardRecord {
  return { id: `shape:${id}`, typeName: 'shape', type: 'note', x: 1, y: 2, props: { text, nested: { list: [1, 2] } } }
}

function version(over: Partial<NewVersion> = {}): NewVersion {
  return {
    label: 'Prima stesura',
    note: null,
    kind: 'manual',
    author: { name: 'Anna', role: 'facilitator' },
    createdAt: '2025-09-15T09:00:00.000Z',
    contentHash: 'h1',
    counts: { shapes: 1, byType: { note: 1 } },
    restoredFrom: null,
    schema: { schemaVersion: 2, sequences: { 'com.tldraw.shape.note': 13 } },
    records: [note('a', 'ciao')],
    ...over,
  }
}

function intent(over: Partial<NewRestoreIntent> = {}): NewRestoreIntent {
  return {
    restoredFrom: 1,
    targetHash: 'h1',
    author: { name: 'Anna', role: 'facilitator' },
    createdAt: '2025-09-15T10:00:00.000Z',
    writer: { clientId: 3_000_000_001, clock: 4242 },
    ...over,
  }
}

export function runVersionStoreContract(name: string, makeHarness: () => VersionStoreHarness): void {
  describe(`VersionStore contract: ${name}`, () => {
    let harness: VersionStoreHarness | null = null
    const open = () => {
      harness ??= makeHarness()
      return harness.open()
    }
    afterEach(async () => {
      await harness?.dispose()
      harness = null
    })

    it('1: numbers are 1..n per meeting, assigned at insert, independent between meetings', async () => {
      const store = open()
      expect((await store.add(meeting('m1'), version())).number).toBe(1)
      expect((await store.add(meeting('m1'), version({ contentHash: 'h2' }))).number).toBe(2)
      expect((await store.add(meeting('m2'), version())).number).toBe(1)
      const concurrent = await Promise.all([1, 2, 3, 4].map((i) => store.add(meeting('m1'), version({ contentHash: `c${i}` }))))
      expect(concurrent.map((v) => v.number).sort()).toEqual([3, 4, 5, 6])
      expect(await store.count(meeting('m1'))).toBe(6)
    })

    it('1, 5: numbers are never reused, even after deleteAllOf', async () => {
      const store = open()
      await store.add(meeting('m1'), version())
      await store.add(meeting('m1'), version())
      expect(await store.deleteAllOf(meeting('m1'))).toBe(2)
      expect(await store.list(meeting('m1'))).toEqual([])
      expect(await store.get(meeting('m1'), 1)).toBeNull()
      expect((await store.add(meeting('m1'), version())).number).toBe(3)
    })

    it('2: addIfChanged adds only when the latest content hash differs, atomically', async () => {
      const store = open()
      const first = await store.addIfChanged(meeting('m1'), version())
      expect(first.created).toBe(true)
      const again = await store.addIfChanged(meeting('m1'), version({ label: 'altro' }))
      expect(again).toEqual({ version: first.version, created: false })
      const racing = await Promise.all([1, 2, 3].map(() => store.addIfChanged(meeting('m1'), version({ contentHash: 'h2' }))))
      expect(racing.filter((r) => r.created)).toHaveLength(1)
      expect(await store.count(meeting('m1'))).toBe(2)
      // an older version with the same hash does not count: only the latest is compared
      expect((await store.addIfChanged(meeting('m1'), version())).created).toBe(true)
    })

    it('3: get returns exactly what was added, sharing no mutable state', async () => {
      const store = open()
      const input = version({ note: 'Nota', restoredFrom: 1, kind: 'restored', author: { name: null, role: 'facilitator' } })
      const summary = await store.add(meeting('m1'), input)
      expect(summary).toEqual({
        number: 1,
        label: input.label,
        note: 'Nota',
        kind: 'restored',
        author: { name: null, role: 'facilitator' },
        createdAt: input.createdAt,
        contentHash: input.contentHash,
        counts: input.counts,
        restoredFrom: 1,
        hasImages: false,
      })
      ;(input.records[0]!.props as { text: string }).text = 'changed by the caller'
      input.counts.byType.note = 99
      const got = await store.get(meeting('m1'), 1)
      expect(got).toEqual({ ...summary, schema: input.schema, records: [note('a', 'ciao')] })
      ;(got!.records[0]!.props as { nested: { list: number[] } }).nested.list.push(3)
      got!.counts.shapes = 42
      expect(await store.get(meeting('m1'), 1)).toEqual({ ...summary, schema: input.schema, records: [note('a', 'ciao')] })
      expect(await store.get(meeting('m1'), 2)).toBeNull()
      expect(await store.get(meeting('other'), 1)).toBeNull()
      const texts = await store.getRecordTexts(meeting('m1'), 1)
      expect(texts?.schema).toEqual(input.schema)
      expect(texts?.texts.map((t) => JSON.parse(t))).toEqual([note('a', 'ciao')])
      expect(texts?.outline).toEqual(outlineOf([note('a', 'ciao')]))
      expect(await store.getRecordTexts(meeting('m1'), 2)).toBeNull()
    })

    it('4: list is newest first without records, and pages with limit/before', async () => {
      const store = open()
      for (let i = 1; i <= 5; i++) await store.add(meeting('m1'), version({ label: `v${i}`, contentHash: `h${i}` }))
      const all = await store.list(meeting('m1'))
      expect(all.map((v) => v.number)).toEqual([5, 4, 3, 2, 1])
      expect(all[0]).not.toHaveProperty('records')
      expect((await store.list(meeting('m1'), { limit: 2 })).map((v) => v.number)).toEqual([5, 4])
      expect((await store.list(meeting('m1'), { before: 4, limit: 2 })).map((v) => v.number)).toEqual([3, 2])
      expect((await store.latest(meeting('m1')))?.label).toBe('v5')
      expect(await store.latest(meeting('none'))).toBeNull()
      expect(await store.list(meeting('none'))).toEqual([])
    })

    it('5: putImages replaces the images and marks the version; unknown versions refuse', async () => {
      const store = open()
      await store.add(meeting('m1'), version())
      expect(await store.getImages(meeting('m1'), 1)).toEqual([])
      const images = [{ frameId: 'shape:f1', svg: '<svg>1</svg>' }, { frameId: 'shape:f2', svg: '<svg>2</svg>' }]
      expect(await store.putImages(meeting('m1'), 1, images)).toBe(true)
      expect(await store.getImages(meeting('m1'), 1)).toEqual(images)
      expect((await store.latest(meeting('m1')))?.hasImages).toBe(true)
      expect(await store.putImages(meeting('m1'), 1, [images[1]!])).toBe(true)
      expect(await store.getImages(meeting('m1'), 1)).toEqual([images[1]])
      expect(await store.putImages(meeting('m1'), 7, images)).toBe(false)
      expect(await store.getImages(meeting('m1'), 7)).toBeNull()
      // images never change the records
      expect((await store.get(meeting('m1'), 1))?.records).toEqual([note('a', 'ciao')])
    })

    it('3: records with newlines, quotes and unicode in their text come back as they were, as records and as texts', async () => {
      const store = open()
      const tricky = [note('a', 'riga uno\nriga "due"\u2028 è ✓'), note('b', '\\n non è un a capo'), { id: 'page:p', typeTag: ',\n,', typeName: 'page' }]
      await store.add(meeting('m1'), version({ records: tricky as BoardRecord[] }))
      expect((await store.get(meeting('m1'), 1))?.records).toEqual(tricky)
      expect((await store.getRecordTexts(meeting('m1'), 1))?.texts.map((t) => JSON.parse(t))).toEqual(tricky)
      await store.add(meeting('m1'), version({ records: [] }))
      expect((await store.get(meeting('m1'), 2))?.records).toEqual([])
      expect((await store.getRecordTexts(meeting('m1'), 2))?.texts).toEqual([])
    })

    it('3: the outline of getRecordTexts is outlineOf the records, in their order (parents, binding ends), also after re-open', async () => {
      const store = open()
      const board = [
        { id: 'page:p', typeName: 'page', name: 'Pagina' },
        { id: 'shape:frame', typeName: 'shape', type: 'frame', parentId: 'page:p', props: { name: 'Mappa' } },
        { ...note('in', 'dentro'), parentId: 'shape:frame' },
        { id: 'shape:arrow', typeName: 'shape', type: 'arrow', parentId: 'page:p' },
        { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: 'shape:arrow', toId: 'shape:in' },
        { ...note('orphan', 'sola'), parentId: 'shape:gone' },
      ] as BoardRecord[]
      await store.add(meeting('m1'), version({ records: board }))
      const expected = outlineOf(board)
      expect(expected[4]).toMatchObject({ fromId: 'shape:arrow', toId: 'shape:in' })
      expect((await store.getRecordTexts(meeting('m1'), 1))?.outline).toEqual(expected)
      await store.close()
      expect((await open().getRecordTexts(meeting('m1'), 1))?.outline).toEqual(expected)
    })

    it('7: a restore intent stays until completed: its restored version and its removal are one step, done once', async () => {
      const store = open()
      await store.add(meeting('m1'), version())
      const input = intent()
      const begun = await store.beginRestore(meeting('m1'), input)
      expect(begun).toEqual({ ...input, id: begun.id, meetingId: 'm1' })
      input.writer.clock = 0
      ;(input.author as { name: string | null }).name = 'changed by the caller'
      const other = await store.beginRestore(meeting('m2'), intent({ restoredFrom: 4, author: null }))
      expect(await store.pendingRestores()).toEqual([begun, other])
      expect(other.id).toBeGreaterThan(begun.id)
      const restored = version({ kind: 'restored', label: 'Ripristino della versione 1', restoredFrom: 1 })
      const added = await store.completeRestore(meeting('m1'), begun.id, restored)
      expect(added).toMatchObject({ number: 2, kind: 'restored', restoredFrom: 1, label: 'Ripristino della versione 1' })
      expect(await store.pendingRestores()).toEqual([other])
      // settled already (by the restore or the start-up recovery): nothing added twice
      expect(await store.completeRestore(meeting('m1'), begun.id, restored)).toBeNull()
      // an intent is addressed by its meeting too
      expect(await store.completeRestore(meeting('m1'), other.id, restored)).toBeNull()
      expect(await store.count(meeting('m1'))).toBe(2)
      expect(await store.count(meeting('m2'))).toBe(0)
    })

    it('7: abandonRestore drops an intent once; an abandoned intent completes nothing', async () => {
      const store = open()
      const begun = await store.beginRestore(meeting('m1'), intent())
      expect(await store.abandonRestore(meeting('m1'), begun.id)).toBe(true)
      expect(await store.abandonRestore(meeting('m1'), begun.id)).toBe(false)
      expect(await store.pendingRestores()).toEqual([])
      expect(await store.completeRestore(meeting('m1'), begun.id, version({ kind: 'restored' }))).toBeNull()
      expect(await store.count(meeting('m1'))).toBe(0)
    })

    it('5, 7: deleteAllOf removes the meeting\'s restore intents with its versions, and no other meeting\'s', async () => {
      const store = open()
      await store.add(meeting('m1'), version())
      await store.beginRestore(meeting('m1'), intent())
      const kept = await store.beginRestore(meeting('m2'), intent())
      expect(await store.deleteAllOf(meeting('m1'))).toBe(1)
      expect(await store.pendingRestores()).toEqual([kept])
    })

    it('6, 7: a restore intent survives close and re-open, and completes there', async () => {
      const store = open()
      const begun = await store.beginRestore(meeting('m1'), intent({ author: { name: null, role: 'facilitator' } }))
      await store.close()
      const reopened = open()
      expect(await reopened.pendingRestores()).toEqual([begun])
      expect((await reopened.completeRestore(meeting('m1'), begun.id, version({ kind: 'restored' })))?.number).toBe(1)
      expect(await reopened.pendingRestores()).toEqual([])
      await reopened.close()
      expect(await open().pendingRestores()).toEqual([])
    })

    it('8: eraseMeeting removes versions, images, intents and the counter of one meeting; writes after the tombstone are refused', async () => {
      const store = open()
      await store.add(meeting('gone'), version())
      await store.add(meeting('gone'), version({ contentHash: 'h2' }))
      await store.putImages(meeting('gone'), 1, [{ frameId: 'shape:f', svg: '<svg/>' }])
      const pending = await store.beginRestore(meeting('gone'), intent())
      const kept = await store.beginRestore(meeting('kept'), intent())
      await store.add(meeting('kept'), version())
      expect((await store.meetingIds()).sort()).toEqual(['gone', 'kept'])
      await harness!.erased().add('gone')
      await expect(store.add(meeting('gone'), version({ contentHash: 'h3' }))).rejects.toBeInstanceOf(MeetingErasedError)
      await expect(store.addIfChanged(meeting('gone'), version({ contentHash: 'h4' }))).rejects.toBeInstanceOf(MeetingErasedError)
      await expect(store.putImages(meeting('gone'), 2, [])).rejects.toBeInstanceOf(MeetingErasedError)
      await expect(store.beginRestore(meeting('gone'), intent())).rejects.toBeInstanceOf(MeetingErasedError)
      await expect(store.completeRestore(meeting('gone'), pending.id, version({ kind: 'restored', restoredFrom: 1 }))).rejects.toBeInstanceOf(
        MeetingErasedError,
      )
      expect(await store.count(meeting('gone'))).toBe(2)
      expect(await store.eraseMeeting('gone')).toBe(2)
      expect(await store.eraseMeeting('gone')).toBe(0)
      expect(await store.count(meeting('gone'))).toBe(0)
      expect(await store.getImages(meeting('gone'), 1)).toBeNull()
      expect(await store.pendingRestores()).toEqual([kept])
      expect(await store.meetingIds()).toEqual(['kept'])
      expect(await store.count(meeting('kept'))).toBe(1)
      expect(store.component).toBe('versions')
    })

    it('6: everything survives close and re-open', async () => {
      const store = open()
      await store.add(meeting('m1'), version())
      await store.putImages(meeting('m1'), 1, [{ frameId: 'shape:f', svg: '<svg/>' }])
      await store.close()
      const reopened = open()
      expect((await reopened.get(meeting('m1'), 1))?.records).toEqual([note('a', 'ciao')])
      expect(await reopened.getImages(meeting('m1'), 1)).toEqual([{ frameId: 'shape:f', svg: '<svg/>' }])
      expect((await reopened.add(meeting('m1'), version())).number).toBe(2)
      expect(await reopened.storedBytes(meeting('m1'), 1)).toBeGreaterThan(0)
      expect(await reopened.storedBytes(meeting('m1'), 9)).toBeNull()
    })
  })
}
