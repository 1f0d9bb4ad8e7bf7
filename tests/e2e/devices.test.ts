/**
 * Issue 19: a workshop on the devices people bring, in real Chromium. The seed workshop's board (server/src/demo)
 * with its actor map filled (a card in every cell), a facilitator at 1366×768, a phone at 390×844 with touch, the
 * wall at 1920×1080. Everything is measured from the DOM (zoom, rendered font sizes, rectangles), as a person sees it.
 * One server and one browser for the file; each person is a context of their own (own storage).
 * Rules cited: client/src/meeting/followerView.ts V1–V3.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { gridCellRect } from '../../shared/src/maps/layout.ts'
import { cardScaleFor, noteRecord, slotPosition } from '../../shared/src/maps/cards.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { enterName, screenshot, waitForEditor } from './browserPage.ts'
import { InstancePresenceRecordType } from '@tldraw/tlschema'
import { connectBoard } from '../integration/meetingServer.ts'

const ACTORS_FRAME = 'shape:demo-actors'

let server: MeetingTestServer
let browser: Browser
let meeting: CreateMeetingResponse
const contexts: BrowserContext[] = []

/** The seed board, final stage, with a card in every empty cell of the actor map (a filled 6×3 map). */
function filledSeedBoard(): BoardRecord[] {
  const records = buildSeedBoard('final')
  const t = getTemplate('actors')
  if (t === null || t.kind !== 'actors' || t.layout.type !== 'grid') throw new Error('actors template')
  const layout = t.layout
  const occupied = new Set<string>()
  for (const r of records) {
    if (r.parentId !== ACTORS_FRAME || r.type !== 'note') continue
    const x = r.x as number
    const y = r.y as number
    t.categories.forEach((_c, ci) =>
      t.levels.forEach((_l, li) => {
        const cell = gridCellRect(layout, ci, li)
        if (x >= cell.x && x < cell.x + cell.w && y >= cell.y && y < cell.y + cell.h) occupied.add(`${ci},${li}`)
      }),
    )
  }
  let order = 500
  t.categories.forEach((c, ci) =>
    t.levels.forEach((_l, li) => {
      if (occupied.has(`${ci},${li}`)) return
      const rect = gridCellRect(layout, ci, li)
      const scale = cardScaleFor(rect, 1, 40)
      records.push(
        noteRecord({ id: `shape:filled-${ci}-${li}`, parentId: ACTORS_FRAME, ...slotPosition(rect, 0, 40, scale), text: `Attore ${c.label.it.split(' ')[0]} ${li + 1}`, order: order++, scale }),
      )
    }),
  )
  return records as unknown as BoardRecord[]
}

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
  const res = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: '1° incontro della Equipe inter-servizio' }),
  })
  meeting = (await res.json()) as CreateMeetingResponse
  const schema = serverSerializedSchema()
  await server.server.rooms.withBoardDoc(meeting.meeting.id as string as BoardId, (doc) => {
    doc.transact(() => writeBoardRecords(doc, filledSeedBoard(), schema), { kind: 'server', reason: 'demo' })
  })
  await server.meetings.service.save(meeting.meeting.id as never, { label: 'Prima stesura', note: null, author: { name: 'Test', role: 'facilitator' } })
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

/** Rendered font sizes (CSS px on screen) of the card texts in view: computed size × the on-screen scale. */
function cardTextPx(page: Page, parentId?: string): Promise<Array<{ id: string; px: number }>> {
  return page.evaluate((parent) => {
    const editor = window.__tavolo!.editor
    const out: Array<{ id: string; px: number }> = []
    for (const el of document.querySelectorAll<HTMLElement>('.tl-shape[data-shape-type=note]')) {
      const id = el.id || (el.dataset.shapeId ?? '')
      if (parent && editor.getShape(id as never)?.parentId !== parent) continue
      const text = el.querySelector<HTMLElement>('.tl-rich-text')
      if (!text || text.offsetWidth === 0) continue
      const r = text.getBoundingClientRect()
      if (r.right < 0 || r.bottom < 0 || r.left > window.innerWidth || r.top > window.innerHeight) continue
      out.push({ id, px: (parseFloat(getComputedStyle(text).fontSize) * r.width) / text.offsetWidth })
    }
    return out
  }, parentId)
}

