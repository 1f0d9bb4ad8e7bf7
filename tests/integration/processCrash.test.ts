/**
 * Issue 8, finding 9: an uncaught exception or an unhandled rejection ends the process (exit code ≠ 0) after a fatal
 * log line, instead of carrying on in an unknown state; a supervisor (deploy/tavolo.service) starts it again on the
 * same DATA_DIR, and a fresh client finds every note that was relayed before the crash. The crash is injected by a
 * test-only preload (tests/helpers/crashOnSignal.mjs); the production entry point runs unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { connectClient, destroyClients } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { boardKeys } from '../helpers/boardKeys.ts'

const preload = fileURLToPath(new URL('../helpers/crashOnSignal.mjs', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-process-crash-'))
const children: ChildServer[] = []

afterAll(async () => {
  destroyClients()
  for (const child of children) {
    child.kill('SIGKILL')
    await child.exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

async function start(kind: 'throw' | 'reject'): Promise<ChildServer> {
  const child = await spawnServer({ dataDir, nodeArgs: ['--import', preload], env: { TAVOLO_TEST_CRASH: kind } })
  children.push(child)
  return child
}

it.each(['throw', 'reject'] as const)('crash by %s: fatal log line, exit ≠ 0, and a restart on the same DATA_DIR serves every relayed note', async (kind) => {
  const first = await start(kind)
  const res = await fetch(`${first.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: `Crash ${kind}` }),
  })
  expect(res.status).toBe(201)
  const { meeting, keys } = (await res.json()) as { meeting: { id: string }; keys: { participant: string } }
  const params = { k: keys.participant }
  const writer = connectClient(first.wsUrl, meeting.id, { params })
  const observer = connectClient(first.wsUrl, meeting.id, { params })
  await Promise.all([writer.whenSynced(), observer.whenSynced()])
  for (let i = 0; i < 50; i++) boardKeys(writer.doc).set(`note-${i}`, `nota ${i}`)
  // Relayed = the observer has it.
  await waitFor(() => boardKeys(observer.doc).size === 50, 5000, 'notes not relayed')

  first.kill('SIGUSR2')
  const code = await first.exited
  expect(typeof code === 'number' && code !== 0, `exit ${String(code)}`).toBe(true)
  const fatal = first.logs.find((l) => l.level === 60)
  expect(fatal?.msg).toMatch(kind === 'throw' ? /^uncaught exception/ : /^unhandled rejection/)
  expect(JSON.stringify(fatal)).toContain(kind === 'throw' ? 'injected uncaught exception' : 'injected unhandled rejection')
  destroyClients()

  // What systemd's Restart=always does: the same command on the same DATA_DIR.
  const second = await start(kind)
  const fresh = connectClient(second.wsUrl, meeting.id, { params })
  await fresh.whenSynced()
  const notes = boardKeys(fresh.doc)
  expect([...notes.keys()].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `note-${i}`).sort())
  fresh.destroy()
  second.kill('SIGTERM')
  expect(await second.exited).toBe(0)
})
