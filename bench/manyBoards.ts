/**
 * Many workshops at once (issue 13, part 1): B boards × C stock y-websocket clients, presence from everyone, one
 * writer per board, for a fixed window; the clients are spread over several forked processes so that they are not
 * the bottleneck, and their CPU is reported next to the server's.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { openBoard, type BoardRef } from './boards.ts'
import type { ChildResult, ChildSetup } from './manyBoardsChild.ts'
import { sleep } from './clients.ts'
import { startLoadMeter, waitForQuiet } from './machineLoad.ts'
import { readProcStats, startServer, type ServerHandle, type ServerKind } from './serverProcess.ts'
import { percentile } from './stats.ts'

export interface ManyBoardsOptions {
  boards: number
  clientsPerBoard: number
  notesPerBoard: number
  presenceHz: number
  writeHz: number
  durationS: number
  processes: number
  /** How the readers are built (bench/manyBoardsChild.ts); default 'stock'. */
  readers?: 'stock' | 'light'
}

export interface ManyBoardsResult {
  kind: ServerKind
  perBoard: { room: string; p50Ms: number; p99Ms: number; maxMs: number; received: number; expected: number }[]
  overall: { p50Ms: number; p99Ms: number; maxMs: number; received: number; expected: number }
  /** Server CPU over the measured window, as a share of one core. */
  serverCpuShare: number
  serverPeakRssMb: number
  serverRssEndMb: number
  /** CPU of the client processes over the window, in cores. */
  clientCores: number
  /** Largest event-loop lag seen in any client process: when high, the clients' own queueing is in the latency. */
  clientLoopLagMaxMs: number
  closes: string
  windowSeconds: number
  otherCores: number
  /** Group commit: room batches per SQLite commit, from the server's /metrics (tavolo_group_commit_appends). */
  groupCommit: string
}

/** Environment that lifts our per-address and per-key connection quotas: every bench client comes from 127.0.0.1. */
export const MANY_CLIENTS_ENV = {
  MAX_CONNECTIONS_PER_ADDRESS: '10000',
  MAX_CONNECTIONS_PER_KEY: '10000',
}

