/**
 * Issue 19 item 13 in real Chromium (versions SPEC SE1-SE3): a restore is announced on the phone and the wall; "Chiudi
 * sessione" makes the phone's board read-only with a notice (and the server undoes a change made anyway), the wall
 * shows the closing, the facilitator reopens it. The facilitator at 1366×768, a participant's phone at 390×844 with
 * touch, the wall at 1920×1080; screenshots of every step in the e2e artefacts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { BoardId } from '../../shared/src/boardId.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { enterName, screenshot, waitForEditor } from './browserPage.ts'

let server: MeetingTestServer
let browser: Browser
let meeting: CreateMeetingResponse
const contexts: BrowserContext[] = []
let fede: Page
let pia: Page
let wall: Page

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
  const res = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Sessione di prova' }),
  })
  meeting = (await res.json()) as CreateMeetingResponse
  const id = meeting.meeting.id as string as BoardId
  await server.server.rooms.withBoardDoc(id, (doc) => {
    doc.transact(() => writeBoardRecords(doc, buildSeedBoard('final') as unknown as BoardRecord[], serverSerializedSchema()), { kind: 'server', reason: 'demo' })
  })
  await server.meetings.service.save(id as never, { label: 'Prima stesura', note: null, author: { name: 'Test', role: 'facilitator' } })
})

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined)
  await browser?.close()
  await server?.close()
})

async function person(viewport: { width: number; height: number }, touch = false): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'it-IT', hasTouch: touch, isMobile: touch, deviceScaleFactor: 1 })
  contexts.push(context)
  return context.newPage()
}

const rectOf = (page: Page, testId: string) =>
  page.evaluate((t) => {
    const r = document.querySelector(`[data-testid="${t}"]`)?.getBoundingClientRect()
    return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null
  }, testId)
const readonly = (page: Page) => page.evaluate(() => window.__tavolo!.editor.getIsReadonly())
const noteCount = (page: Page) => page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapes().filter((s) => s.type === 'note').length)

describe('restoring and closing the session, as the people in the room see it (item 13)', () => {
  test('everyone opens the board; the phone can add cards', async () => {
    fede = await person({ width: 1366, height: 768 })
    pia = await person({ width: 390, height: 844 }, true)
    wall = await person({ width: 1920, height: 1080 })
    await fede.goto(`${server.httpUrl}${meeting.links.facilitator}`)
    await enterName(fede, 'Federica')
    await pia.goto(`${server.httpUrl}${meeting.links.participant}`)
    await enterName(pia, 'Pia')
    await wall.goto(`${server.httpUrl}${meeting.links.projector}`)
    await Promise.all([waitForEditor(fede), waitForEditor(pia), waitForEditor(wall)])
    await pia.getByTestId('add-card').waitFor()
    expect(await readonly(pia)).toBe(false)
    await screenshot(pia, 'session-before-phone-390x844.png')
    await screenshot(wall, 'session-before-wall-1920x1080.png')
  })

  test('a restore is announced on the phone and the wall ("La conduzione ha ripristinato la versione 1"), then goes away by itself', async () => {
    // a participant's card changes the board, so that restoring version 1 changes it back
    const before = await noteCount(pia)
    await pia.getByTestId('add-card').click()
    await pia.keyboard.type('Una carta in più')
    await pia.waitForFunction((n) => window.__tavolo!.editor.getCurrentPageShapes().filter((s) => s.type === 'note').length === n, before + 1)
    await expect.poll(() => noteCount(fede)).toBe(before + 1)
    const res = await fetch(`${server.httpUrl}/api/meetings/${meeting.meeting.id}/versions/1/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${meeting.keys.facilitator}` },
      body: JSON.stringify({ authorName: 'Federica' }),
    })
    expect(res.status).toBe(200)
    for (const page of [pia, wall]) {
      await page.getByTestId('restore-notice').waitFor()
      expect(await page.getByTestId('restore-notice').textContent()).toContain('La conduzione ha ripristinato la versione 1.')
    }
    await expect.poll(() => noteCount(pia)).toBe(before)
    const notice = (await rectOf(pia, 'restore-notice'))!
    // on the phone it stays on screen, clear of the compact header bar (≤ 56 px) and above the toolbar
    expect(notice.left).toBeGreaterThanOrEqual(0)
    expect(notice.right).toBeLessThanOrEqual(390)
    expect(notice.top).toBeGreaterThan(56)
    expect(notice.bottom).toBeLessThanOrEqual(844)
    await screenshot(pia, 'session-restored-phone-390x844.png')
    await screenshot(wall, 'session-restored-wall-1920x1080.png')
    // it goes away by itself (10 s); the dismiss button on the phone removes it at once
    await pia.getByRole('button', { name: 'Chiudi avviso' }).click()
    expect(await pia.getByTestId('restore-notice').count()).toBe(0)
    await wall.getByTestId('restore-notice').waitFor({ state: 'detached', timeout: 15_000 })
  })

  test('"Chiudi sessione" saves a version and ends the session: the phone is read-only with a notice, the wall shows the closing', async () => {
    await fede.getByTestId('lead-versions').click()
    const panel = fede.getByTestId('versions-panel')
    await panel.waitFor()
    await panel.getByTestId('version-close-session').click()
    await expect.poll(() => panel.getByTestId('versions-notice').textContent()).toContain('Sessione chiusa')

    await pia.getByTestId('session-closed').waitFor()
    expect(await pia.getByTestId('session-closed').textContent()).toContain('La conduzione ha chiuso la sessione: la lavagna ora è in sola lettura.')
    expect(await readonly(pia)).toBe(true)
    expect(await pia.getByTestId('add-card').count()).toBe(0)
    const closed = (await rectOf(pia, 'session-closed'))!
    expect(closed.left).toBeGreaterThanOrEqual(0)
    expect(closed.right).toBeLessThanOrEqual(390)
    expect(closed.bottom).toBeLessThanOrEqual(844)
    await screenshot(pia, 'session-closed-phone-390x844.png')

    await wall.getByTestId('session-closed').waitFor()
    expect(await wall.getByTestId('session-closed').textContent()).toContain('Sessione chiusa')
    const banner = (await rectOf(wall, 'session-closed'))!
    expect(banner.right - banner.left).toBeGreaterThan(600)
    const px = await wall.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-testid=session-closed]')!).fontSize))
    expect(px).toBeGreaterThanOrEqual(24)
    await screenshot(wall, 'session-closed-wall-1920x1080.png')

    await fede.getByTestId('session-closed').waitFor()
    expect(await panel.getByTestId('version-reopen-session').count()).toBe(1)
    await screenshot(fede, 'session-closed-facilitator-1366x768.png')
  })

  test('the server refuses a change the phone makes anyway while the session is closed', async () => {
    const before = await noteCount(fede)
    // a page that ignores the read-only state (an old tab, a modified client): the server undoes its card
    const made = await pia.evaluate(() => {
      const editor = window.__tavolo!.editor
      editor.updateInstanceState({ isReadonly: false })
      editor.createShape({ type: 'note', x: 0, y: 0 })
      editor.updateInstanceState({ isReadonly: true })
      return editor.getCurrentPageShapes().filter((s) => s.type === 'note').length
    })
    expect(made).toBe(before + 1)
    await expect.poll(() => noteCount(pia), { timeout: 5000 }).toBe(before)
    // the facilitator's board saw the card come and go (the relay of the change, then the server's undo)
    await expect.poll(() => noteCount(fede), { timeout: 5000 }).toBe(before)
  })

  test('the facilitator reopens the session from the notice: the phone can add cards again', async () => {
    await fede.getByTestId('session-reopen').click()
    await pia.getByTestId('session-closed').waitFor({ state: 'detached' })
    await wall.getByTestId('session-closed').waitFor({ state: 'detached' })
    expect(await readonly(pia)).toBe(false)
    await pia.getByTestId('add-card').waitFor()
    const before = await noteCount(fede)
    await pia.getByTestId('add-card').click()
    await pia.keyboard.type('Dopo la riapertura')
    await expect.poll(() => noteCount(fede)).toBe(before + 1)
    await screenshot(pia, 'session-reopened-phone-390x844.png')
  })
})

const api = (path: string, body?: unknown) =>
  fetch(`${server.httpUrl}/api/meetings/${meeting.meeting.id}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${meeting.keys.facilitator}` },
    body: JSON.stringify(body ?? {}),
  })
const overlaps = (a: { left: number; top: number; right: number; bottom: number }, b: { left: number; top: number; right: number; bottom: number }) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

/** WCAG contrast of an element's text colour on its own background colour (both opaque rgb). */
function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((s) => {
    const el = document.querySelector(s)!
    const style = getComputedStyle(el)
    const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number)
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const x = v / 255
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
    }
    const [hi, lo] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((a, b) => b - a)
    return (hi! + 0.05) / (lo! + 0.05)
  }, selector)
}

