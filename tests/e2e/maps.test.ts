/**
 * Issue 10 in real Chromium, against a server wired like `npm start`: a facilitator inserts the actor map; a
 * participant drags a card into a sector of a ring with the mouse and sees its badge; the card's meaning can be
 * set by hand; the board as text lists it. The steps run in order and share the browsers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { gridCellRect, polar } from '../../shared/src/maps/layout.ts'
import type { ActorsTemplate } from '../../shared/src/maps/templateSchema.ts'
import { createNoteThroughUi, enterName, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

let server: MeetingTestServer
let fede: Person // facilitator
let paolo: Person // participant
let links: { facilitator: string; participant: string }

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  ;[fede, paolo] = await Promise.all([openPerson('fede'), openPerson('paolo')])
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: '1° incontro della Equipe inter-servizio', reference: 'par-MEET-2025-09-622' }),
  })
  expect(response.status).toBe(201)
  const created = (await response.json()) as { meeting: { id: string }; links: typeof links }
  links = { facilitator: `${server.httpUrl}${created.links.facilitator}`, participant: `${server.httpUrl}${created.links.participant}` }
})

afterAll(async () => {
  await Promise.all([fede?.close(), paolo?.close()])
  await server?.close()
})

/** The actor map frame on the page (its id and page position), read through the editor. */
async function actorFrame(page: Page): Promise<{ id: string; x: number; y: number } | null> {
  return page.evaluate(() => {
    const editor = window.__tavolo!.editor
    const frame = editor.getCurrentPageShapes().find((s) => (s.meta as { tavoloMap?: { template?: string } }).tavoloMap?.template === 'actors')
    if (!frame) return null
    const b = editor.getShapePageBounds(frame)!
    return { id: frame.id, x: b.x, y: b.y }
  })
}

const actors = getTemplate('actors') as ActorsTemplate

/** The centre of the cell of (category, level) in the actor map's own coordinates, whichever layout it has. */
function actorCellCentre(category: string, level: string): { x: number; y: number } {
  const c = actors.categories.findIndex((o) => o.id === category)
  const l = actors.levels.findIndex((o) => o.id === level)
  const layout = actors.layout
  if (layout.type === 'grid') {
    const r = gridCellRect(layout, c, l)
    return { x: r.x + r.w / 2, y: r.y + r.h / 2 }
  }
  const sweep = 360 / actors.categories.length
  const radius = ((layout.radii[l] ?? 0) + (layout.radii[l + 1] ?? 0)) / 2
  return polar(layout, radius, layout.startAngle + (c + 0.5) * sweep)
}

/** Page point → screen point of the page (for page.mouse). */
async function toScreen(page: Page, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate((q) => window.__tavolo!.editor.pageToScreen(q), p)
}

/** A screen point over empty canvas (no shape under it), away from tldraw's panels. */
async function emptyScreenPoint(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const editor = window.__tavolo!.editor
    const screen = editor.getViewportScreenBounds()
    for (let y = screen.h * 0.2; y < screen.h * 0.85; y += 40) {
      for (let x = screen.w * 0.25; x < screen.w * 0.75; x += 40) {
        const p = editor.screenToPage({ x: screen.x + x, y: screen.y + y })
        if (!editor.getShapeAtPoint(p, { hitInside: true, margin: 20 })) return { x: screen.x + x, y: screen.y + y }
      }
    }
    throw new Error('no empty spot on screen')
  })
}

/**
 * Drags a shape by its centre to a page point with the real mouse, in small steps as a hand would. A click on
 * empty canvas first, so the press is never read as the second click of a double click (which edits the text).
 */
async function dragShapeTo(page: Page, shapeId: string, target: { x: number; y: number }): Promise<void> {
  const empty = await emptyScreenPoint(page)
  await page.mouse.click(empty.x, empty.y)
  const centre = await page.evaluate((id) => window.__tavolo!.editor.getShapePageBounds(id as never)!.center, shapeId)
  const from = await toScreen(page, centre)
  const to = await toScreen(page, target)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(from.x + 10, from.y + 10, { steps: 3 })
  await page.mouse.move(to.x, to.y, { steps: 20 })
  await page.mouse.up()
  await page.waitForFunction(() => window.__tavolo!.editor.isIn('select.idle'))
}

function parentOf(id: string): string {
  const shape = window.__tavolo!.editor.getShape(id as never)
  return shape ? String(shape.parentId) : ''
}

async function cardIdByText(page: Page, text: string): Promise<string> {
  return page.evaluate((t) => {
    const editor = window.__tavolo!.editor
    return editor.getCurrentPageShapes().find((s) => editor.getShapeUtil(s).getText(s) === t)!.id
  }, text)
}

