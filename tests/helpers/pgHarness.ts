import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { openPgPool, type PgPool } from '../../server/src/store/pg/pgDatabase.ts'

/**
 * The PostgreSQL store suites run against TAVOLO_TEST_DATABASE_URL (.ci/run sets it: the machine's PostgreSQL, database
 * `test`). Without it they are skipped, and their name says so.
 */
export const PG_TEST_URL = process.env.TAVOLO_TEST_DATABASE_URL ?? ''

/** A suite that needs PostgreSQL: run when PG_TEST_URL is set, else one skipped test that says why. */
export function describePg(name: string, body: () => void): void {
  if (PG_TEST_URL === '') {
    describe(`${name} (PostgreSQL)`, () => {
      it.skip('skipped: TAVOLO_TEST_DATABASE_URL is not set (.ci/run sets it to the machine PostgreSQL)', () => {})
    })
  } else describe(`${name} (PostgreSQL)`, body)
}

/**
 * A schema of its own for the calling test file (created before its tests, dropped after), and a pool whose search
 * path is that schema. `reset` empties every table the stores created, between tests (each contract test starts on
 * empty storage). Call at the top level of a test file, only when PG_TEST_URL is set.
 */
export function pgTestSchema(): { pool(): PgPool; searchPath(): string; reset(): Promise<void> } {
  const schema = `tavolo_test_${randomBytes(6).toString('hex')}`
  let admin: PgPool | null = null
  let pool: PgPool | null = null
  beforeAll(async () => {
    admin = openPgPool(PG_TEST_URL, { max: 1 })
    await admin.query(`CREATE SCHEMA ${schema}`)
    pool = openPgPool(PG_TEST_URL, { searchPath: schema })
  })
  afterAll(async () => {
    await pool?.end()
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.end()
  })
  return {
    pool: () => {
      if (pool === null) throw new Error('pgTestSchema: used before its beforeAll')
      return pool
    },
    searchPath: () => schema,
    async reset() {
      const tables = await admin!.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema])
      // tavolo_schema stays: the stores' migrations ran once and are not run again on an emptied table set
      const data = tables.rows.map((r) => r.tablename).filter((t) => t !== 'tavolo_schema')
      if (data.length > 0) await admin!.query(`TRUNCATE ${data.map((t) => `${schema}.${t}`).join(', ')}`)
    },
  }
}
