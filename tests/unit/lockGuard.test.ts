import pino from 'pino'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { createLockGuard, LOCK_GUARD_ORIGIN } from '../../server/src/meetings/lockGuard.ts'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { parseBoardId } from '../../shared/src/boardId.ts'
import { isTavoloLocked, withTavoloLock } from '../../shared/src/locks.ts'
import type { Role } from '../../shared/src/roles.ts'

type Rec = Record<string, unknown>
const shape = (id: string, x: number, over: Rec = {}): Rec => ({ id, typeName: 'shape', type: 'geo', x, y: 0, isLocked: false, meta: {}, ...over })

/**
 * A server doc with the guard, and client docs that exchange updates with it the way the room does: a client's update
 * is applied to the server doc with a client origin; every server-doc update is then sent to all clients.
 */
function setup() {
  const server = new Y.Doc()
  const guard = createLockGuard(pino({ level: 'silent' }))(parseBoardId('b1')!, server)
  const serverUpdates: Array<{ origin: unknown }> = []
  const clients: Array<{ doc: Y.Doc; kv: YKeyValue<Rec>; role: Role }> = []
  server.on('update', (update: Uint8Array, origin: unknown) => {
    serverUpdates.push({ origin })
    for (const c of clients) if (origin !== c) Y.applyUpdate(c.doc, update, 'server')
  })
  const client = (role: Role) => {
    const doc = new Y.Doc()
    const entry = { doc, kv: new YKeyValue<Rec>(doc.getArray(RECORDS_ARRAY)), role }
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'server')
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'server') return
      Y.applyUpdate(server, update, { kind: 'client', connectionId: role, role, credential: `${role}:v1` })
    })
    clients.push(entry)
    return entry
  }
  const serverKv = new YKeyValue<Rec>(server.getArray(RECORDS_ARRAY))
  return { server, serverKv, guard, client, serverUpdates }
}

