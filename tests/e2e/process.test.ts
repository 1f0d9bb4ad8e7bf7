/**
 * Issue 22 in real Chromium, against a server wired like `npm start` with the demo process: staff continue the demo's
 * meeting into a new one from the versions panel, move an actor there with the Significato panel, save a version, and
 * find the move on the process page in words and in the picture; axe finds nothing on the process page; screenshots
 * at laptop, projector and phone sizes.
 */
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureDemoMeeting, type DemoMeeting } from '../../server/src/demo/demoMeeting.ts'
import { staffLink } from '../../server/src/http/staffToken.ts'
import { createSilentLogger } from '../../server/src/log.ts'
import { buildMeetingLinks } from '../../shared/src/meetings/meetingLinks.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { enterName, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

let server: MeetingTestServer
let demo: DemoMeeting
let fede: Person

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  const made = await ensureDemoMeeting({
    demo: server.meetings.demo,
    meetings: server.meetings.store,
    factory: server.meetings.factory,
    service: server.meetings.service,
    processes: server.meetings.processes,
    rooms: () => server.server.rooms,
    logger: createSilentLogger(),
  })
  if (made === null) throw new Error('the demo meeting was not created')
  demo = made
  fede = await openPerson('fede', { viewport: { width: 1366, height: 768 } })
})

afterAll(async () => {
  await fede?.close()
  await server?.close()
})

const local = (link: string) => {
  const url = new URL(link, server.httpUrl)
  return `${server.httpUrl}${url.pathname}${url.hash}`
}

async function nameIfAsked(page: Page): Promise<void> {
  const dialog = page.getByTestId('name-dialog')
  if (await dialog.isVisible().catch(() => false)) await enterName(page, 'Fede')
}

