/**
 * Issue 20 in real Chromium against a server wired like `npm start` (server/src/facilitation/SPEC.md): a facilitator
 * starts a vote on the seed's issue map, a desktop and a phone (390×844, touch) participant place dots, the facilitator
 * reveals, everyone sees the ranking and the report lists it; a timer seen by two pages whose clocks differ by 90 s
 * shows the same second (T3); the projector shows it large; a private round ("Scrittura individuale", PR1..PR8) with a
 * desktop and a phone participant whose cards nobody else sees until the reveal, which puts them on every board. The
 * steps run in order and share the browsers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { votableCards } from '../../shared/src/facilitation/voteRecords.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { connectBoard } from '../integration/meetingServer.ts'
import { writeRecords } from '../integration/versionsHarness.ts'
import { enterName, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

const SEED = buildSeedBoard('final') as unknown as BoardRecord[]
const ISSUES = 'shape:demo-issues'
const CARDS = votableCards(SEED, ISSUES)!
const SHAPES = SEED.filter((r) => r.typeName === 'shape').length
const SKEW_MS = 90_000

let server: MeetingTestServer
let fede: Person // facilitator, desktop
let paolo: Person // participant, desktop
let anna: Person // participant, phone
let meetingId: string
let keys: { facilitator: string; participant: string; viewer: string }

const boardUrl = (key: string) => `${server.httpUrl}/board/${meetingId}#k=${key}`

async function openBoard(person: Person, key: string, name: string | null): Promise<void> {
  await person.page.goto(boardUrl(key))
  if (name !== null) await enterName(person.page, name)
  await waitForEditor(person.page)
  await person.page.waitForFunction((n) => window.__tavolo!.editor.getCurrentPageShapes().length >= n, SHAPES, { timeout: 20_000 })
}

/** Brings a card into view and taps (or clicks) it, as a person would, so that it is selected. */
async function pickCard(page: Page, cardId: string, touch: boolean): Promise<void> {
  const point = await page.evaluate((id) => {
    const editor = window.__tavolo!.editor
    const bounds = editor.getShapePageBounds(id as never)!
    editor.zoomToBounds(bounds, { targetZoom: 1, inset: 120 })
    editor.selectNone()
    return editor.pageToScreen({ x: bounds.x + bounds.w / 2, y: bounds.y + bounds.h * 0.8 })
  }, cardId)
  if (touch) await page.touchscreen.tap(point.x, point.y)
  else await page.mouse.click(point.x, point.y)
  await page.waitForFunction((id) => window.__tavolo!.editor.getOnlySelectedShapeId() === id, cardId, { timeout: 5000 })
}

async function vote(page: Page, cardId: string, touch: boolean, usedAfter: number): Promise<void> {
  await pickCard(page, cardId, touch)
  const add = page.getByTestId('vote-add')
  if (touch) await add.tap()
  else await add.click()
  await page.locator(`[data-testid=vote-used][data-used="${usedAfter}"]`).waitFor({ timeout: 5000 })
}

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  ;[fede, paolo, anna] = await Promise.all([
    openPerson('fede'),
    openPerson('paolo'),
    openPerson('anna', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }),
  ])
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: '1° incontro della Equipe inter-servizio', reference: 'par-MEET-2025-09-622' }),
  })
  expect(response.status).toBe(201)
  const created = (await response.json()) as { meeting: { id: string }; keys: typeof keys }
  meetingId = created.meeting.id
  keys = created.keys
  const writer = connectBoard(server.wsUrl, meetingId, keys.facilitator)
  await writer.synced
  writeRecords(writer, SEED)
  await waitFor(async () => {
    const res = await fetch(`${server.httpUrl}/api/meetings/${meetingId}/export`, { headers: { authorization: `Bearer ${keys.facilitator}` } })
    return ((await res.json()) as { records: unknown[] }).records.length >= SEED.length
  }, 10_000, 'seed board on the server')
  writer.destroy()
})

afterAll(async () => {
  await Promise.all([fede?.close(), paolo?.close(), anna?.close()])
  await server?.close()
})

