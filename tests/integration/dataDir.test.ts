/**
 * DATA_DIR safety, rules B1-B2, L1-L3, P1 of server/src/ops/SPEC.md (issue 17 finding 8 and the file-mode item):
 * backups refuse targets that are the live data, the server holds an OS lock on DATA_DIR (not a pid file), and what
 * Tavolo creates there is readable by its own user only.
 */
import { execFile } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { BackupRefused, backupDatabase } from '../../server/src/ops/backup.ts'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { api, createMeeting } from './meetingServer.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

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

const dirs: string[] = []
const servers: ChildServer[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-datadir-'))
  dirs.push(dir)
  return dir
}
async function stop(server: ChildServer) {
  server.kill('SIGTERM')
  await server.exited
}
afterEach(async () => {
  for (const server of servers.splice(0)) await stop(server)
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const start = async (dataDir: string) => {
  const server = await spawnServer({ dataDir })
  servers.push(server)
  return server
}
const meetingCount = async (server: ChildServer) =>
  ((await api(server.httpUrl, 'GET', '/api/meetings', { token: TEST_STAFF_TOKEN })).body as { meetings: unknown[] }).meetings.length
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8)

describe('backup targets (finding 8)', () => {
  it('B1, B2: a target inside DATA_DIR, onto the live database or its WAL, or through a symlink onto them, is refused and nothing changes', async () => {
    const live = tempDir()
    const server = await start(live)
    for (let i = 0; i < 5; i++) await createMeeting(server.httpUrl, { title: `Incontro ${i}` })
    const outside = tempDir()
    symlinkSync(live, join(outside, 'link-to-data'))
    symlinkSync(join(live, 'tavolo.sqlite'), join(outside, 'alias.sqlite'))
    symlinkSync(join(live, 'tavolo.sqlite-wal'), join(outside, 'alias-wal.sqlite'))
    const namesBefore = readdirSync(live).sort()
    const targets = [
      join(live, 'tavolo.sqlite'),
      join(live, 'tavolo.sqlite-wal'),
      join(live, 'tavolo.lock'),
      join(live, 'tavolo.pid'),
      join(live, 'backups', 'tavolo.sqlite'),
      join(outside, 'link-to-data', 'tavolo.sqlite'),
      join(outside, 'link-to-data', 'tavolo.sqlite-wal'),
      join(outside, 'alias.sqlite'),
      join(outside, 'alias-wal.sqlite'),
    ]
    const refusal = /is inside DATA_DIR .* or one of the live database's files/
    // the operator's command once (the finding's case: the live WAL), the function behind it for every other target
    const script = await runScript('backup', join(live, 'tavolo.sqlite-wal'), live)
    expect(script.code).toBe(1)
    expect(script.stderr).toMatch(new RegExp(`^Backup refused: .*${refusal.source}`))
    for (const target of targets) {
      const error = await backupDatabase(live, target).then(() => null, (e: unknown) => e)
      expect({ target, refused: error instanceof BackupRefused, message: (error as Error | null)?.message }).toEqual({
        target,
        refused: true,
        message: expect.stringMatching(refusal) as string,
      })
    }
    // nothing was written or left beside the targets, the links are still links
    expect(readdirSync(live).sort()).toEqual(namesBefore)
    expect(readdirSync(outside).sort()).toEqual(['alias-wal.sqlite', 'alias.sqlite', 'link-to-data'])
    expect(lstatSync(join(outside, 'alias.sqlite')).isSymbolicLink()).toBe(true)
    // and the data is whole after a restart
    await stop(servers.pop()!)
    const again = await start(live)
    expect(await meetingCount(again)).toBe(5)
    // a good target still works, written beside the target and renamed (no temporary file left)
    const good = join(outside, 'ok', 'tavolo-backup.sqlite')
    expect((await runScript('backup', good, live)).code).toBe(0)
    expect(readdirSync(join(outside, 'ok'))).toEqual(['tavolo-backup.sqlite'])
  }, 120_000)
})

describe('the DATA_DIR lock (finding 8)', () => {
  it('L1: a stale pid file naming a live process (pid 1) does not stop a start', async () => {
    const live = tempDir()
    writeFileSync(join(live, 'tavolo.pid'), '1\n')
    const server = await start(live)
    expect(await meetingCount(server)).toBe(0)
  })

  it('L2: a second server on the same DATA_DIR refuses to start; restore refuses while the server runs', async () => {
    const live = tempDir()
    const first = await start(live)
    await createMeeting(first.httpUrl, { title: 'Unica' })
    await expect(spawnServer({ dataDir: live, startTimeoutMs: 30_000 })).rejects.toThrow(/Another Tavolo server is using DATA_DIR/)
    const backup = join(tempDir(), 'b.sqlite')
    expect((await runScript('backup', backup, live)).code).toBe(0)
    const restore = await runScript('restore', backup, live)
    expect(restore.code).toBe(1)
    expect(restore.stderr).toMatch(/Restore refused, nothing was changed: A Tavolo server is running on DATA_DIR/)
    expect(await meetingCount(first)).toBe(1)
  }, 120_000)

  it('L3: a server killed with SIGKILL and restarted at once starts (the kernel released its lock); then restore works once it is stopped', async () => {
    const live = tempDir()
    const first = await start(live)
    await createMeeting(first.httpUrl, { title: 'Sopravvive' })
    const backup = join(tempDir(), 'b.sqlite')
    expect((await runScript('backup', backup, live)).code).toBe(0)
    first.kill('SIGKILL')
    // no wait for the exit: a supervisor restarting at once
    const second = await start(live)
    expect(await first.exited).toBe('SIGKILL')
    expect(await meetingCount(second)).toBe(1)
    await stop(servers.pop()!)
    const restore = await runScript('restore', backup, live)
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)
  })
})

describe('file permissions', () => {
  it('P1: under umask 022, DATA_DIR is created 0700 and the database, its WAL, the lock and backups 0600', async () => {
    const previous = process.umask(0o022)
    try {
      const live = join(tempDir(), 'data')
      const server = await start(live)
      await createMeeting(server.httpUrl, { title: 'Chiavi' })
      const files = ['tavolo.sqlite', 'tavolo.sqlite-wal', 'tavolo.sqlite-shm', 'tavolo.lock'].filter((f) => existsSync(join(live, f)))
      expect(files).toContain('tavolo.sqlite-wal')
      expect({ dir: mode(live), files: files.map((f) => [f, mode(join(live, f))]) }).toEqual({
        dir: '700',
        files: files.map((f) => [f, '600']),
      })
      const backupDir = join(tempDir(), 'backups')
      mkdirSync(backupDir)
      const backup = join(backupDir, 'b.sqlite')
      expect((await runScript('backup', backup, live)).code).toBe(0)
      expect(mode(backup)).toBe('600')
      await stop(servers.pop()!)
      const restored = join(tempDir(), 'restored')
      expect((await runScript('restore', backup, restored)).code).toBe(0)
      expect([mode(restored), mode(join(restored, 'tavolo.sqlite'))]).toEqual(['700', '600'])
    } finally {
      process.umask(previous)
    }
  })
})
