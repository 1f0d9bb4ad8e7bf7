/**
 * Issue 19 item 14: a 20,280-character paste into a card. The writer's board keeps 1,000 characters and says so;
 * everyone else gets the same 1,000.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { enterName, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { gridCellRect } from '../../shared/src/maps/layout.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'

let server: MeetingTestServer
let fede: Person
let paolo: Person
let links: { facilitator: string; participant: string }

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  ;[fede, paolo] = await Promise.all([openPerson('fede'), openPerson('paolo')])
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Testi lunghi' }),
  })
  const created = (await response.json()) as { links: { facilitator: string; participant: string } }
  links = { facilitator: `${server.httpUrl}${created.links.facilitator}`, participant: `${server.httpUrl}${created.links.participant}` }
})

afterAll(async () => {
  await Promise.all([fede?.close(), paolo?.close()])
  await server?.close()
})

const PASTE = 'Testo incollato da un documento, riga dopo riga. '.repeat(414).slice(0, 20_280)

function textLengths(page: Person['page']): Promise<number[]> {
  return page.evaluate(() => {
    const editor = window.__tavolo!.editor
    return editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note')
      .map((s) => editor.getShapeUtil(s).getText(s)?.length ?? 0)
  })
}

describe('a card holds at most 1,000 characters', () => {
  test('a participant pastes 20,280 characters into a card: 1,000 stay, a notice says so, the facilitator sees 1,000', async () => {
    await fede.page.goto(links.facilitator)
    await enterName(fede.page, 'Federica')
    await paolo.page.setViewportSize({ width: 390, height: 844 })
    await paolo.page.goto(links.participant)
    await enterName(paolo.page, 'Paolo')
    await Promise.all([waitForEditor(fede.page), waitForEditor(paolo.page)])

    await paolo.page.getByTestId('tools.note').click()
    await paolo.page.mouse.click(195, 400)
    await paolo.page.waitForFunction(() => Boolean(window.__tavolo?.editor.getEditingShapeId()))
    // a paste is one insertion of the whole text, as the clipboard gives it
    await paolo.page.keyboard.insertText(PASTE)
    await paolo.page.getByTestId('text-limit-notice').waitFor()
    expect(await paolo.page.getByTestId('text-limit-notice').textContent()).toContain('al massimo 1000 caratteri')
    await paolo.page.keyboard.press('Escape')
    await expect.poll(() => textLengths(paolo.page)).toEqual([1000])
    await expect.poll(() => textLengths(fede.page), { timeout: 10_000 }).toEqual([1000])
    const height = await paolo.page.evaluate(() => {
      const editor = window.__tavolo!.editor
      const note = editor.getCurrentPageShapes().find((s) => s.type === 'note')!
      return editor.getShapePageBounds(note)!.h
    })
    // measured for the report: 46,832 units before (20,280 characters); a 1,000-character card is a fraction of it
    console.info(`[textLimit e2e] card height after the paste: ${Math.round(height)} units`)
    expect(height).toBeLessThan(5000)
    await screenshot(paolo.page, 'text-limit-phone.png')
  })
})

describe('a card pasted full stays in its map cell (item 14, maps SPEC MP17)', () => {
  test('a participant pastes 20,280 characters into a card put in a cell of the actor map: the card ends inside that cell, on both boards', async () => {
    const response = await fetch(`${server.httpUrl}/api/meetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...STAFF_AUTH },
      body: JSON.stringify({ title: 'Testi lunghi nelle mappe' }),
    })
    const created = (await response.json()) as { meeting: { id: string }; links: { participant: string; facilitator: string } }
    await server.server.rooms.withBoardDoc(created.meeting.id as string as BoardId, (doc) => {
      doc.transact(() => writeBoardRecords(doc, buildSeedBoard('final') as unknown as BoardRecord[], serverSerializedSchema()), { kind: 'server', reason: 'demo' })
    })
    const t = getTemplate('actors')!
    if (t.kind !== 'actors' || t.layout.type !== 'grid') throw new Error('actors grid')
    const local = gridCellRect(t.layout, 4, 2)
    const page = paolo.page
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${server.httpUrl}${created.links.participant}`)
    await waitForEditor(page)
    await page.waitForFunction(() => window.__tavolo?.session.provider.synced === true)
    const cell = await page.evaluate((r) => {
      const editor = window.__tavolo!.editor
      const frame = editor.getShapePageBounds('shape:demo-actors' as never)!
      const box = { x: frame.x + r.x, y: frame.y + r.y, w: r.w, h: r.h }
      editor.zoomToBounds(box, { inset: 40, animation: { duration: 0 } })
      const at = editor.pageToScreen({ x: box.x + box.w - 130, y: box.y + box.h - 120 })
      return { ...box, clickX: at.x, clickY: at.y }
    }, local)
    const before = await page.evaluate(() => new Set(window.__tavolo!.editor.getCurrentPageShapeIds()).size)
    await page.getByTestId('tools.note').click()
    await page.mouse.click(cell.clickX, cell.clickY)
    await page.waitForFunction(() => Boolean(window.__tavolo?.editor.getEditingShapeId()))
    const id: string = await page.evaluate(() => String(window.__tavolo!.editor.getEditingShapeId()))
    await page.keyboard.insertText(PASTE)
    await page.getByTestId('text-limit-notice').waitFor()
    await page.keyboard.press('Escape')
    expect(await page.evaluate(() => new Set(window.__tavolo!.editor.getCurrentPageShapeIds()).size)).toBe(before + 1)
    type Placed = { x: number; y: number; w: number; h: number; parent: string; text: number } | null
    const boundsOn = (p: Person['page']): Promise<Placed> =>
      p.evaluate((shapeId: string): Placed => {
        const editor = window.__tavolo!.editor
        const shape = editor.getShape(shapeId as never)
        const b = shape ? editor.getShapePageBounds(shape) : null
        if (!shape || !b) return null
        return { x: b.x, y: b.y, w: b.w, h: b.h, parent: String(shape.parentId), text: editor.getShapeUtil(shape).getText(shape)?.length ?? 0 }
      }, String(id))
    const within = (b: { x: number; y: number; w: number; h: number } | null) =>
      b !== null && b.x >= cell.x - 0.5 && b.y >= cell.y - 0.5 && b.x + b.w <= cell.x + cell.w + 0.5 && b.y + b.h <= cell.y + cell.h + 0.5
    await expect.poll(async () => within(await boundsOn(page)), { timeout: 5000 }).toBe(true)
    const mine = (await boundsOn(page))!
    expect(mine.parent).toBe('shape:demo-actors')
    expect(mine.text).toBe(1000)
    console.info(`[textLimit e2e] card in the cell after the paste: ${Math.round(mine.w)} × ${Math.round(mine.h)} units (cell ${cell.w} × ${cell.h})`)
    await screenshot(page, 'text-limit-cell-1366x768.png')
    // The facilitator's board gets the same fitted card.
    await fede.page.goto(`${server.httpUrl}${created.links.facilitator}`)
    await waitForEditor(fede.page)
    await expect.poll(async () => within(await boundsOn(fede.page)), { timeout: 10_000 }).toBe(true)
  })
})
