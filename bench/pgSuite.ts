/**
 * Issue 23's first benchmark: the relay bench (relay.ts) on our server with SQLite and with PostgreSQL (DATABASE_URL),
 * one instance each, N = 20/50/100, and beside them the floor: PostgreSQL's own commit latency in the same run.
 * Registered in run.ts as the part `pg`.
 */
import pg from 'pg'
import {
  PG_BENCH_URL,
  backendCpu,
  backendCpuDelta,
  createBenchSchema,
  describePgUrl,
  dropSchema,
  openCommitProbe,
  urlInSchema,
  type CommitProbe,
  type FloorStats,
} from './pgFloor.ts'
import { runRelay, type RelayOptions, type RelayResult } from './relay.ts'
import { markdownTable, type Report } from './report.ts'
import { histogramWindow, readHistogram, type MetricHistogram } from './serverStats.ts'
import { fmt, ratio } from './stats.ts'

type Storage = 'SQLite' | 'PostgreSQL'

interface StorageRun {
  storage: Storage
  relay: RelayResult
  /** The commit probe over this run's window. */
  floor: FloorStats
  /** CPU of the server's own PostgreSQL backends over the window; null on SQLite. */
  backendCpuSeconds: number | null
  /** The server's store appends over the window (its /metrics histogram): how much of the relay latency is storage. */
  appends: { count: number; meanMs: number; pBoundMs: number } | null
}

const PROBE_HZ = 20

function cpuPerKPresence(cpuSeconds: number, r: RelayResult): number {
  return (1e6 * cpuSeconds) / Math.max(1, r.presenceUpdates)
}

const APPEND_HISTOGRAM = 'tavolo_append_duration_seconds'

async function runOn(storage: Storage, options: RelayOptions, admin: pg.Pool, probe: CommitProbe): Promise<StorageRun> {
  // a fresh schema per server, as a fresh DATA_DIR is for SQLite; its name is also the server's application name
  const schema = storage === 'PostgreSQL' ? await createBenchSchema(admin, `n${options.readers}`) : null
  try {
    let floor: FloorStats | null = null
    let background: { stop(): Promise<FloorStats> } | null = null
    let appendsBefore: MetricHistogram | null = null
    let appends: StorageRun['appends'] = null
    let cpuBefore = new Map<number, number>()
    let backendCpuSeconds: number | null = null
    const relay = await runRelay('ours', options, {
      server: schema === null ? {} : { env: { DATABASE_URL: urlInSchema(PG_BENCH_URL, schema, schema) } },
      async windowStart(server) {
        appendsBefore = await readHistogram(server.httpUrl, server.adminToken, APPEND_HISTOGRAM)
        if (schema !== null) cpuBefore = await backendCpu(admin, schema)
        background = probe.start(PROBE_HZ)
      },
      async windowEnd(server) {
        floor = (await background?.stop()) ?? null
        if (schema !== null) backendCpuSeconds = backendCpuDelta(cpuBefore, await backendCpu(admin, schema))
        appends = histogramWindow(appendsBefore, await readHistogram(server.httpUrl, server.adminToken, APPEND_HISTOGRAM), 99)
      },
    })
    if (floor === null) throw new Error(`${storage} relay run ended without its commit probe`)
    return { storage, relay, floor, backendCpuSeconds, appends }
  } finally {
    if (schema !== null) await dropSchema(admin, schema)
  }
}

function relayOptions(readers: number, quick: boolean): RelayOptions {
  return { readers, edits: quick ? 40 : 200, editHz: 20, presenceHz: 5, warmupMs: quick ? 500 : 2000 }
}

