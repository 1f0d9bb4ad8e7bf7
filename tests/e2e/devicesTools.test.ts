/**
 * Issue 19 items 4 and 9, in real Chromium: a participant's «Aggiungi carta» (laptop, and a phone at 390×844 with
 * touch) and the facilitator's «Aggiungi strumento» on the operative architecture (1366×768 and 390×844). The seed
 * workshop's board (server/src/demo). Measured from the DOM, as a person sees it. One server and one browser for the
 * file; each person is a context of their own. Rules cited: shared/src/maps/SPEC.md MP15, client/src/maps/SPEC.md C6.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { enterName, screenshot, waitForEditor } from './browserPage.ts'

const ARCHITECTURE_FRAME = 'shape:demo-architecture'

let server: MeetingTestServer
let browser: Browser
let meeting: CreateMeetingResponse
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
  const res = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Strumenti sui dispositivi' }),
  })
  meeting = (await res.json()) as CreateMeetingResponse
  const schema = serverSerializedSchema()
  await server.server.rooms.withBoardDoc(meeting.meeting.id as string as BoardId, (doc) => {
    doc.transact(() => writeBoardRecords(doc, buildSeedBoard('final') as unknown as BoardRecord[], schema), { kind: 'server', reason: 'demo' })
  })
})

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined)
  await browser?.close()
  await server?.close()
})

async function person(link: string, name: string, viewport: { width: number; height: number }, touch = false): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'it-IT', hasTouch: touch, isMobile: touch, deviceScaleFactor: 1 })
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(`${server.httpUrl}${link}`)
  await enterName(page, name)
  await waitForEditor(page)
  return page
}

type ScreenRect = { left: number; top: number; right: number; bottom: number; width: number; height: number }
const rectOf = (page: Page, selector: string): Promise<ScreenRect | null> =>
  page.evaluate((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect()
    return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height } : null
  }, selector)
const intersects = (a: ScreenRect, b: ScreenRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
const noteIds = (page: Page) => page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapes().filter((s) => s.type === 'note').map((s) => String(s.id)))

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

/** «Aggiungi carta» adds one note, selected with its text open; returns its id after typing `text`. */
async function addCardWith(page: Page, tap: boolean, text: string): Promise<string> {
  const before = new Set(await noteIds(page))
  if (tap) await page.getByTestId('add-card').tap()
  else await page.getByTestId('add-card').click()
  await page.waitForFunction(() => window.__tavolo!.editor.getEditingShapeId() !== null)
  const added = (await noteIds(page)).filter((id) => !before.has(id))
  expect(added).toHaveLength(1)
  expect(await page.evaluate(() => String(window.__tavolo!.editor.getEditingShapeId()))).toBe(added[0])
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => window.__tavolo!.editor.getEditingShapeId() === null)
  expect(await page.evaluate((id) => {
    const editor = window.__tavolo!.editor
    return editor.getShapeUtil(editor.getShape(id as never)!).getText(editor.getShape(id as never)!)
  }, added[0]!)).toBe(text)
  return added[0]!
}

