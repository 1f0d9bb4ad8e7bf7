/**
 * Issue 19 item 15 in real Chromium (maps SPEC MP16): a facilitator at 1366×768 edits the locked central question and
 * a header of the seed's issue map in place, with a double click; nothing is unlocked, no stray text box appears, the
 * participant's phone (390×844) sees the new question, Esc cancels, an empty text is refused. The seed's question is
 * the issues template's default.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { BoardId } from '../../shared/src/boardId.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { enterName, screenshot, waitForEditor } from './browserPage.ts'

const SEED = buildSeedBoard('final') as unknown as Array<BoardRecord & { meta?: Record<string, unknown>; parentId?: string }>
const QUESTION = SEED.find((r) => r.meta?.tavoloMapPart === 'question' && r.parentId === 'shape:demo-issues')!.id
const FACET = SEED.find((r) => r.meta?.tavoloMapPart === 'facet' && r.parentId === 'shape:demo-issues')!.id

let server: MeetingTestServer
let browser: Browser
let meeting: CreateMeetingResponse
const contexts: BrowserContext[] = []
let fede: Page
let pia: Page

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
  const res = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Testi bloccati' }),
  })
  meeting = (await res.json()) as CreateMeetingResponse
  await server.server.rooms.withBoardDoc(meeting.meeting.id as string as BoardId, (doc) => {
    doc.transact(() => writeBoardRecords(doc, SEED, serverSerializedSchema()), { kind: 'server', reason: 'demo' })
  })
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

const textOf = (page: Page, id: string) =>
  page.evaluate((shapeId) => {
    const shape = window.__tavolo!.editor.getShape(shapeId as never) as { props: { richText?: { content?: Array<{ content?: Array<{ text?: string }> }> } } } | undefined
    return (shape?.props.richText?.content ?? []).map((p) => (p.content ?? []).map((t) => t.text ?? '').join('')).join('\n')
  }, id)
const lockOf = (page: Page, id: string) =>
  page.evaluate((shapeId) => {
    const shape = window.__tavolo!.editor.getShape(shapeId as never)
    return { isLocked: shape?.isLocked, tavoloLocked: (shape?.meta as { tavoloLocked?: unknown } | undefined)?.tavoloLocked }
  }, id)
const shapeCount = (page: Page) => page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapeIds().size)

/** Brings a shape into view and answers the screen point at its centre (a little below, away from its top edge). */
async function centreOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate((shapeId) => {
    const editor = window.__tavolo!.editor
    const b = editor.getShapePageBounds(shapeId as never)!
    editor.zoomToBounds({ x: b.x - 100, y: b.y - 100, w: b.w + 200, h: b.h + 600 }, { animation: { duration: 0 } })
    editor.selectNone()
    return editor.pageToScreen({ x: b.x + b.w / 2, y: b.y + b.h / 2 })
  }, id)
}

