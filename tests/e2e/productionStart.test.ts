/**
 * Issue 12, production start: after `npm run build` (the e2e global setup runs it), `npm start` runs the compiled
 * server with plain node, without rebuilding, and it serves the client, relays and persists like the TypeScript one
 * (worker threads included); when a source changes, start says the build is stale (and would rebuild).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { waitFor } from '../helpers/waitFor.ts'
import { connectBoard, createMeeting } from '../integration/meetingServer.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// ADMIN_TOKEN must be at least 24 characters (meetings SPEC S3)
const STAFF = 'staff-token-of-the-production-test'
const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-prod-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function npmStart() {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: STAFF, DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const port = waitFor(() => {
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number }
        if (entry.msg === 'listening') return entry.port
      } catch {
        // not JSON
      }
    }
    return undefined
  }, 15_000, 'npm start did not log listening')
  return { child, port, exited, stderr: () => stderr }
}

describe('npm start with a build in place', () => {
  test('runs the compiled server at once (no rebuild), which serves the client and keeps the board across a restart', async () => {
    const first = npmStart()
    const port = await first.port
    expect(first.stderr()).toBe('')
    const base = `http://127.0.0.1:${port}`
    const page = await fetch(`${base}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    const m = await createMeeting(base, { title: 'Prova di produzione' }, STAFF)
    const c = connectBoard(`ws://127.0.0.1:${port}/sync`, m.meeting.id, m.keys.participant)
    await c.synced
    c.records.set('shape:p', { id: 'shape:p', typeName: 'shape', type: 'note', props: { text: 'resta' } })
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${STAFF}` } })).text()
      return /^tavolo_group_commit_appends_count [1-9]/m.test(text) ? text : undefined
    }, 5000, 'append worker committed')
    expect(metrics).toContain('tavolo_build_info{version="0.1.0"} 1')
    c.destroy()
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    const second = npmStart()
    const port2 = await second.port
    const again = connectBoard(`ws://127.0.0.1:${port2}/sync`, m.meeting.id, m.keys.participant)
    await again.synced
    expect(again.records.get('shape:p')).toMatchObject({ props: { text: 'resta' } })
    again.destroy()
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })

  test('the stamp matches the sources; another version or changed sources make the build stale', async () => {
    const stampModule = (await import(join(ROOT, 'scripts', 'buildStamp.mjs'))) as { staleReason(): string | null; STAMP_FILE: string }
    const { staleReason, STAMP_FILE } = stampModule
    expect(staleReason()).toBeNull()
    const original = readFileSync(STAMP_FILE, 'utf8')
    const stamp = JSON.parse(original) as { version: string; sourceHash: string }
    try {
      writeFileSync(STAMP_FILE, JSON.stringify({ ...stamp, version: '0.0.9' }))
      expect(staleReason()).toBe('the build is of version 0.0.9, the sources are 0.1.0')
      writeFileSync(STAMP_FILE, JSON.stringify({ ...stamp, sourceHash: '0'.repeat(64) }))
      expect(staleReason()).toBe('the sources changed since the last build')
    } finally {
      writeFileSync(STAMP_FILE, original)
    }
    expect(staleReason()).toBeNull()
  })
})