const zoomOf = (page: Page) => page.evaluate(() => window.__tavolo!.editor.getZoomLevel())
const rectOf = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect()
    return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null
  }, selector)
const frameOnScreen = (page: Page) =>
  page.evaluate((id) => {
    const editor = window.__tavolo!.editor
    const b = editor.getShapePageBounds(id as never)!
    const tl = editor.pageToViewport({ x: b.minX, y: b.minY })
    const br = editor.pageToViewport({ x: b.maxX, y: b.maxY })
    return { left: tl.x, top: tl.y, right: br.x, bottom: br.y }
  }, ACTORS_FRAME)

/** Waits until the camera has stopped moving (animations done). */
async function settled(page: Page): Promise<void> {
  let last = ''
  await expect
    .poll(async () => {
      const now = JSON.stringify(await page.evaluate(() => window.__tavolo!.editor.getCamera()))
      const same = now === last
      last = now
      return same
    }, { timeout: 10_000, interval: 250 })
    .toBe(true)
}

let fede: Page
let pia: Page
let wall: Page

describe('the facilitator steps to the actor map (item 7)', () => {
  test('at 1366×768 "Avanti" fits the frame into the area the Conduci bar and the style panel leave free', async () => {
    fede = await person({ width: 1366, height: 768 })
    await fede.goto(`${server.httpUrl}${meeting.links.facilitator}`)
    await enterName(fede, 'Federica')
    await waitForEditor(fede)
    await fede.getByTestId('lead-bar').waitFor()
    await fede.getByTestId('lead-present').click()
    // The first frame in reading order is the issues map, the second the actor map (arrival may already show the first).
    await settled(fede)
    const position = () => fede.evaluate(() => [...document.querySelectorAll('.tavolo-lead-label')].map((e) => e.textContent).find((t) => t?.startsWith('Cornice')))
    for (let i = 0; i < 3 && (await position()) !== 'Cornice 2 di 4'; i++) {
      await fede.getByTestId('lead-next').click()
      await settled(fede)
    }
    expect(await position()).toBe('Cornice 2 di 4')
    await screenshot(fede, 'devices-facilitator-next-1366x768.png')
    const frame = await frameOnScreen(fede)
    const bar = await rectOf(fede, '.tavolo-lead-bar')
    const style = await rectOf(fede, '.tlui-style-panel')
    expect(bar).not.toBeNull()
    // The frame lies wholly right of the bar and left of the style panel (when tldraw shows it), inside the window.
    expect(frame.left).toBeGreaterThanOrEqual(bar!.right)
    if (style !== null) expect(frame.right).toBeLessThanOrEqual(style.left)
    expect(frame.right).toBeLessThanOrEqual(1366)
    expect(frame.bottom).toBeLessThanOrEqual(768)
  })
})

describe('the wall (item 6)', () => {
  test('at 1920×1080 the presented actor map fills the wall and every card alone in its cell reads at 18 px or more; no badge covers or overlaps', async () => {
    wall = await person({ width: 1920, height: 1080 })
    await wall.goto(`${server.httpUrl}${meeting.links.projector}`)
    await waitForEditor(wall)
    // V1: the wall shows the presented frame, fitted to its own free area.
    await expect.poll(async () => (await frameOnScreen(wall)).right - (await frameOnScreen(wall)).left, { timeout: 15_000 }).toBeGreaterThan(1800)
    await settled(wall)
    await screenshot(wall, 'devices-wall-actors-1920x1080.png')
    const sizes = await cardTextPx(wall, ACTORS_FRAME)
    // The seed keeps two cards in one cell (smaller, side by side); the 17 others are one per cell.
    expect(sizes.length).toBe(19)
    const alone = sizes.filter((s) => !['shape:demo-comune', 'shape:demo-firmatari'].includes(s.id))
    expect(alone.length).toBeGreaterThanOrEqual(16)
    expect(Math.min(...alone.map((s) => s.px))).toBeGreaterThanOrEqual(18)
    // Badges: only where the position does not say it already (none on this map), never overlapping, on screen.
    const badges = await wall.evaluate(() =>
      [...document.querySelectorAll('[data-testid=map-badge]')].map((b) => {
        const r = b.getBoundingClientRect()
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }
      }),
    )
    for (const [i, a] of badges.entries()) {
      expect(a.right).toBeLessThanOrEqual(1920)
      for (const b of badges.slice(i + 1)) expect(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).toBe(false)
    }
    const actorBadges = await wall.evaluate((frameId) => {
      const editor = window.__tavolo!.editor
      return [...document.querySelectorAll<HTMLElement>('[data-testid=map-badge]')].filter((b) => editor.getShape(b.dataset.shapeId as never)?.parentId === frameId).length
    }, ACTORS_FRAME)
    expect(actorBadges).toBe(0)
  })
})