describe('dot-voting', () => {
  test('a facilitator starts a vote on the issue map; a desktop and a phone participant vote; the reveal ranks for everyone', async () => {
    await Promise.all([openBoard(fede, keys.facilitator, 'Fede'), openBoard(paolo, keys.participant, 'Paolo'), openBoard(anna, keys.participant, 'Anna')])

    await fede.page.getByTestId('vote-start').click()
    const dialog = fede.page.getByTestId('vote-dialog')
    await dialog.waitFor()
    await fede.page.getByTestId('vote-frame').selectOption(ISSUES)
    await fede.page.getByTestId('vote-per-voter').fill('3')
    await screenshot(fede.page, 'facilitation-vote-dialog.png')
    await fede.page.getByTestId('vote-submit').click()
    await dialog.waitFor({ state: 'detached' })

    for (const p of [paolo, anna]) await p.page.locator('[data-testid=vote-bar][data-state=open]').waitFor({ timeout: 10_000 })
    const [first, second, third] = [CARDS[0]!.id, CARDS[3]!.id, CARDS[6]!.id]
    await vote(paolo.page, first, false, 1)
    await vote(paolo.page, first, false, 2)
    await vote(paolo.page, second, false, 3)
    await vote(anna.page, first, true, 1)
    await vote(anna.page, third, true, 2)
    await screenshot(anna.page, 'facilitation-vote-phone-390.png')
    // before the reveal each participant sees only their own dots
    await paolo.page.locator(`[data-testid=vote-badge][data-shape-id="${first}"][data-votes="2"]`).waitFor()
    expect(await paolo.page.locator(`[data-testid=vote-badge][data-shape-id="${third}"]`).count()).toBe(0)
    expect(await fede.page.locator('[data-testid=vote-badge]').count()).toBe(0)
    await fede.page.locator('[data-testid=vote-voters][data-voters="2"]').waitFor({ timeout: 10_000 })
    await screenshot(fede.page, 'facilitation-vote-facilitator.png')

    await fede.page.getByTestId('vote-reveal').click()
    for (const p of [fede, paolo, anna]) {
      await p.page.locator('[data-testid=vote-bar][data-state=revealed]').waitFor({ timeout: 10_000 })
      const items = await p.page.locator('[data-testid=vote-results] li').allTextContents()
      expect(items[0]).toBe(`1. ${CARDS[0]!.text} — 3 voti`)
      expect(items).toHaveLength(3)
    }
    await fede.page.locator(`[data-testid=vote-badge][data-shape-id="${first}"][data-votes="3"][data-rank="1"]`).waitFor({ timeout: 10_000 })
    await screenshot(anna.page, 'facilitation-revealed-phone-390.png')

    const report = await fetch(`${server.httpUrl}/api/meetings/${meetingId}/report?format=md&version=live`, { headers: { authorization: `Bearer ${keys.facilitator}` } })
    const text = await report.text()
    expect(text).toContain('## Priorità votate')
    // the Markdown report escapes a list text that starts with a number (RP1): "1\\." reads "1." once rendered
    expect(text).toContain(`1\\. ${CARDS[0]!.text} — 3 voti`)
  })
})

describe('shared timer', () => {
  test('T3: two pages whose clocks differ by 90 s show the same second; the projector shows it large', async () => {
    // paolo's browser clock runs 90 s ahead: it must still show the server's countdown
    await paolo.context.addInitScript((skew) => {
      const real = Date.now.bind(Date)
      Date.now = () => real() + skew
    }, SKEW_MS)
    // a fresh document (the same URL with only the fragment would not reload), so the init script runs
    await paolo.page.goto('about:blank')
    await openBoard(paolo, keys.participant, null)
    expect(await paolo.page.evaluate(() => Date.now() - performance.timeOrigin - performance.now())).toBeGreaterThan(SKEW_MS - 5000)

    await fede.page.getByTestId('timer-minutes').fill('5')
    await fede.page.getByTestId('timer-start').click()
    const remaining = async (page: Page) => {
      const text = await page.getByTestId('timer').getAttribute('data-remaining')
      const [m, s] = (text ?? '').split(':').map(Number)
      return (m ?? 0) * 60 + (s ?? 0)
    }
    await paolo.page.getByTestId('timer').waitFor({ timeout: 10_000 })
    await fede.page.getByTestId('timer').waitFor({ timeout: 10_000 })
    const [a, b] = await Promise.all([remaining(fede.page), remaining(paolo.page)])
    expect(a).toBeGreaterThan(280)
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1)

    const wall = await openPerson('wall', { viewport: { width: 1920, height: 1080 } })
    try {
      await wall.page.goto(`${server.httpUrl}/board/${meetingId}/projector#k=${keys.viewer}`)
      await waitForEditor(wall.page)
      await wall.page.locator('.tavolo-timer-large[data-testid=timer]').waitFor({ timeout: 10_000 })
      expect(Math.abs((await remaining(wall.page)) - (await remaining(fede.page)))).toBeLessThanOrEqual(1)
      await screenshot(wall.page, 'facilitation-projector-1920.png')
    } finally {
      await wall.close()
    }
    await fede.page.getByTestId('timer-pause').click()
    await paolo.page.locator('[data-testid=timer]', { hasText: 'In pausa' }).waitFor({ timeout: 10_000 })
    await fede.page.getByTestId('timer-stop').click()
    await paolo.page.getByTestId('timer').waitFor({ state: 'detached', timeout: 10_000 })
  })
})