/** Selects a shape with a real click on its centre. */
async function selectByClick(page: Page, shapeId: string): Promise<void> {
  const centre = await page.evaluate((id) => window.__tavolo!.editor.getShapePageBounds(id as never)!.center, shapeId)
  const at = await toScreen(page, centre)
  await page.keyboard.press('Escape')
  await page.mouse.click(at.x, at.y)
  await page.waitForFunction((id) => window.__tavolo!.editor.getSelectedShapeIds().join() === id, shapeId)
}

describe('maps in the browser', () => {
  test('the facilitator inserts the actor map from the bar: one frame, its structure locked, in view', async () => {
    await fede.page.goto(links.facilitator)
    await enterName(fede.page, 'Federica')
    await waitForEditor(fede.page)
    await fede.page.getByTestId('maps-insert').click()
    await fede.page.getByTestId('maps-insert-actors').click()
    await fede.page.getByText('Mappa inserita: «Mappa degli attori»').waitFor()
    const frame = await actorFrame(fede.page)
    expect(frame).not.toBeNull()
    await screenshot(fede.page, 'maps-actors-facilitator.png')
  })

  test('a participant drags a card into «Reti solidali attive» × «Nucleo fondativo» with the mouse and sees its badge', async () => {
    await paolo.page.goto(links.participant)
    await enterName(paolo.page, 'Paolo')
    await waitForEditor(paolo.page)
    await paolo.page.waitForFunction(() => window.__tavolo!.editor.getCurrentPageShapes().some((s) => s.type === 'frame'))
    const frame = (await actorFrame(paolo.page))!
    // Setup, not under test: a view with the map on the left and free space on its right.
    await paolo.page.evaluate((f) => {
      window.__tavolo!.editor.zoomToBounds({ x: f.x, y: f.y, w: f.w + 700, h: f.h }, { inset: 20 })
    }, { ...frame, w: actors.size.w, h: actors.size.h })
    const free = await toScreen(paolo.page, { x: frame.x + actors.size.w + 300, y: frame.y + actors.size.h - 250 })
    await createNoteThroughUi(paolo.page, free, 'Gruppo CIVIVO Borgo')
    const cardId = await paolo.page.evaluate(() => {
      const editor = window.__tavolo!.editor
      return editor.getCurrentPageShapes().find((s) => editor.getShapeUtil(s).getText(s) === 'Gruppo CIVIVO Borgo')!.id
    })
    expect(await paolo.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"]`).count()).toBe(0)

    const cell = actorCellCentre('reti-solidali', 'nucleo-fondativo')
    await dragShapeTo(paolo.page, cardId, { x: frame.x + cell.x, y: frame.y + cell.y })
    const badge = paolo.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"]`)
    await badge.waitFor()
    expect(await badge.textContent()).toBe('Reti solidali attiveNucleo fondativo')
    expect(await badge.getAttribute('data-manual')).toBe('false')
    // The card became the frame's child (tldraw's own drop), so it moves with the map.
    const parentId = await paolo.page.evaluate<string, string>(parentOf, cardId)
    expect(parentId).toBe(frame.id)
    // The facilitator sees the same badge (the same shared function, over the synced records).
    await fede.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"]`).waitFor()
    await screenshot(paolo.page, 'maps-actors-participant-badge.png')
  })

  test('the card’s level can be chosen by hand, which wins over the position, and given back to the position', async () => {
    const cardId = await cardIdByText(paolo.page, 'Gruppo CIVIVO Borgo')
    const badge = paolo.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"]`)
    await selectByClick(paolo.page, cardId)
    await paolo.page.getByTestId('card-meaning-open').click()
    const panel = paolo.page.getByTestId('card-meaning-panel')
    await panel.waitFor()
    // "Automatico" says what the position gives.
    expect(await panel.getByTestId('card-meaning-level').locator('option').first().textContent()).toBe('Automatico (dalla posizione): Nucleo fondativo')
    await panel.getByTestId('card-meaning-level').selectOption('allargamento-strategico')
    await paolo.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"][data-manual=true]`).waitFor()
    expect(await badge.textContent()).toBe('✎ Reti solidali attiveAllargamento strategico')
    const metaOf = (id: string): Promise<string> => paolo.page.evaluate((i) => JSON.stringify(window.__tavolo!.editor.getCurrentPageShapes().find((s) => s.id === i)?.meta), id)
    expect(JSON.parse(await metaOf(cardId))).toEqual({ tavoloMap: { level: 'allargamento-strategico' } })
    // The facilitator's editor reads the same override.
    await fede.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"][data-manual=true]`).waitFor()
    await screenshot(paolo.page, 'maps-actors-override.png')
    await panel.getByTestId('card-meaning-level').selectOption('')
    await paolo.page.locator(`[data-testid=map-badge][data-shape-id="${cardId}"][data-manual=false]`).waitFor()
    expect(await badge.textContent()).toBe('Reti solidali attiveNucleo fondativo')
    expect(JSON.parse(await metaOf(cardId))).toEqual({})
    await paolo.page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
  })

  test('the board as text: a skip link first on the page opens it; the card is listed under its category with its level, and «Mostra» moves the view to it', async () => {
    const cardId = await cardIdByText(paolo.page, 'Gruppo CIVIVO Borgo')
    // On a freshly opened page the first Tab stop is the skip link, before tldraw's menus.
    await paolo.page.reload()
    await waitForEditor(paolo.page)
    await paolo.page.waitForFunction((id) => window.__tavolo!.editor.getShape(id as never) !== undefined, cardId)
    await paolo.page.keyboard.press('Tab')
    expect(await paolo.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('board-text-skip')
    await paolo.page.keyboard.press('Enter')
    const panel = paolo.page.getByTestId('board-text')
    await panel.waitFor()
    // The focus moves to the panel's heading (a screen reader reads it first).
    expect(await paolo.page.evaluate(() => document.activeElement?.tagName + ':' + document.activeElement?.textContent)).toBe('H2:Testo della lavagna')
    const map = panel.locator('[data-testid=board-text-map][data-template=actors]')
    expect(await map.locator('h3').textContent()).toBe('Mappa degli attori')
    const heading = map.getByRole('heading', { level: 4, name: 'Reti solidali attive' })
    await heading.waitFor()
    const item = map.locator(`[data-testid=board-text-card][data-shape-id="${cardId}"]`)
    expect(await item.locator('.tavolo-board-text-card').textContent()).toBe('Gruppo CIVIVO Borgo')
    expect(await item.textContent()).toContain('(Nucleo fondativo)')
    // The card is listed in the category's list, right after its heading.
    expect(await heading.evaluate((h, id) => h.nextElementSibling?.querySelector(`[data-shape-id="${id}"]`) !== null, cardId)).toBe(true)
    await screenshot(paolo.page, 'maps-board-text.png')

    // Move the view far away, then «Mostra sulla lavagna» brings the card back into view and selects it.
    await paolo.page.evaluate(() => {
      window.__tavolo!.editor.setCamera({ x: 20000, y: 20000, z: 1 })
    })
    await item.getByRole('button', { name: 'Mostra sulla lavagna: Gruppo CIVIVO Borgo' }).click()
    await paolo.page.waitForFunction((id) => {
      const editor = window.__tavolo!.editor
      const b = editor.getShapePageBounds(id as never)!
      return editor.getViewportPageBounds().contains(b) && editor.getSelectedShapeIds().join() === id
    }, cardId)
    // It follows the board live: a new card on no map appears under «Altri contenuti».
    await paolo.page.evaluate(() => {
      window.__tavolo!.editor.setCamera({ x: -20000, y: -20000, z: 1 })
    })
    await createNoteThroughUi(paolo.page, { x: 300, y: 400 }, 'Idea libera')
    await panel.getByTestId('board-text-others').getByText('Idea libera').waitFor()
    // Esc closes it.
    await panel.getByTestId('board-text-close').focus()
    await paolo.page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
  })

  test('a participant cannot take hold of the map: the frame is not selectable and does not move under a drag', async () => {
    const frame = (await actorFrame(paolo.page))!
    // The frame's title label is where tldraw lets one grab a frame.
    const label = await toScreen(paolo.page, { x: frame.x + 40, y: frame.y - 12 })
    await paolo.page.mouse.move(label.x, label.y)
    await paolo.page.mouse.down()
    await paolo.page.mouse.move(label.x + 150, label.y + 120, { steps: 10 })
    await paolo.page.mouse.up()
    const after = (await actorFrame(paolo.page))!
    expect({ x: after.x, y: after.y }).toEqual({ x: frame.x, y: frame.y })
    expect(await paolo.page.evaluate(() => window.__tavolo!.editor.getSelectedShapeIds())).not.toContain(frame.id)
    // Select all + Delete takes only what is free: the map and its structure stay.
    await paolo.page.locator('.tl-canvas').click({ position: { x: 640, y: 700 } })
    await paolo.page.keyboard.press('Control+a')
    const selected = await paolo.page.evaluate(() => window.__tavolo!.editor.getSelectedShapeIds())
    expect(selected).not.toContain(frame.id)
    await paolo.page.keyboard.press('Escape')
  })
})
