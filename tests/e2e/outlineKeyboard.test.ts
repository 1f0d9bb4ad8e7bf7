// Contributing from "Testo della lavagna" by keyboard only (client/src/maps SPEC C9; shared/src/maps SPEC MP10):
// a participant on the seed demo board adds an actor to a cell, moves it, edits its text. A stock y-websocket
// client and the report JSON see the card in the right cell each time. No mouse event is ever dispatched.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type * as Y from 'yjs'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { connectBoard, type BoardClient } from '../integration/meetingServer.ts'
import { openPerson, waitForEditor, type Person } from './browserPage.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { BoardIndex } from '../../shared/src/maps/meaning.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'

let server: MeetingTestServer
let paolo: Person
let observer: BoardClient
let meetingId: string
let keys: { facilitator: string; participant: string; viewer: string }
let participantLink: string

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  paolo = await openPerson('paolo')
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: '1° incontro della Equipe inter-servizio', reference: 'par-MEET-2025-09-622' }),
  })
  expect(response.status).toBe(201)
  const created = (await response.json()) as { meeting: { id: string }; keys: typeof keys; links: { participant: string } }
  meetingId = created.meeting.id
  keys = created.keys
  participantLink = `${server.httpUrl}${created.links.participant}`
  // The seed demo's final board, written as the demo meeting writes it.
  const schema = serverSerializedSchema()
  await server.server.rooms.withBoardDoc(meetingId as BoardId, (doc: Y.Doc) => {
    doc.transact(() => writeBoardRecords(doc, buildSeedBoard('final') as BoardRecord[], schema))
  })
  observer = connectBoard(server.wsUrl, meetingId, keys.viewer)
  await observer.synced
})

afterAll(async () => {
  observer?.destroy()
  await paolo?.close()
  await server?.close()
})

/** The meaning of the card with `text` as the stock y-websocket client reads the board. */
function observedActor(text: string): { category: string | null; level: string | null } | null {
  const records = [...observer.records.map.values()].map((e) => e.val)
  const card = records.find((r) => JSON.stringify((r.props as { richText?: unknown } | undefined)?.richText ?? '').includes(`"${text}"`))
  if (card === undefined) return null
  const meaning = new BoardIndex(records).meaning(String(card.id))
  return meaning?.kind === 'actors' ? { category: meaning.category, level: meaning.level } : null
}