/** The plain texts of the notes on a page's board. */
async function noteTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = window.__tavolo!.editor
    return editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note')
      .map((s) => editor.getShapeUtil(s).getText(s) ?? '')
  })
}

async function writePrivate(page: Page, text: string, cellIndex: number, touch: boolean, countAfter: number): Promise<void> {
  const cell = page.getByTestId('private-cell')
  const values = await cell.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))
  await cell.selectOption(values[cellIndex]!)
  await page.getByTestId('private-text').fill(text)
  const add = page.getByTestId('private-add')
  if (touch) await add.tap()
  else await add.click()
  await page.locator(`[data-testid=private-count][data-count="${countAfter}"]`).waitFor({ timeout: 5000 })
}

describe('private brainstorming', () => {
  test('PR1..PR8: a desktop and a phone participant write alone; nobody else sees the cards until the reveal; then everyone does', async () => {
    await fede.page.getByTestId('private-start').click()
    const dialog = fede.page.getByTestId('private-dialog')
    await dialog.waitFor()
    await fede.page.getByTestId('private-frame').selectOption(ISSUES)
    await fede.page.getByTestId('private-named').check()
    await screenshot(fede.page, 'facilitation-private-dialog.png')
    await fede.page.getByTestId('private-submit').click()
    await dialog.waitFor({ state: 'detached' })

    for (const p of [paolo, anna]) await p.page.getByTestId('private-panel').waitFor({ timeout: 10_000 })
    await writePrivate(paolo.page, 'Paolo propone un orto di quartiere', 0, false, 1)
    await writePrivate(paolo.page, 'Paolo chiede più panchine', 1, false, 2)
    await writePrivate(anna.page, 'Anna vuole una biblioteca serale', 2, true, 1)
    await screenshot(anna.page, 'facilitation-private-phone-390.png')
    // the facilitator sees how many people wrote how many cards, not the texts
    await fede.page.locator('[data-testid=private-counts][data-writers="2"][data-cards="3"]').waitFor({ timeout: 10_000 })
    expect(await fede.page.getByTestId('private-panel').textContent()).not.toContain('Paolo propone')
    await screenshot(fede.page, 'facilitation-private-facilitator.png')
    // nobody's board (nor the writer's own) holds a private card before the reveal
    for (const p of [fede, paolo, anna]) {
      const texts = (await noteTexts(p.page)).join('\n')
      expect(texts).not.toContain('Paolo propone')
      expect(texts).not.toContain('Anna vuole')
    }
    expect(await anna.page.getByTestId('private-list').textContent()).not.toContain('Paolo')

    // a reload loses nothing: the phone's card comes back from the server and the device's cache
    await anna.page.reload()
    await waitForEditor(anna.page)
    await anna.page.locator('[data-testid=private-count][data-count="1"]').waitFor({ timeout: 10_000 })
    expect(await anna.page.getByTestId('private-list').textContent()).toContain('Anna vuole una biblioteca serale')

    await fede.page.getByTestId('private-reveal').click()
    for (const p of [fede, paolo, anna]) {
      await p.page.getByTestId('private-panel').waitFor({ state: 'detached', timeout: 10_000 })
      await p.page.waitForFunction(
        () => {
          const editor = window.__tavolo!.editor
          const texts = editor.getCurrentPageShapes().map((s) => (s.type === 'note' ? (editor.getShapeUtil(s).getText(s) ?? '') : ''))
          return ['Paolo propone un orto di quartiere\n— Paolo', 'Paolo chiede più panchine\n— Paolo', 'Anna vuole una biblioteca serale\n— Anna'].every((t) => texts.includes(t))
        },
        undefined,
        { timeout: 10_000 },
      )
    }
    await screenshot(anna.page, 'facilitation-private-revealed-phone-390.png')
  })
})
