import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingFields, MeetingStore, StoredMeeting } from '../../server/src/meetings/meetingStore.ts'
import { MeetingErasedError, type ErasedMeetings } from '../../server/src/store/meetingErasure.ts'
import { parseMeetingId, type MeetingId } from '../../shared/src/meetings/meetingId.ts'

const fields = (over: Partial<MeetingFields> = {}): MeetingFields => ({
  title: 'Laboratorio',
  reference: 'par-MEET-2025-09-622',
  startsAt: '2025-09-18T17:30:00+02:00',
  endsAt: null,
  place: 'Sala civica',
  organisations: ['Comune', 'Pro Loco'],
  description: null,
  versionsVisibleTo: 'facilitators',
  attendeesCount: null,
  processId: null,
  outcomeVersion: null,
  ...over,
})
export const meetingKeysOf = (p: string) => ({ facilitator: `${p}-f`, participant: `${p}-p`, viewer: `${p}-v` })
const keys = meetingKeysOf
const id = (s: string): MeetingId => parseMeetingId(s)!

export { fields as meetingFields }

export interface MeetingStoreUnderTest {
  store: MeetingStore
  /** The tombstones the store checks (the same storage). */
  erased: ErasedMeetings
  /** A new store on the same storage, like a restarted process. */
  reopen: () => MeetingStore
  cleanup: () => void | Promise<void>
}

