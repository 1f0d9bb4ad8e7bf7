/**
 * The VoteStore contract (server/src/facilitation/VoteStore.ts, rules VS1..VS7), run against every implementation
 * by voteStore.test.ts. A new implementation (PostgreSQL...) must pass it unchanged.
 */
import { storedVote } from '../helpers/voteFixture.ts'
import { afterEach, describe, expect, it } from 'vitest'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import type { VoteStore } from '../../server/src/facilitation/VoteStore.ts'

export interface VoteStoreHarness {
  /** Opens a store on the harness's storage: twice on the same storage must see the same data. */
  open(): VoteStore
  dispose(): void | Promise<void>
}

const M = 'meeting-one' as MeetingId
const OTHER = 'meeting-two' as MeetingId
const T0 = Date.parse('2025-09-15T09:00:00.000Z')

const vote = storedVote

export function runVoteStoreContract(name: string, makeHarness: () => VoteStoreHarness): void {
  describe(`VoteStore contract: ${name}`, () => {
    let harness: VoteStoreHarness | null = null
    const open = () => {
      harness ??= makeHarness()
      return harness.open()
    }
    afterEach(async () => {
      await harness?.dispose()
      harness = null
    })

    it('VS1: keeps copies; latest is the last created; another open handle sees the same', async () => {
      const store = open()
      const v = vote()
      await store.create(M, v)
      v.title = 'changed'
      v.cardIds.push('shape:z')
      const got = (await store.get(M, 'vote_one'))!
      expect(got.title).toBe('Priorità')
      got.cards.push({ id: 'shape:x', text: 'x' })
      expect((await store.get(M, 'vote_one'))!.cards).toHaveLength(2)
      await store.create(M, vote({ id: 'vote_two', createdAt: '2025-09-15T09:30:00.000Z' }))
      expect((await open().latest(M))!.id).toBe('vote_two')
      expect(await store.latest(OTHER)).toBeNull()
      expect(await store.get(OTHER, 'vote_one')).toBeNull()
    })

    it('VS2: a ballot replaces the previous one of that voter; ballots survive reopening', async () => {
      const store = open()
      await store.create(M, vote())
      const cardIds = ['shape:a', 'shape:a']
      expect(await store.putBallot(M, 'vote_one', { voterId: 'device-0000000001', cardIds }, T0)).toBe('ok')
      cardIds.push('shape:b')
      expect(await store.putBallot(M, 'vote_one', { voterId: 'device-0000000002', cardIds: ['shape:b'] }, T0)).toBe('ok')
      expect(await store.putBallot(M, 'vote_one', { voterId: 'device-0000000002', cardIds: ['shape:a'] }, T0)).toBe('ok')
      const again = open()
      expect(await again.getBallot(M, 'vote_one', 'device-0000000001')).toEqual({ voterId: 'device-0000000001', cardIds: ['shape:a', 'shape:a'] })
      expect((await again.ballots(M, 'vote_one')).sort((a, b) => a.voterId.localeCompare(b.voterId))).toEqual([
        { voterId: 'device-0000000001', cardIds: ['shape:a', 'shape:a'] },
        { voterId: 'device-0000000002', cardIds: ['shape:a'] },
      ])
      expect(await again.getBallot(M, 'vote_one', 'device-unknown0000')).toBeNull()
      expect(await store.putBallot(M, 'vote_nope', { voterId: 'device-0000000001', cardIds: [] }, T0)).toBe('missing')
    })

    it('VS3, VS4: no ballot after closing or after closesAt; close is once', async () => {
      const store = open()
      await store.create(M, vote({ closesAt: '2025-09-15T09:10:00.000Z' }))
      expect(await store.putBallot(M, 'vote_one', { voterId: 'device-0000000001', cardIds: ['shape:a'] }, T0 + 599_999)).toBe('ok')
      expect(await store.putBallot(M, 'vote_one', { voterId: 'device-0000000001', cardIds: ['shape:b'] }, T0 + 600_000)).toBe('closed')
      await store.create(M, vote({ id: 'vote_two' }))
      const closed = (await store.close(M, 'vote_two', '2025-09-15T09:20:00.000Z'))!
      expect(closed).toMatchObject({ state: 'closed', closedAt: '2025-09-15T09:20:00.000Z' })
      expect((await store.close(M, 'vote_two', '2025-09-15T09:30:00.000Z'))!.closedAt).toBe('2025-09-15T09:20:00.000Z')
      expect(await store.putBallot(M, 'vote_two', { voterId: 'device-0000000001', cardIds: ['shape:a'] }, T0)).toBe('closed')
      expect(await store.getBallot(M, 'vote_one', 'device-0000000001')).toEqual({ voterId: 'device-0000000001', cardIds: ['shape:a'] })
      expect(await store.close(M, 'vote_nope', 'x')).toBeNull()
    })

    it('VS5: reveal stores results once; afterwards nothing changes', async () => {
      const store = open()
      await store.create(M, vote())
      const results = [
        { cardId: 'shape:b', text: 'B', votes: 2, rank: 1 },
        { cardId: 'shape:a', text: 'A', votes: 0, rank: 2 },
      ]
      const revealed = (await store.reveal(M, 'vote_one', { at: '2025-09-15T09:40:00.000Z', results, voters: 1, votesCast: 2 }))!
      expect(revealed).toMatchObject({ state: 'revealed', revealedAt: '2025-09-15T09:40:00.000Z', closedAt: '2025-09-15T09:40:00.000Z', voters: 1, votesCast: 2 })
      const again = (await open().reveal(M, 'vote_one', { at: '2025-09-15T10:00:00.000Z', results: [], voters: 9, votesCast: 9 }))!
      expect(again.results).toEqual(results)
      expect(again.revealedAt).toBe('2025-09-15T09:40:00.000Z')
      expect((await store.close(M, 'vote_one', 'x'))!.state).toBe('revealed')
      expect(await store.putBallot(M, 'vote_one', { voterId: 'device-0000000001', cardIds: ['shape:a'] }, T0)).toBe('closed')
    })

    it('VS6: deleteMeeting removes that meeting only', async () => {
      const store = open()
      await store.create(M, vote())
      await store.create(OTHER, vote())
      await store.putBallot(M, 'vote_one', { voterId: 'device-0000000001', cardIds: ['shape:a'] }, T0)
      await store.putBallot(M, 'vote_one', { voterId: 'device-0000000002', cardIds: ['shape:a'] }, T0)
      await store.putBallot(OTHER, 'vote_one', { voterId: 'device-0000000001', cardIds: ['shape:b'] }, T0)
      expect(await store.deleteMeeting(M)).toBe(3)
      expect(await store.get(M, 'vote_one')).toBeNull()
      expect(await store.ballots(M, 'vote_one')).toEqual([])
      expect(await store.getBallot(OTHER, 'vote_one', 'device-0000000001')).toEqual({ voterId: 'device-0000000001', cardIds: ['shape:b'] })
      expect(await store.deleteMeeting(M)).toBe(0)
    })

    it('VS7: exportMeeting answers every vote with its ballots in creation order; importVote stores them as given', async () => {
      const store = open()
      await store.create(M, vote())
      await store.putBallot(M, 'vote_one', { voterId: 'device-b', cardIds: ['shape:a'] }, T0)
      await store.putBallot(M, 'vote_one', { voterId: 'device-a', cardIds: ['shape:a', 'shape:b'] }, T0)
      await store.create(M, vote({ id: 'vote_two', createdAt: '2025-09-15T09:30:00.000Z' }))
      await store.reveal(M, 'vote_one', { at: '2025-09-15T10:00:00.000Z', results: [], voters: 2, votesCast: 3 })
      const exported = await open().exportMeeting(M)
      expect(exported.map((e) => e.vote.id)).toEqual(['vote_one', 'vote_two'])
      expect(exported[0]!.vote.state).toBe('revealed')
      expect(exported[0]!.ballots).toEqual([
        { voterId: 'device-a', cardIds: ['shape:a', 'shape:b'] },
        { voterId: 'device-b', cardIds: ['shape:a'] },
      ])
      expect(await store.exportMeeting(OTHER)).toEqual([])
      // a revealed vote imports with its ballots (putBallot would refuse them now)
      for (const e of exported) await store.importVote(OTHER, e)
      expect(await open().exportMeeting(OTHER)).toEqual(exported)
      expect((await store.latest(OTHER))!.id).toBe('vote_two')
      await expect(store.importVote(OTHER, exported[0]!)).rejects.toThrow()
    })
  })
}
