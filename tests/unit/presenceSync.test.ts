import { afterEach, describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import { InstancePresenceRecordType, atom, createUserId, type TLInstancePresence, type TLUser } from 'tldraw'
import { createBoardStore, FIRST_PAGE_ID } from '../../client/src/board/boardStore.ts'
import { presenceIdFor, startPresenceSync } from '../../client/src/board/presenceSync.ts'
import { isPresenceColor } from '../../client/src/identity/localPreferences.ts'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
  vi.restoreAllMocks()
})

function user(name: string): TLUser {
  return { id: createUserId(name), typeName: 'user', name, color: '#1c7ed6', imageUrl: '', meta: {} }
}

/** B runs the presence sync; "peer" is another client whose awareness reaches B like through a relay. */
function setup() {
  const store = createBoardStore()
  const docB = new Y.Doc()
  const awarenessB = new Awareness(docB)
  const stop = startPresenceSync({ store, awareness: awarenessB, $user: atom('user', user('bruno')), role: 'participant' })
  const peer = new Awareness(new Y.Doc())
  const relay = () => applyAwarenessUpdate(awarenessB, encodeAwarenessUpdate(peer, [peer.clientID]), 'network')
  cleanups.push(() => {
    stop()
    awarenessB.destroy()
    peer.destroy()
  })
  return { store, awarenessB, peer, relay, stop }
}

function presence(userName: string): TLInstancePresence {
  return InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId('whatever'),
    userId: createUserId(userName),
    userName,
    currentPageId: FIRST_PAGE_ID,
    cursor: { x: 10, y: 20, rotation: 0, type: 'default' },
    color: '#d6336c',
  })
}

const anna = { id: 'anna', name: 'Anna', color: '#d6336c', role: 'participant' }

describe('presence over awareness', () => {
  test('issue 19 item 10: the projector (viewer) and an unnamed page ("…") get no cursor or avatar; naming shows it', () => {
    const { store, peer, relay, awarenessB } = setup()
    const wall = new Awareness(new Y.Doc())
    cleanups.push(() => wall.destroy())
    wall.setLocalState({ user: { id: 'wall', name: 'Proiettore', color: '#d6336c', role: 'viewer' }, presence: presence('Proiettore') })
    applyAwarenessUpdate(awarenessB, encodeAwarenessUpdate(wall, [wall.clientID]), 'network')
    expect(store.get(presenceIdFor(wall.clientID))).toBeUndefined()
    peer.setLocalState({ user: { ...anna, name: '…' }, presence: presence('…') })
    relay()
    expect(store.get(presenceIdFor(peer.clientID))).toBeUndefined()
    peer.setLocalState({ user: anna, presence: presence('Anna') })
    relay()
    expect(store.get(presenceIdFor(peer.clientID))).toMatchObject({ userName: 'Anna' })
  })

  test('a peer’s presence becomes an instance_presence record keyed by its client id, and leaves with it', () => {
    const { store, peer, relay, awarenessB } = setup()
    peer.setLocalState({ user: { id: 'anna', name: 'Anna', color: '#d6336c', role: 'participant' }, presence: presence('Anna') })
    relay()
    const id = presenceIdFor(peer.clientID)
    expect(store.get(id)).toMatchObject({ userName: 'Anna', cursor: { x: 10, y: 20 } })

    peer.setLocalStateField('presence', { ...presence('Anna'), cursor: { x: 50, y: 60, rotation: 0, type: 'default' } })
    relay()
    expect(store.get(id)).toMatchObject({ cursor: { x: 50, y: 60 } })

    removeAwarenessStates(awarenessB, [peer.clientID], 'network')
    expect(store.get(id)).toBeUndefined()
  })

  test('two people with the same colour get distinct cursor colours; the one who joined first keeps it', () => {
    const { store, peer, relay, awarenessB } = setup()
    const second = new Awareness(new Y.Doc())
    cleanups.push(() => second.destroy())
    peer.setLocalState({ user: { id: 'anna', name: 'Anna', color: '#d6336c', role: 'participant', joinedAt: 2 }, presence: presence('Anna') })
    relay()
    expect(store.get(presenceIdFor(peer.clientID))?.color).toBe('#d6336c')
    second.setLocalState({ user: { id: 'carlo', name: 'Carlo', color: '#d6336c', role: 'participant', joinedAt: 1 }, presence: presence('Carlo') })
    applyAwarenessUpdate(awarenessB, encodeAwarenessUpdate(second, [second.clientID]), 'network')
    // Carlo was there first: he keeps the colour, and Anna's cursor (already shown) is written again with another.
    expect(store.get(presenceIdFor(second.clientID))?.color).toBe('#d6336c')
    expect(store.get(presenceIdFor(peer.clientID))?.color).not.toBe('#d6336c')
    removeAwarenessStates(awarenessB, [second.clientID], 'network')
    expect(store.get(presenceIdFor(peer.clientID))?.color).toBe('#d6336c')
  })

  test('an invalid presence is ignored with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { store, peer, relay } = setup()
    peer.setLocalState({ user: anna, presence: { ...presence('Anna'), cursor: 'not a cursor' } })
    relay()
    expect(store.get(presenceIdFor(peer.clientID))).toBeUndefined()
    expect(warn).toHaveBeenCalled()
  })

  test('peers already present before the sync started are shown (getStates read once)', () => {
    const store = createBoardStore()
    const awarenessB = new Awareness(new Y.Doc())
    const peer = new Awareness(new Y.Doc())
    peer.setLocalState({ user: anna, presence: presence('Anna') })
    applyAwarenessUpdate(awarenessB, encodeAwarenessUpdate(peer, [peer.clientID]), 'network')
    const stop = startPresenceSync({ store, awareness: awarenessB, $user: atom('user', user('bruno')), role: 'participant' })
    expect(store.get(presenceIdFor(peer.clientID))).toBeDefined()
    stop()
    // dispose removes the remote presences it added and stops listening
    expect(store.get(presenceIdFor(peer.clientID))).toBeUndefined()
    peer.setLocalStateField('presence', presence('Anna'))
    applyAwarenessUpdate(awarenessB, encodeAwarenessUpdate(peer, [peer.clientID]), 'network')
    expect(store.get(presenceIdFor(peer.clientID))).toBeUndefined()
    awarenessB.destroy()
    peer.destroy()
  })

  test('the local user (name, colour, role) is published in awareness, deferred out of the reaction', async () => {
    const { awarenessB } = setup()
    await vi.waitFor(() => expect(awarenessB.getLocalState()?.user).toEqual({
      id: 'user:bruno',
      name: 'bruno',
      color: '#1c7ed6',
      role: 'participant',
      joinedAt: expect.any(Number),
    }))
  })

  test('issue 21: a peer whose colour is off the palette (an older client, any client) gets a palette colour, which passes the cursor label contrast', () => {
    const { store, peer, relay } = setup()
    peer.setLocalState({ user: { ...anna, color: '#f08c00' }, presence: { ...presence('Anna'), color: '#f08c00' } })
    relay()
    const color = store.get(presenceIdFor(peer.clientID))?.color
    expect(color).toBeDefined()
    expect(isPresenceColor(color)).toBe(true)
  })
})
