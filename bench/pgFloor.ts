import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { sleep } from './clients.ts'
import { readProcStats } from './serverProcess.ts'
import { percentile } from './stats.ts'

/**
 * The bench's PostgreSQL: TAVOLO_BENCH_DATABASE_URL, else the machine's test database. Everything the bench writes
 * lives in schemas of its own (`tavolo_bench_*`), created per run and dropped after; no other schema is touched.
 */
export const PG_BENCH_URL = process.env.TAVOLO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The URL with its search path set to `schema` and an application name (libpq parameters that node-postgres reads). */
export function urlInSchema(url: string, schema: string, applicationName: string): string {
  const params = new URLSearchParams({ options: `-c search_path=${schema}`, application_name: applicationName })
  return `${url}${url.includes('?') ? '&' : '?'}${params.toString()}`
}

/** The host and database of a URL, for the report (a URL may carry a password). */
export function describePgUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.host}${parsed.pathname}`
}

/** A fresh, empty schema; the caller drops it (dropSchema). */
export async function createBenchSchema(admin: pg.Pool, label: string): Promise<string> {
  const schema = `tavolo_bench_${label}_${randomBytes(5).toString('hex')}`
  await admin.query(`CREATE SCHEMA ${schema}`)
  return schema
}

export async function dropSchema(admin: pg.Pool, schema: string): Promise<void> {
  if (!schema.startsWith('tavolo_bench_')) throw new Error(`refusing to drop ${schema}: not a bench schema`)
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
}

export interface FloorStats {
  p50Ms: number
  p99Ms: number
  maxMs: number
  samples: number
}

export function floorStats(times: readonly number[]): FloorStats {
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: percentile(times, 100), samples: times.length }
}

export interface CommitProbe {
  /** `samples` commits at `hz`, one after the other. */
  measure(samples: number, hz: number): Promise<FloorStats>
  /** Commits at `hz` in the background (a slow commit delays the next, never stacks) until stopped. */
  start(hz: number): { stop(): Promise<FloorStats> }
  close(): Promise<void>
}

/**
 * PostgreSQL's own commit latency, from a process of its own (pgFloorChild.ts): the bench process's event loop is busy
 * with up to 101 clients and its delays would be counted as commit time (and make the target easy to pass).
 */
export async function openCommitProbe(url: string, schema: string): Promise<CommitProbe> {
  const child = fork(new URL('./pgFloorChild.ts', import.meta.url), [url, schema], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let waiting: { resolve(message: ProbeReply): void; reject(error: Error): void } | null = null
  const exited = new Error('the commit probe process exited')
  child.on('message', (message: ProbeReply) => {
    const w = waiting
    waiting = null
    if (message.type === 'error') w?.reject(new Error(`commit probe: ${message.message}`))
    else w?.resolve(message)
  })
  child.once('exit', () => waiting?.reject(exited))
  const ask = (request: ProbeRequest | null): Promise<ProbeReply> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null) return reject(exited)
      waiting = { resolve, reject }
      if (request !== null) child.send(request)
    })
  const stats = async (request: ProbeRequest): Promise<FloorStats> => {
    const reply = await ask(request)
    if (reply.type !== 'stats') throw new Error(`commit probe answered ${reply.type}`)
    return reply.stats
  }
  try {
    await ask(null) // 'ready', once connected and its table exists
  } catch (error) {
    child.kill()
    throw error
  }
  return {
    measure: (samples, hz) => stats({ type: 'measure', samples, hz }),
    start(hz) {
      child.send({ type: 'start', hz })
      return { stop: () => stats({ type: 'stop' }) }
    },
    async close() {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.send({ type: 'close' })
      await gone
    },
  }
}

export type ProbeRequest = { type: 'measure'; samples: number; hz: number } | { type: 'start'; hz: number } | { type: 'stop' } | { type: 'close' }
export type ProbeReply = { type: 'ready' } | { type: 'stats'; stats: FloorStats } | { type: 'error'; message: string }

/**
 * PostgreSQL's own commit latency from the calling process: one simple-query round trip carrying `BEGIN; INSERT one small
 * row; COMMIT` (synchronous_commit on, as the server requires), so each sample is one network round trip on loopback
 * plus one WAL flush: the least any durable append of the PostgreSQL doc store can cost. The doc store's flush makes
 * six round trips (BEGIN, locks, tombstones, sequence upsert, rows, COMMIT) for one WAL flush.
 */
export async function openCommitProbeHere(url: string, schema: string): Promise<CommitProbe> {
  const client = new pg.Client({ connectionString: urlInSchema(url, schema, `${schema}_probe`) })
  await client.connect()
  const commit = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')
  if (commit.rows[0]?.synchronous_commit !== 'on') {
    // a floor without a WAL flush would not be the floor of a durable append
    await client.query('SET synchronous_commit = on')
  }
  await client.query('CREATE TABLE commit_floor (id BIGSERIAL PRIMARY KEY, board TEXT NOT NULL, data BYTEA NOT NULL)')
  const payload = `'\\x${'07'.repeat(300)}'::bytea`
  const once = async (): Promise<number> => {
    const started = performance.now()
    await client.query(`BEGIN; INSERT INTO commit_floor (board, data) VALUES ('floor', ${payload}); COMMIT`)
    return performance.now() - started
  }
  const paced = async (hz: number, more: (done: number) => boolean): Promise<number[]> => {
    const times: number[] = []
    const start = performance.now()
    for (let i = 0; more(i); i++) {
      const wait = start + (i * 1000) / hz - performance.now()
      if (wait > 0) await sleep(wait)
      times.push(await once())
    }
    return times
  }
  return {
    async measure(samples, hz) {
      return floorStats(await paced(hz, (i) => i < samples))
    },
    start(hz) {
      let stopped = false
      const running = paced(hz, () => !stopped)
      return {
        async stop() {
          stopped = true
          return floorStats(await running)
        },
      }
    },
    async close() {
      await client.end()
    },
  }
}

/**
 * CPU seconds of the PostgreSQL backends serving one application name, read from /proc (the bench runs on the
 * database's machine). Backends that closed between two readings are missed: the server's pool closes only idle ones.
 */
export async function backendCpu(admin: pg.Pool, applicationName: string): Promise<Map<number, number>> {
  const rows = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName])
  const cpu = new Map<number, number>()
  for (const { pid } of rows.rows) {
    try {
      cpu.set(pid, readProcStats(pid).cpuSeconds)
    } catch {
      // gone since the query, or PostgreSQL runs elsewhere: nothing to read
    }
  }
  return cpu
}

/** CPU the backends spent between two readings; a backend that appeared meanwhile counts whole. */
export function backendCpuDelta(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let sum = 0
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0)
  return sum
}
