import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { BoardRef } from './boards.ts'

export interface BenchClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves at the provider's first sync (sync step 2 from the server); rejects after the timeout. */
  synced: Promise<void>
  /** Times the socket closed while the client was in use (not counting destroy): a server closing it, e.g. rate limit. */
  closes: CloseRecord[]
  /** WebSocket frames received and sent so far: shows how far a server batches, and how much clients echo. */
  frames: { received: number; sent: number }
  destroy(): void
}

export interface CloseRecord {
  code: number
  reason: string
}

// Hundreds of providers in one process each add a process 'exit' listener; that is expected here, not a leak.
process.setMaxListeners(0)

/** A stock y-websocket provider in Node, as a browser tab would run it, minus the BroadcastChannel. */
export function connectClient(syncUrl: string, board: BoardRef, timeoutMs = 60_000): BenchClient {
  const doc = new Y.Doc()
  const room = board.room
  const provider = new WebsocketProvider(syncUrl, room, doc, {
    params: board.params,
    // ws implements the subset of the browser WebSocket that the provider uses; the types differ only in details.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node 20 has a global BroadcastChannel: clients of one room in this process would otherwise bypass the server.
    disableBc: true,
  })
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`room ${room}: not synced in ${timeoutMs} ms`)), timeoutMs)
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return
      clearTimeout(timer)
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
  const closes: CloseRecord[] = []
  const frames = { received: 0, sent: 0 }
  provider.on('status', ({ status }) => {
    const socket = provider.ws
    if (status !== 'connected' || socket === null) return
    socket.addEventListener('message', () => frames.received++)
    // The provider sends through socket.send; counting there covers sync, updates and awareness alike.
    const send = socket.send.bind(socket)
    socket.send = (data) => {
      frames.sent++
      send(data)
    }
  })
  let destroyed = false
  provider.on('connection-close', (event) => {
    if (!destroyed && event !== null) closes.push({ code: event.code, reason: event.reason })
  })
  // A rejected wait that nobody awaits yet (clients are created before they are awaited) must not crash the run.
  synced.catch(() => undefined)
  return {
    doc,
    provider,
    synced,
    closes,
    frames,
    destroy() {
      destroyed = true
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Destroys clients and gives the sockets a moment to close, so the next measurement starts quiet. */
export async function destroyAll(clients: BenchClient[], settleMs = 300): Promise<void> {
  for (const client of clients) client.destroy()
  await sleep(settleMs)
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Every client sets a cursor position at `hz`, phases spread evenly so the load is steady rather than bursty.
 * The timer drifts when the process is saturated, so the caller gets the count of updates actually made.
 */
export function startPresence(clients: BenchClient[], hz: number): { stop(): number } {
  clients.forEach((client, i) => client.provider.awareness.setLocalStateField('user', { name: `bench-${i}` }))
  return startCursors(
    clients.map((client) => (x: number, y: number) => client.provider.awareness.setLocalStateField('cursor', { x, y })),
    hz,
  )
}

/** startPresence over cursor setters of any kind of client (stock providers, bench/lightReader.ts). */
export function startCursors(setCursors: Array<(x: number, y: number) => void>, hz: number): { stop(): number } {
  const periodMs = 1000 / hz
  const tickMs = 10
  const slots = Math.max(1, Math.round(periodMs / tickMs))
  let tick = 0
  let made = 0
  const timer = setInterval(() => {
    const slot = tick % slots
    tick++
    for (let i = slot; i < setCursors.length; i += slots) {
      const setCursor = setCursors[i]
      if (setCursor === undefined) continue
      setCursor((tick * 7 + i) % 1280, (tick * 3 + i) % 800)
      made++
    }
  }, tickMs)
  return {
    stop() {
      clearInterval(timer)
      return made
    },
  }
}
