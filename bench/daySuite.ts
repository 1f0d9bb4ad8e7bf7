/**
 * The scenarios of a real day (issue 13): many workshops on one server, and a long session (bench/soak.ts).
 * Registered in run.ts as the server parts `many` and `soak`.
 */
import { runManyBoards, type ManyBoardsOptions, type ManyBoardsResult } from './manyBoards.ts'
import { runSoak, type SoakOptions } from './soak.ts'
import { markdownTable, type Report } from './report.ts'
import { fmt, ratio } from './stats.ts'

export async function manySuite(report: Report, quick: boolean): Promise<void> {
  const options: ManyBoardsOptions = quick
    ? { boards: 4, clientsPerBoard: 10, notesPerBoard: 50, presenceHz: 5, writeHz: 2, durationS: 10, processes: 2 }
    : { boards: 20, clientsPerBoard: 30, notesPerBoard: 300, presenceHz: 5, writeHz: 2, durationS: 60, processes: 3 }
  const reference = await runManyBoards('reference', options)
  const ours = await runManyBoards('ours', options)
  const worst = (r: ManyBoardsResult) => r.perBoard.reduce((m, b) => Math.max(m, b.p99Ms), 0)
  const row = (r: ManyBoardsResult): string[] => [
    r.kind,
    fmt(r.overall.p50Ms),
    fmt(r.overall.p99Ms),
    fmt(r.overall.maxMs),
    fmt(worst(r)),
    `${r.overall.received}/${r.overall.expected}`,
    `${fmt(100 * r.serverCpuShare, 0)}%`,
    fmt(r.serverPeakRssMb, 0),
    fmt(r.clientCores, 2),
    fmt(r.clientLoopLagMaxMs, 0),
    fmt(r.otherCores, 2),
    r.groupCommit,
    r.closes,
  ]
  const rows = [row(ours), row(reference)]
  rows.push(['**ours/ref**', ratio(ours.overall.p50Ms, reference.overall.p50Ms), ratio(ours.overall.p99Ms, reference.overall.p99Ms), ratio(ours.overall.maxMs, reference.overall.maxMs), ratio(worst(ours), worst(reference)), '', ratio(ours.serverCpuShare, reference.serverCpuShare), ratio(ours.serverPeakRssMb, reference.serverPeakRssMb), '', '', '', '', ''])
  const perBoard = ours.perBoard.map((b, i) => {
    const ref = reference.perBoard[i]
    return [String(i + 1), fmt(b.p50Ms), fmt(b.p99Ms), fmt(b.maxMs), `${b.received}/${b.expected}`, ref === undefined ? '' : `${fmt(ref.p50Ms)} / ${fmt(ref.p99Ms)} / ${fmt(ref.maxMs)}`]
  })
  const clients = options.boards * options.clientsPerBoard
  report.section(
    `Many workshops at once: ${options.boards} boards × ${options.clientsPerBoard} clients (${clients} stock y-websocket clients in ${options.processes} processes), presence ${options.presenceHz} Hz from everyone, one writer per board at ${options.writeHz} Hz, ${options.notesPerBoard} notes per board, ${options.durationS} s`,
    markdownTable(
      ['server', 'relay p50 ms', 'p99 ms', 'max ms', 'worst board p99 ms', 'received', 'server CPU (one core = 100%)', 'server peak RSS MB', 'client processes, cores', 'client loop lag max ms', 'other processes, cores', 'group commit', 'closed sockets'],
      rows,
    ) +
      '\n\nPer board (ours; reference as p50 / p99 / max):\n\n' +
      markdownTable(['board', 'p50 ms', 'p99 ms', 'max ms', 'received', 'reference'], perBoard) +
      '\n\nRelay latency: from the writer\'s transaction to each reader\'s observer, on the clock of the client process that holds' +
      ' the whole board. "Client loop lag": the largest delay of a 100 ms timer in any client process; when it is large, the' +
      ' clients\' own queueing is part of the latency, on both servers alike.',
  )
  const complete = ours.overall.received === ours.overall.expected && ours.closes === '0'
  report.target(
    `many boards: relay p99 ≤ 100 ms on every board`,
    complete && worst(ours) <= 100 ? 'PASS' : 'FAIL',
    `worst board p99 ${fmt(worst(ours))} ms (overall ${fmt(ours.overall.p99Ms)} ms)${complete ? '' : `; ${ours.overall.received}/${ours.overall.expected} received, closed: ${ours.closes}`}`,
  )
  report.target(
    'many boards: server CPU ≤ 60% of one core',
    ours.serverCpuShare <= 0.6 ? 'PASS' : 'FAIL',
    `${fmt(100 * ours.serverCpuShare, 0)}% (reference ${fmt(100 * reference.serverCpuShare, 0)}%); client processes used ${fmt(ours.clientCores, 2)} cores`,
  )
  report.target(
    'many boards: ahead of the reference on p99 and CPU',
    ours.overall.p99Ms <= reference.overall.p99Ms && ours.serverCpuShare <= reference.serverCpuShare ? 'PASS' : 'FAIL',
    `p99 ${ratio(ours.overall.p99Ms, reference.overall.p99Ms)}, CPU ${ratio(ours.serverCpuShare, reference.serverCpuShare)}`,
  )
}