async function reportActor(name: string): Promise<{ categoryLabel: string | null; levelLabel: string | null } | undefined> {
  const response = await fetch(`${server.httpUrl}/api/meetings/${meetingId}/report?version=live&format=json`, {
    headers: { authorization: `Bearer ${keys.facilitator}` },
  })
  expect(response.status).toBe(200)
  const report = (await response.json()) as { maps: Array<{ kind: string; actors?: Array<{ name: string; categoryLabel: string | null; levelLabel: string | null }> }> }
  return report.maps.find((m) => m.kind === 'actors')?.actors?.find((a) => a.name === name)
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, { back = false, max = 400 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab never reached ${selector}`)
}

/** Moves a focused <select> to the option with `value` by arrow keys. */
async function arrowToOption(page: Page, value: string): Promise<void> {
  const { from, to } = await page.evaluate((v) => {
    const select = document.activeElement as HTMLSelectElement
    return { from: select.selectedIndex, to: [...select.options].findIndex((o) => o.value === v) }
  }, value)
  expect(to).toBeGreaterThanOrEqual(0)
  for (let i = from; i !== to; i += to > from ? 1 : -1) await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp')
  expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)).toBe(value)
}

const ACTORS = '[data-testid=board-text-map][data-template=actors]'

describe('contributing from the board as text, keyboard only', () => {
  test('a participant adds an actor to «Reti solidali attive» – «Nucleo fondativo», moves it to «Allargamento strategico», edits its text', async () => {
    const page = paolo.page
    await page.goto(participantLink)
    // Pointer events are counted from the first paint: the test must never produce one.
    await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: number }
      w.pointerEvents = 0
      for (const type of ['pointerdown', 'mousedown', 'mouseup', 'pointerup']) window.addEventListener(type, () => w.pointerEvents++, true)
    })
    await page.getByTestId('name-dialog').waitFor()
    await page.keyboard.type('Paolo')
    await page.keyboard.press('Enter')
    await page.getByTestId('name-dialog').waitFor({ state: 'detached' })
    await waitForEditor(page)

    // The skip link, then the form of the actor map.
    await tabTo(page, '[data-testid=board-text-skip]')
    await page.keyboard.press('Enter')
    await page.getByTestId('board-text').waitFor()
    await page.locator(`${ACTORS} [data-testid=board-text-add-cell]`).waitFor()
    await tabTo(page, `${ACTORS} [data-testid=board-text-add-cell]`)
    await arrowToOption(page, 'reti-solidali/nucleo-fondativo')
    const submit = page.locator(`${ACTORS} [data-testid=board-text-add-submit]`)
    expect(await submit.textContent()).toBe('Aggiungi un attore in «Reti solidali attive» – «Nucleo fondativo»')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Circolo Arci Borgo')
    await page.keyboard.press('Enter')
    expect(await page.getByTestId('board-text-status').textContent()).toBe('Carta «Circolo Arci Borgo» aggiunta in «Reti solidali attive» – «Nucleo fondativo».')

    await waitFor(() => observedActor('Circolo Arci Borgo')?.level === 'nucleo-fondativo', 10_000, 'the observer sees the new actor')
    expect(observedActor('Circolo Arci Borgo')).toEqual({ category: 'reti-solidali', level: 'nucleo-fondativo' })
    await expect.poll(() => reportActor('Circolo Arci Borgo'), { timeout: 10_000 }).toEqual(
      expect.objectContaining({ categoryLabel: 'Reti solidali attive', levelLabel: 'Nucleo fondativo' }),
    )
    // It covers no other card of the map.
    const overlaps = await page.evaluate(() => {
      const editor = window.__tavolo!.editor
      const card = editor.getCurrentPageShapes().find((s) => editor.getShapeUtil(s).getText(s) === 'Circolo Arci Borgo')!
      const b = editor.getShapePageBounds(card)!
      return editor
        .getCurrentPageShapes()
        .filter((s) => s.id !== card.id && s.type === 'note')
        .filter((s) => editor.getShapePageBounds(s)!.collides(b)).length
    })
    expect(overlaps).toBe(0)

    // Listed under its category; "Cambia" opens its fields; the move is a select, not a drag.
    const item = page.locator(`${ACTORS} [data-testid=board-text-card]`).filter({ hasText: 'Circolo Arci Borgo' })
    await item.waitFor()
    expect(await item.textContent()).toContain('(Nucleo fondativo)')
    const cardId = await item.getAttribute('data-shape-id')
    const inItem = (testId: string) => `${ACTORS} [data-testid=board-text-card][data-shape-id="${cardId}"] [data-testid=${testId}]`
    await tabTo(page, inItem('board-text-change'))
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Cambia: Circolo Arci Borgo')
    await page.keyboard.press('Enter')
    await page.locator(inItem('board-text-move-cell')).waitFor()
    await tabTo(page, inItem('board-text-move-cell'))
    await arrowToOption(page, 'reti-solidali/allargamento-strategico')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await waitFor(() => observedActor('Circolo Arci Borgo')?.level === 'allargamento-strategico', 10_000, 'the observer sees the move')
    expect(observedActor('Circolo Arci Borgo')).toEqual({ category: 'reti-solidali', level: 'allargamento-strategico' })
    await expect.poll(() => reportActor('Circolo Arci Borgo'), { timeout: 10_000 }).toEqual(
      expect.objectContaining({ categoryLabel: 'Reti solidali attive', levelLabel: 'Allargamento strategico' }),
    )
    await expect.poll(() => item.textContent()).toContain('(Allargamento strategico)')
    // The focus stayed in the card's fields.
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid=board-text-card]')?.getAttribute('data-shape-id'))).toBe(cardId)

    // Its text, back up the same fields.
    await tabTo(page, inItem('board-text-edit-text'), { back: true })
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Circolo Arci del Borgo')
    await page.keyboard.press('Enter')
    await waitFor(() => observedActor('Circolo Arci del Borgo') !== null, 10_000, 'the observer sees the new text')
    expect(observedActor('Circolo Arci del Borgo')).toEqual({ category: 'reti-solidali', level: 'allargamento-strategico' })
    await expect.poll(() => reportActor('Circolo Arci del Borgo'), { timeout: 10_000 }).toEqual(
      expect.objectContaining({ categoryLabel: 'Reti solidali attive', levelLabel: 'Allargamento strategico' }),
    )
    expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0)
    expect(paolo.errors).toEqual([])
  })

  // C10
  test('cards another participant adds are announced politely, without moving the focus; the person can turn it off', async () => {
    const page = paolo.page
    const anna = connectBoard(server.wsUrl, meetingId, keys.participant)
    try {
      await anna.synced
      const frame = [...anna.records.map.values()].map((e) => e.val).find((r) => (r.meta as { tavoloMap?: { template?: string } } | undefined)?.tavoloMap?.template === 'actors')
      expect(frame).toBeDefined()
      await tabTo(page, '[data-testid=board-text-close]')
      const announcer = page.getByTestId('board-text-announcer')
      expect(await announcer.getAttribute('aria-live')).toBe('polite')
      const add = (n: number, text: string) =>
        anna.records.set(`shape:anna-${n}`, noteRecord({ id: `shape:anna-${n}`, parentId: String(frame!.id), x: 500 + n * 10, y: 1300, text, order: 900 + n }))
      anna.doc.transact(() => add(1, 'Pro Loco'))
      anna.doc.transact(() => add(2, 'Parrocchia'))
      await expect.poll(() => announcer.textContent(), { timeout: 10_000 }).toBe('2 nuove carte in «Mappa degli attori»')
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('board-text-close')

      // Off, by keyboard: the region says nothing, even when more arrives.
      await tabTo(page, '[data-testid=board-text-announce]', { back: true })
      await page.keyboard.press('Space')
      expect(await page.getByTestId('board-text-announce').isChecked()).toBe(false)
      expect(await announcer.textContent()).toBe('')
      anna.doc.transact(() => add(3, 'Caritas'))
      await page.locator(`${ACTORS} [data-testid=board-text-card]`).filter({ hasText: 'Caritas' }).waitFor()
      expect(await announcer.textContent()).toBe('')
      expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0)
    } finally {
      anna.destroy()
    }
  })
})
