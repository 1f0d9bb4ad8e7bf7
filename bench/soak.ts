/**
 * A long session (issue 13, part 2), compressed: C clients with presence on one board, one writer, a participant
 * leaving and a new one joining every few seconds, a version saved every few minutes. Every sample period the
 * server's RSS, heap used after a forced GC, rooms loaded, open connections and event-loop delay are read; the slope
 * of each after the warm-up tells whether anything grows. At the end every client leaves and the room must unload.
 */
import { openBoard } from './boards.ts'
import { connectClient, sleep, startPresence, type BenchClient } from './clients.ts'
import { evaluateInChild, readHeapAfterGc } from './inspector.ts'
import { waitForQuiet } from './machineLoad.ts'
import { boardRecords, noteRecord, seedNotes } from './records.ts'
import { startServer, type ServerHandle } from './serverProcess.ts'
import { readServerStats } from './serverStats.ts'

export interface SoakOptions {
  durationS: number
  clients: number
  presenceHz: number
  writeHz: number
  churnEveryS: number
  versionEveryS: number
  sampleEveryS: number
  /** Samples before this are the warm-up: left out of the slopes. */
  warmupS: number
  notes: number
  graceMs: number
}

export interface SoakSample {
  t: number
  rssMb: number
  heapMb: number
  roomsLoaded: number
  connections: number
  loopP99Ms: number
  loopMaxMs: number
}

export interface SoakResult {
  samples: SoakSample[]
  /** Least-squares slope after the warm-up, per hour. */
  slopes: { rssMbPerHour: number; heapMbPerHour: number; loopP99MsPerHour: number }
  errors: string[]
  edits: number
  joins: number
  versionsSaved: number
  versionsUnavailable: boolean
  unloadedAfterMs: number | null
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length
  if (n < 2) return Number.NaN
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0)
  return sxx === 0 ? Number.NaN : sxy / sxx
}

// Installed once in the server through the inspector, then read and reset at each sample: the server's own view of
// how late its event loop ran. `require` comes from the inspector's command-line API; the server is untouched.
const LOOP_DELAY = `(() => {
  const g = globalThis
  if (!g.__tavoloSoakDelay) { g.__tavoloSoakDelay = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 }); g.__tavoloSoakDelay.enable() }
  const h = g.__tavoloSoakDelay
  const r = { p99: h.percentile(99) / 1e6, max: h.max / 1e6 }
  h.reset()
  return r
})()`

/** Rooms loaded and connections from /metrics (staff token); -1 when the server does not tell them. */
async function serverCounts(server: ServerHandle): Promise<{ roomsLoaded: number; connections: number }> {
  return (await readServerStats(server.httpUrl, server.adminToken)) ?? { roomsLoaded: -1, connections: -1 }
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  await waitForQuiet()
  const server = await startServer('ours', { inspect: true, env: { ROOM_GRACE_MS: String(options.graceMs) } })
  const clients: BenchClient[] = []
  const errors: string[] = []
  try {
    const inspector = server.inspectorUrl
    if (inspector === null) throw new Error('soak: server started without an inspector')
    const board = await openBoard(server, 'soak')
    const seeder = connectClient(server.syncUrl, board)
    await seeder.synced
    seedNotes(seeder.doc, options.notes, 100)
    const writer = seeder
    clients.push(writer)
    for (let i = 1; i < options.clients; i++) clients.push(connectClient(server.syncUrl, board))
    await Promise.all(clients.map((c) => c.synced))
    await evaluateInChild(inspector, LOOP_DELAY)

    let presence = startPresence(clients, options.presenceHz)
    const records = boardRecords(writer.doc)
    const samples: SoakSample[] = []
    let edits = 0
    let joins = 0
    let versionsSaved = 0
    let versionsUnavailable = false
    const t0 = performance.now()
    const elapsedS = () => (performance.now() - t0) / 1000
    let nextSample = 0
    let nextChurn = options.churnEveryS
    let nextVersion = options.versionEveryS
    let nextEdit = 0
    while (elapsedS() < options.durationS) {
      const now = elapsedS()
      if (now >= nextEdit) {
        const note = noteRecord(edits % options.notes)
        records.set(note.id, { ...note, x: note.x + (edits % 11) * 5 })
        edits++
        nextEdit += 1 / options.writeHz
      }
      if (now >= nextChurn) {
        nextChurn += options.churnEveryS
        // The longest-connected reader leaves (never the writer); a new participant joins and must sync.
        const leaving = clients.splice(1, 1)[0]
        leaving?.destroy()
        const joining = connectClient(server.syncUrl, board, 30_000)
        clients.push(joining)
        joins++
        presence.stop()
        presence = startPresence(clients, options.presenceHz)
        joining.synced.catch((error: unknown) => errors.push(`join ${joins}: ${String(error)}`))
      }
      if (now >= nextVersion && !versionsUnavailable) {
        nextVersion += options.versionEveryS
        const res = await fetch(`${server.httpUrl}/api/meetings/${board.room}/versions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
          body: JSON.stringify({ label: `soak ${versionsSaved + 1}` }),
        })
        if (res.status === 404) versionsUnavailable = true
        else if (res.status === 200 || res.status === 201) versionsSaved++
        else errors.push(`version save answered ${res.status}: ${await res.text()}`)
      }
      if (now >= nextSample) {
        nextSample += options.sampleEveryS
        const heap = await readHeapAfterGc(inspector)
        const loop = (await evaluateInChild(inspector, LOOP_DELAY)) as { p99: number; max: number }
        const health = await serverCounts(server)
        samples.push({
          t: now,
          rssMb: server.stats().rssKb / 1024,
          heapMb: (heap.heapUsedKb + heap.externalKb) / 1024,
          roomsLoaded: health.roomsLoaded,
          connections: health.connections,
          loopP99Ms: loop.p99,
          loopMaxMs: loop.max,
        })
      }
      await sleep(Math.max(1, Math.min(nextEdit, nextChurn, nextSample) * 1000 - (performance.now() - t0)))
    }
    presence.stop()
    for (const client of clients) {
      for (const close of client.closes) errors.push(`socket closed by the server: ${close.code} ${close.reason}`)
    }
    for (const client of clients.splice(0)) client.destroy()
    const leftAt = performance.now()
    let unloadedAfterMs: number | null = null
    while (performance.now() - leftAt < options.graceMs + 30_000) {
      if ((await serverCounts(server)).roomsLoaded === 0) {
        unloadedAfterMs = performance.now() - leftAt
        break
      }
      await sleep(250)
    }
    const steady = samples.filter((s) => s.t >= options.warmupS)
    const perHour = (pick: (s: SoakSample) => number) => slope(steady.map((s) => ({ x: s.t, y: pick(s) }))) * 3600
    return {
      samples,
      slopes: { rssMbPerHour: perHour((s) => s.rssMb), heapMbPerHour: perHour((s) => s.heapMb), loopP99MsPerHour: perHour((s) => s.loopP99Ms) },
      errors,
      edits,
      joins,
      versionsSaved,
      versionsUnavailable,
      unloadedAfterMs,
    }
  } finally {
    for (const client of clients) client.destroy()
    await server.stop()
  }
}