describe('a facilitator edits the locked texts of a map directly (item 15)', () => {
  test('the seed question is the template default, and a double click on it opens it for editing without a stray text box', async () => {
    expect(getTemplate('issues')?.kind === 'issues' && getTemplate('issues')).toMatchObject({ question: { it: "Qual è l'identità dell'Opificio di Comunità?" } })
    fede = await person({ width: 1366, height: 768 })
    pia = await person({ width: 390, height: 844 }, true)
    await fede.goto(`${server.httpUrl}${meeting.links.facilitator}`)
    await enterName(fede, 'Federica')
    await pia.goto(`${server.httpUrl}${meeting.links.participant}`)
    await enterName(pia, 'Pia')
    await Promise.all([waitForEditor(fede), waitForEditor(pia)])
    await fede.waitForFunction((id) => Boolean(window.__tavolo!.editor.getShape(id as never)), QUESTION)
    expect(await textOf(fede, QUESTION)).toBe("Qual è l'identità dell'Opificio di Comunità?")
    await screenshot(fede, 'locked-texts-before-1366x768.png')

    const shapes = await shapeCount(fede)
    const at = await centreOf(fede, QUESTION)
    await fede.mouse.dblclick(at.x, at.y)
    const box = fede.getByTestId('locked-text-editor')
    await box.waitFor()
    // the box sits over the question, and tldraw made nothing (no text box, no editing of another shape)
    expect(await shapeCount(fede)).toBe(shapes)
    expect(await fede.evaluate(() => window.__tavolo!.editor.getEditingShapeId())).toBeNull()
    expect(await fede.getByTestId('locked-text-input').inputValue()).toBe("Qual è l'identità dell'Opificio di Comunità?")
    const r = (await box.boundingBox())!
    expect(r.x).toBeGreaterThanOrEqual(0)
    expect(r.x + r.width).toBeLessThanOrEqual(1366)
    expect(Math.abs(r.y - at.y)).toBeLessThan(300)
    await screenshot(fede, 'locked-texts-editing-1366x768.png')

    await fede.getByTestId('locked-text-input').fill('Che cosa vogliamo che diventi l’Opificio?')
    await fede.keyboard.press('Enter')
    await box.waitFor({ state: 'detached' })
    expect(await textOf(fede, QUESTION)).toBe('Che cosa vogliamo che diventi l’Opificio?')
    // still locked for participants, never unlocked on the way
    expect(await lockOf(fede, QUESTION)).toEqual({ isLocked: true, tavoloLocked: true })
    expect(await shapeCount(fede)).toBe(shapes)
    // the phone sees the new question, and the server kept it (the lock guard trusts the facilitator)
    await expect.poll(() => textOf(pia, QUESTION), { timeout: 5000 }).toBe('Che cosa vogliamo che diventi l’Opificio?')
    expect(await lockOf(pia, QUESTION)).toEqual({ isLocked: true, tavoloLocked: true })
    await pia.evaluate((id) => {
      const editor = window.__tavolo!.editor
      editor.zoomToBounds(editor.getShapePageBounds(id as never)!, { animation: { duration: 0 } })
    }, QUESTION)
    await screenshot(pia, 'locked-texts-after-phone-390x844.png')
    await screenshot(fede, 'locked-texts-after-1366x768.png')
  })

  test('a header is edited the same way; Esc cancels and an empty text is refused', async () => {
    const before = await textOf(fede, FACET)
    const at = await centreOf(fede, FACET)
    // the facet's header sits at its top; the cards fill the rest: aim at the header line
    const header = await fede.evaluate((id) => {
      const editor = window.__tavolo!.editor
      const b = editor.getShapePageBounds(id as never)!
      return editor.pageToScreen({ x: b.x + b.w / 2, y: b.y + 40 })
    }, FACET)
    expect(header.y).toBeLessThan(at.y)
    await fede.mouse.dblclick(header.x, header.y)
    const input = fede.getByTestId('locked-text-input')
    await input.waitFor()
    expect(await input.inputValue()).toBe(before)
    await input.fill('Nuova intestazione')
    await fede.keyboard.press('Escape')
    await fede.getByTestId('locked-text-editor').waitFor({ state: 'detached' })
    expect(await textOf(fede, FACET)).toBe(before)

    // after an edit nothing is selected: a second double click edits again, once tldraw's click counter has settled
    // (a double click within its multi-click window would count as a third and fourth click)
    await fede.waitForFunction(() => (window.__tavolo!.editor as unknown as { _clickManager: { clickState: string } })._clickManager.clickState === 'idle')
    await fede.mouse.dblclick(header.x, header.y)
    await input.waitFor()
    await input.fill('   ')
    await fede.keyboard.press('Enter')
    expect(await fede.getByTestId('locked-text-editor').textContent()).toContain('Il testo non può restare vuoto.')
    await input.fill('Definizione sociale\nIl progetto come comunità')
    await fede.keyboard.press('Enter')
    await fede.getByTestId('locked-text-editor').waitFor({ state: 'detached' })
    expect(await textOf(fede, FACET)).toBe('Definizione sociale\nIl progetto come comunità')
    expect(await lockOf(fede, FACET)).toEqual({ isLocked: true, tavoloLocked: true })
  })

  test('a participant cannot: a double tap on the locked question opens nothing', async () => {
    const point = await centreOf(pia, QUESTION)
    const shapes = await shapeCount(pia)
    await pia.touchscreen.tap(point.x, point.y)
    await pia.touchscreen.tap(point.x, point.y)
    expect(await pia.getByTestId('locked-text-editor').count()).toBe(0)
    expect(await textOf(pia, QUESTION)).toBe('Che cosa vogliamo che diventi l’Opificio?')
    expect(await shapeCount(pia)).toBe(shapes)
  })
})

