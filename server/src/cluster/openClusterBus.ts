import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Logger } from '../log.ts'
import type { PgPool } from '../store/pg/pgDatabase.ts'
import type { ClusterLink } from './clusterBus.ts'
import { createPgNotifyBus } from './pgNotifyBus.ts'
import { createRedisBus } from './redisBus.ts'

/**
 * The bus of the instances sharing this database (cluster SPEC C1): Redis pub/sub with REDIS_URL, else PostgreSQL's
 * LISTEN/NOTIFY. Its channel is named after the database and schema, so instances of other databases (or tests in
 * other schemas) on the same server never hear each other. Rejects when the bus cannot be reached: the server does
 * not start deaf to its peers.
 */
export async function openClusterBus(options: {
  databaseUrl: string
  redisUrl: string | null
  pool: PgPool
  sweepMs: number
  logger: Logger
}): Promise<ClusterLink> {
  const { logger } = options
  const where = (await options.pool.query<{ db: string; schema: string }>('SELECT current_database() AS db, current_schema() AS schema')).rows[0]!
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  if (options.redisUrl !== null) {
    const bus = createRedisBus({ url: options.redisUrl, channel: `tavolo:${where.db}:${where.schema}`, logger })
    await bus.ready
    logger.info({ instanceId, bus: 'redis', host: new URL(options.redisUrl).host }, 'instances talk through Redis')
    return { bus, instanceId, sweepMs: options.sweepMs }
  }
  // an identifier: at most 63 bytes
  const channel = `tavolo_${where.db}_${where.schema}`.slice(0, 63)
  const bus = createPgNotifyBus({ url: options.databaseUrl, pool: options.pool, channel, logger })
  await bus.ready
  logger.info({ instanceId, bus: 'postgresql' }, 'instances talk through PostgreSQL LISTEN/NOTIFY')
  return { bus, instanceId, sweepMs: options.sweepMs }
}
