/**
 * `npm start` on a terminal (LOG_FORMAT=text): the real entry point prints the start banner in plain words; with
 * LOG_FORMAT=json the same facts are JSON lines. Runs server/src/main.ts as a child process on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { waitFor } from '../helpers/waitFor.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const children: ChildProcess[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const child of children.splice(0)) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function start(env: Record<string, string>): { output: () => string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-banner-'))
  dirs.push(dataDir)
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return { output: () => out }
}

describe('the start banner', () => {
  test('LOG_FORMAT=text: the address for this computer, for participants (none on loopback), the staff page, the data', async () => {
    const server = start({ LOG_FORMAT: 'text' })
    const text = await waitFor(() => (server.output().includes('Ctrl+C') ? server.output() : null), 20_000, 'no banner')
    expect(text).toMatch(/Su questo computer \(this computer\) +http:\/\/127\.0\.0\.1:\d+/)
    expect(text).toMatch(/Per chi partecipa \(participants\) +solo questo computer: HOST=127\.0\.0\.1/)
    expect(text).toMatch(/Personale \(staff\) +http:\/\/127\.0\.0\.1:\d+\/meetings/)
    expect(text).toMatch(/Dati \(data\) +\/.*tavolo-banner-/)
    // Other log lines are readable too, not JSON.
    expect(text).not.toMatch(/^\{"level"/m)
  })

  test('LOG_FORMAT=json: JSON lines only, "listening" then the plain-words warning', async () => {
    const server = start({ LOG_FORMAT: 'json' })
    const lines = await waitFor(
      () => {
        const parsed = server
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg: string; level: number })
        return parsed.some((l) => l.msg.startsWith('solo questo computer')) ? parsed : null
      },
      20_000,
      'no JSON start lines',
    )
    expect(lines.some((l) => l.msg === 'listening')).toBe(true)
    expect(server.output()).not.toContain('Ctrl+C')
  })
})