describe('a phone (items 1 and 3)', () => {
  test('joining while the facilitator presents: the presented frame at a readable zoom (cards ≥ 12 px), from its top-left corner', async () => {
    pia = await person({ width: 390, height: 844 }, true)
    await pia.goto(`${server.httpUrl}${meeting.links.participant}`)
    await enterName(pia, 'Pia')
    await waitForEditor(pia)
    // Landed on the presented frame (not the facilitator's zoom: 0.116 on this board before).
    await expect.poll(async () => (await frameOnScreen(pia)).left, { timeout: 15_000 }).toBeGreaterThan(-1)
    await settled(pia)
    await screenshot(pia, 'devices-phone-joins-390x844.png')
    expect(await zoomOf(pia)).toBeGreaterThan(0.3)
    const sizes = (await cardTextPx(pia)).map((s) => s.px).sort((a, b) => a - b)
    expect(sizes.length).toBeGreaterThan(0)
    // V3: the typical card (the median) reads at 12 px at least.
    expect(sizes[Math.floor(sizes.length / 2)]!).toBeGreaterThanOrEqual(11.9)
    const frame = await frameOnScreen(pia)
    expect(frame.left).toBeGreaterThanOrEqual(0)
    expect(frame.left).toBeLessThan(40)
  })

  test('one finger on the locked map pans; no brush, no selection, no lock note; a pinch raises no note either', async () => {
    const cdp = await pia.context().newCDPSession(pia)
    const before = await pia.evaluate(() => window.__tavolo!.editor.getCamera())
    // A row header of the actor map: locked structure.
    const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<{ x: number; y: number }>) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ ...p, id })) })
    await touch('touchStart', [{ x: 60, y: 500 }])
    for (let i = 1; i <= 6; i++) await touch('touchMove', [{ x: 60 + i * 30, y: 500 - i * 20 }])
    await touch('touchEnd', [])
    const after = await pia.evaluate(() => window.__tavolo!.editor.getCamera())
    const z = await zoomOf(pia)
    expect((after.x - before.x) * z).toBeCloseTo(180, 0)
    expect((after.y - before.y) * z).toBeCloseTo(-120, 0)
    expect(await pia.evaluate(() => window.__tavolo!.editor.getSelectedShapeIds().length)).toBe(0)
    expect(await pia.evaluate(() => window.__tavolo!.editor.getInstanceState().brush)).toBeNull()
    expect(await pia.getByTestId('locked-explainer').count()).toBe(0)

    // Two fingers on the structure: a pinch; the lock note stays away.
    await touch('touchStart', [{ x: 150, y: 450 }])
    await touch('touchStart', [{ x: 150, y: 450 }, { x: 250, y: 550 }])
    for (let i = 1; i <= 5; i++) await touch('touchMove', [{ x: 150 - i * 10, y: 450 - i * 10 }, { x: 250 + i * 10, y: 550 + i * 10 }])
    await touch('touchEnd', [])
    await screenshot(pia, 'devices-phone-after-pan-pinch-390x844.png')
    expect(await pia.getByTestId('locked-explainer').count()).toBe(0)
  })

  test('a tap on a card still selects it (cards stay the participant\'s)', async () => {
    await pia.evaluate(() => {
      const editor = window.__tavolo!.editor
      editor.zoomToBounds(editor.getShapePageBounds('shape:demo-centro' as never)!, { inset: 80, immediate: true })
    })
    const card = await pia.evaluate(() => {
      const editor = window.__tavolo!.editor
      const inView = editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'note' && !editor.getCulledShapes().has(s.id))
        .map((s) => ({ id: s.id, b: editor.getShapePageBounds(s)! }))
        .map(({ id, b }) => ({ id, c: editor.pageToViewport(b.center) }))
        .find(({ c }) => c.x > 20 && c.x < 370 && c.y > 150 && c.y < 700)
      return inView ?? null
    })
    expect(card).not.toBeNull()
    await pia.touchscreen.tap(card!.c.x, card!.c.y)
    await expect.poll(() => pia.evaluate(() => window.__tavolo!.editor.getSelectedShapeIds())).toEqual([card!.id])
    // A tap on the map's structure (the cell just above the card, locked) lets go of it, as a tap beside a card does.
    const cell = await pia.evaluate(() => {
      const editor = window.__tavolo!.editor
      const b = editor.getShapePageBounds('shape:demo-centro' as never)!
      return editor.pageToViewport({ x: b.center.x, y: b.minY - 20 })
    })
    await pia.touchscreen.tap(cell.x, cell.y)
    await expect.poll(() => pia.evaluate(() => window.__tavolo!.editor.getSelectedShapeIds())).toEqual([])
    expect(await pia.getByTestId('locked-explainer').count()).toBe(0)
  })

  test('"Porta tutti da me" brings the phone back to the presented frame, readable', async () => {
    await pia.evaluate(() => {
      window.__tavolo!.editor.setCamera({ x: 5000, y: 5000, z: 0.05 }, { immediate: true })
    })
    await fede.getByTestId('lead-summon').click()
    await pia.getByTestId('summoned-note').waitFor()
    await settled(pia)
    await screenshot(pia, 'devices-phone-summoned-390x844.png')
    expect(await zoomOf(pia)).toBeGreaterThan(0.3)
    const frame = await frameOnScreen(pia)
    expect(frame.left).toBeGreaterThanOrEqual(0)
    expect(frame.left).toBeLessThan(40)
  })
})