describe('lock guard on a room document', () => {
  it('L3: a participant moving a locked shape is put back, for everyone, by one server change', () => {
    const { serverKv, client, serverUpdates } = setup()
    const fac = client('facilitator')
    const par = client('participant')
    fac.kv.set('shape:a', withTavoloLock(shape('shape:a', 10), true))
    expect(par.kv.get('shape:a')?.x).toBe(10)
    const before = serverUpdates.length
    par.kv.set('shape:a', { ...par.kv.get('shape:a')!, x: 999 })
    for (const kv of [serverKv, fac.kv, par.kv]) expect(kv.get('shape:a')).toEqual(withTavoloLock(shape('shape:a', 10), true))
    const origins = serverUpdates.slice(before).map((u) => u.origin)
    expect(origins.filter((o) => o === LOCK_GUARD_ORIGIN)).toHaveLength(1) // no loop
  })

  it('L2: a facilitator may move, unlock and delete a locked shape', () => {
    const { serverKv, client } = setup()
    const fac = client('facilitator')
    fac.kv.set('shape:a', withTavoloLock(shape('shape:a', 10), true))
    fac.kv.set('shape:a', withTavoloLock(shape('shape:a', 50), true))
    expect(serverKv.get('shape:a')?.x).toBe(50)
    fac.kv.set('shape:a', shape('shape:a', 50))
    expect(isTavoloLocked(serverKv.get('shape:a'))).toBe(false)
    fac.kv.delete('shape:a')
    expect(serverKv.has('shape:a')).toBe(false)
  })

  it('L3/L4/L5: a participant can neither unlock, delete, nor lock', () => {
    const { serverKv, client } = setup()
    const fac = client('facilitator')
    const par = client('participant')
    const lockedA = withTavoloLock(shape('shape:a', 10), true)
    fac.kv.set('shape:a', lockedA)
    fac.kv.set('shape:b', shape('shape:b', 20))
    par.kv.set('shape:a', withTavoloLock(lockedA, false))
    expect(par.kv.get('shape:a')).toEqual(lockedA)
    par.kv.delete('shape:a')
    expect(par.kv.get('shape:a')).toEqual(lockedA)
    expect(serverKv.get('shape:a')).toEqual(lockedA)
    par.kv.set('shape:b', withTavoloLock(shape('shape:b', 20), true))
    expect(par.kv.get('shape:b')).toEqual(shape('shape:b', 20))
    expect(fac.kv.get('shape:b')).toEqual(shape('shape:b', 20))
  })

  it('L6: a participant may create and change unlocked shapes; a pasted locked shape loses its lock', () => {
    const { serverKv, client } = setup()
    const par = client('participant')
    par.kv.set('shape:n', shape('shape:n', 1))
    par.kv.set('shape:n', shape('shape:n', 2))
    expect(serverKv.get('shape:n')?.x).toBe(2)
    par.kv.set('shape:p', withTavoloLock(shape('shape:p', 3), true))
    expect(serverKv.get('shape:p')).toEqual(shape('shape:p', 3))
    expect(par.kv.get('shape:p')).toEqual(shape('shape:p', 3))
  })

  it('judges every record of a multi-record transaction', () => {
    const { serverKv, client } = setup()
    const fac = client('facilitator')
    const par = client('participant')
    fac.doc.transact(() => {
      fac.kv.set('shape:a', withTavoloLock(shape('shape:a', 1), true))
      fac.kv.set('shape:b', withTavoloLock(shape('shape:b', 2), true))
      fac.kv.set('shape:c', shape('shape:c', 3))
    })
    par.doc.transact(() => {
      par.kv.set('shape:a', { ...par.kv.get('shape:a')!, x: 100 })
      par.kv.delete('shape:b')
      par.kv.set('shape:c', shape('shape:c', 300))
    })
    expect(serverKv.get('shape:a')?.x).toBe(1)
    expect(serverKv.get('shape:b')?.x).toBe(2)
    expect(serverKv.get('shape:c')?.x).toBe(300)
    expect(par.kv.get('shape:b')?.x).toBe(2)
  })

  it('stops judging after destroy', () => {
    const { serverKv, client, guard } = setup()
    const fac = client('facilitator')
    const par = client('participant')
    fac.kv.set('shape:a', withTavoloLock(shape('shape:a', 1), true))
    guard.destroy()
    par.kv.set('shape:a', { ...par.kv.get('shape:a')!, x: 100 })
    expect(serverKv.get('shape:a')?.x).toBe(100)
  })

  it('L9: a participant deleting the page of a locked shape gets the page and everything on it back', () => {
    const { serverKv, client } = setup()
    const fac = client('facilitator')
    const par = client('participant')
    const page = { id: 'page:p', typeName: 'page', name: 'Mappa', meta: {} }
    const locked = withTavoloLock(shape('shape:a', 1, { parentId: 'page:p' }), true)
    const card = shape('shape:c', 2, { parentId: 'page:p' })
    fac.doc.transact(() => {
      fac.kv.set('page:p', page)
      fac.kv.set('shape:a', locked)
      fac.kv.set('shape:c', card)
    })
    // a participant deletes just the page (a client that does not cascade): reverted, the locked shape stays
    par.kv.delete('page:p')
    expect(serverKv.get('page:p')).toEqual(page)
    // the way tldraw deletes a page: with everything on it
    par.doc.transact(() => {
      par.kv.delete('shape:a')
      par.kv.delete('shape:c')
      par.kv.delete('page:p')
    })
    for (const kv of [serverKv, fac.kv, par.kv]) {
      expect(kv.get('page:p')).toEqual(page)
      expect(kv.get('shape:a')).toEqual(locked)
      expect(kv.get('shape:c')).toEqual(card)
    }
    // deleting an unlocked card alone is fine
    par.kv.delete('shape:c')
    expect(serverKv.has('shape:c')).toBe(false)
  })
})
