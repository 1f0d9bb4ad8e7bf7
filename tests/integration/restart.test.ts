/**
 * The production entry point as a child process: SIGTERM shuts down gracefully (exit 0) without losing anything,
 * and keys passed as `?k=` never appear in the logs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { spawnServer, type ChildServer } from '../helpers/childServer.ts'
import { connectClient, destroyClients } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { boardKeys } from '../helpers/boardKeys.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-restart-'))
const children: ChildServer[] = []
afterAll(async () => {
  destroyClients()
  for (const c of children) {
    c.kill('SIGKILL')
    await c.exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

it('SIGTERM flushes every room, exits 0, and a restart serves everything; keys never reach the logs', async () => {
  const first = await spawnServer({ dataDir })
  children.push(first)
  const listening = first.logs.find((l) => l.msg === 'listening')
  expect(listening).toMatchObject({ port: first.port, url: expect.stringContaining(String(first.port)) })
  const res = await fetch(`${first.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Restart' }),
  })
  const { meeting, keys } = (await res.json()) as { meeting: { id: string }; keys: { participant: string } }
  const params = { k: keys.participant }
  const writer = connectClient(first.wsUrl, meeting.id, { params })
  const observer = connectClient(first.wsUrl, meeting.id, { params })
  await Promise.all([writer.whenSynced(), observer.whenSynced()])
  for (let i = 0; i < 100; i++) boardKeys(writer.doc).set(`k${i}`, i)
  await waitFor(() => boardKeys(observer.doc).size === 100)
  for (let i = 100; i < 150; i++) boardKeys(writer.doc).set(`k${i}`, i)
  await waitFor(() => boardKeys(observer.doc).size === 150)
  first.kill('SIGTERM')
  expect(await first.exited).toBe(0)
  const sawAll = boardKeys(observer.doc).size
  destroyClients()
  expect(first.logs.some((l) => l.msg === 'stopped')).toBe(true)
  expect(first.logs.some((l) => l.msg === 'connection open' && l.boardId === meeting.id && l.role === 'participant')).toBe(true)
  const closeLine = first.logs.find((l) => l.msg === 'connection closed')
  expect(closeLine).toMatchObject({ boardId: meeting.id, role: 'participant', code: expect.any(Number), durationMs: expect.any(Number) })

  const second = await spawnServer({ dataDir })
  children.push(second)
  const fresh = connectClient(second.wsUrl, meeting.id, { params })
  await fresh.whenSynced()
  expect(boardKeys(fresh.doc).size).toBeGreaterThanOrEqual(sawAll)
  expect(boardKeys(fresh.doc).size).toBe(150)
  const allLogs = JSON.stringify([...first.logs, ...second.logs])
  expect(allLogs).not.toContain(keys.participant)
  second.kill('SIGTERM')
  expect(await second.exited).toBe(0)
})

it('warns at start when PUBLIC_URL is an https production origin and TLDRAW_LICENSE_KEY is missing', async () => {
  const child = await spawnServer({ dataDir: join(dataDir, 'license-1'), env: { PUBLIC_URL: 'https://tavolo.comune.example.it' } })
  children.push(child)
  const warn = child.logs.find((l) => l.level === 40 && String(l.msg).includes('TLDRAW_LICENSE_KEY'))
  expect(warn).toBeDefined()
  expect(String(warn!.msg)).toMatch(/hide the board/)
  const config = await (await fetch(`${child.httpUrl}/api/config`)).json()
  expect(config).toMatchObject({ licenseRequired: true, tldrawLicenseKey: null })
  const withKey = await spawnServer({
    dataDir: join(dataDir, 'license-2'),
    env: { PUBLIC_URL: 'https://tavolo.comune.example.it', TLDRAW_LICENSE_KEY: 'key' },
  })
  children.push(withKey)
  expect(withKey.logs.some((l) => String(l.msg).includes('TLDRAW_LICENSE_KEY'))).toBe(false)
})