describe('the phone\'s chrome (item 2)', () => {
  test('at 390×844 the chrome is one bar of at most 56 px; the rest is behind a menu that Esc closes', async () => {
    const bottoms = () =>
      pia.evaluate(() =>
        ['.tlui-menu-zone', '.tavolo-share-zone', '.tavolo-meeting-header', '.tlui-helper-buttons']
          .flatMap((s) => [...document.querySelectorAll(s)])
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.width > 0 && r.height > 0)
          .map((r) => Math.round(r.bottom)),
      )
    await expect.poll(async () => Math.max(...(await bottoms())), { timeout: 5000 }).toBeLessThanOrEqual(56)
    await screenshot(pia, 'devices-phone-chrome-390x844.png')
    // The meeting's title is in the bar, beside tldraw's menus and the status, overlapping neither.
    const overlaps = await pia.evaluate(() => {
      const rects = ['.tlui-menu-zone', '.tavolo-meeting-header', '.tavolo-share-zone'].map((s) => document.querySelector(s)!.getBoundingClientRect())
      const out: string[] = []
      rects.forEach((a, i) =>
        rects.slice(i + 1).forEach((b, j) => {
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(`${i} over ${i + j + 1}`)
        }),
      )
      return out
    })
    expect(overlaps).toEqual([])
    expect(await pia.getByTestId('participant-count').isVisible()).toBe(false)
    await pia.getByTestId('status-menu-button').click()
    await pia.getByTestId('participant-count').waitFor()
    expect(await pia.getByTestId('participant-count').textContent()).toBe('1 partecipante, 1 conduce')
    await screenshot(pia, 'devices-phone-menu-390x844.png')
    await pia.keyboard.press('Escape')
    await pia.getByTestId('participant-count').waitFor({ state: 'hidden' })
  })
})

