/**
 * `npm run migrate-to-postgres` (issue 23) end to end: a real server (server/src/main.ts, a child process) fills a
 * SQLite DATA_DIR (meetings, a process, notes over stock y-websocket clients, a version, a rotated key, an erased
 * meeting, the demo); the migrate script runs as a child process into an empty PostgreSQL schema and verifies; the
 * server then starts on PostgreSQL and serves the same links, board, versions and tombstone. A second run into the
 * now non-empty schema is refused, a run while DATA_DIR is locked is refused, and a corrupted board row is reported.
 */
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { BoardRecord, VersionSummary } from '../../shared/src/versions/versionSchemas.ts'
import { tryLockDataDir } from '../../server/src/ops/dataDirLock.ts'
import { openPgPool, type PgPool } from '../../server/src/store/pg/pgDatabase.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { PG_TEST_URL, describePg } from '../helpers/pgHarness.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard, createMeeting } from './meetingServer.ts'
import { DOCUMENT, PAGE, liveRecords, note, writeRecords } from './versionsHarness.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The migrate script as `npm run migrate-to-postgres` runs it (from source: tsx instead of the build). */
function migrate(from: string, to: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/migrateToPostgres.ts', '--from', from, '--to', to],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    )
  })
}

/** The server records activity until it stops (after these answers were taken): compared without it. */
const withoutActivity = (value: unknown): unknown => JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'lastActivityAt' ? undefined : v))

const sorted = (records: BoardRecord[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : 1))