describe('a participatory process in the browser', () => {
  test('continue the demo meeting, move an actor, and read the move on the process page in words and in the picture', async () => {
    const page = fede.page
    // the staff link leaves the staff code on this device
    await page.goto(staffLink(server.httpUrl, TEST_STAFF_TOKEN))
    const group = page.getByTestId('process-group').first()
    await group.waitFor()
    expect(await group.locator('h2').innerText()).toBe('Opificio di Comunità')
    expect(await group.getByTestId('meeting-item').count()).toBe(2)
    await screenshot(page, 'process-staff-list-1366x768.png')

    // continue the seed meeting from its version 2, on its board's versions panel
    await page.goto(local(buildMeetingLinks(null, demo.meetingId, demo.keys).facilitator))
    await enterName(page, 'Fede')
    await waitForEditor(page)
    await page.getByTestId('lead-versions').click()
    const panel = page.getByTestId('versions-panel')
    await panel.locator('[data-testid=version-item][data-number="2"]').getByTestId('version-continue').click()
    const form = panel.getByTestId('continue-form')
    await form.getByTestId('continue-title').fill('Tavolo di Negoziazione – 2° incontro')
    await form.getByTestId('continue-starts').fill('2025-11-05T17:30')
    await screenshot(page, 'process-continue-form-1366x768.png')
    await form.getByTestId('continue-yes').click()
    await page.waitForURL((url) => url.pathname !== `/board/${demo.meetingId}` && url.pathname.startsWith('/board/'), { timeout: 20_000 })
    const newMeetingId = new URL(page.url()).pathname.split('/')[2] ?? ''
    await nameIfAsked(page)
    await waitForEditor(page)
    await page.waitForFunction(() => window.__tavolo?.editor.getShape('shape:demo-cet' as never) !== undefined, null, { timeout: 20_000 })

    // the facilitator moves «Rete formativa territoriale (CET)» to the founding core, from the card's Significato panel
    // the new meeting opens with its links to hand out (as after creating a meeting): closed with Esc
    const share = page.getByTestId('share-panel')
    await share.waitFor({ timeout: 10_000 })
    await screenshot(page, 'process-continued-share-1366x768.png')
    await page.keyboard.press('Escape')
    await share.waitFor({ state: 'detached' })
    await page.evaluate(() => {
      const editor = window.__tavolo!.editor
      editor.select('shape:demo-cet' as never)
      const bounds = editor.getShapePageBounds('shape:demo-cet' as never)!
      editor.zoomToBounds({ x: bounds.x - 600, y: bounds.y - 400, w: bounds.w + 1200, h: bounds.h + 800 }, { animation: { duration: 0 } })
    })
    await page.getByTestId('card-meaning-open').click()
    await page.getByTestId('card-meaning-level').selectOption('nucleo-fondativo')
    await page.waitForFunction(() => {
      const shape = window.__tavolo?.editor.getShape('shape:demo-cet' as never) as { meta?: { tavoloMap?: { level?: string } } } | undefined
      return shape?.meta?.tavoloMap?.level === 'nucleo-fondativo'
    })
    await page.getByTestId('lead-versions').click()
    const newPanel = page.getByTestId('versions-panel')
    await newPanel.getByTestId('version-label').fill('Dopo il confronto')
    await newPanel.getByTestId('version-save').click()
    await expect.poll(async () => (await newPanel.getByTestId('versions-notice').textContent()) ?? '', { timeout: 15_000 }).toContain('Salvata come versione 2.')

    // the process page: the move in words and in the picture of meeting 3
    const detail = server.meetings.store.get(newMeetingId as never)
    const processId = (await detail)?.meeting.processId
    expect(processId).toBeTruthy()
    await page.goto(`${server.httpUrl}/process/${processId}`)
    await page.getByTestId('process-page').waitFor({ timeout: 20_000 })
    const timeline = await page.getByTestId('process-timeline').innerText()
    expect(timeline).toContain('Incontro 3')
    expect(timeline).toContain('Versione 2 (di 2)')
    const paths = await page.getByTestId('process-trajectories').innerText()
    expect(paths).toContain('«Rete formativa territoriale (CET)»: Allargamento strategico → Nucleo fondativo (incontro 3)')
    expect(paths).toContain('«Istituzioni del centro storico»: Allargamento strategico → Nucleo fondativo (incontro 2)')
    const picture = page.locator('[data-testid=process-grid][data-meeting="3"] svg')
    expect(await picture.getAttribute('aria-label')).toBe('Mappa degli attori, Incontro 3')
    expect(await picture.locator('text', { hasText: '→ Rete formativa' }).count()).toBe(1)
    // the picture is readable at 1366×768: two meetings side by side, names at 12 px or more on screen
    const box = await picture.boundingBox()
    expect(box?.width ?? 0).toBeGreaterThan(480)
    await screenshot(page, 'process-page-1366x768.png')
    await picture.scrollIntoViewIfNeeded()
    await screenshot(page, 'process-page-pictures-1366x768.png')

    // axe: nothing on the process page
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).setLegacyMode(true).analyze()
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])

    // the printable report and the other sizes
    await page.setViewportSize({ width: 1920, height: 1080 })
    await screenshot(page, 'process-page-1920x1080.png')
    await page.setViewportSize({ width: 390, height: 844 })
    await screenshot(page, 'process-page-390x844.png')
    const html = await page.evaluate(async (id) => {
      const token = localStorage.getItem('tavolo.staffToken') ?? ''
      const res = await fetch(`/api/processes/${id}/report?format=html`, { headers: { authorization: `Bearer ${token}` } })
      return res.text()
    }, processId)
    expect(html).toContain('→ Rete formativa')
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.setContent(html)
    await page.locator('.multiples svg').first().scrollIntoViewIfNeeded()
    await screenshot(page, 'process-report-html-1366x768.png')
    expect(fede.errors.filter((e) => !/favicon/.test(e))).toEqual([])
  })
  test('choose an earlier version as the outcome of the demo\'s second meeting: its moves leave the words and the picture', async () => {
    const page = fede.page
    await page.setViewportSize({ width: 1366, height: 768 })
    const processId = (await server.meetings.store.get(demo.meetingId))?.meeting.processId
    expect(processId).toBeTruthy()
    await page.goto(`${server.httpUrl}/process/${processId}`)
    await page.getByTestId('process-page').waitFor({ timeout: 20_000 })
    const move = '«Istituzioni del centro storico»: Allargamento strategico → Nucleo fondativo (incontro 2)'
    expect(await page.getByTestId('process-trajectories').innerText()).toContain(move)
    const picture = page.locator('[data-testid=process-grid][data-meeting="2"] svg')
    expect(await picture.locator('text', { hasText: '→ Istituzioni' }).count()).toBe(1)

    // the select of meeting 2, found by its label (a native select: Tab reaches it, the arrow keys change it)
    const meeting2 = page.getByTestId('process-meeting').nth(1)
    const select = meeting2.getByLabel('Versione di esito')
    expect(await select.inputValue()).toBe('')
    const options = await select.locator('option').allInnerTexts()
    expect(options[0]).toBe('L\'ultima (automatica)')
    expect(options.slice(1).map((o) => o.split(' — ')[0])).toEqual(['Versione 2', 'Versione 1'])
    expect(options[1]).toContain('Fine incontro')
    await select.focus()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('process-outcome')
    await screenshot(page, 'process-outcome-select-1366x768.png')
    await select.selectOption('1')

    // the evolution is read again: version 1 of meeting 2 (the seed's final state, continued) has no move
    await expect.poll(async () => meeting2.getByTestId('process-version').innerText(), { timeout: 15_000 }).toBe('Versione 1 (di 2), scelta come esito')
    expect(await page.getByTestId('process-trajectories').innerText()).not.toContain('«Istituzioni del centro storico»')
    expect(await picture.locator('text', { hasText: '→ Istituzioni' }).count()).toBe(0)
    expect(await picture.locator('text', { hasText: 'Istituzioni' }).count()).toBe(1)
    expect(await meeting2.getByLabel('Versione di esito').inputValue()).toBe('1')
    await meeting2.scrollIntoViewIfNeeded()
    await screenshot(page, 'process-outcome-chosen-1366x768.png')
    await page.setViewportSize({ width: 390, height: 844 })
    await meeting2.scrollIntoViewIfNeeded()
    await screenshot(page, 'process-outcome-chosen-390x844.png')
    await page.setViewportSize({ width: 1366, height: 768 })

    // back to the latest: the move is told again
    await meeting2.getByLabel('Versione di esito').selectOption('')
    await expect.poll(async () => meeting2.getByTestId('process-version').innerText(), { timeout: 15_000 }).toBe('Versione 2 (di 2)')
    expect(await page.getByTestId('process-trajectories').innerText()).toContain(move)
    expect(fede.errors.filter((e) => !/favicon/.test(e))).toEqual([])
  })
  test('the staff list shows each process whole when its meetings are beyond the first page of the list', async () => {
    const page = fede.page
    await page.setViewportSize({ width: 1366, height: 768 })
    // 55 newer meetings of no process: the process's three meetings (the demo's two, the one continued above) are all
    // beyond the first page of 50
    for (let i = 1; i <= 55; i++) {
      const res = await fetch(`${server.httpUrl}/api/meetings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_STAFF_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Riunione ${i}` }),
      })
      expect(res.status).toBe(201)
    }
    await page.goto(`${server.httpUrl}/meetings`)
    const group = page.getByTestId('process-group').first()
    await group.waitFor()
    await expect.poll(async () => group.getByTestId('meeting-item').count(), { timeout: 15_000 }).toBe(3)
    expect(await group.getByTestId('process-count').innerText()).toBe('3 incontri')
    expect(await group.locator('h3').allInnerTexts()).toEqual([
      '1° incontro della Equipe inter-servizio',
      'Tavolo di Negoziazione – 1° incontro',
      'Tavolo di Negoziazione – 2° incontro',
    ])
    const none = page.getByTestId('process-group-none')
    expect(await none.getByTestId('meeting-item').count()).toBe(50)
    await screenshot(page, 'process-staff-list-paged-1366x768.png')
    await page.getByTestId('meeting-list-more').click()
    await expect.poll(async () => none.getByTestId('meeting-item').count(), { timeout: 15_000 }).toBe(55)
    // the next page adds no second copy of the process's meetings
    expect(await group.getByTestId('meeting-item').count()).toBe(3)
    expect(await page.getByTestId('meeting-item').count()).toBe(58)
    expect(await page.getByTestId('meeting-list-more').count()).toBe(0)
    expect(fede.errors.filter((e) => !/favicon/.test(e))).toEqual([])
  })
})