export async function pgSuite(report: Report, quick: boolean): Promise<void> {
  const title = 'Relay on SQLite vs PostgreSQL (one instance), with PostgreSQL\'s commit floor'
  const admin = new pg.Pool({ connectionString: PG_BENCH_URL, max: 2 })
  admin.on('error', () => {})
  let version: string
  try {
    version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?'
  } catch (error) {
    await admin.end().catch(() => {})
    const why = `no PostgreSQL at ${describePgUrl(PG_BENCH_URL)} (${error instanceof Error ? error.message : String(error)}); set TAVOLO_BENCH_DATABASE_URL`
    report.section(title, why)
    report.target('PostgreSQL relay p99 ≤ SQLite p99 + commit floor', 'NOT MEASURED', why)
    return
  }
  const floorSchema = await createBenchSchema(admin, 'floor')
  try {
    const probe = await openCommitProbe(PG_BENCH_URL, floorSchema)
    try {
      const idle = await probe.measure(quick ? 40 : 200, PROBE_HZ)
      const sizes = quick ? [20] : [20, 50, 100]
      const pairs: { sqlite: StorageRun; postgres: StorageRun }[] = []
      for (const [i, readers] of sizes.entries()) {
        const options = relayOptions(readers, quick)
        // Interleaved, and in alternating order: neither storage always runs first (warm caches) or last (a drifting machine).
        const order: Storage[] = i % 2 === 0 ? ['SQLite', 'PostgreSQL'] : ['PostgreSQL', 'SQLite']
        const runs = new Map<Storage, StorageRun>()
        for (const storage of order) runs.set(storage, await runOn(storage, options, admin, probe))
        pairs.push({ sqlite: runs.get('SQLite')!, postgres: runs.get('PostgreSQL')! })
      }
      printPairs(report, title, pairs, idle, version, relayOptions(sizes[0] ?? 20, quick))
    } finally {
      await probe.close()
    }
  } finally {
    await dropSchema(admin, floorSchema)
    await admin.end()
  }
}