describe('«Aggiungi carta» (item 4)', () => {
  test('laptop participant: after drawing a rectangle and taking the line tool, the action still adds a card, and the note tool keeps its place', async () => {
    const page = await person(meeting.links.participant, 'Lia', { width: 1366, height: 768 })
    const noteSlot = await rectOf(page, '[data-testid="tools.note"]')
    expect(noteSlot).not.toBeNull()
    // A rectangle drawn with its shortcut, then the line tool in hand.
    const geoBefore = await page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapes().filter((s) => s.type === 'geo').length)
    await page.evaluate(() => {
      window.__tavolo!.editor.setCurrentTool('geo')
    })
    await page.mouse.move(600, 300)
    await page.mouse.down()
    await page.mouse.move(700, 380, { steps: 8 })
    await page.mouse.up()
    await expect.poll(() => page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapes().filter((s) => s.type === 'geo').length)).toBe(geoBefore + 1)
    await page.evaluate(() => {
      window.__tavolo!.editor.setCurrentTool('line')
    })
    expect(await page.evaluate(() => window.__tavolo!.editor.getCurrentToolId())).toBe('line')
    // The note tool is where it was (tldraw's full toolbar would have swapped the last used tool into a slot).
    expect(await rectOf(page, '[data-testid="tools.note"]')).toEqual(noteSlot)
    expect(await page.locator('[data-testid="tools.line"]').count()).toBe(0)
    const add = await rectOf(page, '[data-testid=add-card]')
    expect(add!.width).toBeGreaterThanOrEqual(44)
    expect(add!.height).toBeGreaterThanOrEqual(44)
    const id = await addCardWith(page, false, 'Una carta dal portatile')
    expect(await page.evaluate(() => window.__tavolo!.editor.getCurrentToolId())).toBe('select')
    // On the map in view, in a cell, clear of the other cards (as the board as text places one: maps MP12).
    const placed = await page.evaluate((cardId) => {
      const editor = window.__tavolo!.editor
      const card = editor.getShape(cardId as never)!
      const b = editor.getShapePageBounds(card)!
      const others = editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'note' && s.id !== card.id)
        .map((s) => editor.getShapePageBounds(s)!)
        .filter((o) => b.x < o.maxX && o.x < b.maxX && b.y < o.maxY && o.y < b.maxY).length
      const parent = editor.getShape(card.parentId as never)
      return { parentIsMap: parent?.type === 'frame' && Boolean((parent.meta as { tavoloMap?: unknown }).tavoloMap), others }
    }, id)
    expect(placed).toEqual({ parentIsMap: true, others: 0 })
    await screenshot(page, 'devices-add-card-1366x768.png')
  })

  test('phone participant at 390×844 (touch): a large action on screen, clear of the map\'s header; a tap adds a card whatever the tool', async () => {
    const page = await person(meeting.links.participant, 'Pio', { width: 390, height: 844 }, true)
    await settled(page)
    await page.evaluate(() => {
      window.__tavolo!.editor.setCurrentTool('line')
    })
    const add = await rectOf(page, '[data-testid=add-card]')
    expect(add).not.toBeNull()
    expect(await page.getByTestId('add-card').isVisible()).toBe(true)
    expect(add!.width).toBeGreaterThanOrEqual(44)
    expect(add!.height).toBeGreaterThanOrEqual(44)
    expect(add!.left).toBeGreaterThanOrEqual(0)
    expect(add!.right).toBeLessThanOrEqual(390)
    expect(add!.bottom).toBeLessThanOrEqual(844)
    // Nothing is drawn over the button (it is the topmost element at its centre) ...
    expect(await page.evaluate(() => {
      const b = document.querySelector('[data-testid=add-card]')!.getBoundingClientRect()
      return document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)?.closest('[data-testid=add-card]') !== null
    })).toBe(true)
    // ... and the button covers no map frame's header (its title and the map's header band, ~the frame's top 80 units).
    const headers = await page.evaluate(() => {
      const editor = window.__tavolo!.editor
      return editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'frame')
        .map((s) => {
          const b = editor.getShapePageBounds(s)!
          const tl = editor.pageToViewport({ x: b.minX, y: b.minY - 40 / editor.getZoomLevel() })
          const br = editor.pageToViewport({ x: b.maxX, y: b.minY + 80 })
          return { left: tl.x, top: tl.y, right: br.x, bottom: br.y, width: br.x - tl.x, height: br.y - tl.y }
        })
        .filter((r) => r.right > 0 && r.left < window.innerWidth && r.bottom > 0 && r.top < window.innerHeight)
    })
    expect(headers.length).toBeGreaterThan(0)
    for (const h of headers) expect(intersects(add!, h)).toBe(false)
    await screenshot(page, 'devices-add-card-phone-before-390x844.png')
    const id = await addCardWith(page, true, 'Dal telefono')
    // The card is in the view the person looks at.
    const onScreen = await page.evaluate((cardId) => {
      const editor = window.__tavolo!.editor
      const b = editor.getShapePageBounds(cardId as never)!
      const c = editor.pageToViewport(b.center)
      return c.x > 0 && c.x < window.innerWidth && c.y > 0 && c.y < window.innerHeight
    }, id)
    expect(onScreen).toBe(true)
    await screenshot(page, 'devices-add-card-phone-390x844.png')
  })
})

