// prefers-reduced-motion (issue 21; WCAG 2.3.3): when the system asks for less motion, "Porta tutti da me" and
// following the presenter move the view in one jump instead of sliding. Chromium's reducedMotion emulation on the
// participant's and the projector's pages; every camera position each frame is recorded in the page, so a slide
// (several intermediate positions) and a jump (one change) can be told apart. The same moves without the setting
// slide: the test can fail.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { enterName, openPerson, waitForEditor, type Person } from './browserPage.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import type * as Y from 'yjs'

let server: MeetingTestServer
let fede: Person
let paolo: Person
let wall: Person
let links: { facilitator: string; participant: string; projector: string }

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  ;[fede, paolo, wall] = await Promise.all([openPerson('fede-motion'), openPerson('paolo-motion'), openPerson('wall-motion')])
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Movimento ridotto' }),
  })
  expect(response.status).toBe(201)
  const created = (await response.json()) as { meeting: { id: string }; links: typeof links }
  links = created.links
  await server.server.rooms.withBoardDoc(created.meeting.id as BoardId, (doc: Y.Doc) => {
    doc.transact(() => writeBoardRecords(doc, buildSeedBoard('final') as BoardRecord[], serverSerializedSchema()))
  })
  for (const [person, link, name] of [[fede, links.facilitator, 'Fede'], [paolo, links.participant, 'Paolo'], [wall, links.projector, null]] as const) {
    await person.page.goto(`${server.httpUrl}${link}`)
    if (name !== null) await enterName(person.page, name)
    await waitForEditor(person.page)
    await person.page.locator('[data-testid=connection-status][data-status=connected]').or(person.page.getByTestId('projector-chrome')).first().waitFor()
  }
})

afterAll(async () => {
  await Promise.all([fede?.close(), paolo?.close(), wall?.close()])
  await server?.close()
})

/** Starts recording the camera each animation frame (a new entry only when it changed). */
async function recordCamera(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { cams: Array<{ x: number; y: number; z: number }>; camChangedAt: number; camStop?: () => void }
    w.camStop?.()
    const editor = window.__tavolo!.editor
    const first = editor.getCamera()
    w.cams = [{ x: first.x, y: first.y, z: first.z }]
    w.camChangedAt = performance.now()
    let running = true
    const tick = () => {
      if (!running) return
      const c = editor.getCamera()
      const last = w.cams[w.cams.length - 1]!
      if (Math.abs(c.x - last.x) > 0.01 || Math.abs(c.y - last.y) > 0.01 || Math.abs(c.z - last.z) > 0.0001) {
        w.cams.push({ x: c.x, y: c.y, z: c.z })
        w.camChangedAt = performance.now()
      }
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    w.camStop = () => (running = false)
  })
}

/** Waits until the camera moved at least once and then stayed still for 800 ms; the number of changes recorded. */
async function settledChanges(page: Page): Promise<number> {
  await page.waitForFunction(() => {
    const w = window as unknown as { cams: unknown[]; camChangedAt: number }
    return w.cams.length > 1 && performance.now() - w.camChangedAt > 800
  }, null, { timeout: 15_000 })
  return page.evaluate(() => (window as unknown as { cams: unknown[] }).cams.length - 1)
}

/** Moves a page's view far from the content at once (no animation). */
async function goFarAway(page: Page, x: number): Promise<void> {
  await page.evaluate((px) => {
    window.__tavolo!.editor.setCamera({ x: px, y: 4000, z: 0.5 }, { immediate: true, force: true })
  }, x)
}

async function reduceMotion(page: Page, reduce: boolean): Promise<void> {
  await page.emulateMedia({ reducedMotion: reduce ? 'reduce' : 'no-preference' })
  await page.waitForFunction((r) => window.__tavolo!.editor.user.getAnimationSpeed() === (r ? 0 : 1), reduce)
}

describe('prefers-reduced-motion', () => {
  test('"Porta tutti da me": one jump with the setting, a slide without', async () => {
    const summonOnce = async (x: number) => {
      await goFarAway(paolo.page, x)
      await recordCamera(paolo.page)
      await fede.page.getByTestId('lead-summon').click()
      await paolo.page.getByTestId('summoned-note').waitFor()
      const changes = await settledChanges(paolo.page)
      await paolo.page.getByTestId('summoned-note').waitFor({ state: 'detached', timeout: 10_000 })
      return changes
    }
    await reduceMotion(paolo.page, true)
    expect(await summonOnce(90_000)).toBe(1)
    await reduceMotion(paolo.page, false)
    expect(await summonOnce(-90_000)).toBeGreaterThan(3)
  })

  test('the projector starting to follow the presenter: one jump with the setting, a glide without', async () => {
    // tldraw glides only to catch up with the leader when following starts (then it stays locked on them): each
    // round starts presenting from a view far from the wall's
    const followOnce = async (x: number) => {
      await goFarAway(fede.page, x)
      // the wall is still (after its landing when the last presentation ended), then only the catch-up is recorded
      await recordCamera(wall.page)
      await wall.page.waitForFunction(() => performance.now() - (window as unknown as { camChangedAt: number }).camChangedAt > 800)
      await recordCamera(wall.page)
      await fede.page.locator('[data-testid=lead-present][aria-pressed=false]').click()
      await wall.page.locator('[data-testid=projector-chrome]:not([data-follows=none])').waitFor({ timeout: 15_000 })
      const changes = await settledChanges(wall.page)
      await fede.page.locator('[data-testid=lead-present][aria-pressed=true]').click()
      await wall.page.locator('[data-testid=projector-chrome][data-follows=none]').waitFor({ timeout: 15_000 })
      return changes
    }
    await reduceMotion(wall.page, true)
    // one or two jumps (the presenter's camera itself may move twice as presenting starts: the frame fitted, then the
    // area the panels leave free); never the many small steps of a glide
    expect(await followOnce(50_000)).toBeLessThanOrEqual(2)
    await reduceMotion(wall.page, false)
    expect(await followOnce(-50_000)).toBeGreaterThan(3)
    expect([...fede.errors, ...paolo.errors, ...wall.errors]).toEqual([])
  })
})
