/**
 * Several instances (issue 23, cluster SPEC): Tavolo instances on one PostgreSQL database behind a real nginx, against
 * one instance behind the same nginx, at the many-boards load (bench/manyBoards.ts), with each bus (LISTEN/NOTIFY,
 * Redis pub/sub); and the failover time: from a SIGKILL of one instance to every client resynced on another.
 * PostgreSQL: TAVOLO_BENCH_DATABASE_URL (default the machine's, database `test`), a schema of its own per server set,
 * dropped after. Redis: TAVOLO_BENCH_REDIS_URL (default 127.0.0.1:6379). nginx: /usr/sbin/nginx.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openBoard } from './boards.ts'
import { boardRecords, stampedNote } from './records.ts'
import { connectClient, sleep, type BenchClient } from './clients.ts'
import { MANY_CLIENTS_ENV, runManyBoards, type ManyBoardsOptions, type ManyBoardsResult } from './manyBoards.ts'
import { markdownTable, type Report } from './report.ts'
import { freePort, startServer, type ProcStats, type ServerHandle } from './serverProcess.ts'
import { fmt, median, percentile } from './stats.ts'

const DATABASE_URL = process.env.TAVOLO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.TAVOLO_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const NGINX = '/usr/sbin/nginx'

type Bus = 'postgresql' | 'redis'

/** How nginx spreads connections: deploy/nginx.conf's board affinity (`hash $uri consistent`), or round robin. */
type Balance = 'affinity' | 'round-robin'

/** nginx in front of the instances: deploy/nginx.conf's upstream and /sync location, on plain HTTP (no TLS cost). */
async function startNginx(ports: readonly number[], balance: Balance): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-bench-nginx-'))
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp))
  const port = await freePort()
  const conf = join(dir, 'nginx.conf')
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;\nworker_processes 1;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;\n` +
      'events { worker_connections 4096; }\n' +
      `http {\n  access_log off;\n  client_body_temp_path ${join(dir, 'body')};\n  proxy_temp_path ${join(dir, 'proxy')};\n` +
      `  fastcgi_temp_path ${join(dir, 'fastcgi')};\n  uwsgi_temp_path ${join(dir, 'uwsgi')};\n  scgi_temp_path ${join(dir, 'scgi')};\n` +
      "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n" +
      `  upstream tavolo {\n${balance === 'affinity' ? '    hash $uri consistent;\n' : ''}${ports.map((p) => `    server 127.0.0.1:${p} max_fails=0;\n`).join('')}  }\n` +
      `  server {\n    listen 127.0.0.1:${port};\n` +
      '    location /sync/ { proxy_pass http://tavolo; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade;\n' +
      '      proxy_set_header Connection $connection_upgrade; proxy_set_header Host $host; proxy_read_timeout 120s; proxy_buffering off; }\n' +
      '    location / { proxy_pass http://tavolo; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; }\n' +
      '  }\n}\n',
  )
  const nginx: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()))
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    )
    if (up) break
    await sleep(100)
  }
  return {
    port,
    async stop() {
      nginx.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

interface Cluster {
  /** What runManyBoards drives: the first instance's API, nginx's /sync, CPU and memory summed over every instance. */
  handle: ServerHandle
  instances: ServerHandle[]
  restart(index: number): Promise<void>
}

/** `count` instances on one fresh schema (and bus), behind nginx. */
export async function startCluster(count: number, bus: Bus, balance: Balance = 'affinity'): Promise<Cluster> {
  const schema = `tavolo_bench_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  const url = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()))
  const adminToken = randomBytes(18).toString('base64url')
  const envOf = (i: number) => ({
    ...MANY_CLIENTS_ENV,
    DATABASE_URL: url,
    ...(bus === 'redis' ? { REDIS_URL } : {}),
    PORT: String(ports[i]),
    ADMIN_TOKEN: adminToken,
  })
  const instances: ServerHandle[] = []
  // one at a time: the first migrates the schema
  for (let i = 0; i < count; i++) instances.push(await startServer('ours', { env: envOf(i) }))
  const nginx = await startNginx(ports, balance)
  const sum = (): ProcStats =>
    instances.reduce(
      (total, s) => {
        const stats = s.stats()
        return { cpuSeconds: total.cpuSeconds + stats.cpuSeconds, rssKb: total.rssKb + stats.rssKb, peakRssKb: total.peakRssKb + stats.peakRssKb }
      },
      { cpuSeconds: 0, rssKb: 0, peakRssKb: 0 },
    )
  const first = instances[0]!
  const handle: ServerHandle = {
    ...first,
    syncUrl: `ws://127.0.0.1:${nginx.port}/sync`,
    adminToken,
    stats: sum,
    async stop() {
      await nginx.stop()
      const codes = await Promise.all(instances.map((s) => s.stop()))
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
      return codes[0] ?? null
    },
  }
  return {
    handle,
    instances,
    async restart(index) {
      instances[index] = await startServer('ours', { env: envOf(index) })
    },
  }
}

