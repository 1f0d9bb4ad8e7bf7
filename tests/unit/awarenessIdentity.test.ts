/** R7 (server/src/sync/SPEC.md): awareness roles are stamped, client ids belong to the credential that introduced them. */
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { encodeAwarenessEntries, sanitizeAwarenessEntries } from '../../server/src/sync/awarenessIdentity.ts'
import type { ConnectionInfo } from '../../server/src/sync/RoomSocket.ts'

const facilitator: ConnectionInfo = { connectionId: 'c-fac', role: 'facilitator', credential: 'facilitator:v1' }
const participant: ConnectionInfo = { connectionId: 'c-par', role: 'participant', credential: 'participant:v1' }
const participantAgain: ConnectionInfo = { connectionId: 'c-par-2', role: 'participant', credential: 'participant:v1' }

describe('sanitizeAwarenessEntries (R7)', () => {
  it('stamps user.role with the role of the key', () => {
    const state = { user: { id: 'user:1', name: 'Ada', role: 'facilitator' }, presenting: { since: 1 } }
    const result = sanitizeAwarenessEntries([{ clientId: 7, clock: 1, state }], participant, () => undefined)
    expect(result.changed).toBe(true)
    expect(result.entries[0]?.state).toEqual({ ...state, user: { ...state.user, role: 'participant' } })
    expect(state.user.role).toBe('facilitator') // the parsed input is not mutated
  })

  it('leaves a correct state untouched (no re-encoding) and states without user alone', () => {
    const correct = { user: { name: 'Ada', role: 'participant' } }
    const result = sanitizeAwarenessEntries(
      [
        { clientId: 7, clock: 1, state: correct },
        { clientId: 8, clock: 1, state: { cursor: { x: 1 } } },
        { clientId: 9, clock: 2, state: null },
      ],
      participant,
      () => undefined,
    )
    expect(result.changed).toBe(false)
    expect(result.entries.map((e) => e.state)).toEqual([correct, { cursor: { x: 1 } }, null])
  })

  it("drops entries for client ids owned by another key, including removals of them", () => {
    const owners = new Map([[42, facilitator]])
    const result = sanitizeAwarenessEntries(
      [
        { clientId: 42, clock: 9, state: { user: { name: 'fake', role: 'participant' } } },
        { clientId: 42, clock: 10, state: null },
        { clientId: 43, clock: 1, state: { user: { name: 'me', role: 'participant' } } },
      ],
      participant,
      (id) => owners.get(id),
    )
    expect(result.dropped).toBe(2)
    expect(result.entries.map((e) => e.clientId)).toEqual([43])
  })

  it('lets the same key take over its client id (a reconnect before the old socket timed out)', () => {
    const owners = new Map([[5, participant]])
    const result = sanitizeAwarenessEntries(
      [{ clientId: 5, clock: 3, state: { user: { role: 'participant' } } }],
      participantAgain,
      (id) => owners.get(id),
    )
    expect(result.dropped).toBe(0)
    expect(result.entries).toHaveLength(1)
  })

  it('encodes entries in the format y-protocols applies', () => {
    const doc = new Y.Doc()
    const awareness = new awarenessProtocol.Awareness(doc)
    const update = encodeAwarenessEntries([{ clientId: 99, clock: 4, state: { user: { name: 'Bea', role: 'viewer' } } }])
    awarenessProtocol.applyAwarenessUpdate(awareness, update, 'test')
    expect(awareness.getStates().get(99)).toEqual({ user: { name: 'Bea', role: 'viewer' } })
    awareness.destroy()
    doc.destroy()
  })
})