/** Shows the whole architecture map and waits for its «Aggiungi strumento». */
async function showArchitecture(page: Page): Promise<void> {
  await page.evaluate((id) => {
    const editor = window.__tavolo!.editor
    editor.zoomToBounds(editor.getShapePageBounds(id as never)!, { inset: 20, immediate: true })
  }, ARCHITECTURE_FRAME)
  await page.getByTestId('instrument-add').waitFor()
}

/** The type menu lies inside the window, and each of the seven types can be brought into it and is inside it then. */
async function menuOnScreen(page: Page, viewport: { width: number; height: number }): Promise<void> {
  const menu = await rectOf(page, '[data-testid=instrument-menu]')
  expect(menu).not.toBeNull()
  expect(menu!.left).toBeGreaterThanOrEqual(0)
  expect(menu!.top).toBeGreaterThanOrEqual(0)
  expect(menu!.right).toBeLessThanOrEqual(viewport.width)
  expect(menu!.bottom).toBeLessThanOrEqual(viewport.height)
  const types = page.getByTestId('instrument-menu').locator('.tavolo-instrument-adder-type')
  expect(await types.count()).toBe(7)
  for (let i = 0; i < 7; i++) {
    await types.nth(i).scrollIntoViewIfNeeded()
    const r = await types.nth(i).boundingBox()
    expect(r!.y).toBeGreaterThanOrEqual(menu!.top - 0.5)
    expect(r!.y + r!.height).toBeLessThanOrEqual(menu!.bottom + 0.5)
  }
}

async function openAndEscape(page: Page, viewport: { width: number; height: number }, shot: string): Promise<void> {
  await page.getByTestId('instrument-add').click()
  await page.getByTestId('instrument-menu').waitFor()
  await screenshot(page, shot)
  await menuOnScreen(page, viewport)
  await page.keyboard.press('Escape')
  await page.getByTestId('instrument-menu').waitFor({ state: 'detached' })
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('instrument-add')
  expect(await page.getByTestId('instrument-add').getAttribute('aria-expanded')).toBe('false')
}

