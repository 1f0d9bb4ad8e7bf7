/**
 * The DemoStore contract (server/src/demo/demoStore.ts), run against SQLite and PostgreSQL by demoStore.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import type { DemoStore } from '../../server/src/demo/demoStore.ts'
import { MeetingErasedError, type ErasedMeetings } from '../../server/src/store/meetingErasure.ts'

export interface DemoStoreHarness {
  /** Opens a store on the harness's storage: twice on the same storage must see the same data. */
  open(): DemoStore
  /** The tombstones the stores of this storage check; call after open(). */
  erased(): ErasedMeetings
  dispose(): void | Promise<void>
}

const DEMO = 'demo-meeting' as MeetingId

export function runDemoStoreContract(name: string, makeHarness: () => DemoStoreHarness): void {
  describe(`DemoStore contract: ${name}`, () => {
    let harness: DemoStoreHarness | null = null
    const open = () => {
      harness ??= makeHarness()
      return harness.open()
    }
    afterEach(async () => {
      await harness?.dispose()
      harness = null
    })

    it('remembers the demo meeting once, for every later handle', async () => {
      const store = open()
      expect(await store.made()).toBeNull()
      expect(await store.meetingIds()).toEqual([])
      await store.remember(DEMO, '2025-09-15T09:00:00.000Z')
      expect(await open().made()).toEqual({ meetingId: DEMO })
      await expect(store.remember('another' as MeetingId, '2025-09-15T09:00:00.000Z')).rejects.toThrow()
      expect(await open().meetingIds()).toEqual([DEMO])
    })

    it('erasing the demo meeting clears its id and keeps the fact that one was made; a remember after the tombstone is refused', async () => {
      const store = open()
      await store.remember(DEMO, '2025-09-15T09:00:00.000Z')
      await harness!.erased().add(DEMO)
      expect(await store.eraseMeeting(DEMO)).toBe(1)
      expect(await store.eraseMeeting(DEMO)).toBe(0)
      expect(await store.made()).toEqual({ meetingId: null })
      expect(await store.meetingIds()).toEqual([])
      expect(store.component).toBe('demo')
    })

    it("the demo's process is remembered once the demo meeting is, for every later handle, and outlives the meeting's erase", async () => {
      const store = open()
      // nothing to attach it to before the demo meeting is remembered
      await store.rememberProcess('2025-09-15T09:00:00.000Z')
      expect(await store.processMade()).toBe(false)
      await store.remember(DEMO, '2025-09-15T09:00:00.000Z')
      expect(await store.processMade()).toBe(false)
      await store.rememberProcess('2025-09-15T09:01:00.000Z')
      expect(await open().processMade()).toBe(true)
      await harness!.erased().add(DEMO)
      await store.eraseMeeting(DEMO)
      expect(await open().processMade()).toBe(true)
    })

    it('a demo meeting erased before it was remembered is refused and leaves nothing', async () => {
      const store = open()
      harness!.erased()
      await harness!.erased().add(DEMO)
      await expect(store.remember(DEMO, '2025-09-15T09:00:00.000Z')).rejects.toBeInstanceOf(MeetingErasedError)
      expect(await store.made()).toBeNull()
    })

    it('exportRecord answers the row as stored; importRecord stores it on an empty store and refuses a second', async () => {
      const store = open()
      expect(await store.exportRecord()).toBeNull()
      await store.remember(DEMO, '2025-09-15T09:00:00.000Z')
      await store.rememberProcess('2025-09-15T09:01:00.000Z')
      expect(await open().exportRecord()).toEqual({ meetingId: DEMO, createdAt: '2025-09-15T09:00:00.000Z', processMadeAt: '2025-09-15T09:01:00.000Z' })
      await expect(store.importRecord({ meetingId: null, createdAt: '2025-09-15T09:00:00.000Z', processMadeAt: null })).rejects.toThrow()
      await harness!.erased().add(DEMO)
      await store.eraseMeeting(DEMO)
      const erased = await store.exportRecord()
      expect(erased).toEqual({ meetingId: null, createdAt: '2025-09-15T09:00:00.000Z', processMadeAt: '2025-09-15T09:01:00.000Z' })
    })

    it('importRecord of an erased demo keeps "a demo was made" without a meeting', async () => {
      const store = open()
      await store.importRecord({ meetingId: null, createdAt: '2025-09-15T09:00:00.000Z', processMadeAt: null })
      expect(await open().made()).toEqual({ meetingId: null })
      expect(await store.processMade()).toBe(false)
    })
  })
}