describe('the phone during a vote and a private round (item 6)', () => {
  test('the vote results panel is never covered by «Aggiungi carta»', async () => {
    const started = await api('/votes', { frameId: 'shape:demo-issues', votesPerVoter: 3 })
    expect(started.status).toBe(201)
    const { vote } = (await started.json()) as { vote: { id: string } }
    await pia.getByTestId('vote-bar').waitFor()
    expect(overlaps((await rectOf(pia, 'vote-bar'))!, (await rectOf(pia, 'add-card'))!)).toBe(false)
    // two people's dots on the issue map's first cards (through the API: the vote itself is tested in facilitation)
    const cards = (await pia.evaluate(() =>
      window.__tavolo!.editor.getSortedChildIdsForParent('shape:demo-issues' as never).filter((id) => window.__tavolo!.editor.getShape(id)?.type === 'note'),
    )) as string[]
    for (const [voter, picks] of [['voter-aaaaaaaaaaaaaaaa', cards.slice(0, 3)], ['voter-bbbbbbbbbbbbbbbb', cards.slice(0, 2)]] as const) {
      const put = await fetch(`${server.httpUrl}/api/meetings/${meeting.meeting.id}/votes/${vote.id}/ballots/${voter}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${meeting.keys.participant}` },
        body: JSON.stringify({ cardIds: picks }),
      })
      expect(put.status).toBe(200)
    }
    expect((await api(`/votes/${vote.id}/close`)).status).toBe(200)
    expect((await api(`/votes/${vote.id}/reveal`)).status).toBe(200)
    await pia.getByTestId('vote-results').waitFor()
    const results = (await rectOf(pia, 'vote-bar'))!
    const add = (await rectOf(pia, 'add-card'))!
    await screenshot(pia, 'session-vote-results-phone-390x844.png')
    expect(overlaps(results, add)).toBe(false)
    expect(results.top).toBeGreaterThanOrEqual(56)
    // the button is still the one on top at its centre, and so is the panel at its own
    const onTop = await pia.evaluate(() => {
      const at = (el: Element) => {
        const r = el.getBoundingClientRect()
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      }
      const bar = document.querySelector('[data-testid=vote-bar]')!
      const add = document.querySelector('[data-testid=add-card]')!
      return { bar: bar.contains(at(bar)), add: add.contains(at(add)) }
    })
    expect(onTop).toEqual({ bar: true, add: true })
  })

  test('during a private round the big button is the private one: it writes into the private box, never a public card', async () => {
    const started = await api('/private-rounds', { frameId: 'shape:demo-issues' })
    expect(started.status).toBe(201)
    await pia.getByTestId('private-panel').waitFor()
    const add = pia.getByTestId('add-card')
    await expect.poll(() => add.getAttribute('data-private')).toBe('true')
    expect(await add.textContent()).toContain('Scrivi una carta privata')
    const notes = await noteCount(fede)
    await add.tap()
    expect(await pia.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('private-text')
    // nothing new on the board, on the phone or anywhere else
    expect(await noteCount(pia)).toBe(notes)
    expect(await noteCount(fede)).toBe(notes)
    // the private panel and the button do not cover each other
    expect(overlaps((await rectOf(pia, 'private-panel'))!, (await rectOf(pia, 'add-card'))!)).toBe(false)
    // the disabled «Aggiungi carta privata» (nothing written yet) reads at 4.5:1 or more
    expect(await pia.getByTestId('private-add').isDisabled()).toBe(true)
    expect(await contrastOf(pia, '[data-testid=private-add]')).toBeGreaterThanOrEqual(4.5)
    await screenshot(pia, 'session-private-round-phone-390x844.png')
  })
})
