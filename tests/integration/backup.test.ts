import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { connectBoard, createMeeting, type BoardClient } from './meetingServer.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Runs `npm run backup|restore -- <file>` the way an operator does (tsx script, DATA_DIR in the environment). */
function runScript(script: 'backup' | 'restore', file: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `scripts/${script}.ts`, file],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    )
  })
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const note = (id: string) => ({ id, typeName: 'shape', type: 'note', x: 0, y: 0, isLocked: false, meta: {}, props: { text: id } })

const dirs: string[] = []
const servers: ChildServer[] = []
const clients: BoardClient[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-backup-'))
  dirs.push(dir)
  return dir
}
async function stopServer(server: ChildServer) {
  server.kill('SIGTERM')
  await server.exited
}
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const server of servers.splice(0)) await stopServer(server)
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const connect = (server: ChildServer, id: string, key: string) => {
  const client = connectBoard(server.wsUrl, id, key)
  clients.push(client)
  return client
}

describe('npm run backup / npm run restore', () => {
  it('a backup taken while a client writes a note every 50 ms restores every note relayed before it started', async () => {
    const live = tempDir()
    const server = await spawnServer({ dataDir: live })
    servers.push(server)
    const m = await createMeeting(server.httpUrl, { title: 'Laboratorio di quartiere' })
    const writer = connect(server, m.meeting.id, m.keys.participant)
    const watcher = connect(server, m.meeting.id, m.keys.viewer)
    await Promise.all([writer.synced, watcher.synced])
    let n = 0
    const timer = setInterval(() => writer.records.set(`shape:n${n}`, note(`shape:n${n++}`)), 50)
    let relayedBefore: string[]
    let backup: Awaited<ReturnType<typeof runScript>>
    const file = join(tempDir(), 'tavolo-backup.sqlite')
    try {
      await waitFor(() => watcher.records.map.size >= 10, 10_000, 'notes relayed to the watcher')
      // What the server relayed to another client is, by R2, committed: the backup must contain all of it.
      relayedBefore = [...watcher.records.map.keys()]
      backup = await runScript('backup', file, live)
      // the writer kept writing during the backup
      await waitFor(() => n > relayedBefore.length + 5, 10_000, 'writes during the backup')
    } finally {
      clearInterval(timer)
    }
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    expect(backup.stdout).toMatch(/Backup written to .*tavolo-backup\.sqlite: [\d.]+ MiB \(\d+ bytes\), 1 meetings, in \d+ ms\./)
    expect(readdirSync(join(file, '..'))).toEqual(['tavolo-backup.sqlite'])
    await stopServer(servers.pop()!)

    const restored = tempDir()
    const restore = await runScript('restore', file, restored)
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)
    expect(restore.stdout).toMatch(/Restored .* \(1 meetings\)\.\nThere was no database before\./)
    const again = await spawnServer({ dataDir: restored })
    servers.push(again)
    const fresh = connect(again, m.meeting.id, m.keys.participant)
    await fresh.synced
    const missing = relayedBefore.filter((id) => fresh.records.get(id) === undefined)
    expect(missing).toEqual([])
    expect(relayedBefore.length).toBeGreaterThanOrEqual(10)
  })

  it('a truncated, foreign or newer file is refused with a message and changes nothing; so is a restore under a running server', async () => {
    const live = tempDir()
    const server = await spawnServer({ dataDir: live })
    servers.push(server)
    await createMeeting(server.httpUrl, { title: 'Prima' })
    const good = join(tempDir(), 'good.sqlite')
    expect((await runScript('backup', good, live)).code).toBe(0)

    // a restore into the data dir of the running server is refused
    const underServer = await runScript('restore', good, live)
    expect(underServer.code).toBe(1)
    expect(underServer.stderr).toMatch(/Restore refused, nothing was changed: A Tavolo server is running on DATA_DIR/)
    await stopServer(servers.pop()!)

    const target = join(live, 'tavolo.sqlite')
    const before = sha(target)
    const bad = tempDir()
    const truncated = join(bad, 'truncated.sqlite')
    copyFileSync(good, truncated)
    truncateSync(truncated, Math.floor(statSync(good).size / 2))
    const text = join(bad, 'notes.txt')
    writeFileSync(text, 'not a database at all\n'.repeat(500))
    const foreign = join(bad, 'foreign.sqlite')
    const other = new Database(foreign)
    other.exec('CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (\'x\')')
    other.close()
    const newer = join(bad, 'newer.sqlite')
    copyFileSync(good, newer)
    const bump = new Database(newer)
    bump.prepare("UPDATE tavolo_schema SET version = 99 WHERE component = 'meetings'").run()
    bump.close()

    const cases: Array<[string, RegExp]> = [
      [truncated, /truncated|damaged|malformed|not a usable/],
      [text, /not a usable SQLite database|cannot be opened/],
      [foreign, /not a Tavolo one/],
      [newer, /written by a newer Tavolo \("meetings" schema version 99; this Tavolo knows up to \d+\)\. Upgrade Tavolo first/],
      [join(bad, 'missing.sqlite'), /No file at/],
    ]
    for (const [file, message] of cases) {
      const result = await runScript('restore', file, live)
      expect(result.code, file).toBe(1)
      expect(result.stderr).toMatch(/^Restore refused, nothing was changed: /)
      expect(result.stderr).toMatch(message)
      expect(sha(target)).toBe(before)
      expect(readdirSync(live).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([])
    }

    // and the good one replaces the database, keeping the previous one aside
    const ok = await runScript('restore', good, live)
    expect(ok.code).toBe(0)
    const kept = readdirSync(live).filter((f) => /^tavolo\.sqlite\.before-restore-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/.test(f))
    expect(kept).toHaveLength(1)
    expect(ok.stdout).toContain(`The previous database was kept as ${join(live, kept[0]!)}`)
  })
})