/** The MeetingStore contract (server/src/meetings/meetingStore.ts, rules 1-9); run against every implementation. */
export function runMeetingStoreContract(name: string, make: () => MeetingStoreUnderTest) {
  describe(`MeetingStore contract: ${name}`, () => {
    let cleanup: () => void | Promise<void> = () => {}
    afterEach(() => cleanup())
    const setup = () => {
      const s = make()
      cleanup = s.cleanup
      return s
    }

    it('creates and reads back a meeting with its keys at version 1', async () => {
      const { store } = setup()
      const created = await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      expect(created.meeting).toEqual({
        id: 'm1',
        ...fields(),
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
        lastActivityAt: null,
      })
      expect(created.keys).toEqual(keys('a'))
      expect(created.keyVersions).toEqual({ facilitator: 1, participant: 1, viewer: 1 })
      expect(await store.get(id('m1'))).toEqual(created)
      expect(await store.get(id('nope'))).toBeNull()
    })

    it('7: finds the meetings that share a reference, ignoring case, newest first', async () => {
      const { store, reopen } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.create(id('m2'), fields({ reference: 'altro-1' }), keys('b'), '2025-01-02T00:00:00.000Z')
      await store.create(id('m3'), fields({ reference: 'PAR-meet-2025-09-622', title: 'Copia' }), keys('c'), '2025-01-03T00:00:00.000Z')
      await store.create(id('m4'), fields({ reference: null }), keys('d'), '2025-01-04T00:00:00.000Z')
      expect((await store.withReference('par-MEET-2025-09-622')).map((m) => m.meeting.id)).toEqual(['m3', 'm1'])
      expect((await store.withReference('altro-1'))[0]?.keys).toEqual(keys('b'))
      expect(await store.withReference('nessuno')).toEqual([])
      expect((await reopen().withReference('par-meet-2025-09-622')).map((m) => m.meeting.id)).toEqual(['m3', 'm1'])
    })

    it('refuses a duplicate id', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await expect(store.create(id('m1'), fields(), keys('b'), '2025-01-01T00:00:00.000Z')).rejects.toThrow()
    })

    it('lists newest first, ties in creation order reversed', async () => {
      const { store } = setup()
      await store.create(id('old'), fields(), keys('o'), '2025-01-01T00:00:00.000Z')
      await store.create(id('new'), fields(), keys('n'), '2025-02-01T00:00:00.000Z')
      await store.create(id('new2'), fields(), keys('n2'), '2025-02-01T00:00:00.000Z')
      expect((await store.list()).map((m) => m.meeting.id)).toEqual(['new2', 'new', 'old'])
      expect((await store.list())[2]?.keys).toEqual(keys('o'))
    })

    it('updates only the given fields, and null clears', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      const u = await store.update(id('m1'), { title: 'Nuovo', place: null, organisations: [] }, '2025-01-02T00:00:00.000Z')
      expect(u?.meeting).toMatchObject({ title: 'Nuovo', place: null, organisations: [], reference: 'par-MEET-2025-09-622', updatedAt: '2025-01-02T00:00:00.000Z' })
      expect(await store.update(id('nope'), { title: 'x' }, '2025-01-02T00:00:00.000Z')).toBeNull()
    })

    it('rotates one key and bumps its version only', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      const r = await store.rotateKey(id('m1'), 'participant', 'fresh', '2025-01-02T00:00:00.000Z')
      expect(r?.keys).toEqual({ ...keys('a'), participant: 'fresh' })
      expect(r?.keyVersions).toEqual({ facilitator: 1, participant: 2, viewer: 1 })
      expect(await store.rotateKey(id('nope'), 'viewer', 'x', '2025-01-02T00:00:00.000Z')).toBeNull()
    })

    it('keeps the latest activity time', async () => {
      const { store } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.touchActivity(id('m1'), '2025-01-03T00:00:00.000Z')
      await store.touchActivity(id('m1'), '2025-01-02T00:00:00.000Z')
      await store.touchActivity(id('not-a-meeting'), '2025-01-02T00:00:00.000Z')
      expect((await store.get(id('m1')))?.meeting.lastActivityAt).toBe('2025-01-03T00:00:00.000Z')
    })

    it('keeps everything across a reopen', async () => {
      const { store, reopen } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.rotateKey(id('m1'), 'viewer', 'v2', '2025-01-02T00:00:00.000Z')
      const again = reopen()
      expect((await again.get(id('m1')))?.keys.viewer).toBe('v2')
      expect((await again.get(id('m1')))?.keyVersions.viewer).toBe(2)
    })
    it('rule 1: answers share no mutable state with the store', async () => {
      const { store } = setup()
      const created = await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      created.meeting.organisations.push('intruso')
      created.keys.viewer = 'changed'
      const read = await store.get(id('m1'))
      expect(read?.meeting.organisations).toEqual(['Comune', 'Pro Loco'])
      expect(read?.keys.viewer).toBe('a-v')
      read!.meeting.title = 'changed'
      expect((await store.list())[0]?.meeting.title).toBe('Laboratorio')
    })

    it('rule 2: listPage pages through the list order with a stable cursor', async () => {
      const { store } = setup()
      await store.create(id('a'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.create(id('b'), fields(), keys('b'), '2025-01-02T00:00:00.000Z')
      await store.create(id('c'), fields(), keys('c'), '2025-01-02T00:00:00.000Z')
      const first = await store.listPage(2, null)
      expect(first.meetings.map((m) => m.meeting.id)).toEqual(['c', 'b'])
      expect(first.next).not.toBeNull()
      // a meeting created between two pages does not shift the next one
      await store.create(id('d'), fields(), keys('d'), '2025-01-03T00:00:00.000Z')
      const second = await store.listPage(2, first.next)
      expect(second.meetings.map((m) => m.meeting.id)).toEqual(['a'])
      expect(second.next).toBeNull()
    })

    it('rule 4: eraseMeeting removes the meeting and its keys, and meetingIds names the stored ones', async () => {
      const { store } = setup()
      await store.create(id('gone'), fields(), keys('g'), '2025-01-01T00:00:00.000Z')
      await store.create(id('kept'), fields(), keys('k'), '2025-01-01T00:00:00.000Z')
      expect((await store.meetingIds()).sort()).toEqual(['gone', 'kept'])
      expect(await store.eraseMeeting('gone')).toBe(4)
      expect(await store.eraseMeeting('gone')).toBe(0)
      expect(await store.get(id('gone'))).toBeNull()
      expect(await store.meetingIds()).toEqual(['kept'])
      expect((await store.list()).map((m) => m.meeting.id)).toEqual(['kept'])
      expect(store.component).toBe('meetings')
    })

    it('rule 5: after the tombstone, writes for the meeting are refused and change nothing', async () => {
      const { store, erased } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      await erased.add('m1')
      await expect(store.update(id('m1'), { title: 'tardi' }, '2025-01-02T00:00:00.000Z')).rejects.toBeInstanceOf(MeetingErasedError)
      await expect(store.rotateKey(id('m1'), 'viewer', 'x', '2025-01-02T00:00:00.000Z')).rejects.toBeInstanceOf(MeetingErasedError)
      await store.touchActivity(id('m1'), '2025-01-02T00:00:00.000Z')
      const read = await store.get(id('m1'))
      expect(read?.meeting).toMatchObject({ title: 'Laboratorio', lastActivityAt: null, updatedAt: '2025-01-01T00:00:00.000Z' })
      expect(read?.keys.viewer).toBe('a-v')
      await erased.add('m2')
      await expect(store.create(id('m2'), fields(), keys('b'), '2025-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(MeetingErasedError)
      expect(await store.get(id('m2'))).toBeNull()
    })

    it('rule 7: listByProcess lists a process\'s meetings in creation order; moving a meeting out leaves the list', async () => {
      const { store, reopen } = setup()
      await store.create(id('b'), fields({ processId: 'processAAAAAAAAAAAA' }), keys('b'), '2025-01-02T00:00:00.000Z')
      await store.create(id('a'), fields({ processId: 'processAAAAAAAAAAAA' }), keys('a'), '2025-01-01T00:00:00.000Z')
      await store.create(id('c'), fields({ processId: 'processBBBBBBBBBBBB' }), keys('c'), '2025-01-01T00:00:00.000Z')
      await store.create(id('d'), fields(), keys('d'), '2025-01-01T00:00:00.000Z')
      expect((await store.listByProcess('processAAAAAAAAAAAA')).map((m) => m.meeting.id)).toEqual(['a', 'b'])
      expect((await store.get(id('c')))?.meeting.processId).toBe('processBBBBBBBBBBBB')
      expect((await store.get(id('d')))?.meeting.processId).toBeNull()
      await store.update(id('a'), { processId: null }, '2025-01-03T00:00:00.000Z')
      await store.update(id('c'), { processId: 'processAAAAAAAAAAAA' }, '2025-01-03T00:00:00.000Z')
      const again = reopen()
      expect((await again.listByProcess('processAAAAAAAAAAAA')).map((m) => m.meeting.id)).toEqual(['c', 'b'])
      expect(await again.listByProcess('processBBBBBBBBBBBB')).toEqual([])
    })

    it('rule 9: outcomeVersion is null on creation, set and cleared by update, untouched by other updates, kept across a reopen', async () => {
      const { store, reopen } = setup()
      expect((await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')).meeting.outcomeVersion).toBeNull()
      const { outcomeVersion: _absent, ...withoutOutcome } = fields()
      expect((await store.create(id('m2'), withoutOutcome, keys('b'), '2025-01-01T00:00:00.000Z')).meeting.outcomeVersion).toBeNull()
      expect((await store.update(id('m1'), { outcomeVersion: 7 }, '2025-01-02T00:00:00.000Z'))?.meeting.outcomeVersion).toBe(7)
      expect((await store.update(id('m1'), { title: 'Altro' }, '2025-01-03T00:00:00.000Z'))?.meeting.outcomeVersion).toBe(7)
      expect((await store.update(id('m1'), { outcomeVersion: undefined, place: 'Qui' }, '2025-01-03T00:00:00.000Z'))?.meeting.outcomeVersion).toBe(7)
      expect((await reopen().get(id('m1')))?.meeting.outcomeVersion).toBe(7)
      const again = reopen()
      expect((await again.update(id('m1'), { outcomeVersion: null }, '2025-01-04T00:00:00.000Z'))?.meeting.outcomeVersion).toBeNull()
      expect((await again.get(id('m1')))?.meeting.outcomeVersion).toBeNull()
      expect((await again.list()).map((m) => m.meeting.outcomeVersion)).toEqual([null, null])
    })

    it('rule 10: importMeeting stores a meeting as another store answered it, times and key versions included, in list order', async () => {
      const { store, erased, reopen } = setup()
      await store.create(id('m1'), fields(), keys('a'), '2025-01-01T00:00:00.000Z')
      const imported: StoredMeeting = {
        meeting: { outcomeVersion: null, id: 'm2', ...fields({ processId: 'proc_1', outcomeVersion: 2, attendeesCount: 7 }), createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-03-01T00:00:00.000Z', lastActivityAt: '2025-02-01T00:00:00.000Z' },
        keys: keys('b'),
        keyVersions: { facilitator: 3, participant: 1, viewer: 2 },
      }
      await store.importMeeting(imported)
      await expect(store.importMeeting(imported)).rejects.toThrow()
      await erased.add('m3')
      await expect(store.importMeeting({ ...imported, meeting: { ...imported.meeting, id: 'm3' } })).rejects.toBeInstanceOf(MeetingErasedError)
      const again = reopen()
      expect(await again.get(id('m2'))).toEqual(imported)
      expect(await again.get(id('m3'))).toBeNull()
      // same creation time: the one imported later lists first, as if created later
      expect((await again.list()).map((m) => m.meeting.id)).toEqual(['m2', 'm1'])
    })

    it('tombstones export by hash with their time and import as they were; an existing one is kept', async () => {
      const { erased } = setup()
      await erased.add('gone')
      const [own] = await erased.exportTombstones()
      expect(own!.idHash).toMatch(/^[0-9a-f]{64}$/)
      expect(Date.parse(own!.erasedAt)).not.toBeNaN()
      const other = { idHash: 'a'.repeat(64), erasedAt: '2025-01-02T03:04:05.678Z' }
      await erased.importTombstones([other, { idHash: own!.idHash, erasedAt: '2020-01-01T00:00:00.000Z' }])
      expect(await erased.exportTombstones()).toEqual([other, own].sort((x, y) => (x!.idHash < y!.idHash ? -1 : 1)))
      expect(await erased.has('gone')).toBe(true)
    })
  })
}
