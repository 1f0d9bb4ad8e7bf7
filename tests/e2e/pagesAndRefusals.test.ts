/**
 * The pages around the board: start page, friendly error pages, refusal by the server, language choice, and the
 * access key staying in the URL fragment.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { connectClient, destroyClients, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { enterName, foreignRequests, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

let server: TestServer
let carla: Person

beforeAll(async () => {
  server = await startTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 } })
  carla = await openPerson('carla')
})

afterAll(async () => {
  destroyClients()
  await carla?.close()
  await server?.close()
})

describe('pages and refusals', () => {
  test('the start page offers to create a meeting; a board asks the name on the first visit', async () => {
    // Creating meetings is tested against a meetings server in meetings.test.ts; this server has no meetings API.
    await carla.page.goto(server.httpUrl)
    await carla.page.getByRole('heading', { name: 'Tavolo: nuovo incontro' }).waitFor()
    await carla.page.getByRole('button', { name: 'Crea l’incontro' }).waitFor()
    await carla.page.goto(`${server.httpUrl}/board/prima-visita`)
    await enterName(carla.page, 'Carla')
    await waitForEditor(carla.page)
  })

  test('an unknown address and a malformed board id get a friendly page with a way back', async () => {
    await carla.page.goto(`${server.httpUrl}/pagina-che-non-esiste`)
    await carla.page.getByRole('heading', { name: 'Pagina non trovata' }).waitFor()
    await carla.page.goto(`${server.httpUrl}/board/nome%20con%20spazi`)
    await carla.page.getByRole('heading', { name: 'Indirizzo della lavagna non valido' }).waitFor()
    await screenshot(carla.page, 'bad-board-id.png')
    await carla.page.getByRole('link', { name: 'Torna alla pagina iniziale' }).click()
    await carla.page.getByRole('heading', { name: 'Tavolo: nuovo incontro' }).waitFor()
    expect(new URL(carla.page.url()).pathname).toBe('/')
    // Ctrl+click on an in-app link opens a new tab, as on any link; the page itself stays where it is.
    const [tab] = await Promise.all([
      carla.context.waitForEvent('page'),
      carla.page.getByRole('link', { name: 'Vedi tutti gli incontri' }).click({ modifiers: ['Control'] }),
    ])
    await tab.waitForURL(/\/meetings$/)
    expect(new URL(carla.page.url()).pathname).toBe('/')
    await tab.close()
    // A plain click changes the page in place.
    await carla.page.getByRole('link', { name: 'Vedi tutti gli incontri' }).click()
    await carla.page.waitForURL(/\/meetings$/)
  })

  test('the key in #k= goes to the socket as ?k= and never into an HTTP request', async () => {
    const key = 'chiave-segreta-0123456789'
    await carla.page.goto(`${server.httpUrl}/board/con-chiave#k=${key}`)
    await waitForEditor(carla.page)
    const sockets = carla.requests.filter((u) => u.startsWith('ws://') && u.includes('/sync/con-chiave'))
    expect(sockets.length).toBeGreaterThan(0)
    expect(new URL(sockets[0]!).searchParams.get('k')).toBe(key)
    expect(carla.requests.filter((u) => u.startsWith('http') && u.includes(key))).toEqual([])
  })

  test('a refused link (4401) stops reconnecting and explains what to do, in plain words', async () => {
    let attempts = 0
    await carla.page.routeWebSocket(/\/sync\/revocata/, async (ws) => {
      attempts++
      await ws.close({ code: 4401, reason: 'unauthorized' })
    })
    await carla.page.goto(`${server.httpUrl}/board/revocata#k=vecchia`)
    const notice = carla.page.getByTestId('terminal-close')
    await notice.waitFor()
    expect(await notice.getAttribute('data-code')).toBe('4401')
    expect(await notice.textContent()).toContain('Chiedi un nuovo link a chi conduce.')
    // Nothing was changed on this device: the notice does not claim that changes are kept here.
    expect(await notice.getByTestId('closed-unsent').count()).toBe(0)
    await screenshot(carla.page, 'refused-4401.png')
    // y-websocket's first retry would come after ~200 ms and back off up to 2.5 s: a bounded wait is the only way
    // to observe that nothing happens. The provider must also say it will not connect again.
    await carla.page.waitForTimeout(3000)
    expect(attempts).toBe(1)
    expect(await carla.page.evaluate(() => window.__tavolo?.session.provider.shouldConnect ?? null)).not.toBe(true)
  })

  test('English can be chosen, for our strings and tldraw’s, and the choice is remembered', async () => {
    await carla.page.goto(`${server.httpUrl}/board/in-inglese`)
    await waitForEditor(carla.page)
    await carla.page.getByRole('combobox', { name: 'Lingua' }).selectOption('en')
    await carla.page.locator('[data-testid=connection-status][data-status=connected]').waitFor()
    await carla.page.getByText('Connected', { exact: true }).waitFor()
    await carla.page.reload()
    await waitForEditor(carla.page)
    await carla.page.getByText('1 participant', { exact: true }).waitFor()
    expect(await carla.page.getByTestId('tools.note').getAttribute('aria-label')).toMatch(/^Note\b/)
    expect(await carla.page.evaluate(() => document.documentElement.lang)).toBe('en')
    await screenshot(carla.page, 'english.png')
    // Back to Italian for anyone reading the screenshots after this.
    await carla.page.getByRole('combobox', { name: 'Language' }).selectOption('it')
    await carla.page.getByText('1 partecipante', { exact: true }).waitFor()
  })

  test('an invalid record from the network is skipped and reported; the valid change beside it applies', async () => {
    const warnings: string[] = []
    carla.page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text())
    })
    await carla.page.goto(`${server.httpUrl}/board/dati-rotti`)
    await waitForEditor(carla.page)
    await carla.page.locator('[data-testid=connection-status][data-status=connected]').waitFor()

    // Another (buggy) client writes straight into the Y.Doc through the real server.
    const other = connectClient(server.wsUrl, 'dati-rotti')
    await other.whenSynced()
    const records = new YKeyValue<Record<string, unknown>>(other.doc.getArray(RECORDS_ARRAY))
    const page = records.get('page:page')
    expect(page).toBeDefined()
    other.doc.transact(() => {
      records.set('shape:rotto', { id: 'shape:rotto', typeName: 'shape', type: 'note', props: {} })
      records.set('page:page', { ...page, name: 'Pagina rinominata' })
    })

    await carla.page.getByTestId('invalid-records').waitFor()
    await carla.page.waitForFunction(() => window.__tavolo?.editor.getCurrentPage().name === 'Pagina rinominata')
    expect(warnings.some((w) => w.includes('shape:rotto'))).toBe(true)
    expect(await carla.page.evaluate(() => window.__tavolo?.editor.getShape('shape:rotto' as never) ?? null)).toBeNull()
    // The editor still works: a note can be created afterwards.
    await carla.page.getByTestId('tools.note').click()
    await carla.page.mouse.click(500, 400)
    await carla.page.waitForFunction(() => window.__tavolo!.editor.getCurrentPageShapes().length === 1)
    await carla.page.keyboard.press('Escape')
    expect(carla.errors.filter((e) => e.startsWith('pageerror'))).toEqual([])
    await screenshot(carla.page, 'invalid-record.png')
  })

  test('a full page tells the person, in Italian, that the board is full', async () => {
    await carla.page.goto(`${server.httpUrl}/board/piena`)
    await waitForEditor(carla.page)
    // Filling 3000 shapes by hand is not a UI test: they are created through the editor API, off-screen.
    const max = await carla.page.evaluate(() => {
      const editor = window.__tavolo!.editor
      const max = editor.options.maxShapesPerPage
      editor.createShapes(
        Array.from({ length: max }, (_, i) => ({
          type: 'geo',
          x: 5000 + (i % 60) * 30,
          y: 5000 + Math.floor(i / 60) * 30,
          props: { w: 20, h: 20 },
        })),
      )
      return max
    })
    expect(max).toBe(3000)
    expect(await carla.page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapeIds().size)).toBe(3000)
    // One more, through the UI.
    await carla.page.getByTestId('tools.note').click()
    await carla.page.mouse.click(500, 400)
    const notice = carla.page.getByTestId('board-full')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('La lavagna è piena')
    expect(await notice.textContent()).toContain('massimo di 3000 elementi')
    expect(await carla.page.evaluate(() => window.__tavolo!.editor.getCurrentPageShapeIds().size)).toBe(3000)
    // tldraw's own (English-only) toast for this event is replaced by ours: two frames after our notice, it is gone.
    await carla.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect(await carla.page.locator('.tlui-toast__title', { hasText: 'Maximum shapes reached' }).count()).toBe(0)
    await screenshot(carla.page, 'board-full.png')
    await notice.getByRole('button', { name: 'Ho capito' }).click()
    await notice.waitFor({ state: 'detached' })
  })

  test('all requests stayed on the app’s origin', () => {
    expect(foreignRequests(carla.requests, new URL(server.httpUrl).origin)).toEqual([])
  })
})