/** Kills one instance with SIGKILL (its clients see their sockets close at once, as when a process dies). */
function kill(instance: ServerHandle): Promise<void> {
  return new Promise((resolve) => {
    try {
      process.kill(instance.pid, 'SIGKILL')
    } catch {
      resolve()
      return
    }
    const poll = setInterval(() => {
      try {
        process.kill(instance.pid, 0)
      } catch {
        clearInterval(poll)
        resolve()
      }
    }, 10)
  })
}

interface FailoverResult {
  resyncMs: number[]
  clientsMoved: number[]
}

/**
 * Boards × clients of stock providers (their default backoff, 100 ms doubling up to 2.5 s) through nginx to two
 * instances; each trial kills the instance serving a client of board 0 and times until every client is connected and
 * synced again. The killed instance is started again between trials.
 */
async function runFailover(trials: number, boards: number, clientsPerBoard: number): Promise<FailoverResult> {
  const cluster = await startCluster(2, 'postgresql')
  const clients: BenchClient[] = []
  const resyncMs: number[] = []
  const clientsMoved: number[] = []
  try {
    for (let b = 0; b < boards; b++) {
      const board = await openBoard(cluster.handle, `failover-${b}`)
      for (let c = 0; c < clientsPerBoard; c++) clients.push(connectClient(cluster.handle.syncUrl, board))
    }
    await Promise.all(clients.map((c) => c.synced))
    let n = 0
    const writing = setInterval(() => {
      for (let b = 0; b < boards; b++) {
        const note = stampedNote(n, 20)
        boardRecords(clients[b * clientsPerBoard]!.doc).set(note.id, note)
      }
      n++
    }, 50)
    try {
      for (let t = 0; t < trials; t++) {
        const victim = t % 2
        const before = clients.map((c) => c.closes.length)
        const killedAt = performance.now()
        await kill(cluster.instances[victim]!)
        // a client on the victim closes within milliseconds; wait until the closed ones are back and synced
        await sleep(50)
        for (;;) {
          if (clients.every((c) => c.provider.wsconnected && c.provider.synced)) break
          if (performance.now() - killedAt > 60_000) throw new Error('clients did not resync within 60 s')
          await sleep(10)
        }
        resyncMs.push(performance.now() - killedAt)
        clientsMoved.push(clients.filter((c, i) => c.closes.length > before[i]!).length)
        await cluster.restart(victim)
      }
    } finally {
      clearInterval(writing)
    }
  } finally {
    for (const client of clients) client.destroy()
    await cluster.handle.stop()
  }
  return { resyncMs, clientsMoved }
}