describe('reviewing versions while presenting (item 8)', () => {
  test('"Confronta con la lavagna attuale" opens in a new tab: the facilitator keeps presenting where they were, the wall keeps showing', async () => {
    const before = await fede.evaluate(() => window.__tavolo!.editor.getCamera())
    await fede.getByTestId('lead-versions').click()
    const panel = fede.getByTestId('versions-panel')
    await panel.locator('[data-testid=version-item][data-number="1"]').waitFor()
    const [compare] = await Promise.all([
      fede.context().waitForEvent('page'),
      panel.locator('[data-testid=version-item][data-number="1"]').getByTestId('version-compare-live').click(),
    ])
    await compare.waitForURL(/\/versions\/1\/compare\/live/)
    await compare.getByTestId('version-banner').waitFor({ timeout: 20_000 })
    expect(new URL(fede.url()).pathname).toBe(`/board/${meeting.meeting.id}`)
    expect(await fede.getByTestId('lead-present').getAttribute('aria-pressed')).toBe('true')
    expect(await fede.evaluate(() => window.__tavolo!.editor.getCamera())).toEqual(before)
    expect(await wall.getByTestId('projector-waiting').count()).toBe(0)
    await compare.close()
  })
})

describe('fonts (item 17)', () => {
  test('pages without a board preload no font; a board preloads the fonts it then uses, and the console has no unused-preload warning', async () => {
    const home = await person({ width: 1366, height: 768 })
    await home.goto(`${server.httpUrl}/`)
    expect(await home.locator('link[rel=preload][as=font]').count()).toBe(0)
    const warnings: string[] = []
    const board = await person({ width: 1366, height: 768 })
    board.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text())
    })
    await board.goto(`${server.httpUrl}${meeting.links.viewer}`)
    await waitForEditor(board)
    const preloaded = await board.locator('link[rel=preload][as=font]').evaluateAll((ls) => ls.map((l) => (l as HTMLLinkElement).href))
    expect(preloaded.length).toBeGreaterThan(0)
    // Only what the first render waits for (the regular faces of cards and of the maps' texts), not all 16 files
    // (issue 19: they delayed the phone's editor); tldraw loads the others itself once mounted (document.fonts).
    expect(preloaded.length).toBe(2)
    await board.waitForFunction(() => [...document.fonts].every((f) => f.status === 'loaded') && document.fonts.size >= 16)
    // Each preloaded file is one tldraw then uses, downloaded once (the preload's CORS mode matches tldraw's).
    const fetched = await board.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.woff2')).map((e) => e.name))
    expect(fetched.length).toBe(16)
    for (const href of preloaded) expect(fetched.filter((f) => f === href).length).toBe(1)
    expect(warnings.filter((w) => w.includes('preload'))).toEqual([])
  })
})

describe('the facilitator on a phone (item 2)', () => {
  test('at 390×844 with touch, the folded «Conduci» bar is there with the board; unfolded, it stays open while the board settles and others arrive', async () => {
    const lead = await person({ width: 390, height: 844 }, true)
    await lead.goto(`${server.httpUrl}${meeting.links.facilitator}`)
    await enterName(lead, 'Lucia')
    await waitForEditor(lead)
    // The toggle belongs to the board's own chunk (leadBarOpen.tsx), not to the facilitator chrome that loads after it.
    await lead.getByTestId('lead-open').tap()
    await lead.getByTestId('lead-share').waitFor()
    await lead.locator('[data-testid=connection-status][data-status=connected]').waitFor()
    // A second participant arrives and moves: presence updates reach the phone's board.
    const peer = connectBoard(server.wsUrl, meeting.meeting.id as string, meeting.keys.participant)
    try {
      await peer.synced
      const pageId = await lead.evaluate(() => window.__tavolo!.editor.getCurrentPageId())
      for (let i = 0; i < 10; i++) {
        const presence = InstancePresenceRecordType.create({
          id: InstancePresenceRecordType.createId('bar-peer'),
          userId: 'user:bar-peer' as never,
          userName: 'Bruno',
          currentPageId: pageId as never,
          color: '#1c7ed6',
          cursor: { x: 100 + 20 * i, y: 100, rotation: 0, type: 'default' },
          lastActivityTimestamp: Date.now(),
        })
        peer.provider.awareness.setLocalState({ user: { id: 'bar-peer', name: 'Bruno', color: '#1c7ed6', role: 'participant', joinedAt: 1 }, presence })
        await lead.waitForFunction(
          (x) => [...window.__tavolo!.editor.store.query.records('instance_presence').get()].some((p) => p.userName === 'Bruno' && p.cursor?.x === x),
          100 + 20 * i,
        )
      }
      // The board has settled (connected, camera still, the peer's presence in): the bar is still open.
      await settled(lead)
      expect(await lead.getByTestId('lead-share').isVisible()).toBe(true)
      expect(await lead.getByTestId('lead-open').count()).toBe(0)
      await screenshot(lead, 'devices-facilitator-bar-390x844.png')
    } finally {
      peer.destroy()
    }
  })
})

