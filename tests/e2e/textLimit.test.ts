/**
 * Issue 19 item 14: a 20,280-character paste into a card. The writer's board keeps 1,000 characters and says so;
 * everyone else gets the same 1,000.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { enterName, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

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
