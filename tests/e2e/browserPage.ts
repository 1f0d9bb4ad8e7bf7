/**
 * E2E helpers: one fresh Chromium profile per simulated person, with every request recorded.
 *
 * Each person gets `chromium.launchPersistentContext(<fresh mkdtemp dir>)`: a separate browser process with its own
 * profile (localStorage, IndexedDB), so two pages behave like two people on two machines. Playwright does not
 * allow `--user-data-dir` in launch args; launchPersistentContext is its supported way to own the profile dir.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.ts'
// Brings in the type of window.__tavolo (the board's deliberate test/debug handle).
import type {} from '../../client/src/board/testHook.ts'

export const ARTIFACTS_DIR = 'test-artifacts'


export interface Person {
  name: string
  context: BrowserContext
  page: Page
  /** Every URL the profile requested (page and service worker: HTTP(S), WebSocket, blob), in order. */
  requests: string[]
  /** Uncaught page errors and console errors. */
  errors: string[]
  close(): Promise<void>
}

/** `device`: a phone (390×844, touch) or another viewport instead of the default 1280×800 desktop. */
export async function openPerson(
  name: string,
  device: { viewport?: { width: number; height: number }; hasTouch?: boolean; isMobile?: boolean } = {},
): Promise<Person> {
  const profileDir = mkdtempSync(join(tmpdir(), `tavolo-e2e-${name}-`))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 800 },
    locale: 'it-IT',
    ...device,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const requests: string[] = []
  const errors: string[] = []
  // Context-level: includes requests made by the service worker, not only by the page.
  context.on('request', (r) => requests.push(r.url()))
  page.on('websocket', (ws) => requests.push(ws.url()))
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  return {
    name,
    context,
    page,
    requests,
    errors,
    async close() {
      await context.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}

/** Answers the first-visit name dialog through the UI. */
export async function enterName(page: Page, name: string): Promise<void> {
  const dialog = page.getByTestId('name-dialog')
  await dialog.waitFor({ state: 'visible' })
  await dialog.locator('input').fill(name)
  await dialog.locator('button[type=submit]').click()
  await dialog.waitFor({ state: 'detached' })
}

/** Waits until the tldraw editor is mounted (window.__tavolo is set by the board page on mount). */
export async function waitForEditor(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean(window.__tavolo?.editor), null, { timeout: 20_000 })
}

export interface ShapeSummary {
  id: string
  type: string
  x: number
  y: number
  text: string
}

/** The shapes of the current page, with their plain text (read through the editor, not created through it). */
export async function shapesOn(page: Page): Promise<ShapeSummary[]> {
  return page.evaluate(() => {
    const editor = window.__tavolo?.editor
    if (!editor) return []
    return editor.getCurrentPageShapes().map((s) => ({
      id: s.id,
      type: s.type,
      x: s.x,
      y: s.y,
      text: editor.getShapeUtil(s).getText(s) ?? '',
    }))
  })
}

/** Creates a sticky note through the toolbar and types its text with the keyboard, like a person would. */
export async function createNoteThroughUi(page: Page, at: { x: number; y: number }, text: string): Promise<void> {
  await page.getByTestId('tools.note').click()
  await page.mouse.click(at.x, at.y)
  // The note tool opens the text editor of the new note at once.
  await page.waitForFunction(() => Boolean(window.__tavolo?.editor.getEditingShapeId()))
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => !window.__tavolo?.editor.getEditingShapeId())
}

export async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS_DIR, file) })
}

/** Origins of recorded requests that are not the app's own (data: URLs never touch the network). */
export function foreignRequests(requests: string[], appOrigin: string): string[] {
  return requests.filter((url) => {
    if (url.startsWith('data:')) return false
    const parsed = new URL(url)
    const origin = parsed.protocol === 'ws:' || parsed.protocol === 'wss:' ? `http${parsed.protocol.slice(2)}//${parsed.host}` : parsed.origin
    return origin !== appOrigin
  })
}

/** A box in page coordinates (tldraw's), e.g. a frame's bounds. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Waits until the page's viewport (page coordinates) contains the box. */
export async function waitForViewportContaining(page: Page, box: Box, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (b) => {
      const v = window.__tavolo?.editor.getViewportPageBounds()
      return v !== undefined && v.minX <= b.x + 1 && v.minY <= b.y + 1 && v.maxX >= b.x + b.w - 1 && v.maxY >= b.y + b.h - 1
    },
    box,
    { timeout },
  )
}

/**
 * Waits until an asynchronous condition holds in the page (IndexedDB, service workers). `page.waitForFunction` cannot:
 * it does not await a returned promise, and a promise is truthy, so it passes at once whatever the answer.
 */
export async function waitForAsyncCondition(
  page: Page,
  predicate: (arg: string | null) => Promise<boolean>,
  arg: string | null,
  what: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout
  // each evaluate is a round trip to the page: polling them is waiting for the condition, not a fixed sleep
  while (!(await page.evaluate(predicate, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await page.waitForTimeout(50)
  }
}
