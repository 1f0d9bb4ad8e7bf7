/**
 * The real server (server/src/main.ts as a child process) on PostgreSQL (DATABASE_URL, issue 23), on a schema of its
 * own: a meeting created by staff, notes written by a stock y-websocket client, a version saved; a SIGKILL and a
 * restart keep everything that was relayed (sync SPEC R2); erasing the meeting leaves no row of it in any table.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardRecord, VersionSummary } from '../../shared/src/versions/versionSchemas.ts'
import { openPgPool, type PgPool } from '../../server/src/store/pg/pgDatabase.ts'
import { contentHashOf } from '../../server/src/versions/versionService.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { PG_TEST_URL, describePg } from '../helpers/pgHarness.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard } from './meetingServer.ts'
import { DOCUMENT, PAGE, note, writeRecords } from './versionsHarness.ts'

describePg('the server on PostgreSQL', () => {
  const schema = `tavolo_server_${randomBytes(6).toString('hex')}`
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-postgres-'))
  // the server's own connections use the schema (libpq's `options`, which node-postgres reads from the URL)
  const databaseUrl = `${PG_TEST_URL}${PG_TEST_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  let admin: PgPool | null = null
  let server: ChildServer | null = null
  const start = async () => (server = await spawnServer({ dataDir, env: { DATABASE_URL: databaseUrl } }))

  beforeAll(async () => {
    admin = openPgPool(PG_TEST_URL, { max: 2 })
    await admin.query(`CREATE SCHEMA ${schema}`)
  })
  afterAll(async () => {
    if (server !== null) {
      server.kill('SIGKILL')
      await server.exited
    }
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.end()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** Rows per table of the server's schema (its bookkeeping table aside). */
  async function rowsPerTable(): Promise<Record<string, number>> {
    const tables = await admin!.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema])
    const counts: Record<string, number> = {}
    for (const { tablename } of tables.rows) {
      if (tablename === 'tavolo_schema') continue
      counts[tablename] = (await admin!.query<{ n: number }>(`SELECT COUNT(*)::integer AS n FROM ${schema}.${tablename}`)).rows[0]!.n
    }
    return counts
  }

  it('keeps a meeting, its relayed notes and its version across a SIGKILL, and an erase leaves no row behind', async () => {
    let s = await start()
    const created = await api(s.httpUrl, 'POST', '/api/meetings', { body: { title: 'Su PostgreSQL' }, token: TEST_STAFF_TOKEN })
    expect(created.status).toBe(201)
    const m = created.body as CreateMeetingResponse
    const id = m.meeting.id

    // one client writes notes one transaction at a time; another sees them relayed
    const writer = connectBoard(s.wsUrl, id, m.keys.participant)
    const watcher = connectBoard(s.wsUrl, id, m.keys.participant)
    await Promise.all([writer.synced, watcher.synced])
    writeRecords(writer, [DOCUMENT, PAGE])
    const notes = Array.from({ length: 30 }, (_, i) => note(`pg${i}`, `idea ${i}`, i * 220, 0))
    for (const n of notes) writeRecords(writer, [n])
    await waitFor(() => notes.every((n) => watcher.records.get(n.id) !== undefined) || null, 10_000)

    const saved = await api(s.httpUrl, 'POST', `/api/meetings/${id}/versions`, { token: m.keys.facilitator, body: { label: 'prima' } })
    expect(saved.status).toBe(201)
    const version = saved.body.version as VersionSummary

    // a last note, relayed, then the process dies at once: what the watcher got must have been committed first
    const last = note('last', 'ultima', 0, 500)
    writeRecords(writer, [last])
    await waitFor(() => watcher.records.get(last.id) ?? null, 10_000)
    s.kill('SIGKILL')
    await s.exited
    writer.destroy()
    watcher.destroy()

    s = await start()
    const meeting = await api(s.httpUrl, 'GET', `/api/meetings/${id}`, { token: m.keys.facilitator })
    expect(meeting.status).toBe(200)
    expect(meeting.body.meeting.title).toBe('Su PostgreSQL')
    const live = (await api(s.httpUrl, 'GET', `/api/meetings/${id}/export`, { token: m.keys.facilitator })).body.records as BoardRecord[]
    expect(live.map((r) => r.id).sort()).toEqual([DOCUMENT, PAGE, ...notes, last].map((r) => r.id).sort())
    const versions = (await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions`, { token: m.keys.facilitator })).body.versions as VersionSummary[]
    expect(versions.map((v) => [v.number, v.label, v.contentHash])).toEqual([[1, 'prima', version.contentHash]])
    const detail = await api(s.httpUrl, 'GET', `/api/meetings/${id}/versions/1`, { token: m.keys.facilitator })
    expect(contentHashOf(detail.body.version.records as BoardRecord[])).toBe(version.contentHash)
    // a stock client joining after the restart gets the whole board
    const later = connectBoard(s.wsUrl, id, m.keys.viewer)
    await later.synced
    expect(later.records.get(last.id)).toBeDefined()
    later.destroy()

    const before = await rowsPerTable()
    expect(before.meetings).toBe(1)
    expect(before.versions).toBe(1)
    expect(before.doc_updates).toBeGreaterThan(0)
    const erased = await api(s.httpUrl, 'DELETE', `/api/meetings/${id}`, { token: m.keys.facilitator })
    expect(erased.status).toBe(200)
    const after = await rowsPerTable()
    // the tombstone (a hash of the id, meetings SPEC E4) is the one row left
    expect(after).toEqual(Object.fromEntries(Object.keys(after).map((t) => [t, t === 'erased_meetings' ? 1 : 0])))
    expect(Object.keys(after)).toEqual(
      expect.arrayContaining(['meetings', 'meeting_keys', 'versions', 'version_counters', 'doc_updates', 'doc_boards', 'demo_meeting', 'processes']),
    )
    expect((await api(s.httpUrl, 'GET', `/api/meetings/${id}`, { token: m.keys.facilitator })).status).toBe(404)
  })

  it('refuses to start with a DATABASE_URL that is not PostgreSQL', async () => {
    await expect(spawnServer({ dataDir, env: { DATABASE_URL: 'mysql://127.0.0.1/test' } })).rejects.toThrow(/DATABASE_URL.*postgres/)
  })
})