/**
 * Every padlock box against every text's range boxes (card texts, map questions and headers, frame titles), as the
 * browser laid them out. Returns one line per overlap.
 */
function padlocksOverText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = (el: Element) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
    }
    const texts = [...document.querySelectorAll('.tl-rich-text, .tl-frame-heading, .tl-text-label__inner, .tl-text-content')]
    const out: string[] = []
    for (const badge of document.querySelectorAll('[data-testid=lock-badge]')) {
      const b = badge.getBoundingClientRect()
      if (b.right < 0 || b.bottom < 0 || b.left > window.innerWidth || b.top > window.innerHeight) continue
      for (const text of texts) {
        for (const r of boxes(text)) {
          if (b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom) {
            out.push(`${badge.getAttribute('data-shape-id')} over «${(text.textContent ?? '').slice(0, 40)}»`)
            break
          }
        }
      }
    }
    return out
  })
}

describe('padlocks never cover text (item 17)', () => {
  const SIZES = [
    { name: 'phone', viewport: { width: 390, height: 844 }, touch: true },
    { name: 'laptop', viewport: { width: 1366, height: 768 }, touch: false },
    { name: 'projector', viewport: { width: 1920, height: 1080 }, touch: false },
  ]
  for (const size of SIZES) {
    test(`at ${size.viewport.width}×${size.viewport.height}, each map fitted and the whole board: no padlock box meets a text's boxes`, async () => {
      const page = await person(size.viewport, size.touch)
      await page.goto(`${server.httpUrl}${meeting.links.viewer}`)
      await waitForEditor(page)
      await page.waitForFunction(() => window.__tavolo?.session.provider.synced === true)
      const frames: string[] = await page.evaluate(() =>
        window.__tavolo!.editor
          .getCurrentPageShapes()
          .filter((s) => s.type === 'frame' && String(s.parentId).startsWith('page:'))
          .map((s) => String(s.id)),
      )
      expect(frames.length).toBeGreaterThan(0)
      const views: Array<string | null> = [...frames, null]
      for (const frame of views) {
        await page.evaluate((id) => {
          const editor = window.__tavolo!.editor
          if (id === null) editor.zoomToFit({ animation: { duration: 0 } })
          else editor.zoomToBounds(editor.getShapePageBounds(id as never)!, { animation: { duration: 0 }, inset: 24 })
        }, frame)
        await page.waitForFunction(() => document.querySelectorAll('[data-testid=lock-badge]').length > 0)
        // two frames: the badges follow the camera in the next render
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
        const over = await padlocksOverText(page)
        if (over.length > 0) await screenshot(page, `padlock-over-text-${size.name}-${frame ?? 'board'}.png`)
        expect(over, `${size.name}, ${frame ?? 'whole board'}`).toEqual([])
      }
      await page.evaluate((id) => {
        window.__tavolo!.editor.zoomToBounds(window.__tavolo!.editor.getShapePageBounds(id as never)!, { animation: { duration: 0 }, inset: 24 })
      }, frames[0]!)
      await screenshot(page, `padlock-${size.name}-${size.viewport.width}x${size.viewport.height}.png`)
    })
  }
})
