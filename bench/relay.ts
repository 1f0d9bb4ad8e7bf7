import { monitorEventLoopDelay } from 'node:perf_hooks'
import { openBoard } from './boards.ts'
import { startLoadMeter, waitForQuiet } from './machineLoad.ts'
import { connectClient, destroyAll, sleep, startPresence, type BenchClient } from './clients.ts'
import { startServer, type ServerHandle, type ServerKind, type ServerOptions } from './serverProcess.ts'
import { boardRecords, noteRecord, onStamps, stampedNote } from './records.ts'
import { percentile } from './stats.ts'

export interface RelayOptions {
  readers: number
  edits: number
  editHz: number
  presenceHz: number
  warmupMs: number
}

/** What a caller adds to one relay run: how its server starts, and work that runs over the measured window. */
export interface RelayHooks {
  server?: ServerOptions
  /** Called when the window starts (presence warm-up), with the running server. */
  windowStart?(server: ServerHandle): void | Promise<void>
  /** Called when the window ends (drain done), before the server stops. */
  windowEnd?(server: ServerHandle): void | Promise<void>
}

export interface RelayResult {
  kind: ServerKind
  readers: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  received: number
  expected: number
  /** Server CPU over the measured window (presence warm-up + edits + drain). */
  cpuSeconds: number
  windowSeconds: number
  peakRssMb: number
  /** Sockets the server closed during the run, by code and reason; a reconnecting reader misses edits. */
  disconnects: string
  /** Presence updates per client per second actually made; below the target when the bench process is saturated. */
  presenceHz: number
  presenceUpdates: number
  /** WebSocket frames per client per second over the window, received and sent (sent includes the echo). */
  framesInPerClientS: number
  framesOutPerClientS: number
  /** p99 event-loop delay of this bench process: how much of the latency is the clients' own queueing. */
  benchLoopDelayP99Ms: number
  /** Cores kept busy by other processes on the machine, before the run and during it. */
  otherCoresBefore: number
  otherCores: number
}

const DRAIN_TIMEOUT_MS = 10_000

function totalFrames(clients: readonly BenchClient[]): { received: number; sent: number } {
  return clients.reduce((sum, c) => ({ received: sum.received + c.frames.received, sent: sum.sent + c.frames.sent }), { received: 0, sent: 0 })
}

/** One writer moves a note stamped with a sequence number; N readers note when each one arrives, on this process's clock. */
export async function runRelay(kind: ServerKind, options: RelayOptions, hooks: RelayHooks = {}): Promise<RelayResult> {
  const quiet = await waitForQuiet()
  const server = await startServer(kind, hooks.server)
  const clients: BenchClient[] = []
  try {
    const room = await openBoard(server, `relay-${options.readers}`)
    const writer = connectClient(server.syncUrl, room)
    clients.push(writer)
    for (let i = 0; i < options.readers; i++) clients.push(connectClient(server.syncUrl, room))
    await Promise.all(clients.map((c) => c.synced))
    const readers = clients.slice(1)

    const sentAt: number[] = []
    const latencies: number[] = []
    for (const reader of readers) {
      onStamps(reader.doc, (seq) => {
        const sent = sentAt[seq]
        if (sent !== undefined) latencies.push(performance.now() - sent)
      })
    }

    await hooks.windowStart?.(server)
    const loopDelay = monitorEventLoopDelay({ resolution: 10 })
    loopDelay.enable()
    const otherLoad = startLoadMeter(() => server.stats().cpuSeconds)
    const cpuBefore = server.stats().cpuSeconds
    const framesBefore = totalFrames(clients)
    const windowStart = performance.now()
    const presence = startPresence(clients, options.presenceHz)
    await sleep(options.warmupMs)

    const records = boardRecords(writer.doc)
    const editStart = performance.now()
    for (let seq = 0; seq < options.edits; seq++) {
      // Scheduled against the start, not the previous edit, so a slow loop does not stretch the load.
      const due = editStart + (seq * 1000) / options.editHz
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      sentAt[seq] = performance.now()
      records.set(noteRecord(0).id, stampedNote(seq))
    }
    const expected = options.edits * options.readers
    const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS
    while (latencies.length < expected && performance.now() < drainDeadline) await sleep(20)
    const presenceMade = presence.stop()
    loopDelay.disable()
    const otherCores = otherLoad.stop()
    const windowSeconds = (performance.now() - windowStart) / 1000
    const framesAfter = totalFrames(clients)
    const perClientS = (n: number): number => n / clients.length / windowSeconds
    const stats = server.stats()
    await hooks.windowEnd?.(server)
    const closes = clients.flatMap((c) => c.closes)
    const byCode = new Map<string, number>()
    for (const close of closes) {
      const key = `${close.code}${close.reason === '' ? '' : ` ${close.reason}`}`
      byCode.set(key, (byCode.get(key) ?? 0) + 1)
    }

    return {
      kind,
      readers: options.readers,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: percentile(latencies, 100),
      received: latencies.length,
      expected,
      cpuSeconds: stats.cpuSeconds - cpuBefore,
      windowSeconds,
      peakRssMb: stats.peakRssKb / 1024,
      disconnects: closes.length === 0 ? '0' : [...byCode].map(([key, n]) => `${n}× ${key}`).join('; '),
      presenceHz: presenceMade / clients.length / windowSeconds,
      presenceUpdates: presenceMade,
      framesInPerClientS: perClientS(framesAfter.received - framesBefore.received),
      framesOutPerClientS: perClientS(framesAfter.sent - framesBefore.sent),
      benchLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      otherCoresBefore: quiet.otherCores,
      otherCores,
    }
  } finally {
    await destroyAll(clients)
    await server.stop()
  }
}