describePg('npm run migrate-to-postgres', () => {
  const schemas = [1, 2].map(() => `tavolo_migrate_${randomBytes(6).toString('hex')}`)
  const urlOf = (schema: string) => `${PG_TEST_URL}${PG_TEST_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-migrate-'))
  const corruptDir = mkdtempSync(join(tmpdir(), 'tavolo-migrate-bad-'))
  let admin: PgPool | null = null
  let server: ChildServer | null = null

  beforeAll(async () => {
    admin = openPgPool(PG_TEST_URL, { max: 2 })
    for (const schema of schemas) await admin.query(`CREATE SCHEMA ${schema}`)
  })
  afterAll(async () => {
    if (server !== null) {
      server.kill('SIGKILL')
      await server.exited
    }
    for (const schema of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.end()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(corruptDir, { recursive: true, force: true })
  })

  it('copies a SQLite DATA_DIR into an empty PostgreSQL database, verified, and the server serves it unchanged', async () => {
    // ---- the SQLite server, as people used it
    let s = (server = await spawnServer({ dataDir, env: { DEMO: 'true' } }))
    const proc = await api(s.httpUrl, 'POST', '/api/processes', { token: TEST_STAFF_TOKEN, body: { title: 'Percorso' } })
    expect(proc.status).toBe(201)
    const a = await createMeeting(s.httpUrl, { title: 'Primo incontro' })
    const b = await createMeeting(s.httpUrl, { title: 'Da cancellare' })
    const id = a.meeting.id
    const writer = connectBoard(s.wsUrl, id, a.keys.participant)
    await writer.synced
    writeRecords(writer, [DOCUMENT, PAGE])
    const notes = Array.from({ length: 20 }, (_, i) => note(`n${i}`, `idea ${i}`, i * 220, 0))
    for (const n of notes) writeRecords(writer, [n])
    await waitFor(async () => (await liveRecords(s.httpUrl, a)).length === notes.length + 2, 10_000, 'notes on the server')
    const saved = await api(s.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token: a.keys.facilitator, body: { label: 'prima' } })
    expect(saved.status).toBe(201)
    // written after the version: the live board and the version differ
    writeRecords(writer, [note('after', 'dopo il salvataggio', 0, 500)])
    await waitFor(async () => (await liveRecords(s.httpUrl, a)).length === notes.length + 3, 10_000, 'the last note')
    writer.destroy()
    const patched = await api(s.httpUrl, 'PATCH', `/api/meetings/${id}`, { token: TEST_STAFF_TOKEN, body: { processId: proc.body.process.id, outcomeVersion: 1 } })
    expect(patched.status).toBe(200)
    const rotated = await api(s.httpUrl, 'POST', `/api/meetings/${id}/keys/participant/rotate`, { token: a.keys.facilitator })
    expect(rotated.status).toBe(200)
    const participantKey = rotated.body.keys.participant as string
    const other = connectBoard(s.wsUrl, b.meeting.id, b.keys.facilitator)
    await other.synced
    writeRecords(other, [DOCUMENT, PAGE, note('gone', 'da cancellare')])
    await waitFor(async () => (await liveRecords(s.httpUrl, b)).length === 3, 10_000, 'the note of the meeting to erase')
    other.destroy()
    expect((await api(s.httpUrl, 'DELETE', `/api/meetings/${b.meeting.id}`, { token: b.keys.facilitator })).status).toBe(200)

    const before = {
      meeting: (await api(s.httpUrl, 'GET', `/api/meetings/${id}`, { token: participantKey })).body,
      board: sorted(await liveRecords(s.httpUrl, a)),
      versions: (await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions`, { token: a.keys.facilitator })).body.versions as VersionSummary[],
      version: (await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions/1`, { token: a.keys.facilitator })).body.version,
      list: (await api(s.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body,
      processes: (await api(s.httpUrl, 'GET', '/api/processes', { token: TEST_STAFF_TOKEN })).body,
    }
    expect(JSON.stringify(before.list)).toContain(id)
    expect(JSON.stringify(before.list)).not.toContain(b.meeting.id)
    const meetingCount = before.list.meetings.length as number
    s.kill('SIGTERM')
    expect(await s.exited).toBe(0)
    server = null
    cpSync(dataDir, corruptDir, { recursive: true })

    // ---- refused while DATA_DIR is locked (by a running server; here this process holds the same lock)
    const lock = tryLockDataDir(dataDir, 0)!
    const locked = await migrate(dataDir, urlOf(schemas[0]!))
    lock.release()
    expect(locked.code).toBe(1)
    expect(locked.stderr).toMatch(/Migration refused: A Tavolo server is running on DATA_DIR/)

    // ---- the migration, verified
    const run = await migrate(dataDir, urlOf(schemas[0]!))
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    for (const kind of ['tombstones', 'processes', 'meetings', 'demo', 'versions', 'boards']) expect(run.stdout).toMatch(new RegExp(`^${kind} .* ok$`, 'm'))
    expect(run.stdout).not.toMatch(/MISMATCH|SKIPPED/)
    expect(run.stdout).toMatch(new RegExp(`^meetings +${meetingCount} +${meetingCount} +${meetingCount} `, 'm'))
    expect(run.stdout).toMatch(/Copied and verified/)

    // ---- the server on PostgreSQL: same links, board, versions; the erased meeting stays erased
    s = server = await spawnServer({ dataDir, env: { DEMO: 'true', DATABASE_URL: urlOf(schemas[0]!) } })
    expect(withoutActivity((await api(s.httpUrl, 'GET', `/api/meetings/${id}`, { token: participantKey })).body)).toEqual(withoutActivity(before.meeting))
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${id}`, { token: a.keys.participant })).status).toBe(401)
    expect(sorted(await liveRecords(s.httpUrl, a))).toEqual(before.board)
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions`, { token: a.keys.facilitator })).body.versions).toEqual(before.versions)
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions/1`, { token: a.keys.facilitator })).body.version).toEqual(before.version)
    // no second demo meeting: the demo record came along
    expect(withoutActivity((await api(s.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body)).toEqual(withoutActivity(before.list))
    expect((await api(s.httpUrl, 'GET', '/api/processes', { token: TEST_STAFF_TOKEN })).body).toEqual(before.processes)
    const client = connectBoard(s.wsUrl, id, a.keys.viewer)
    await client.synced
    expect(client.records.get('shape:after')).toBeDefined()
    client.destroy()
    const tombstone = createHash('sha256').update(b.meeting.id, 'utf8').digest('hex')
    expect((await admin!.query(`SELECT 1 FROM ${schemas[0]}.erased_meetings WHERE id_hash = $1`, [tombstone])).rowCount).toBe(1)
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${b.meeting.id}`, { token: b.keys.facilitator })).status).toBe(404)
    s.kill('SIGTERM')
    expect(await s.exited).toBe(0)
    server = null

    // ---- a second run into the now non-empty target is refused, and writes nothing
    const again = await migrate(dataDir, urlOf(schemas[0]!))
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/Migration refused: The PostgreSQL database is not empty \(it holds meetings, boards, versions, processes, the demo record/)
  }, 180_000)

  // on the first test's DATA_DIR, copied before the migration
  it('reports a board row Yjs cannot decode, copies the rest and exits non-zero', async () => {
    const db = new Database(join(corruptDir, 'tavolo.sqlite'), { fileMustExist: true })
    const [row] = db.prepare<[], { board_id: string }>('SELECT board_id FROM doc_updates ORDER BY id LIMIT 1').all()
    db.prepare('INSERT INTO doc_updates (board_id, data) VALUES (?, ?)').run(row!.board_id, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
    db.close()
    const run = await migrate(corruptDir, urlOf(schemas[1]!))
    expect(run.code).toBe(3)
    expect(run.stdout).toContain(`UNREADABLE board ${row!.board_id}: 1 stored update(s) Yjs cannot decode`)
    // what the server would serve of the board is what was copied: every kind verifies
    expect(run.stdout).not.toMatch(/MISMATCH/)
    expect(run.stderr).toMatch(/unreadable rows left out/)
  }, 120_000)
})
