import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPgPool, type PgPool } from '../../server/src/store/pg/pgDatabase.ts'
import { spawnServer, type ChildServer } from './childServer.ts'
import { PG_TEST_URL } from './pgHarness.ts'

/** Redis for the cluster suites that use it (.ci/run sets it to the machine's Redis); empty: those suites are skipped. */
export const REDIS_TEST_URL = process.env.TAVOLO_TEST_REDIS_URL ?? ''

/**
 * Several real Tavolo servers (server/src/main.ts as child processes) on one PostgreSQL schema of their own, as several
 * instances behind a load balancer would run: the same DATABASE_URL and ADMIN_TOKEN, a DATA_DIR each. `bus`: how they
 * talk (cluster SPEC C1). Call `open()` before and `close()` after the tests; only when PG_TEST_URL is set.
 */
export function clusterHarness(options: { bus: 'postgresql' | 'redis'; env?: Record<string, string> }) {
  const schema = `tavolo_cluster_${randomBytes(6).toString('hex')}`
  const databaseUrl = `${PG_TEST_URL}${PG_TEST_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const dirs: string[] = []
  const running = new Set<ChildServer>()
  let admin: PgPool | null = null
  return {
    databaseUrl,
    async open(): Promise<void> {
      admin = openPgPool(PG_TEST_URL, { max: 2 })
      await admin.query(`CREATE SCHEMA ${schema}`)
    },
    /** Starts one more instance (its own DATA_DIR, a port of its own). */
    async start(env: Record<string, string> = {}): Promise<ChildServer> {
      const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-cluster-'))
      dirs.push(dataDir)
      const server = await spawnServer({
        dataDir,
        // a loaded machine starts tsx slowly; a trial must not fail on that
        startTimeoutMs: 60_000,
        env: {
          DATABASE_URL: databaseUrl,
          ...(options.bus === 'redis' ? { REDIS_URL: REDIS_TEST_URL } : {}),
          ...options.env,
          ...env,
        },
      })
      running.add(server)
      void server.exited.then(() => running.delete(server))
      return server
    },
    /** The admin pool (the test's own connection to the schema's database). */
    admin(): PgPool {
      return admin!
    },
    schema,
    async close(): Promise<void> {
      for (const server of running) server.kill('SIGKILL')
      await Promise.all([...running].map((s) => s.exited))
      await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin?.end()
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    },
  }
}
