import { openBoard, type BoardRef } from './boards.ts'
import { connectClient, destroyAll, sleep } from './clients.ts'
import { noteRecord, boardRecords } from './records.ts'
import { readHeapAfterGc, type HeapReading } from './inspector.ts'
import { startServer, type ServerHandle, type ServerKind } from './serverProcess.ts'
import { readServerStats } from './serverStats.ts'

export interface IdleOptions {
  rooms: number
  /** ROOM_GRACE_MS given to our server; the wait after the last client left is the same for both servers. */
  graceMs: number
}

export interface IdleResult {
  kind: ServerKind
  rooms: number
  baselineRssMb: number
  loadedRssMb: number
  /** RSS delta per room: coarse, V8 reserves and keeps memory in large steps. */
  perRoomRssKb: number
  /** Live heap + external (ArrayBuffer) memory per room, both read after a forced full GC. */
  perRoomKb: number
  baselineHeap: HeapReading
  loadedHeap: HeapReading
  afterGraceHeap: HeapReading
  /** Rooms the server says it holds right after every client left; null when it cannot say (the reference). */
  roomsLoadedAfterLeave: number | null
  /** Same, once the grace period (plus slack) has passed. */
  roomsLoadedAfterGrace: number | null
  /** Milliseconds after the last client left until the server reported 0 rooms; null if never (or cannot say). */
  unloadedAfterMs: number | null
  afterGraceRssMb: number
  waitedMs: number
}

const BATCH = 50
const WARMUP_ROOMS = 20
const SLACK_MS = 15_000

/** The loaded-room count from /metrics (staff token); null when the server does not tell it. */
async function roomsLoaded(server: ServerHandle): Promise<number | null> {
  return (await readServerStats(server.httpUrl, server.adminToken))?.roomsLoaded ?? null
}

/** Boards are created before any baseline, so the meeting rows and API work are not counted as room memory. */
async function createBoards(server: ServerHandle, prefix: string, count: number): Promise<BoardRef[]> {
  const boards: BoardRef[] = []
  for (let start = 0; start < count; start += BATCH) {
    const batch: Promise<BoardRef>[] = []
    for (let i = start; i < Math.min(count, start + BATCH); i++) batch.push(openBoard(server, `${prefix}-${i}`))
    boards.push(...(await Promise.all(batch)))
  }
  return boards
}

/** Each room gets one client that syncs, writes one note so the room is not empty, and leaves. */
async function openAndLeave(server: ServerHandle, boards: readonly BoardRef[]): Promise<void> {
  for (let start = 0; start < boards.length; start += BATCH) {
    const batch = boards.slice(start, start + BATCH).map((board) => connectClient(server.syncUrl, board))
    await Promise.all(batch.map((c) => c.synced))
    batch.forEach((c, i) => {
      const note = noteRecord(start + i)
      boardRecords(c.doc).set(note.id, note)
    })
    // Let the writes reach the server before the sockets close.
    await sleep(100)
    await destroyAll(batch, 0)
  }
}

export async function runIdleRooms(kind: ServerKind, options: IdleOptions): Promise<IdleResult> {
  const server = await startServer(kind, { env: { ROOM_GRACE_MS: String(options.graceMs) }, inspect: true })
  const heap = async (): Promise<HeapReading> => {
    if (server.inspectorUrl === null) throw new Error(`${kind} server started without an inspector URL`)
    return readHeapAfterGc(server.inspectorUrl)
  }
  try {
    // Warm code paths first, so the delta is rooms, not JIT and first-use allocations.
    const warm = await createBoards(server, 'warm', WARMUP_ROOMS)
    const idle = await createBoards(server, 'idle', options.rooms)
    await openAndLeave(server, warm)
    await sleep(2000)
    const baselineHeap = await heap()
    const baseline = server.stats().rssKb
    await openAndLeave(server, idle)
    const leftAt = performance.now()
    await sleep(1500)
    const loadedHeap = await heap()
    const loaded = server.stats().rssKb
    const roomsLoadedAfterLeave = await roomsLoaded(server)

    let unloadedAfterMs: number | null = null
    const deadline = leftAt + options.graceMs + SLACK_MS
    while (performance.now() < deadline) {
      const count = await roomsLoaded(server)
      if (count === 0 && unloadedAfterMs === null) {
        unloadedAfterMs = performance.now() - leftAt
        break
      }
      await sleep(500)
    }
    await sleep(3000)
    const afterGraceHeap = await heap()
    const live = (h: HeapReading): number => h.heapUsedKb + h.externalKb
    return {
      kind,
      rooms: options.rooms,
      baselineRssMb: baseline / 1024,
      loadedRssMb: loaded / 1024,
      perRoomRssKb: (loaded - baseline) / options.rooms,
      perRoomKb: (live(loadedHeap) - live(baselineHeap)) / options.rooms,
      baselineHeap,
      loadedHeap,
      afterGraceHeap,
      roomsLoadedAfterLeave,
      roomsLoadedAfterGrace: await roomsLoaded(server),
      unloadedAfterMs,
      afterGraceRssMb: server.stats().rssKb / 1024,
      waitedMs: performance.now() - leftAt,
    }
  } finally {
    await server.stop()
  }
}
