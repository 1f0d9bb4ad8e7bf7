import pg from 'pg'

export type PgPool = pg.Pool

/**
 * A pool of connections to Tavolo's PostgreSQL database (DATABASE_URL). Every PostgreSQL store shares one pool; its
 * owner (main.ts, or a test) ends it. `synchronous_commit` stays on (PostgreSQL's default, asserted here): an update
 * relayed to anyone must already be committed (sync SPEC R2).
 */
export function openPgPool(url: string, options: { max?: number; searchPath?: string } = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // a test's own schema; production uses the database's default search path
    ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
  })
  // An idle client that loses its connection (a PostgreSQL restart) must not crash the process: the pool replaces it.
  pool.on('error', () => {})
  return pool
}

/** `PG_MIGRATIONS[i]` of a component upgrades its tables from version i to i + 1. */
export type PgMigration = string

/** One lock for every migration of every instance: several instances starting at once migrate one at a time. */
const MIGRATION_LOCK = 0x7461766f // 'tavo'

/**
 * Brings one component's tables to its latest version, in one transaction under a transaction-level advisory lock
 * (instances starting together wait for each other; a failed migration changes nothing). Refuses a database whose
 * component is newer than this Tavolo knows.
 */
export async function migratePg(pool: PgPool, component: string, migrations: readonly PgMigration[]): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS tavolo_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)')
    const row = await client.query<{ version: number }>('SELECT version FROM tavolo_schema WHERE component = $1', [component])
    const current = row.rows[0]?.version ?? 0
    if (current > migrations.length) {
      throw new Error(`the "${component}" tables are at version ${current}, newer than this Tavolo knows (${migrations.length}): upgrade Tavolo`)
    }
    for (let v = current; v < migrations.length; v++) await client.query(migrations[v]!)
    if (current < migrations.length) {
      await client.query(
        'INSERT INTO tavolo_schema (component, version) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
        [component, migrations.length],
      )
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/** Runs `work` in one transaction on one client of the pool (COMMIT when it resolves, ROLLBACK when it throws). */
export async function inPgTransaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/**
 * Takes, inside the client's transaction, the lock of one key (a store's name and a meeting id, say) until the
 * transaction ends: every write of a meeting and its erase take it, so a write and an erase are ordered like
 * SQLite's one writer orders them (meetings SPEC E5). A 64-bit key in PostgreSQL's own hash; a collision only makes two
 * meetings wait for each other.
 */
export async function pgLockKey(client: pg.PoolClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key])
}