export async function clusterSuite(report: Report, quick: boolean): Promise<void> {
  const options: ManyBoardsOptions = quick
    ? { boards: 4, clientsPerBoard: 10, notesPerBoard: 50, presenceHz: 5, writeHz: 2, durationS: 10, processes: 2, readers: 'light' }
    : { boards: 20, clientsPerBoard: 30, notesPerBoard: 300, presenceHz: 5, writeHz: 2, durationS: 60, processes: 3, readers: 'light' }
  const runs: Array<{ label: string; result: ManyBoardsResult }> = []
  const run = async (label: string, count: number, bus: Bus, balance: Balance = 'affinity') => {
    const result = await runManyBoards('ours', options, async () => (await startCluster(count, bus, balance)).handle)
    runs.push({ label, result })
  }
  // the machine's floor for this load: the default server (SQLite, no proxy), with stock readers as
  // `npm run bench -- many` runs it, and with the light readers every other row uses
  const stockFloor = await runManyBoards('ours', { ...options, readers: 'stock' })
  const floor = await runManyBoards('ours', options)
  await run('1 instance (PostgreSQL)', 1, 'postgresql')
  await run('2 instances, LISTEN/NOTIFY', 2, 'postgresql')
  await run('2 instances, Redis', 2, 'redis')
  // a proxy that spreads every board over both instances: each change is handled on both
  await run('2 instances, LISTEN/NOTIFY, round robin', 2, 'postgresql', 'round-robin')
  const worst = (r: ManyBoardsResult) => r.perBoard.reduce((m, b) => Math.max(m, b.p99Ms), 0)
  const perUpdate = (r: ManyBoardsResult) => (r.serverCpuShare * r.windowSeconds) / Math.max(1, r.overall.received)
  const one = runs[0]!.result
  report.section(
    `Several instances behind nginx: ${options.boards} boards × ${options.clientsPerBoard} clients (one stock writer per board, ${options.readers} readers), presence ${options.presenceHz} Hz, one writer per board at ${options.writeHz} Hz, ${options.durationS} s (PostgreSQL)`,
    markdownTable(
      ['servers', 'relay p50 ms', 'p99 ms', 'worst board p99 ms', 'received', 'CPU, all instances (one core = 100%)', 'CPU per received update µs', 'vs 1 instance', 'peak RSS MB (sum)', 'client processes, cores', 'client loop lag max ms', 'other processes, cores', 'closed sockets'],
      [
        { label: 'floor, stock readers: 1 instance on SQLite, no nginx', result: stockFloor },
        { label: 'floor: 1 instance on SQLite, no nginx', result: floor },
        ...runs,
      ].map(({ label, result: r }) => [
        label,
        fmt(r.overall.p50Ms),
        fmt(r.overall.p99Ms),
        fmt(worst(r)),
        `${r.overall.received}/${r.overall.expected}`,
        `${fmt(100 * r.serverCpuShare, 0)}%`,
        fmt(perUpdate(r) * 1e6, 0),
        `${fmt(perUpdate(r) / perUpdate(one), 2)}×`,
        fmt(r.serverPeakRssMb, 0),
        fmt(r.clientCores, 2),
        fmt(r.clientLoopLagMaxMs, 0),
        fmt(r.otherCores, 2),
        r.closes,
      ]),
    ) +
      '\n\n"Received": relayed updates counted at the readers (every reader of every board). CPU per received update: the' +
      ' instances\' CPU over the window divided by that count (nginx and PostgreSQL are not in it; they run on the same 2 cores).' +
      ' "Client loop lag": the largest delay of a 100 ms timer in any client process; when it is large, the clients\' own' +
      ' queueing is part of the latency, in every row alike. Light readers (bench/lightReader.ts) speak the protocol without' +
      ' a Y.Doc: the servers do the same work for them as for stock providers, the clients far less, so on these 2 shared' +
      ' cores the latency is the servers\' rather than the clients\' queueing; the first row is the same floor with stock readers.',
  )
  for (const { label, result: r } of runs.slice(1)) {
    const complete = r.overall.received === r.overall.expected && r.closes === '0'
    // the targets are for the README's set-up (board affinity); round robin is shown for what it costs
    const judged = (pass: boolean) => (label.includes('round robin') ? 'INFO' : pass ? 'PASS' : 'FAIL')
    report.target(
      `several instances (${label}): relay p99 ≤ 100 ms on every board`,
      judged(complete && worst(r) <= 100),
      `worst board p99 ${fmt(worst(r))} ms (one instance ${fmt(worst(one))} ms)${complete ? '' : `; ${r.overall.received}/${r.overall.expected} received, closed: ${r.closes}`}`,
    )
    const cpu = perUpdate(r) / perUpdate(one)
    report.target(
      `several instances (${label}): CPU per update ≤ 1.3× one instance`,
      judged(cpu <= 1.3),
      `${fmt(cpu, 2)}× (${fmt(perUpdate(r) * 1e6, 0)} vs ${fmt(perUpdate(one) * 1e6, 0)} µs)`,
    )
  }

  const trials = quick ? 2 : 6
  const failover = await runFailover(trials, quick ? 2 : 5, quick ? 4 : 10)
  report.section(
    `Failover: SIGKILL of one of two instances behind nginx, ${quick ? 2 : 5} boards × ${quick ? 4 : 10} stock clients (default backoff), ${trials} trials`,
    markdownTable(
      ['trial', 'kill → every client resynced, ms', 'clients that moved'],
      failover.resyncMs.map((ms, i) => [String(i + 1), fmt(ms, 0), String(failover.clientsMoved[i])]),
    ) +
      '\n\nThe killed process\'s sockets are closed by the kernel at once, so nginx closes its clients\' WebSockets and' +
      ' y-websocket reconnects after its backoff (100 ms, doubling to 2.5 s while it fails); nginx sends them to the' +
      ' live instance. A machine that vanishes without closing its sockets is noticed by the ping (PING_INTERVAL_MS,' +
      ' 30 s) or nginx\'s proxy_read_timeout instead: that, not Tavolo, sets the failover time then.',
  )
  const worstResync = Math.max(...failover.resyncMs)
  report.target(
    'failover: SIGKILL → every client resynced on another instance ≤ 5 s',
    worstResync <= 5000 ? 'PASS' : 'FAIL',
    `median ${fmt(median(failover.resyncMs), 0)} ms, p90 ${fmt(percentile(failover.resyncMs, 90), 0)} ms, max ${fmt(worstResync, 0)} ms over ${trials} trials`,
  )
}
