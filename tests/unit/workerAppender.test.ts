/** Group commit of the append worker (server/src/store/workerAppender.ts): rule R2 of server/src/sync/SPEC.md. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/src/boardId.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteDocStore } from '../../server/src/store/sqliteDocStore.ts'
import { createWorkerAppender, type WorkerAppender } from '../../server/src/store/workerAppender.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A database file with the doc tables, a connection the test controls, and an appender on it. */
function setup(): { db: SqliteDatabase; appender: WorkerAppender; rows: (board: string) => number } {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-appender-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'tavolo.sqlite')
  const db = openSqliteDatabase(file)
  cleanups.push(() => {
    if (db.open) db.close()
  })
  createSqliteDocStore(db)
  const appender = createWorkerAppender(file)
  cleanups.push(() => appender.close())
  const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM doc_updates WHERE board_id = ?')
  return { db, appender, rows: (board) => count.get(board)!.n }
}

const update = (n: number) => new Uint8Array([n, n, n])
const board = (name: string) => name as BoardId
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('worker appender: group commit', () => {
  it('commits the appends of two boards made in the same task in one transaction; each resolves after it', async () => {
    const { appender, rows } = setup()
    await appender.append(board('warm-up'), [update(0)])
    const before = appender.commits
    const seen: Array<[string, number]> = []
    const a = appender.append(board('a'), [update(1), update(2)]).then(() => seen.push(['a', rows('a')]))
    const b = appender.append(board('b'), [update(3)]).then(() => seen.push(['b', rows('b')]))
    await Promise.all([a, b])
    expect(appender.commits - before).toBe(1)
    // Each promise resolved with its rows already committed (visible to another connection).
    expect(seen).toEqual([
      ['a', 2],
      ['b', 1],
    ])
  })

  it('appends from different tasks that queue while a commit waits go into one transaction, resolved after it', async () => {
    const { db, appender, rows } = setup()
    await appender.append(board('warm-up'), [update(0)])
    const before = appender.commits
    // Hold the write lock: the worker's next commit waits (busy_timeout), as it would for a slow fsync.
    db.prepare('BEGIN IMMEDIATE').run()
    const resolved: string[] = []
    const appends = ['a', 'b', 'c'].map(async (name, i) => {
      await sleep(i * 20)
      await appender.append(board(name), [update(i)])
      resolved.push(name)
      expect(rows(name)).toBe(1)
    })
    await sleep(150)
    expect(resolved).toEqual([])
    db.prepare('COMMIT').run()
    await Promise.all(appends)
    expect(resolved.sort()).toEqual(['a', 'b', 'c'])
    // 'a' may have been taken alone before 'b' and 'c' arrived; 'b' and 'c' queued behind it and went together.
    expect(appender.commits - before).toBeLessThanOrEqual(2)
  })

  it('a failing commit rejects every append in it and stores none of them; later appends work', async () => {
    const { db, appender, rows } = setup()
    db.exec(`CREATE TRIGGER refuse_bad BEFORE INSERT ON doc_updates WHEN NEW.board_id = 'bad'
             BEGIN SELECT RAISE(ABORT, 'refused'); END`)
    const good = appender.append(board('good'), [update(1)])
    const bad = appender.append(board('bad'), [update(2)])
    const results = await Promise.allSettled([good, bad])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(rows('good')).toBe(0)
    await appender.append(board('good'), [update(3)])
    expect(rows('good')).toBe(1)
  })

  it('close() commits appends made just before it', async () => {
    const { appender, rows } = setup()
    const pending = appender.append(board('last'), [update(1)])
    await appender.close()
    await pending
    expect(rows('last')).toBe(1)
  })
})
