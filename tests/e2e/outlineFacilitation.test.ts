// Voting and private writing from "Testo della lavagna", keyboard only (client/src/maps SPEC C11; issue 21): on the
// seed demo board a participant places and withdraws dots on the actor map's cards of an open vote, hearing how
// many are left, then writes a private card in a cell during a private round. The REST API (the voter's own ballot,
// the device's own private cards) and a stock y-websocket client check each step: the dots and the private card
// never enter the board document; the reveal puts the card in the chosen cell. No mouse event is ever dispatched.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type * as Y from 'yjs'
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { connectBoard, type BoardClient } from '../integration/meetingServer.ts'
import { openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { BoardIndex } from '../../shared/src/maps/meaning.ts'
import { votableCards } from '../../shared/src/facilitation/voteRecords.ts'
import { mapCells } from '../../shared/src/maps/cellPlacement.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { rectContains } from '../../shared/src/maps/layout.ts'
import { PREFERENCES_STORAGE_KEY } from '../../client/src/identity/localPreferences.ts'

const SEED = buildSeedBoard('final') as BoardRecord[]
const ACTORS_FRAME = String(SEED.find((r) => (r.meta as { tavoloMap?: { template?: string } } | undefined)?.tavoloMap?.template === 'actors')!.id)
const ACTORS = '[data-testid=board-text-map][data-template=actors]'

let server: MeetingTestServer
let paolo: Person
let observer: BoardClient
let meetingId: string
let keys: { facilitator: string; participant: string; viewer: string }

async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.httpUrl}/api/meetings/${meetingId}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  paolo = await openPerson('paolo-outline-vote')
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: '1° incontro della Equipe inter-servizio', reference: 'par-MEET-2025-09-622' }),
  })
  expect(response.status).toBe(201)
  const created = (await response.json()) as { meeting: { id: string }; keys: typeof keys }
  meetingId = created.meeting.id
  keys = created.keys
  const schema = serverSerializedSchema()
  await server.server.rooms.withBoardDoc(meetingId as BoardId, (doc: Y.Doc) => {
    doc.transact(() => writeBoardRecords(doc, SEED, schema))
  })
  observer = connectBoard(server.wsUrl, meetingId, keys.viewer)
  await observer.synced
})

