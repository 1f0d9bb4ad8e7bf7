/** The sync server with real y-websocket providers over real sockets. Rules: server/src/sync/SPEC.md. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/src/boardId.ts'
import { CloseCode } from '../../shared/src/closeCodes.ts'
import { unauthorized, type AccessPolicy } from '../../server/src/access/accessPolicy.ts'
import type { DocStore } from '../../server/src/store/DocStore.ts'
import { openSqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteDocStore } from '../../server/src/store/sqliteDocStore.ts'
import { connectClient, destroyClients, startTestServer, startTestServersClosedAfterEach } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

const start = startTestServersClosedAfterEach()

/** Status line of a raw upgrade attempt (for refusals before the upgrade). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => reject(new Error('upgrade unexpectedly accepted')))
    ws.on('error', () => {})
  })
}

describe('sync over real sockets', () => {
  it('two clients converge', async () => {
    const s = await start()
    const a = connectClient(s.wsUrl, 'b1')
    const b = connectClient(s.wsUrl, 'b1')
    await Promise.all([a.whenSynced(), b.whenSynced()])
    a.doc.getMap('m').set('from-a', 1)
    b.doc.getMap('m').set('from-b', 2)
    b.doc.getArray('list').insert(0, ['x', 'y'])
    await waitFor(() => a.doc.getMap('m').size === 2 && b.doc.getMap('m').size === 2 && a.doc.getArray('list').length === 2)
    expect(a.doc.getMap('m').toJSON()).toEqual(b.doc.getMap('m').toJSON())
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc))
  })

  it('boards are isolated from each other', async () => {
    const s = await start()
    const a = connectClient(s.wsUrl, 'b1')
    const other = connectClient(s.wsUrl, 'b2')
    await Promise.all([a.whenSynced(), other.whenSynced()])
    a.doc.getMap('m').set('only-b1', true)
    const b = connectClient(s.wsUrl, 'b1')
    await waitFor(() => b.doc.getMap('m').get('only-b1') === true)
    expect(other.doc.getMap('m').size).toBe(0)
  })

  it('a late joiner receives the full board at its first sync', async () => {
    const s = await start()
    const a = connectClient(s.wsUrl, 'b1')
    await a.whenSynced()
    for (let i = 0; i < 200; i++) a.doc.getMap('m').set(`k${i}`, { i, text: 'x'.repeat(20) })
    a.doc.getMap('m').delete('k7')
    await s.server.rooms.flushAll()
    const late = connectClient(s.wsUrl, 'b1')
    let sizeAtSync = -1
    late.provider.on('sync', (synced: boolean) => {
      if (synced && sizeAtSync < 0) sizeAtSync = late.doc.getMap('m').size
    })
    await late.whenSynced()
    expect(sizeAtSync).toBe(199)
  })

  it('a client with offline edits uploads them when it connects (its sync step 2 counts as updates)', async () => {
    const s = await start()
    const doc = new Y.Doc()
    doc.getMap('m').set('written-offline', true)
    connectClient(s.wsUrl, 'b1', { doc })
    await waitFor(async () => {
      await s.server.rooms.flushAll()
      const stored = new Y.Doc()
      for (const u of (await s.docStore.load('b1' as BoardId)).updates) Y.applyUpdate(stored, u)
      return stored.getMap('m').get('written-offline') === true
    })
  })

  it('graceful restart on the same data dir keeps everything', async () => {
    const first = await startTestServer({ keepDataDir: true })
    const a = connectClient(first.wsUrl, 'b1')
    await a.whenSynced()
    for (let i = 0; i < 50; i++) a.doc.getMap('m').set(`k${i}`, i)
    a.doc.getText('t').insert(0, 'ciao')
    const sent = a.doc.getMap('m').toJSON()
    await waitFor(async () => {
      await first.server.rooms.flushAll()
      const stored = new Y.Doc()
      for (const u of (await first.docStore.load('b1' as BoardId)).updates) Y.applyUpdate(stored, u)
      return stored.getMap('m').size === 50
    })
    a.destroy()
    await first.close()
    const second = await start({ dataDir: first.dataDir })
    const b = connectClient(second.wsUrl, 'b1')
    await b.whenSynced()
    expect(b.doc.getMap('m').toJSON()).toEqual(sent)
    expect(b.doc.getText('t').toString()).toBe('ciao')
  })

  it('close() waits for the commit of updates still being appended', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-flush-'))
    const db = openSqliteDatabase(join(dataDir, 'tavolo.sqlite'))
    const sqlite = createSqliteDocStore(db)
    let appendsStarted = 0
    const slow: DocStore = {
      ...sqlite,
      async append(boardId, updates) {
        appendsStarted++
        await new Promise((r) => setTimeout(r, 150))
        await sqlite.append(boardId, updates)
      },
    }
    const first = await startTestServer({ docStore: slow, dataDir })
    const a = connectClient(first.wsUrl, 'b1')
    await a.whenSynced()
    for (let i = 0; i < 20; i++) a.doc.getMap('m').set(`k${i}`, i)
    await waitFor(() => appendsStarted > 0)
    await first.close()
    destroyClients()
    const stored = new Y.Doc()
    // startTestServer closed the store it was given; read the same database through a new one.
    for (const u of (await createSqliteDocStore(db).load('b1' as BoardId)).updates) Y.applyUpdate(stored, u)
    expect(stored.getMap('m').size).toBe(20)
    db.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('a room unloads after the grace period and reloads intact', async () => {
    const s = await start({ config: { roomGraceMs: 200 } })
    const a = connectClient(s.wsUrl, 'b1')
    await a.whenSynced()
    for (let i = 0; i < 30; i++) a.doc.getMap('m').set(`k${i}`, i)
    const observer = connectClient(s.wsUrl, 'b1')
    await waitFor(() => observer.doc.getMap('m').size === 30)
    expect(s.server.rooms.stats()).toEqual({ roomsLoaded: 1, connections: 2 })
    a.destroy()
    observer.destroy()
    await waitFor(() => s.server.rooms.stats().connections === 0)
    expect(s.server.rooms.stats().roomsLoaded).toBe(1)
    await waitFor(() => s.server.rooms.stats().roomsLoaded === 0, 3000)
    // Unloading compacted the log into one row.
    expect((await s.docStore.load('b1' as BoardId)).updates).toHaveLength(1)
    const b = connectClient(s.wsUrl, 'b1')
    await b.whenSynced()
    expect(b.doc.getMap('m').size).toBe(30)
    expect(s.server.rooms.stats().roomsLoaded).toBe(1)
  })

  it('shutdown closes clients with 1001 (going away)', async () => {
    const s = await startTestServer()
    const a = connectClient(s.wsUrl, 'b1')
    await a.whenSynced()
    await s.close()
    const close = await a.whenClosed()
    expect(close.code).toBe(CloseCode.GOING_AWAY)
  })
})

describe('upgrade refusals', () => {
  it('an invalid board id gets HTTP 400 before the upgrade', async () => {
    const s = await start()
    expect(await upgradeStatus(`${s.wsUrl}/bad%20id`)).toBe(400)
    expect(await upgradeStatus(`${s.wsUrl}/${'x'.repeat(65)}`)).toBe(400)
    expect(await upgradeStatus(`${s.wsUrl}/a.b`)).toBe(400)
  })

  it('an upgrade on another path gets HTTP 404', async () => {
    const s = await start()
    expect(await upgradeStatus(`ws://127.0.0.1:${s.port}/other/b1`)).toBe(404)
  })

  it('a refusal of the access policy completes the upgrade and closes with its code; the policy is called once', async () => {
    const calls: string[] = []
    const policy: AccessPolicy = (boardId, request) => {
      calls.push(`${boardId}:${request.url.searchParams.get('k') ?? ''}`)
      return request.url.searchParams.get('k') === 'good' ? { ok: true, role: 'viewer', credential: 'good' } : unauthorized('bad key')
    }
    const s = await start({ accessPolicy: policy })
    const refused = connectClient(s.wsUrl, 'b1', { params: { k: 'wrong' } })
    expect(await refused.whenClosed()).toEqual({ code: CloseCode.UNAUTHORIZED, reason: 'bad key' })
    const viewer = connectClient(s.wsUrl, 'b1', { params: { k: 'good' } })
    await viewer.whenSynced()
    expect(calls).toEqual(['b1:wrong', 'b1:good'])
  })

  it('a refusal with an over-long reason still closes with its code (reason cut to 123 bytes)', async () => {
    const s = await start({ accessPolicy: () => unauthorized('è'.repeat(200)) })
    const refused = connectClient(s.wsUrl, 'b1')
    const close = await refused.whenClosed()
    expect(close.code).toBe(CloseCode.UNAUTHORIZED)
    expect(Buffer.byteLength(close.reason)).toBeLessThanOrEqual(123)
  })

  it('a viewer syncs but its edits are dropped unread and never reach others (R3)', async () => {
    const policy: AccessPolicy = (_b, r) =>
      r.url.searchParams.get('k') === 'view' ? { ok: true, role: 'viewer', credential: 'v' } : { ok: true, role: 'participant', credential: 'p' }
    const s = await start({ accessPolicy: policy })
    const editor = connectClient(s.wsUrl, 'b1', { params: { k: 'edit' } })
    await editor.whenSynced()
    editor.doc.getMap('m').set('a', 1)
    const viewer = connectClient(s.wsUrl, 'b1', { params: { k: 'view' } })
    await viewer.whenSynced()
    await waitFor(() => viewer.doc.getMap('m').get('a') === 1)
    viewer.doc.getMap('m').set('vandal', true)
    // The awareness frame follows the update on the viewer's socket: once the editor sees it, the update was handled.
    viewer.provider.awareness.setLocalStateField('user', { name: 'v' })
    await waitFor(() => editor.provider.awareness.getStates().has(viewer.doc.clientID))
    editor.doc.getMap('m').set('b', 2)
    const check = connectClient(s.wsUrl, 'b1', { params: { k: 'edit' } })
    await check.whenSynced()
    await waitFor(() => check.doc.getMap('m').get('b') === 2)
    expect(viewer.closes).toEqual([])
    expect(check.doc.getMap('m').has('vandal')).toBe(false)
    expect(editor.doc.getMap('m').has('vandal')).toBe(false)
  })
})
