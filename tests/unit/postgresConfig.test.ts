import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../server/src/config.ts'

describe('DATABASE_URL (issue 23)', () => {
  it('is null when unset or empty: SQLite in DATA_DIR, as before', () => {
    expect(parseConfig({}).databaseUrl).toBeNull()
    expect(parseConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeNull()
  })

  it('takes a postgres:// or postgresql:// URL and refuses anything else, naming the variable', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://tavolo:secret@db.example.org:5432/tavolo' }).databaseUrl).toBe('postgres://tavolo:secret@db.example.org:5432/tavolo')
    expect(parseConfig({ DATABASE_URL: 'postgresql://db/tavolo?sslmode=verify-full' }).databaseUrl).toBe('postgresql://db/tavolo?sslmode=verify-full')
    for (const bad of ['mysql://db/tavolo', 'db.example.org/tavolo', 'postgres:// db']) {
      expect(() => parseConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/)
    }
  })
})

describe('REDIS_URL and CLUSTER_SWEEP_MS (issue 23, cluster SPEC C1, C6)', () => {
  it('Redis carries the messages between instances only beside a shared database', () => {
    const db = 'postgres://db/tavolo'
    expect(parseConfig({ DATABASE_URL: db }).redisUrl).toBeNull()
    expect(parseConfig({ DATABASE_URL: db, REDIS_URL: 'redis://127.0.0.1:6379/0' }).redisUrl).toBe('redis://127.0.0.1:6379/0')
    expect(() => parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL: several instances need a shared database/)
    expect(() => parseConfig({ DATABASE_URL: db, REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must be a redis:\/\//)
  })

  it('the sweep period has a floor and a default', () => {
    expect(parseConfig({}).clusterSweepMs).toBe(1000)
    expect(parseConfig({ CLUSTER_SWEEP_MS: '250' }).clusterSweepMs).toBe(250)
    expect(() => parseConfig({ CLUSTER_SWEEP_MS: '5' })).toThrow(/CLUSTER_SWEEP_MS/)
  })
})