afterAll(async () => {
  observer?.destroy()
  await paolo?.close()
  await server?.close()
})

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, { back = false, max = 400 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab never reached ${selector}`)
}

async function arrowToOption(page: Page, value: string): Promise<void> {
  const { from, to } = await page.evaluate((v) => {
    const select = document.activeElement as HTMLSelectElement
    return { from: select.selectedIndex, to: [...select.options].findIndex((o) => o.value === v) }
  }, value)
  expect(to).toBeGreaterThanOrEqual(0)
  for (let i = from; i !== to; i += to > from ? 1 : -1) await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp')
}

/** The whole board document as the stock client has it, as text (for "this never entered the document"). */
function documentText(): string {
  return JSON.stringify([...observer.records.map.values()].map((e) => e.val)) + JSON.stringify(observer.doc.getMap('facilitation').toJSON())
}

const status = (page: Page) => page.getByTestId('board-text-status').textContent()
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))

describe('facilitation from the board as text, keyboard only', () => {
  test('dots placed and withdrawn on the cards of an open vote, then a private card written in a cell', async () => {
    const page = paolo.page
    await page.goto(`${server.httpUrl}/board/${meetingId}#k=${keys.participant}`)
    await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: number }
      w.pointerEvents = 0
      for (const type of ['pointerdown', 'mousedown', 'mouseup', 'pointerup', 'click']) {
        window.addEventListener(type, (e) => {
          // a keyboard activation of a button is a click event with no pointer behind it (detail 0)
          if (e.type !== 'click' || (e as MouseEvent).detail !== 0) w.pointerEvents++
        }, true)
      }
    })
    await page.getByTestId('name-dialog').waitFor()
    await page.keyboard.type('Paolo')
    await page.keyboard.press('Enter')
    await page.getByTestId('name-dialog').waitFor({ state: 'detached' })
    await waitForEditor(page)
    const deviceId = await page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { deviceId: string }).deviceId, PREFERENCES_STORAGE_KEY)

    // The facilitator starts a vote on the actor map (3 dots each).
    const started = await api('POST', '/votes', keys.facilitator, { frameId: ACTORS_FRAME, votesPerVoter: 3, title: 'Chi coinvolgere' })
    expect(started.status).toBe(201)
    const voteId = (started.body.vote as { id: string }).id
    const cards = votableCards(SEED, ACTORS_FRAME)!
    const target = cards[0]!
    const ballot = async () => (await api('GET', `/votes/${voteId}?voterId=${deviceId}`, keys.participant)).body.ballot as { cardIds: string[]; remaining: number }

    await tabTo(page, '[data-testid=board-text-skip]')
    await page.keyboard.press('Enter')
    await page.getByTestId('board-text-vote').waitFor()
    expect(await page.getByTestId('board-text-votes-left').textContent()).toBe('3 voti rimasti')
    expect(await page.locator('#board-text-vote-title').textContent()).toBe('Votazione in corso: «Chi coinvolgere»')

    const addButton = `${ACTORS} [data-testid=board-text-card][data-shape-id="${target.id}"] [data-testid=board-text-vote-add]`
    await page.locator(addButton).waitFor()
    await tabTo(page, addButton)
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Vota «${target.text}»`)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(`Voto dato a «${target.text}». 2 voti rimasti.`)
    expect(await ballot()).toMatchObject({ cardIds: [target.id], remaining: 2 })
    // Twice on the same card (the vote allows it), the focus still on the button.
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(`Voto dato a «${target.text}». 1 voto rimasto.`)
    expect(await ballot()).toMatchObject({ cardIds: [target.id, target.id], remaining: 1 })
    expect(await page.getByTestId('board-text-votes-left').textContent()).toBe('1 voto rimasto')
    expect(await focusedTestId(page)).toBe('board-text-vote-add')
    // The canvas's bar counts the same ballot.
    await page.locator('[data-testid=vote-used][data-used="2"]').waitFor()
    await screenshot(page, 'outline-vote-laptop.png')

    // Withdrawn: the next Tab stop is "Togli un voto a «…»".
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Togli un voto a «${target.text}»`)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(`Voto tolto a «${target.text}». 2 voti rimasti.`)
    expect(await ballot()).toMatchObject({ cardIds: [target.id], remaining: 2 })
    // No dot ever entered the board document (DV9).
    expect(documentText()).not.toContain(deviceId)

    // Past the dots left, the button says why instead of sending.
    const other = cards[1]!
    const otherAdd = `${ACTORS} [data-testid=board-text-card][data-shape-id="${other.id}"] [data-testid=board-text-vote-add]`
    await tabTo(page, otherAdd)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(`Voto dato a «${other.text}». 1 voto rimasto.`)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(`Voto dato a «${other.text}». 0 voti rimasti.`)
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe('Hai usato tutti i tuoi voti: togline uno per spostarlo.')
    expect((await ballot()).remaining).toBe(0)

    expect((await api('POST', `/votes/${voteId}/close`, keys.facilitator)).status).toBe(200)
    await page.getByTestId('board-text-vote').waitFor({ state: 'detached' })

    // A private round on the same map: its section's form now writes private cards.
    const round = await api('POST', '/private-rounds', keys.facilitator, { frameId: ACTORS_FRAME })
    expect(round.status).toBe(201)
    const roundId = (round.body.round as { id: string }).id
    await page.getByTestId('board-text-private').waitFor()
    await page.locator(`${ACTORS} [data-testid=board-text-private-add]`).waitFor()
    expect(await page.locator(`${ACTORS} [data-testid=board-text-add]`).count()).toBe(0)
    await tabTo(page, `${ACTORS} [data-testid=board-text-private-cell]`, { back: true })
    await arrowToOption(page, 'reti-solidali/nucleo-fondativo')
    expect(await page.locator(`${ACTORS} [data-testid=board-text-private-submit]`).textContent()).toBe(
      'Aggiungi una carta privata in «Reti solidali attive» – «Nucleo fondativo»',
    )
    await page.keyboard.press('Tab')
    await page.keyboard.type('Banco alimentare')
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe(
      'Carta privata «Banco alimentare» scritta in «Reti solidali attive» – «Nucleo fondativo»: solo tu la vedi fino alla rivelazione.',
    )
    expect(await focusedTestId(page)).toBe('board-text-private-text')
    // In the server's private store, at a point of the chosen cell; not in the document.
    const mine = (await api('GET', `/private-rounds/${roundId}?voterId=${deviceId}`, keys.participant)).body.cards as Array<{ text: string; x: number; y: number }>
    expect(mine.map((c) => c.text)).toEqual(['Banco alimentare'])
    const cell = mapCells(getTemplate('actors')!).find((c) => c.key === 'reti-solidali/nucleo-fondativo')!
    expect(rectContains(cell.rect, mine[0]!)).toBe(true)
    expect(documentText()).not.toContain('Banco alimentare')
    await page.getByTestId('board-text-private-list').getByText('Banco alimentare').waitFor()
    // The canvas's panel counts it too (one list for the device).
    await page.locator('[data-testid=private-count][data-count="1"]').waitFor()
    await screenshot(page, 'outline-private-laptop.png')

    // A second card, then deleted by keyboard: the focus returns to the text field.
    await page.keyboard.type('Da togliere')
    await page.keyboard.press('Enter')
    await page.getByTestId('board-text-private-list').getByText('Da togliere').waitFor()
    await tabTo(page, '[data-testid=board-text-private-list] li:last-child [data-testid=board-text-private-remove]')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Elimina la carta «Da togliere»')
    await page.keyboard.press('Enter')
    await expect.poll(() => status(page), { timeout: 10_000 }).toBe('Carta privata «Da togliere» eliminata.')
    expect(await focusedTestId(page)).toBe('board-text-private-text')
    await waitFor(async () => ((await api('GET', `/private-rounds/${roundId}?voterId=${deviceId}`, keys.participant)).body.cards as unknown[]).length === 1, 10_000, 'the server drops the deleted card')

    // The reveal puts it on the board in that cell, for everyone.
    expect((await api('POST', `/private-rounds/${roundId}/reveal`, keys.facilitator)).status).toBe(200)
    await waitFor(() => documentText().includes('Banco alimentare'), 10_000, 'the observer sees the revealed card')
    const records = [...observer.records.map.values()].map((e) => e.val)
    const revealed = records.find((r) => JSON.stringify(r.props ?? {}).includes('Banco alimentare'))!
    expect(new BoardIndex(records).meaning(String(revealed.id))).toMatchObject({ kind: 'actors', category: 'reti-solidali', level: 'nucleo-fondativo' })
    await page.locator(`${ACTORS} [data-testid=board-text-card]`).filter({ hasText: 'Banco alimentare' }).waitFor()
    expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0)
    expect(paolo.errors).toEqual([])
  })

  test('the facilitation controls by keyboard: a visible focus on each, the bar in order, the start dialog keeps and gives back the focus', async () => {
    const fede = await openPerson('fede-outline-keys')
    try {
      const page = fede.page
      await page.goto(`${server.httpUrl}/board/${meetingId}#k=${keys.facilitator}`)
      await page.getByTestId('name-dialog').waitFor()
      await page.keyboard.type('Fede')
      await page.keyboard.press('Enter')
      await page.getByTestId('name-dialog').waitFor({ state: 'detached' })
      await waitForEditor(page)
      /** The focused element's test id, and whether a focus indicator is drawn (an outline, not "none"). */
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement as HTMLElement
          const style = getComputedStyle(el)
          return { id: el.getAttribute('data-testid'), ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1, visible: el.matches(':focus-visible') }
        })
      // Every Tavolo control the Tab key reaches on the facilitator's board shows where the focus is (2.4.7).
      const unringed = new Set<string>()
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press('Tab')
        const stop = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null
          if (el === null || el === document.body || el.closest('[class*=tavolo-]') === null || el.closest('[class*=tlui-]') !== null) return null
          const style = getComputedStyle(el)
          const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none'
          return { ring, what: `${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('data-testid') ?? ''} «${(el.textContent ?? '').slice(0, 30)}»` }
        })
        if (stop !== null && !stop.ring) unringed.add(stop.what)
      }
      expect([...unringed]).toEqual([])

      await tabTo(page, '[data-testid=vote-start]')
      expect(await focused()).toEqual({ id: 'vote-start', ring: true, visible: true })
      await page.keyboard.press('Tab')
      expect(await focused()).toEqual({ id: 'private-start', ring: true, visible: true })
      await page.keyboard.press('Tab')
      expect(await focused()).toEqual({ id: 'timer-minutes', ring: true, visible: true })
      await page.keyboard.press('Tab')
      expect(await focused()).toEqual({ id: 'timer-start', ring: true, visible: true })

      // The dialog takes the focus, keeps it (Tab wraps), Esc closes it and gives it back.
      await tabTo(page, '[data-testid=vote-start]', { back: true })
      await page.keyboard.press('Enter')
      await page.getByTestId('vote-dialog').waitFor()
      expect((await focused()).id).toBe('vote-frame')
      const inDialog = () => page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid=vote-dialog]')))
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab')
        expect(await inDialog()).toBe(true)
        expect((await focused()).ring).toBe(true)
      }
      await page.keyboard.press('Escape')
      await page.getByTestId('vote-dialog').waitFor({ state: 'detached' })
      expect((await focused()).id).toBe('vote-start')

      // Started by keyboard: the focus lands on a control still enabled, and the vote bar's buttons show their focus.
      await page.keyboard.press('Enter')
      await page.getByTestId('vote-dialog').waitFor()
      await tabTo(page, '[data-testid=vote-submit]')
      await page.keyboard.press('Enter')
      await page.locator('[data-testid=vote-bar][data-state=open]').waitFor()
      await page.locator('[data-testid=vote-start]:disabled').waitFor()
      await expect.poll(async () => (await focused()).id).toBe('private-start')
      await tabTo(page, '[data-testid=vote-close]')
      expect(await focused()).toEqual({ id: 'vote-close', ring: true, visible: true })
      await page.keyboard.press('Enter')
      await page.locator('[data-testid=vote-bar][data-state=closed]').waitFor()
      expect(fede.errors).toEqual([])
    } finally {
      await fede.close()
    }
  })
})
