/**
 * Issue 8: the Content-Security-Policy (server/src/http/securityHeaders.ts) is one the app and tldraw really satisfy.
 * In real Chromium, against a server wired like `npm start`: the staff link, the home page, creating a meeting, a
 * board (draw, a note, a pasted image, the share panel with its QR code) and the projector report no
 * `securitypolicyviolation` event and no CSP console error. A deliberate violation at the end proves the listener
 * would have caught one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { staffLink } from '../../server/src/http/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { createNoteThroughUi, enterName, openPerson, shapesOn, waitForEditor, type Person } from './browserPage.ts'

declare global {
  interface Window {
    __cspViolations?: string[]
  }
}

let server: MeetingTestServer
let fede: Person
let wall: Person
const consoleCsp: string[] = []

/** Records every CSP violation the page reports, from the first script on (before the app's own). */
async function watchCsp(person: Person): Promise<void> {
  await person.context.addInitScript(() => {
    window.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations!.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`)
    })
  })
  person.page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleCsp.push(`${person.name}: ${m.text()}`)
  })
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__cspViolations ?? [])
}

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  ;[fede, wall] = await Promise.all([openPerson('csp-fede'), openPerson('csp-wall')])
  await Promise.all([watchCsp(fede), watchCsp(wall)])
})

afterAll(async () => {
  await Promise.all([fede?.close(), wall?.close()])
  await server?.close()
})

test('home page, board (draw, note, image, share panel with QR) and projector: no CSP violation', async () => {
  const page = fede.page
  const response = await page.goto(staffLink(server.httpUrl, TEST_STAFF_TOKEN))
  const csp = response!.headers()['content-security-policy']
  expect(csp).toContain("script-src 'self';")
  await page.getByRole('heading', { name: 'Incontri' }).waitFor()
  expect(await violations(page)).toEqual([])

  await page.goto(server.httpUrl)
  await page.getByLabel('Titolo dell’incontro').fill('Incontro sotto CSP')
  await page.getByTestId('create-submit').click()
  await page.waitForURL(/\/board\/[A-Za-z0-9_-]{16}#k=/)
  await enterName(page, 'Federica')
  await waitForEditor(page)
  const panel = page.getByTestId('share-panel')
  await panel.getByTestId('qr-code').waitFor()
  const projectorLink = await page.getByTestId('share-projector-link').inputValue()
  await panel.getByRole('button', { name: 'Chiudi' }).click()
  await panel.waitFor({ state: 'detached' })

  // Draw a stroke with the pen, like a person.
  await page.getByTestId('tools.draw').click()
  await page.mouse.move(300, 300)
  await page.mouse.down()
  for (let i = 1; i <= 10; i++) await page.mouse.move(300 + i * 20, 300 + (i % 2) * 30)
  await page.mouse.up()
  await page.waitForFunction(() => window.__tavolo!.editor.getCurrentPageShapes().some((s) => s.type === 'draw'))
  await page.getByTestId('tools.select').click()
  await createNoteThroughUi(page, { x: 700, y: 400 }, 'Una nota')
  // An image as a person pastes or drops it: tldraw turns the file into an asset and draws it (data:/blob: URLs).
  await page.evaluate(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 40
    canvas.height = 30
    const ctx = canvas.getContext('2d')!
    ctx.fillStyle = '#c33'
    ctx.fillRect(0, 0, 40, 30)
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'))
    const editor = window.__tavolo!.editor
    await editor.putExternalContent({ type: 'files', files: [new File([blob], 'foto.png', { type: 'image/png' })], point: { x: 500, y: 150 } })
  })
  await page.waitForFunction(() => window.__tavolo!.editor.getCurrentPageShapes().some((s) => s.type === 'image'))
  await page.locator('.tl-image').first().waitFor()
  expect((await shapesOn(page)).map((s) => s.type).sort()).toEqual(['draw', 'image', 'note'])
  // Reopen the share panel from its button: the QR code again.
  await page.getByTestId('lead-share').click()
  await panel.getByTestId('qr-code').waitFor()

  await wall.page.goto(projectorLink)
  await waitForEditor(wall.page)
  await wall.page.getByTestId('projector-chrome').waitFor()
  await wall.page.waitForFunction(() => window.__tavolo!.editor.getCurrentPageShapes().length === 3)
  await wall.page.locator('.tl-image').first().waitFor()

  expect(await violations(page)).toEqual([])
  expect(await violations(wall.page)).toEqual([])
  expect(consoleCsp).toEqual([])

  // The listener is live: an image from another origin is refused by img-src before any request leaves.
  await page.evaluate(() => {
    const img = new Image()
    img.src = 'http://127.0.0.2:9/refused.png'
    document.body.append(img)
  })
  await page.waitForFunction(() => (window.__cspViolations ?? []).length > 0)
  expect((await violations(page))[0]).toMatch(/^img-src blocked http:\/\/127\.0\.0\.2:9\/refused\.png/)
})
