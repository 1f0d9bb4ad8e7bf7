/** RoomManager.discard (server/src/sync/SPEC.md R14), against in-memory sockets and a store that records its calls. */
import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/src/boardId.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import type { DocStore } from '../../server/src/store/DocStore.ts'
import { createMemoryDocStore } from '../../server/src/store/memoryDocStore.ts'
import type { RoomLimits } from '../../server/src/sync/Room.ts'
import { RoomManager } from '../../server/src/sync/RoomManager.ts'
import { connectMemoryClient } from '../helpers/memoryClient.ts'
import { deferred, waitFor } from '../helpers/waitFor.ts'

const BOARD = 'board-1' as BoardId
const limits: RoomLimits = { maxMessageBytes: 64 * 1024, rateLimitMessages: 1000, rateLimitWindowMs: 10_000, compactAfterUpdates: 500 }

/** A memory store whose appends can be held, recording every call in order. */
function recordingStore() {
  const inner = createMemoryDocStore()
  const calls: string[] = []
  let gate: Promise<void> | null = null
  const store: DocStore = {
    ...inner,
    async append(boardId, updates) {
      calls.push('append-start')
      if (gate) await gate
      await inner.append(boardId, updates)
      calls.push('append-end')
    },
    async compact(boardId) {
      calls.push('compact')
      return inner.compact(boardId)
    },
  }
  return {
    store,
    calls,
    hold() {
      const d = deferred()
      gate = d.promise
      return () => {
        gate = null
        d.resolve()
      }
    },
  }
}

describe('RoomManager.discard (R14)', () => {
  it('closes the board with the code, waits for the append in flight, never compacts, and keeps the board closed meanwhile', async () => {
    const { store, calls, hold } = recordingStore()
    const manager = new RoomManager({ store, logger: createSilentLogger(), limits, roomGraceMs: 1000 })
    const connect = (s: Parameters<RoomManager['connect']>[1], i: Parameters<RoomManager['connect']>[2]) => manager.connect(BOARD, s, i)
    const a = connectMemoryClient(connect)
    await waitFor(() => a.synced)
    a.doc.getMap('m').set('x', 1)
    a.doc.getMap('m').set('y', 2)
    await waitFor(() => calls.length >= 2 && calls.at(-1) === 'append-end')
    const release = hold()
    a.doc.getMap('m').set('z', 3)
    await waitFor(() => calls.at(-1) === 'append-start')

    const order: string[] = []
    const whileHeld = deferred<string>()
    const discarding = manager.discard(BOARD, CloseCode.MEETING_DELETED, 'meeting deleted', () => {
      order.push(`erase after ${calls.at(-1)}`)
      return whileHeld.promise
    })
    await waitFor(() => a.closed !== null)
    expect(a.closed).toEqual({ code: CloseCode.MEETING_DELETED, reason: 'meeting deleted' })
    expect(order).toEqual([]) // the append in flight has not resolved: the erase waits for it
    release()
    await waitFor(() => order.length === 1)
    expect(order).toEqual(['erase after append-end'])

    // while the erase runs, a new connection to the board is closed with the same code and no room is created
    const late = connectMemoryClient(connect)
    expect(late.closed).toEqual({ code: CloseCode.MEETING_DELETED, reason: 'meeting deleted' })
    expect(manager.getRoom(BOARD)).toBeUndefined()
    whileHeld.resolve('done')
    expect(await discarding).toBe('done')
    expect(calls).not.toContain('compact')

    // afterwards the board opens again (for a meeting the access policy then refuses it: 4404)
    const after = connectMemoryClient(connect)
    await waitFor(() => after.synced)
    expect(after.closed).toBeNull()
    for (const c of [a, late, after]) c.destroy()
    await manager.shutdown()
  })

  it('a board that is not loaded is held just as well, and the hold ends even if the erase throws', async () => {
    const manager = new RoomManager({ store: createMemoryDocStore(), logger: createSilentLogger(), limits, roomGraceMs: 1000 })
    const connect = (s: Parameters<RoomManager['connect']>[1], i: Parameters<RoomManager['connect']>[2]) => manager.connect(BOARD, s, i)
    await expect(
      manager.discard(BOARD, CloseCode.MEETING_DELETED, 'meeting deleted', () => {
        const during = connectMemoryClient(connect)
        expect(during.closed?.code).toBe(CloseCode.MEETING_DELETED)
        during.destroy()
        throw new Error('disk full')
      }),
    ).rejects.toThrow('disk full')
    const after = connectMemoryClient(connect)
    await waitFor(() => after.synced)
    after.destroy()
    await manager.shutdown()
  })
})