describe('the architecture map on a phone (issue 19: padlock and badges)', () => {
  const ARCH_FRAME = 'shape:demo-architecture'
  test('presented at 390×844: the frame\'s padlock and every meaning badge lie inside the screen, badges in smaller type than the cards\' text', async () => {
    const position = () => fede.evaluate(() => [...document.querySelectorAll('.tavolo-lead-label')].map((e) => e.textContent).find((t) => t?.startsWith('Cornice')))
    for (let i = 0; i < 4 && (await position()) !== 'Cornice 3 di 4'; i++) {
      await fede.getByTestId('lead-next').click()
      await settled(fede)
    }
    expect(await position()).toBe('Cornice 3 di 4')
    // "Porta tutti da me": the phone shows the architecture map fitted to its screen (V2).
    await pia.getByTestId('summoned-note').waitFor({ state: 'detached', timeout: 15_000 })
    await fede.getByTestId('lead-summon').click()
    await pia.getByTestId('summoned-note').waitFor()
    await settled(pia)
    await screenshot(pia, 'devices-phone-architecture-390x844.png')
    const padlock = () =>
      pia.evaluate((id) => {
        const r = document.querySelector(`[data-testid=lock-badge][data-shape-id="${id}"]`)?.getBoundingClientRect()
        return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null
      }, ARCH_FRAME)
    const inside = (r: { left: number; top: number; right: number; bottom: number } | null) => {
      expect(r).not.toBeNull()
      expect(r!.left).toBeGreaterThanOrEqual(0)
      expect(r!.top).toBeGreaterThanOrEqual(0)
      expect(r!.right).toBeLessThanOrEqual(390)
      expect(r!.bottom).toBeLessThanOrEqual(844)
    }
    inside(await padlock())
    // Meaning badges: on screen, in smaller type than the text of their instrument.
    const badges = await pia.evaluate((frameId) => {
      const editor = window.__tavolo!.editor
      return [...document.querySelectorAll<HTMLElement>('[data-testid=map-badge]')]
        .filter((b) => editor.getShape(b.dataset.shapeId as never)?.parentId === frameId)
        .map((b) => {
          const r = b.getBoundingClientRect()
          const text = document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${b.dataset.shapeId}"] .tl-rich-text`)
          const cardPx = text ? (parseFloat(getComputedStyle(text).fontSize) * text.getBoundingClientRect().width) / text.offsetWidth : null
          return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, px: parseFloat(getComputedStyle(b).fontSize), cardPx }
        })
    }, ARCH_FRAME)
    expect(badges.length).toBeGreaterThan(0)
    for (const b of badges) {
      inside(b)
      expect(b.cardPx).not.toBeNull()
      expect(b.px).toBeLessThan(b.cardPx!)
    }
    // Panned to the map's right end (one finger), its top-right corner at the screen's right edge: the padlock whole.
    await pia.evaluate((id) => {
      const editor = window.__tavolo!.editor
      const b = editor.getShapePageBounds(id as never)!
      const z = editor.getZoomLevel()
      const { x, y } = editor.getCamera()
      const right = editor.pageToViewport({ x: b.maxX, y: b.minY })
      editor.setCamera({ x: x + (388 - right.x) / z, y: y + (120 - right.y) / z, z }, { immediate: true })
    }, ARCH_FRAME)
    await settled(pia)
    await screenshot(pia, 'devices-phone-architecture-right-390x844.png')
    inside(await padlock())
  })
})
