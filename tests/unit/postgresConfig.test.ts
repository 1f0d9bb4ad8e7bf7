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
