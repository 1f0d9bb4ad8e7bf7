/**
 * Cluster SPEC C1 at the edge of each real engine: whatever else reaches the channel (a foreign or broken publisher)
 * is logged and dropped, and the bus goes on delivering; one turn's messages travel as one notification/publication.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/src/boardId.ts'
import type { ClusterBus } from '../../server/src/cluster/clusterBus.ts'
import { encodeClusterBundle, encodeClusterMessage, type ClusterMessage } from '../../server/src/cluster/clusterMessages.ts'
import { createPgNotifyBus } from '../../server/src/cluster/pgNotifyBus.ts'
import { createRedisBus } from '../../server/src/cluster/redisBus.ts'
import { createLogger, createSilentLogger } from '../../server/src/log.ts'
import { openPgPool } from '../../server/src/store/pg/pgDatabase.ts'
import { REDIS_TEST_URL } from '../helpers/clusterHarness.ts'
import { describePg, PG_TEST_URL } from '../helpers/pgHarness.ts'
import { waitFor } from '../helpers/waitFor.ts'

const board = 'board-1' as BoardId
const query = (i: number): ClusterMessage => ({ kind: 'awareness-query', instance: `other-${i}`, boardId: board })

function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = []
  const logger = createLogger({ logLevel: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) })
  return { logger, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) }
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Two buses on one channel (`logger` is a's), and a raw way to put bytes on that channel. */
type Engine = (channel: string, logger: ReturnType<typeof createLogger>) => Promise<{ a: ClusterBus; b: ClusterBus; raw(payload: Buffer): Promise<void>; count(): number }>

function busSuite(engine: Engine) {
  it('garbage on the channel is logged and dropped; the next messages arrive', async () => {
    const { logger, warnings } = recordingLogger()
    const { a, b, raw } = await engine(`tavolo_test_${randomBytes(4).toString('hex')}`, logger)
    const got: ClusterMessage[] = []
    a.onMessage((m) => got.push(m))
    await raw(Buffer.from([0xff, 0xff, 0xff]))
    // a bundle with one readable message and one that is not
    await raw(Buffer.from(encodeClusterBundle([encodeClusterMessage(query(1)), new Uint8Array([7, 7])])))
    b.publish(query(2))
    await waitFor(() => got.length >= 2 || null, 10_000, 'the readable messages delivered')
    expect(got).toEqual([query(1), query(2)])
    expect(warnings().filter((w) => /cannot be read/.test(w))).toHaveLength(2)
  })

  it("one turn's messages travel together, in order", async () => {
    const { logger } = recordingLogger()
    const { a, b, count } = await engine(`tavolo_test_${randomBytes(4).toString('hex')}`, logger)
    const got: ClusterMessage[] = []
    a.onMessage((m) => got.push(m))
    const before = count()
    for (let i = 0; i < 50; i++) b.publish(query(i))
    await waitFor(() => got.length === 50 || null, 10_000, 'all 50 delivered')
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => query(i)))
    expect(count() - before).toBe(1)
  })
}

describePg('cluster bus: PostgreSQL LISTEN/NOTIFY', () => {
  busSuite(async (channel, logger) => {
    const pool = openPgPool(PG_TEST_URL, { max: 2 })
    const a = createPgNotifyBus({ url: PG_TEST_URL, pool, channel, logger })
    const b = createPgNotifyBus({ url: PG_TEST_URL, pool, channel, logger: createSilentLogger() })
    await Promise.all([a.ready, b.ready])
    // a third listener counts the notifications themselves
    const counter = new pg.Client({ connectionString: PG_TEST_URL })
    await counter.connect()
    let notifications = 0
    counter.on('notification', () => notifications++)
    await counter.query(`LISTEN ${channel}`)
    cleanups.push(async () => {
      await a.close()
      await b.close()
      await counter.end()
      await pool.end()
    })
    return {
      a,
      b,
      raw: async (payload) => void (await pool.query('SELECT pg_notify($1, $2)', [channel, payload.toString('base64')])),
      count: () => notifications,
    }
  })
})

describe.skipIf(REDIS_TEST_URL === '')(`cluster bus: Redis pub/sub${REDIS_TEST_URL === '' ? ' (SKIPPED: TAVOLO_TEST_REDIS_URL is not set)' : ''}`, () => {
  busSuite(async (channel, logger) => {
    const a = createRedisBus({ url: REDIS_TEST_URL, channel, logger })
    const b = createRedisBus({ url: REDIS_TEST_URL, channel, logger: createSilentLogger() })
    await Promise.all([a.ready, b.ready])
    const raw = new Redis(REDIS_TEST_URL)
    const counter = new Redis(REDIS_TEST_URL)
    let publications = 0
    counter.on('messageBuffer', () => publications++)
    await counter.subscribe(channel)
    cleanups.push(async () => {
      await a.close()
      await b.close()
      counter.disconnect()
      raw.disconnect()
    })
    return { a, b, raw: async (payload) => void (await raw.publish(channel, payload)), count: () => publications }
  })
})
