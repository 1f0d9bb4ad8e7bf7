/**
 * Harness of the hostile-client tests (issue 8; server/src/sync/SPEC.md R3, R7, R9, R11-R13): a meetings server on
 * port 0 wired like `npm start`, raw `ws` attackers, stock y-websocket honest clients, and the invariants every such
 * test checks: /healthz answers within 2 s during the attack, and an honest client joining afterwards has every note
 * an honest participant wrote.
 */
import { afterEach, expect } from 'vitest'
import WebSocket from 'ws'
import type { Config } from '../../server/src/config.ts'
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from '../../server/src/sync/limits.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { connectBoard, createMeeting, type BoardClient, type Rec } from './meetingServer.ts'

export interface HostileSetup {
  server: MeetingTestServer
  meeting: CreateMeetingResponse
  boardId: string
  /** A stock y-websocket client with the given role's key. */
  honest(role: 'facilitator' | 'participant' | 'viewer'): BoardClient
  /** A raw socket with the given role's key. */
  attacker(role: 'facilitator' | 'participant' | 'viewer'): Promise<RawSocket>
}

export interface RawSocket {
  ws: WebSocket
  /** Frames the server sent, in order. */
  received: Uint8Array[]
  closed: Promise<{ code: number; reason: string }>
  send(frame: Uint8Array): void
}

const servers: MeetingTestServer[] = []
const clients: BoardClient[] = []
const sockets: WebSocket[] = []

/** Registers the after-each clean-up of every server, client and socket made through `hostileSetup`. */
export function hostileServersClosedAfterEach(): void {
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate()
    for (const c of clients.splice(0)) c.destroy()
    for (const s of servers.splice(0)) await s.close()
  })
}

export async function hostileSetup(
  options: { limits?: Partial<SyncLimits>; config?: Partial<Config>; awarenessBatchMs?: number } = {},
): Promise<HostileSetup> {
  const server = await startMeetingTestServer({
    config: { roomGraceMs: 60_000, ...options.config, syncLimits: { ...DEFAULT_SYNC_LIMITS, ...options.limits } },
    awarenessBatchMs: options.awarenessBatchMs,
  })
  servers.push(server)
  const meeting = await createMeeting(server.httpUrl, { title: 'Assemblea di quartiere' })
  const boardId = meeting.meeting.id
  return {
    server,
    meeting,
    boardId,
    honest(role) {
      const client = connectBoard(server.wsUrl, boardId, meeting.keys[role])
      clients.push(client)
      return client
    },
    async attacker(role) {
      const ws = new WebSocket(`${server.wsUrl}/${boardId}?k=${meeting.keys[role]}`)
      sockets.push(ws)
      const received: Uint8Array[] = []
      ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
      ws.on('error', () => {})
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      )
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('close', () => reject(new Error('attacker socket closed before opening')))
      })
      return { ws, received, closed, send: (frame) => ws.send(frame) }
    },
  }
}

/**
 * Probes /healthz back to back until `stop()` and returns the slowest answer (ms). The server runs in this process, so
 * a stall of its event loop delays the probe by exactly that long.
 */
export function probeHealth(httpUrl: string): { stop(): Promise<number> } {
  let running = true
  let slowest = 0
  const loop = (async () => {
    while (running) {
      const started = Date.now()
      try {
        const res = await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(10_000) })
        await res.arrayBuffer()
        if (res.status !== 200) slowest = Number.POSITIVE_INFINITY
      } catch {
        slowest = Number.POSITIVE_INFINITY
      }
      slowest = Math.max(slowest, Date.now() - started)
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return slowest
    },
  }
}

/** Waits for the attacker's close with a bound, so that a test against code without the limit ends instead of hanging. */
export async function closedWithin(socket: RawSocket, ms = 5000): Promise<{ code: number; reason: string }> {
  return Promise.race([
    socket.closed,
    new Promise<{ code: number; reason: string }>((resolve) => setTimeout(() => resolve({ code: -1, reason: 'not closed' }), ms).unref()),
  ])
}

let notes = 0
/** An honest participant's note (plain tldraw-shaped JSON). */
export function writeNote(client: BoardClient, text: string): string {
  const id = `shape:honest${++notes}`
  client.records.set(id, {
    id,
    typeName: 'shape',
    type: 'note',
    parentId: 'page:page',
    index: 'a1',
    x: notes * 10,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { color: 'yellow', richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } },
  } satisfies Rec)
  return id
}

/** A stock client that joins now syncs and has every one of `ids` (the notes honest people wrote). */
export async function freshClientHasNotes(setup: HostileSetup, ids: readonly string[]): Promise<BoardClient> {
  const fresh = setup.honest('viewer')
  await Promise.race([fresh.synced, new Promise((_, reject) => setTimeout(() => reject(new Error('fresh client did not sync')), 5000))])
  await waitFor(() => ids.every((id) => fresh.records.get(id) !== undefined), 5000, 'fresh client has every honest note')
  expect(fresh.closes).toEqual([])
  return fresh
}