function forkClients(): ChildProcess {
  return fork(new URL('./manyBoardsChild.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

function nextMessage<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client process ${child.pid}: no answer in ${timeoutMs} ms`)), timeoutMs)
    child.once('message', (message) => {
      clearTimeout(timer)
      resolve(message as T)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`client process ${child.pid} exited with ${code}`))
    })
  })
}

/** Reads the group-commit histogram from our server's /metrics (Prometheus text), if the server exposes one. */
async function groupCommitSummary(httpUrl: string, token: string): Promise<string> {
  try {
    const res = await fetch(`${httpUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    if (res.status !== 200) return 'n/a'
    const text = await res.text()
    const sum = /^tavolo_group_commit_appends_sum\s+([\d.e+]+)/m.exec(text)
    const count = /^tavolo_group_commit_appends_count\s+([\d.e+]+)/m.exec(text)
    if (sum?.[1] === undefined || count?.[1] === undefined) return 'n/a'
    const commits = Number(count[1])
    return `${commits} commits, mean ${(Number(sum[1]) / Math.max(1, commits)).toFixed(2)} room batches each`
  } catch {
    return 'n/a'
  }
}

/** `start`: what serves the boards (default: one server of `kind`; bench/cluster.ts: instances behind nginx). */
export async function runManyBoards(
  kind: ServerKind,
  options: ManyBoardsOptions,
  start: () => Promise<ServerHandle> = () => startServer(kind, { env: MANY_CLIENTS_ENV }),
): Promise<ManyBoardsResult> {
  await waitForQuiet()
  const server = await start()
  const children: ChildProcess[] = []
  try {
    const boards: BoardRef[] = []
    for (let b = 0; b < options.boards; b++) boards.push(await openBoard(server, `many-${b}`))
    const shares: BoardRef[][] = Array.from({ length: options.processes }, () => [])
    boards.forEach((board, b) => shares[b % options.processes]!.push(board))
    for (const share of shares) {
      if (share.length === 0) continue
      const child = forkClients()
      children.push(child)
      const setup: ChildSetup = {
        type: 'setup',
        syncUrl: server.syncUrl,
        boards: share,
        clientsPerBoard: options.clientsPerBoard,
        notesPerBoard: options.notesPerBoard,
        presenceHz: options.presenceHz,
        writeHz: options.writeHz,
        durationS: options.durationS,
        readers: options.readers ?? 'stock',
      }
      child.send(setup)
    }
    const ready = await Promise.all(children.map((c) => nextMessage<{ type: string; message?: string }>(c, 300_000)))
    const failed = ready.find((m) => m.type !== 'ready')
    if (failed !== undefined) throw new Error(`a client process failed to set up: ${failed.message ?? failed.type}`)

    const cpu0 = server.stats().cpuSeconds
    // a client process may end right after its answer: its last reading stands for it then
    const lastCpu = new Map<ChildProcess, number>()
    const cpuOf = (c: ChildProcess): number => {
      try {
        lastCpu.set(c, readProcStats(c.pid!).cpuSeconds)
      } catch {
        // ended
      }
      return lastCpu.get(c) ?? 0
    }
    const clientCpu0 = children.reduce((s, c) => s + cpuOf(c), 0)
    const otherLoad = startLoadMeter(() => server.stats().cpuSeconds + children.reduce((s, c) => s + cpuOf(c), 0))
    const t0 = performance.now()
    const results = children.map((c) => nextMessage<ChildResult>(c, (options.durationS + 60) * 1000))
    for (const child of children) child.send({ type: 'start' })
    let peakRssKb = 0
    let done = false
    const sampler = (async () => {
      while (!done) {
        peakRssKb = Math.max(peakRssKb, server.stats().rssKb)
        for (const child of children) cpuOf(child)
        await sleep(1000)
      }
    })()
    const answers = await Promise.all(results)
    done = true
    await sampler
    const windowSeconds = (performance.now() - t0) / 1000
    const serverCpu = server.stats().cpuSeconds - cpu0
    const clientCpu = children.reduce((s, c) => s + cpuOf(c), 0) - clientCpu0
    const otherCores = otherLoad.stop()
    const errors = answers.filter((a) => a.type === 'error')
    if (errors.length > 0) throw new Error(`client process errors: ${errors.map((e) => (e.type === 'error' ? e.message : '')).join('; ')}`)
    const boardResults = answers.flatMap((a) => (a.type === 'result' ? a.boards : []))
    const all = boardResults.flatMap((b) => b.latenciesMs)
    const closes = boardResults.flatMap((b) => b.closes)
    const byCode = new Map<string, number>()
    for (const close of closes) byCode.set(close, (byCode.get(close) ?? 0) + 1)
    return {
      kind,
      perBoard: boardResults.map((b) => ({
        room: b.room,
        p50Ms: percentile(b.latenciesMs, 50),
        p99Ms: percentile(b.latenciesMs, 99),
        maxMs: percentile(b.latenciesMs, 100),
        received: b.latenciesMs.length,
        expected: b.expected,
      })),
      overall: {
        p50Ms: percentile(all, 50),
        p99Ms: percentile(all, 99),
        maxMs: percentile(all, 100),
        received: all.length,
        expected: boardResults.reduce((s, b) => s + b.expected, 0),
      },
      serverCpuShare: serverCpu / windowSeconds,
      serverPeakRssMb: peakRssKb / 1024,
      serverRssEndMb: server.stats().rssKb / 1024,
      clientCores: clientCpu / windowSeconds,
      clientLoopLagMaxMs: Math.max(0, ...answers.map((a) => (a.type === 'result' ? a.benchLoopLagMs : 0))),
      closes: closes.length === 0 ? '0' : [...byCode].map(([k, n]) => `${n}× ${k}`).join('; '),
      windowSeconds,
      otherCores,
      groupCommit: kind === 'ours' ? await groupCommitSummary(server.httpUrl, server.adminToken) : 'n/a',
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    await server.stop()
  }
}