function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
}

export async function soakSuite(report: Report, mode: 'quick' | 'short' | 'long'): Promise<void> {
  const base = { clients: 50, presenceHz: 5, writeHz: 5, churnEveryS: 10, sampleEveryS: 10, notes: 300, graceMs: 5000 }
  const options: SoakOptions =
    mode === 'long'
      ? { ...base, durationS: 1800, versionEveryS: 300, warmupS: 300 }
      : mode === 'short'
        ? { ...base, durationS: 120, versionEveryS: 40, warmupS: 30 }
        : { ...base, clients: 10, durationS: 30, versionEveryS: 10, sampleEveryS: 5, warmupS: 10 }
  const r = await runSoak(options)
  const rows = r.samples.map((s) => [fmt(s.t, 0), fmt(s.rssMb, 1), fmt(s.heapMb, 1), String(s.roomsLoaded), String(s.connections), fmt(s.loopP99Ms, 1), fmt(s.loopMaxMs, 1)])
  const steady = r.samples.filter((s) => s.t >= options.warmupS)
  const heapNoise = 2 * stddev(steady.map((s) => s.heapMb))
  const threeHourGrowth = r.slopes.heapMbPerHour * 3
  report.section(
    `Long session (${mode}): ${options.clients} clients with presence ${options.presenceHz} Hz, one writer at ${options.writeHz} Hz, one leaves and one joins every ${options.churnEveryS} s, a version every ${options.versionEveryS} s, ${options.durationS} s`,
    markdownTable(['t s', 'RSS MB', 'heap after GC MB', 'rooms loaded', 'connections', 'event loop p99 ms', 'event loop max ms'], rows) +
      `\n\nSlopes after the first ${options.warmupS} s (least squares, per hour): RSS ${fmt(r.slopes.rssMbPerHour, 1)} MB/h, heap after GC` +
      ` ${fmt(r.slopes.heapMbPerHour, 1)} MB/h, event-loop p99 ${fmt(r.slopes.loopP99MsPerHour, 1)} ms/h. Noise (2 σ of the steady heap` +
      ` samples): ${fmt(heapNoise, 1)} MB. ${r.edits} edits, ${r.joins} joins, ${r.versionsUnavailable ? 'versions API not on this server' : `${r.versionsSaved} versions saved`}.` +
      ` Room unloaded ${r.unloadedAfterMs === null ? 'NOT within the grace period + 30 s' : `${fmt(r.unloadedAfterMs / 1000, 1)} s`} after the last client left (ROOM_GRACE_MS=${options.graceMs}).` +
      (r.errors.length > 0 ? `\n\nErrors: ${r.errors.slice(0, 10).join('; ')}` : ''),
  )
  const growth = `${fmt(r.slopes.heapMbPerHour, 1)} MB/h (over a 3-hour workshop: ${fmt(threeHourGrowth, 1)} MB; noise ${fmt(heapNoise, 1)} MB); RSS ${fmt(r.slopes.rssMbPerHour, 1)} MB/h`
  report.target(
    `long session (${mode}): no heap growth after warm-up beyond noise`,
    // A slope over a minute or two extrapolates a warm-up to hours: only the 30-minute run can judge it.
    mode !== 'long' ? 'INFO' : Math.abs(threeHourGrowth) <= Math.max(5, heapNoise) ? 'PASS' : 'FAIL',
    mode !== 'long' ? `${growth}; ${options.durationS} s cannot tell a warm-up from growth: \`npm run bench -- soak --long\` (30 min) decides` : growth,
  )
  report.target(`long session (${mode}): zero errors`, r.errors.length === 0 ? 'PASS' : 'FAIL', r.errors.length === 0 ? 'none' : `${r.errors.length}: ${r.errors[0]}`)
  report.target(
    `long session (${mode}): the room unloads at the end`,
    r.unloadedAfterMs !== null ? 'PASS' : 'FAIL',
    r.unloadedAfterMs === null ? 'still loaded' : `after ${fmt(r.unloadedAfterMs / 1000, 1)} s`,
  )
}