describe('«Aggiungi strumento» (item 9)', () => {
  let fede: Page

  test('at 1366×768 the menu stays in the window with all seven types; Esc closes it and gives the focus back', async () => {
    fede = await person(meeting.links.facilitator, 'Federica', { width: 1366, height: 768 })
    await showArchitecture(fede)
    await openAndEscape(fede, { width: 1366, height: 768 }, 'devices-instrument-menu-1366x768.png')
    // With the button high in the window (the map's lower part in view), the menu opens below it, still inside.
    await fede.evaluate((id) => {
      const editor = window.__tavolo!.editor
      const b = editor.getShapePageBounds(id as never)!
      editor.zoomToBounds({ x: b.minX, y: b.maxY - 500, w: 1200, h: 500 }, { immediate: true })
    }, ARCHITECTURE_FRAME)
    await openAndEscape(fede, { width: 1366, height: 768 }, 'devices-instrument-menu-low-1366x768.png')
  })

  test('two new instruments get room of their own (no overlap with each other or any node), and an arrow between them has length and a visible label', async () => {
    await showArchitecture(fede)
    const frameH = () => fede.evaluate((id) => (window.__tavolo!.editor.getShape(id as never) as unknown as { props: { h: number } }).props.h, ARCHITECTURE_FRAME)
    const before = await frameH()
    const added: string[] = []
    for (const [type, text] of [['coordinamento', 'Tavolo di quartiere'], ['accordo', 'Patto di strada']] as const) {
      await showArchitecture(fede)
      await fede.getByTestId('instrument-add').click()
      await fede.getByTestId(`instrument-type-${type}`).click()
      await fede.waitForFunction(() => window.__tavolo!.editor.getEditingShapeId() !== null)
      added.push(await fede.evaluate(() => String(window.__tavolo!.editor.getEditingShapeId())))
      await fede.keyboard.type(text)
      await fede.keyboard.press('Escape')
      await fede.waitForFunction(() => window.__tavolo!.editor.getEditingShapeId() === null)
    }
    // The seed's map is full: the frame grew a row for them (MP15).
    expect(await frameH()).toBeGreaterThan(before)
    const boxes = await fede.evaluate((frameId) => {
      const editor = window.__tavolo!.editor
      return editor
        .getSortedChildIdsForParent(frameId as never)
        .map((id) => editor.getShape(id)!)
        .filter((s) => s.type === 'geo' && typeof s.meta.tavoloMapPart !== 'string')
        .map((s) => {
          const b = editor.getShapePageBounds(s)!
          return { id: String(s.id), x: b.x, y: b.y, w: b.w, h: b.h }
        })
    }, ARCHITECTURE_FRAME)
    const [a, b] = added.map((id) => boxes.find((x) => x.id === id)!)
    expect(a).toBeDefined()
    expect(b).toBeDefined()
    for (const n of [a!, b!]) {
      // A node's size, not a band across the map.
      expect(n.w).toBeLessThan(600)
      for (const o of boxes) {
        if (o.id === n.id) continue
        expect(n.x < o.x + o.w && o.x < n.x + n.w && n.y < o.y + o.h && o.y < n.y + n.h, `${n.id} over ${o.id}`).toBe(false)
      }
    }
    // An arrow from the first to the second, drawn with the arrow tool, labelled.
    await fede.evaluate(({ first, second }) => {
      const editor = window.__tavolo!.editor
      const u = editor.getShapePageBounds(first as never)!
      const v = editor.getShapePageBounds(second as never)!
      editor.zoomToBounds(u.clone().union(v).expandBy(120), { immediate: true })
    }, { first: a!.id, second: b!.id })
    const toScreen = (p: { x: number; y: number }) => fede.evaluate((q) => window.__tavolo!.editor.pageToViewport(q), p)
    const from = await toScreen({ x: a!.x + a!.w / 2, y: a!.y + a!.h / 2 })
    const to = await toScreen({ x: b!.x + b!.w / 2, y: b!.y + b!.h / 2 })
    await fede.getByTestId('tools.arrow').click()
    await fede.mouse.move(from.x, from.y)
    await fede.mouse.down()
    await fede.mouse.move(to.x, to.y, { steps: 15 })
    await fede.mouse.up()
    await fede.waitForFunction(() => window.__tavolo!.editor.getOnlySelectedShape()?.type === 'arrow')
    const arrowId = await fede.evaluate(() => String(window.__tavolo!.editor.getOnlySelectedShape()!.id))
    expect(await fede.evaluate((id) => window.__tavolo!.editor.getBindingsFromShape(id as never, 'arrow').map((x) => String(x.toId)).sort(), arrowId)).toEqual(
      [a!.id, b!.id].sort(),
    )
    await fede.keyboard.press('Enter')
    await fede.waitForFunction(() => window.__tavolo!.editor.getEditingShapeId() !== null)
    await fede.keyboard.type('convoca')
    await fede.keyboard.press('Escape')
    await fede.waitForFunction(() => window.__tavolo!.editor.getEditingShapeId() === null)
    const arrow = await fede.evaluate((id) => {
      const editor = window.__tavolo!.editor
      const geometry = editor.getShapeGeometry(id as never) as unknown as { children: Array<{ length: number }> }
      const label = document.querySelector(`.tl-shape[id="${id}"] .tl-rich-text, .tl-shape[data-shape-id="${id}"] .tl-rich-text`)
      const r = label?.getBoundingClientRect()
      return { length: geometry.children[0]!.length, label: label?.textContent ?? '', labelW: r?.width ?? 0, labelH: r?.height ?? 0 }
    }, arrowId)
    // Between the two nodes' facing sides: at least the layout's gap (130 units).
    expect(arrow.length).toBeGreaterThan(100)
    expect(arrow.label).toBe('convoca')
    expect(arrow.labelW).toBeGreaterThan(0)
    expect(arrow.labelH).toBeGreaterThan(0)
    await fede.evaluate(() => {
      window.__tavolo!.editor.selectNone()
    })
    await screenshot(fede, 'devices-instruments-added-1366x768.png')
  })

  test('at 390×844 (touch) the menu stays in the window too, and Esc closes it', async () => {
    const phone = await person(meeting.links.participant, 'Pia', { width: 390, height: 844 }, true)
    await showArchitecture(phone)
    await openAndEscape(phone, { width: 390, height: 844 }, 'devices-instrument-menu-390x844.png')
  })
})