function printPairs(
  report: Report,
  title: string,
  pairs: readonly { sqlite: StorageRun; postgres: StorageRun }[],
  idle: FloorStats,
  version: string,
  options: RelayOptions,
): void {
  const rows: string[][] = []
  for (const { sqlite, postgres } of pairs) {
    for (const run of [sqlite, postgres]) {
      const r = run.relay
      const pgCpu = run.backendCpuSeconds ?? 0
      rows.push([
        String(r.readers),
        run.storage,
        fmt(r.p50Ms),
        fmt(r.p99Ms),
        fmt(r.maxMs),
        `${r.received}/${r.expected}`,
        run.appends === null ? 'n/a' : `${run.appends.count} / ${fmt(run.appends.meanMs, 2)} / ≤ ${fmt(run.appends.pBoundMs, 0)}`,
        fmt(r.cpuSeconds, 2),
        fmt(cpuPerKPresence(r.cpuSeconds, r), 0),
        run.backendCpuSeconds === null ? '' : fmt(pgCpu, 2),
        fmt(cpuPerKPresence(r.cpuSeconds + pgCpu, r), 0),
        `${fmt(run.floor.p50Ms, 2)} / ${fmt(run.floor.p99Ms, 2)}`,
        fmt(r.presenceHz, 2),
        fmt(r.benchLoopDelayP99Ms, 0),
        `${fmt(r.otherCoresBefore, 2)} / ${fmt(r.otherCores, 2)}`,
        r.disconnects,
      ])
    }
    const s = sqlite.relay
    const p = postgres.relay
    rows.push([
      String(s.readers),
      '**PG/SQLite**',
      ratio(p.p50Ms, s.p50Ms),
      ratio(p.p99Ms, s.p99Ms),
      ratio(p.maxMs, s.maxMs),
      '',
      postgres.appends === null || sqlite.appends === null ? '' : `mean ${ratio(postgres.appends.meanMs, sqlite.appends.meanMs)}`,
      ratio(p.cpuSeconds, s.cpuSeconds),
      ratio(cpuPerKPresence(p.cpuSeconds, p), cpuPerKPresence(s.cpuSeconds, s)),
      '',
      ratio(cpuPerKPresence(p.cpuSeconds + (postgres.backendCpuSeconds ?? 0), p), cpuPerKPresence(s.cpuSeconds, s)),
      '',
      '',
      '',
      '',
      '',
    ])
  }
  report.section(
    title,
    markdownTable(
      [
        'N readers',
        'storage',
        'p50 ms',
        'p99 ms',
        'max ms',
        'received',
        'store appends: count / mean ms / p99 bucket',
        'server CPU s',
        'server CPU ms per 1k presence updates',
        'its PG backends CPU s',
        'server + backends CPU ms per 1k presence updates',
        `commit floor during the run p50 / p99 ms`,
        'presence Hz/client achieved',
        'bench loop delay p99 ms',
        'other processes, cores before / during',
        'server closed sockets',
      ],
      rows,
    ) +
      `\n\nPostgreSQL ${version} at ${describePgUrl(PG_BENCH_URL)}, a fresh schema per server (dropped after). The relay` +
      ` measurement is relay.ts's (one writer moving a stamped note at ${options.editHz} Hz, ${options.edits} edits, N readers,` +
      ` presence ${options.presenceHz} Hz from everyone), on our server with SQLite (fresh DATA_DIR) and with DATABASE_URL set, one after the other per N in` +
      ` alternating order. The commit floor: one simple-query round trip from a process of its own (not the clients' busy one) carrying \`BEGIN; INSERT\` of a` +
      ` 300-byte row \`; COMMIT\` (synchronous_commit on), ${PROBE_HZ} per second, on an idle PostgreSQL before the runs` +
      ` (${idle.samples} samples: p50 ${fmt(idle.p50Ms, 2)} ms, p99 ${fmt(idle.p99Ms, 2)} ms, max ${fmt(idle.maxMs, 2)} ms)` +
      ` and over each run's window (the column). The target's floor is the one measured during the SQLite run at the` +
      ` same N: the machine's load of that N, PostgreSQL busy with nothing else. The server's PostgreSQL backends are` +
      ` other processes: "server CPU" leaves them out, the next columns add them (read from /proc by application name).` +
      ` "Store appends" is the server's own histogram (\`${APPEND_HISTOGRAM}\` from /metrics, over the window): the time a` +
      ` batch of a board's updates waits for its commit before it is relayed (SQLite: the append worker's transaction and` +
      ` fsync; PostgreSQL: the doc store's group-commit transaction); the p99 is the histogram's bucket bound.`,
  )
  for (const { sqlite, postgres } of pairs) {
    const n = sqlite.relay.readers
    const floor = sqlite.floor.p99Ms
    const bound = sqlite.relay.p99Ms + floor
    const complete = (r: RelayResult) => r.received === r.expected && r.disconnects === '0'
    const ok = complete(sqlite.relay) && complete(postgres.relay) && postgres.relay.p99Ms <= bound
    const missing = [sqlite, postgres]
      .filter((run) => !complete(run.relay))
      .map((run) => `; ${run.storage} ${run.relay.received}/${run.relay.expected} received, closed: ${run.relay.disconnects}`)
      .join('')
    report.target(
      `PostgreSQL relay p99 ≤ SQLite p99 + commit floor p99 at N=${n}`,
      ok ? 'PASS' : 'FAIL',
      `${fmt(postgres.relay.p99Ms)} ms vs ${fmt(sqlite.relay.p99Ms)} + ${fmt(floor, 2)} = ${fmt(bound)} ms` +
        ` (p50 ${fmt(postgres.relay.p50Ms)} vs ${fmt(sqlite.relay.p50Ms)} ms; floor idle p99 ${fmt(idle.p99Ms, 2)} ms, during the PostgreSQL run ${fmt(postgres.floor.p99Ms, 2)} ms;` +
        ` CPU per 1k presence updates ${fmt(cpuPerKPresence(postgres.relay.cpuSeconds, postgres.relay), 0)} (+ ${fmt(cpuPerKPresence(postgres.backendCpuSeconds ?? 0, postgres.relay), 0)} in its backends) vs ${fmt(cpuPerKPresence(sqlite.relay.cpuSeconds, sqlite.relay), 0)} ms)${missing}`,
    )
  }
}
