/**
 * The PrivateCardStore contract (server/src/facilitation/PrivateCardStore.ts, rules PS1..PS6), run against every
 * implementation by privateCardStore.test.ts. A new implementation must pass it unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PrivateCardStore } from '../../server/src/facilitation/PrivateCardStore.ts'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { privateWriter, storedRound } from '../helpers/voteFixture.ts'

export interface PrivateCardStoreHarness {
  /** Opens a store on the harness's storage: twice on the same storage must see the same data. */
  open(): PrivateCardStore
  dispose(): void | Promise<void>
}

const M = 'meeting-one' as MeetingId
const OTHER = 'meeting-two' as MeetingId

export function runPrivateCardStoreContract(name: string, makeHarness: () => PrivateCardStoreHarness): void {
  describe(`PrivateCardStore contract: ${name}`, () => {
    let harness: PrivateCardStoreHarness | null = null
    const open = () => {
      harness ??= makeHarness()
      return harness.open()
    }
    afterEach(async () => {
      await harness?.dispose()
      harness = null
    })

    it('PS1: keeps copies; latest is the last created; another open handle sees the same', async () => {
      const store = open()
      const round = storedRound()
      await store.create(M, round)
      round.named = true
      await store.create(M, storedRound({ id: 'round_two', createdAt: '2025-09-15T10:00:00.000Z' }))
      const writer = privateWriter('device-0000000001', ['Orti'])
      expect(await store.putCards(M, 'round_one', writer)).toBe('ok')
      writer.cards[0]!.text = 'changed'
      const got = (await store.getCards(M, 'round_one', 'device-0000000001'))!
      expect(got.cards[0]!.text).toBe('Orti')
      got.cards[0]!.text = 'changed too'
      const again = open()
      expect((await again.get(M, 'round_one'))!.named).toBe(false)
      expect((await again.latest(M))!.id).toBe('round_two')
      expect((await again.getCards(M, 'round_one', 'device-0000000001'))!.cards[0]!.text).toBe('Orti')
      expect(await again.latest(OTHER)).toBeNull()
    })

    it('PS2, PS3: a list replaces the previous one; no round → missing; a revealed round → closed, nothing stored', async () => {
      const store = open()
      expect(await store.putCards(M, 'round_one', privateWriter('device-0000000001', ['a']))).toBe('missing')
      await store.create(M, storedRound())
      await store.putCards(M, 'round_one', privateWriter('device-0000000001', ['a', 'b']))
      await store.putCards(M, 'round_one', privateWriter('device-0000000001', ['c'], { name: 'Anna' }))
      await store.putCards(M, 'round_one', privateWriter('device-0000000002', ['d']))
      const writers = await store.writers(M, 'round_one')
      expect(writers.map((w) => [w.voterId, w.name, w.cards.map((c) => c.text)])).toEqual([
        ['device-0000000001', 'Anna', ['c']],
        ['device-0000000002', null, ['d']],
      ])
      await store.reveal(M, 'round_one', '2025-09-15T09:30:00.000Z')
      expect(await store.putCards(M, 'round_one', privateWriter('device-0000000003', ['late']))).toBe('closed')
      expect(await store.getCards(M, 'round_one', 'device-0000000003')).toBeNull()
    })

    it('PS4: reveal once; a revealed round is returned unchanged', async () => {
      const store = open()
      expect(await store.reveal(M, 'round_one', '2025-09-15T09:30:00.000Z')).toBeNull()
      await store.create(M, storedRound())
      const first = await store.reveal(M, 'round_one', '2025-09-15T09:30:00.000Z')
      expect(first).toMatchObject({ state: 'revealed', revealedAt: '2025-09-15T09:30:00.000Z' })
      expect(await store.reveal(M, 'round_one', '2025-09-15T10:00:00.000Z')).toEqual(first)
    })

    it('PS5: deleteMeeting removes every round and card of the meeting and nothing else', async () => {
      const store = open()
      for (const m of [M, OTHER]) {
        await store.create(m, storedRound())
        await store.putCards(m, 'round_one', privateWriter('device-0000000001', ['a']))
        await store.putCards(m, 'round_one', privateWriter('device-0000000002', ['b']))
      }
      expect([...(await store.meetingIds())].sort()).toEqual([M, OTHER].sort())
      expect(await store.deleteMeeting(M)).toBe(3)
      expect(await store.get(M, 'round_one')).toBeNull()
      expect(await store.writers(M, 'round_one')).toEqual([])
      expect(await store.meetingIds()).toEqual([OTHER])
      expect(await store.writers(OTHER, 'round_one')).toHaveLength(2)
      expect(await store.deleteMeeting(M)).toBe(0)
    })

    it('PS6: exportMeeting answers every round with its writers in creation order; importRound stores them as given', async () => {
      const store = open()
      await store.create(M, storedRound())
      await store.putCards(M, 'round_one', privateWriter('device-0000000002', ['Orti']))
      await store.putCards(M, 'round_one', privateWriter('device-0000000001', ['Parco', 'Piazza']))
      await store.create(M, storedRound({ id: 'round_two', createdAt: '2025-09-15T10:00:00.000Z' }))
      await store.reveal(M, 'round_one', '2025-09-15T09:30:00.000Z')
      const exported = await open().exportMeeting(M)
      expect(exported.map((e) => e.round.id)).toEqual(['round_one', 'round_two'])
      expect(exported[0]!.round.state).toBe('revealed')
      expect(exported[0]!.writers.map((w) => w.voterId)).toEqual(['device-0000000001', 'device-0000000002'])
      expect(await store.exportMeeting(OTHER)).toEqual([])
      for (const e of exported) await store.importRound(OTHER, e)
      expect(await open().exportMeeting(OTHER)).toEqual(exported)
      expect((await store.latest(OTHER))!.id).toBe('round_two')
      await expect(store.importRound(OTHER, exported[0]!)).rejects.toThrow()
    })
  })
}
