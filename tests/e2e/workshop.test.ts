/**
 * Issue 11 in real Chromium: a workshop on a real network. The server plays a laptop on the room's Wi-Fi (an injected
 * interface list with a documentation address, 192.0.2.10, that no test ever sends traffic to: it is only read back
 * from links and QR codes) while really listening on 127.0.0.1.
 */
import { STAFF_AUTH } from '../helpers/staffToken.ts'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { enterName, foreignRequests, openPerson, screenshot, waitForEditor, waitForViewportContaining, type Box, type Person } from './browserPage.ts'

const LAN_ADDRESS = '192.0.2.10' // TEST-NET-1 (RFC 5737): documentation only, never routed
const ROOM_WIFI = {
  interfaces: () => ({
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
    wlan0: [{ address: LAN_ADDRESS, family: 'IPv4', internal: false }],
  }),
  listenHost: '0.0.0.0',
}

let server: MeetingTestServer
let fede: Person // facilitator, on the laptop that runs the server (opens 127.0.0.1)

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500 }, network: ROOM_WIFI })
  fede = await openPerson('fede')
})

afterAll(async () => {
  await fede?.close()
  await server?.close()
})

async function createMeeting(title: string): Promise<CreateMeetingResponse> {
  const res = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as CreateMeetingResponse
}

/** Reads the QR code the way a phone camera does: from the pixels on screen. */
async function decodeQr(qr: Locator): Promise<string | null> {
  const png = PNG.sync.read(await qr.screenshot())
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

async function openShare(page: Page): Promise<Locator> {
  await page.getByTestId('lead-share').click()
  const panel = page.getByTestId('share-panel')
  await panel.waitFor()
  return panel
}

describe('links and QR codes that reach people', () => {
  test('on 127.0.0.1 the share panel says so, and the QR code and the copied link carry the LAN address', async () => {
    const created = await createMeeting('Opificio di Comunità – Primo incontro')
    const participantPath = created.links.participant
    await fede.page.goto(`${server.httpUrl}${created.links.facilitator}`)
    await enterName(fede.page, 'Federica')
    await waitForEditor(fede.page)
    const panel = await openShare(fede.page)

    const notice = panel.getByTestId('share-address')
    expect(await notice.getAttribute('data-kind')).toBe('lan')
    expect(await notice.textContent()).toContain(`127.0.0.1:${server.port}`)
    expect(await notice.textContent()).toContain(`${LAN_ADDRESS}:${server.port}`)

    const expected = `http://${LAN_ADDRESS}:${server.port}${participantPath}`
    expect(await panel.getByTestId('share-participant-link').inputValue()).toBe(expected)
    expect(await decodeQr(panel.getByTestId('qr-code'))).toBe(expected)
    await fede.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.httpUrl })
    await panel.getByTestId('share-participant').getByRole('button', { name: 'Copia' }).click()
    await panel.getByText('Link copiato').waitFor()
    expect(await fede.page.evaluate(() => navigator.clipboard.readText())).toBe(expected)
    // The projector link too: the wall computer is another device.
    expect(await panel.getByTestId('share-projector-link').inputValue()).toBe(`http://${LAN_ADDRESS}:${server.port}${created.links.projector}`)

    // Several addresses: the facilitator can pick the other one; links and QR follow.
    const pick = panel.getByTestId('share-address-pick')
    await pick.selectOption(`http://172.17.0.1:${server.port}`)
    const other = `http://172.17.0.1:${server.port}${participantPath}`
    expect(await panel.getByTestId('share-participant-link').inputValue()).toBe(other)
    expect(await decodeQr(panel.getByTestId('qr-code'))).toBe(other)
    await pick.selectOption(`http://${LAN_ADDRESS}:${server.port}`)

    // The facilitator's own link, for a co-facilitator: folded away, marked as the one not to project.
    const own = panel.getByTestId('share-facilitator')
    expect(await own.getByTestId('share-facilitator-link').isVisible()).toBe(false)
    await own.locator('summary').click()
    expect(await own.getByTestId('share-facilitator-link').inputValue()).toBe(`http://${LAN_ADDRESS}:${server.port}${created.links.facilitator}`)
    await own.getByText('Non proiettarlo').waitFor()
    await screenshot(fede.page, 'workshop-share-lan-1280.png')

    // The page never contacted the LAN address: it was only written into links.
    expect(foreignRequests(fede.requests, server.httpUrl)).toEqual([])
  })

  test('the tab names the meeting; the count says who is there', async () => {
    // Still on the board of the previous step.
    await fede.page.waitForFunction(() => document.title === 'Opificio di Comunità – Primo incontro · Tavolo')
    await fede.page.getByTestId('share-panel').getByRole('button', { name: 'Chiudi' }).click()
    const count = fede.page.getByTestId('participant-count')
    await fede.page.locator('[data-testid=participant-count][data-facilitators="1"]').waitFor()
    expect(await count.textContent()).toBe('Nessun partecipante, 1 conduce')
    expect(await count.getAttribute('title')).toBe('Federica (conduce)')
  })
})

describe('no dead ends', () => {
  let visitor: Person
  beforeAll(async () => {
    visitor = await openPerson('visitatore')
  })
  afterAll(async () => {
    await visitor?.close()
  })

  async function expectWayHome(page: Page) {
    await page.getByRole('link', { name: 'Torna alla pagina iniziale' }).click()
    await page.getByRole('heading', { name: 'Tavolo: nuovo incontro' }).waitFor()
  }

  test('an unknown meeting: "Questa riunione non esiste", ask for a new link, a way home', async () => {
    await visitor.page.goto(`${server.httpUrl}/board/ZZZZZZZZZZZZZZZZ#k=una-chiave-qualsiasi`)
    const notice = visitor.page.getByTestId('terminal-close')
    await notice.getByRole('heading', { name: 'Questa riunione non esiste' }).waitFor()
    expect(await notice.textContent()).toContain('Chiedi un nuovo link a chi conduce.')
    // Nothing was changed on this device: no claim that changes are kept here.
    expect(await notice.textContent()).not.toContain('salvat')
    await screenshot(visitor.page, 'workshop-error-unknown-meeting-1280.png')
    await expectWayHome(visitor.page)
  })

  test('a link without its key: "Nel link manca la chiave"', async () => {
    const created = await createMeeting('Link senza chiave')
    await visitor.page.goto(`${server.httpUrl}/board/${created.meeting.id}`)
    const notice = visitor.page.getByTestId('terminal-close')
    await notice.getByRole('heading', { name: 'Nel link manca la chiave' }).waitFor()
    expect(await notice.textContent()).toContain('chiedi un nuovo link a chi conduce')
    await screenshot(visitor.page, 'workshop-error-no-key-1280.png')
    await expectWayHome(visitor.page)
  })

  test('a wrong key: "Questo link non funziona più", before the board opens', async () => {
    const created = await createMeeting('Chiave sbagliata')
    await visitor.page.goto(`${server.httpUrl}/board/${created.meeting.id}#k=chiave-sbagliata`)
    await visitor.page.getByRole('heading', { name: 'Questo link non funziona più' }).waitFor()
    await visitor.page.getByText('Chiedi un nuovo link a chi conduce.').waitFor()
    expect(await visitor.page.evaluate(() => Boolean(window.__tavolo))).toBe(false)
    await screenshot(visitor.page, 'workshop-error-wrong-key-1280.png')
    await expectWayHome(visitor.page)
  })

  test('a malformed address: its own page, with a way home', async () => {
    await visitor.page.goto(`${server.httpUrl}/board/nome%20con%20spazi#k=abc`)
    await visitor.page.getByRole('heading', { name: 'Indirizzo della lavagna non valido' }).waitFor()
    await screenshot(visitor.page, 'workshop-error-bad-address-1280.png')
    await expectWayHome(visitor.page)
  })

  test('a key replaced while offline with changes: the notice says they stay on this device', async () => {
    const created = await createMeeting('Chiave sostituita')
    await visitor.page.goto(`${server.httpUrl}${created.links.participant}`)
    await enterName(visitor.page, 'Vittoria')
    await waitForEditor(visitor.page)
    await visitor.page.locator('[data-testid=connection-status][data-status=connected]').waitFor()
    await visitor.context.setOffline(true)
    await visitor.page.locator('[data-testid=connection-status][data-status=offline]').waitFor()
    await visitor.page.evaluate(() => {
      window.__tavolo!.editor.createShape({ type: 'geo', x: 100, y: 100, props: { w: 100, h: 100 } })
    })
    await visitor.page.locator('[data-testid=connection-status]:not([data-unsent="0"])').waitFor()
    const rotated = await fetch(`${server.httpUrl}/api/meetings/${created.meeting.id}/keys/participant/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.keys.facilitator}` },
    })
    expect(rotated.status).toBe(200)
    await visitor.context.setOffline(false)
    const notice = visitor.page.getByTestId('terminal-close')
    await notice.getByRole('heading', { name: 'Questo link non funziona più' }).waitFor({ timeout: 15_000 })
    expect(await notice.getByTestId('closed-unsent').textContent()).toBe(
      'La modifica fatta su questo dispositivo e non ancora inviata resta salvata qui.',
    )
    await screenshot(visitor.page, 'workshop-error-replaced-key-1280.png')
  })
})

const FIRST_FRAME: Box = { x: 3000, y: 2000, w: 800, h: 500 } // far from the origin: an arrival at (0, 0) sees nothing
const SECOND_FRAME: Box = { x: 3000, y: 3200, w: 800, h: 500 }

/** Where a page box is on screen (CSS pixels of the page). */
async function onScreen(page: Page, box: Box): Promise<Box> {
  return page.evaluate((b) => {
    const editor = window.__tavolo!.editor
    const a = editor.pageToScreen({ x: b.x, y: b.y })
    const z = editor.getZoomLevel()
    return { x: a.x, y: a.y, w: b.w * z, h: b.h * z }
  }, box)
}

async function rectOf(locator: Locator): Promise<Box> {
  const r = (await locator.boundingBox())!
  return { x: r.x, y: r.y, w: r.width, h: r.height }
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('arriving on the board, and the projector', () => {
  let wall: Person
  let paolo: Person
  let anna: Person
  let created: CreateMeetingResponse
  beforeAll(async () => {
    ;[wall, paolo, anna] = await Promise.all([openPerson('proiettore'), openPerson('paolo'), openPerson('anna')])
    await wall.page.setViewportSize({ width: 1920, height: 1080 })
  })
  afterAll(async () => {
    await Promise.all([wall?.close(), paolo?.close(), anna?.close()])
  })

  test('a participant and the projector before "Presenta" land on the first frame, not on an empty corner', async () => {
    created = await createMeeting('Laboratorio sul parco di via Roma')
    await fede.page.goto(`${server.httpUrl}${created.links.facilitator}`)
    await waitForEditor(fede.page)
    // Setup through the editor: drawing frames is not under test.
    await fede.page.evaluate(
      ({ a, b }) => {
        window.__tavolo!.editor.createShapes([
          { id: 'shape:primo' as never, type: 'frame', x: a.x, y: a.y, props: { w: a.w, h: a.h, name: 'Benvenuti' } },
          { id: 'shape:secondo' as never, type: 'frame', x: b.x, y: b.y, props: { w: b.w, h: b.h, name: 'Proposte' } },
        ])
      },
      { a: FIRST_FRAME, b: SECOND_FRAME },
    )
    await paolo.page.goto(`${server.httpUrl}${created.links.participant}`)
    await enterName(paolo.page, 'Paolo')
    await waitForEditor(paolo.page)
    await waitForViewportContaining(paolo.page, FIRST_FRAME)

    await wall.page.goto(`${server.httpUrl}${created.links.projector}`)
    await waitForEditor(wall.page)
    await wall.page.getByTestId('projector-waiting').waitFor()
    await waitForViewportContaining(wall.page, FIRST_FRAME)
    // The title strip takes its own space: the frame is below it, whole.
    const frame = await onScreen(wall.page, FIRST_FRAME)
    expect(overlaps(frame, await rectOf(wall.page.getByTestId('projector-top')))).toBe(false)
    await screenshot(wall.page, 'workshop-projector-waiting-1920.png')
  })

  test('a participant arriving while someone presents lands on the presenter\'s view', async () => {
    await fede.page.getByTestId('lead-present').click()
    await fede.page.getByText('Stai presentando').waitFor()
    await fede.page.evaluate((b) => {
      window.__tavolo!.editor.zoomToBounds(b, { inset: 0 })
    }, SECOND_FRAME)
    await waitForViewportContaining(fede.page, SECOND_FRAME)
    await anna.page.goto(`${server.httpUrl}${created.links.participant}`)
    await enterName(anna.page, 'Anna')
    await waitForEditor(anna.page)
    await waitForViewportContaining(anna.page, SECOND_FRAME)
  })

  test('with the QR on, the presented frame is fitted beside the QR and below the title, never under them', async () => {
    await fede.page.getByTestId('lead-qr').check()
    await wall.page.getByTestId('projector-qr').waitFor()
    await waitForViewportContaining(wall.page, SECOND_FRAME)
    // The QR column is measured once laid out; the canvas then shrinks and tldraw (which re-reads its size within
    // 200 ms) fits the presenter's view again: wait for the frame to be whole and clear of the QR.
    await wall.page.waitForFunction((b) => {
      const editor = window.__tavolo!.editor
      const a = editor.pageToScreen({ x: b.x, y: b.y })
      const z = editor.getZoomLevel()
      const qr = document.querySelector('[data-testid=projector-qr]')!.getBoundingClientRect()
      return a.x >= 0 && a.x + b.w * z <= qr.left + 0.5 && a.y + b.h * z <= window.innerHeight + 0.5
    }, SECOND_FRAME)
    const frame = await onScreen(wall.page, SECOND_FRAME)
    const qr = await rectOf(wall.page.getByTestId('projector-qr'))
    const top = await rectOf(wall.page.getByTestId('projector-top'))
    expect(overlaps(frame, qr), `frame ${JSON.stringify(frame)} qr ${JSON.stringify(qr)}`).toBe(false)
    expect(overlaps(frame, top)).toBe(false)
    expect(await decodeQr(wall.page.getByTestId('qr-code'))).toBe(`http://${LAN_ADDRESS}:${server.port}${created.links.participant}`)
    await screenshot(wall.page, 'workshop-projector-qr-1920.png')
  })

  test('participants\' cursors are hidden on the projector until the facilitator turns them on', async () => {
    // Anna points at the presented frame (her view is the presenter's).
    const target = await onScreen(anna.page, SECOND_FRAME)
    await anna.page.mouse.move(target.x + target.w / 2, target.y + target.h / 2)
    await anna.page.mouse.move(target.x + target.w / 2 + 20, target.y + target.h / 2 + 10)
    // The projector has her presence (it counts her) but draws no cursor.
    await wall.page.waitForFunction(() =>
      window.__tavolo!.editor.getCollaborators().some((c) => c.userName === 'Anna' && c.cursor !== null),
    )
    expect(await wall.page.locator('.tl-collaborator__cursor').count()).toBe(0)
    expect(await wall.page.getByTestId('projector-chrome').getAttribute('data-cursors')).toBe('off')
    await fede.page.getByTestId('lead-cursors').check()
    await wall.page.locator('[data-testid=projector-chrome][data-cursors=on]').waitFor()
    await anna.page.mouse.move(target.x + target.w / 2, target.y + target.h / 2 + 30)
    await wall.page.locator('.tl-collaborator__cursor').first().waitFor()
    await fede.page.getByTestId('lead-cursors').uncheck()
    await wall.page.locator('[data-testid=projector-chrome][data-cursors=off]').waitFor()
    await wall.page.locator('.tl-collaborator__cursor').first().waitFor({ state: 'detached' })
  })
})

describe('locks, seen by a participant', () => {
  let vera: Person
  const NOTE_AT = { x: SECOND_FRAME.x + 300, y: SECOND_FRAME.y + 150 }
  beforeAll(async () => {
    vera = await openPerson('vera')
  })
  afterAll(async () => {
    await vera?.close()
  })

  test('a locked frame that fills the screen keeps its padlock in sight; a press on a locked note is explained once', async () => {
    const created = await createMeeting('Blocchi')
    await fede.page.goto(`${server.httpUrl}${created.links.facilitator}`)
    await waitForEditor(fede.page)
    await fede.page.evaluate(
      ({ f, n }) => {
        const editor = window.__tavolo!.editor
        editor.createShapes([
          { id: 'shape:cornice' as never, type: 'frame', x: f.x, y: f.y, props: { w: f.w, h: f.h, name: 'Regole' } },
          { id: 'shape:nota' as never, type: 'note', x: n.x, y: n.y },
        ])
        editor.select('shape:cornice' as never, 'shape:nota' as never)
      },
      { f: SECOND_FRAME, n: NOTE_AT },
    )
    await fede.page.getByTestId('lead-lock').click()
    await fede.page.locator('[data-testid=lock-badge]').nth(1).waitFor()

    await vera.page.goto(`${server.httpUrl}${created.links.participant}`)
    await enterName(vera.page, 'Vera')
    await waitForEditor(vera.page)
    // The frame fills the screen: its top-right corner is under tldraw's style panel, or off screen.
    await vera.page.evaluate((b) => {
      const editor = window.__tavolo!.editor
      editor.zoomToBounds({ x: b.x + 40, y: b.y + 20, w: b.w - 80, h: b.h - 40 }, { inset: 0 })
    }, SECOND_FRAME)
    const badge = vera.page.locator('[data-testid=lock-badge][data-shape-id="shape:cornice"]')
    await badge.waitFor()
    // The badge lets clicks through (pointer-events: none), so "covered" is checked against every panel's box.
    const seen = await badge.evaluate((el) => {
      const r = el.getBoundingClientRect()
      const panels = [...document.querySelectorAll('.tlui-style-panel, .tlui-menu-zone, .tlui-toolbar, .tlui-navigation-panel, .tavolo-share-zone, .tavolo-meeting-header, .tlui-helper-buttons')]
      const covering = panels
        .filter((p) => {
          const q = p.getBoundingClientRect()
          return q.width > 0 && r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom
        })
        .map((p) => p.className)
      return { inside: r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight, covering }
    })
    expect(seen).toEqual({ inside: true, covering: [] })
    await screenshot(vera.page, 'workshop-locked-frame-1280.png')

    // A press (and a drag) on the locked note: it does not move, and one note says why.
    const note = await onScreen(vera.page, { ...NOTE_AT, w: 200, h: 200 })
    await vera.page.mouse.move(note.x + note.w / 2, note.y + note.h / 2)
    await vera.page.mouse.down()
    await vera.page.mouse.move(note.x + note.w / 2 + 80, note.y + note.h / 2 + 60, { steps: 4 })
    await vera.page.mouse.up()
    const explainer = vera.page.getByTestId('locked-explainer')
    await explainer.waitFor()
    expect(await explainer.textContent()).toBe('Questo elemento è bloccato da chi conduce: non si può spostare né modificare.')
    await vera.page.mouse.click(note.x + note.w / 2, note.y + note.h / 2)
    expect(await vera.page.getByTestId('locked-explainer').count()).toBe(1)
    const position = await vera.page.evaluate(() => {
      const s = window.__tavolo!.editor.getShape('shape:nota' as never)!
      return { x: s.x, y: s.y }
    })
    expect(position).toEqual(NOTE_AT)
    await screenshot(vera.page, 'workshop-locked-explained-1280.png')
  })
})

describe('phones', () => {
  let pia: Person
  beforeAll(async () => {
    pia = await openPerson('pia')
  })
  afterAll(async () => {
    await pia?.close()
  })

  /** Everything of ours at the top, and tldraw's menus and "Torna al contenuto": on screen, none over another. */
  const problems = (page: Page) =>
    page.evaluate(() => {
      const named: Array<[string, Element | null]> = [
        ['header', document.querySelector('.tavolo-meeting-summary')],
        ['connection', document.querySelector('[data-testid=connection-status]')],
        ['count', document.querySelector('[data-testid=participant-count]')],
        ['language', document.querySelector('.tavolo-language')],
        ['name', document.querySelector('.tavolo-name-control')],
        ['menus', document.querySelector('.tlui-menu-zone')],
        ['back to content', [...document.querySelectorAll('.tlui-helper-buttons button')].find((b) => b.textContent?.includes('Torna al contenuto')) ?? null],
      ]
      const out: string[] = []
      const boxes = named.flatMap(([name, el]) => {
        if (el === null) {
          out.push(`${name} missing`)
          return []
        }
        const r = el.getBoundingClientRect()
        if (r.left < 0 || r.top < 0 || r.right > window.innerWidth || r.bottom > window.innerHeight) out.push(`${name} off screen`)
        return [{ name, r }]
      })
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!.r
          const b = boxes[j]!.r
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(`${boxes[i]!.name} over ${boxes[j]!.name}`)
        }
      }
      return out
    })

  test('at 390×844 and 360×640 the header, connection state and language fit beside tldraw\'s "Torna al contenuto"', async () => {
    const created = await createMeeting('Opificio di Comunità – Primo incontro')
    await pia.page.setViewportSize({ width: 390, height: 844 })
    await pia.page.goto(`${server.httpUrl}${created.links.participant}`)
    await enterName(pia.page, 'Pia')
    await waitForEditor(pia.page)
    await pia.page.locator('[data-testid=connection-status][data-status=connected]').waitFor()
    // A note, then the view far from it: tldraw offers "Torna al contenuto". (Pia scrolls first: an arrival that
    // has not touched the board yet would be brought back to the note.)
    await pia.page.mouse.move(200, 400)
    await pia.page.mouse.wheel(0, 50)
    await pia.page.evaluate(() => {
      const editor = window.__tavolo!.editor
      editor.createShape({ type: 'note', x: 0, y: 0 })
      editor.setCamera({ x: -20_000, y: -20_000, z: 1 })
    })
    await pia.page.getByRole('button', { name: 'Torna al contenuto' }).waitFor()
    for (const [width, height] of [[390, 844], [360, 640]] as const) {
      await pia.page.setViewportSize({ width, height })
      await expect
        .poll(() => problems(pia.page), { timeout: 5000, message: `${width}×${height}` })
        .toEqual([])
        .finally(() => screenshot(pia.page, `workshop-phone-${width}x${height}.png`))
    }
    // The share zone holds more when someone facilitates; the count is then the longest chip.
    await pia.page.getByRole('button', { name: 'Torna al contenuto' }).click()
    await pia.page.getByRole('button', { name: 'Torna al contenuto' }).waitFor({ state: 'detached' })
  })
})

describe('meeting details, edited from the board', () => {
  test('the facilitator edits title, date, place, organisations and description; the title shows its limit while typing', async () => {
    const created = await createMeeting('Primo incontro')
    await fede.page.setViewportSize({ width: 1280, height: 800 })
    await fede.page.goto(`${server.httpUrl}${created.links.facilitator}`)
    await waitForEditor(fede.page)
    // A participant already on the board sees the new details at once.
    const ugo = await openPerson('ugo')
    await ugo.page.goto(`${server.httpUrl}${created.links.participant}`)
    await enterName(ugo.page, 'Ugo')
    await waitForEditor(ugo.page)
    await fede.page.getByTestId('meeting-header').locator('button').first().click()
    await fede.page.getByTestId('details-edit').click()
    const dialog = fede.page.getByTestId('details-dialog')
    await dialog.waitFor()
    const title = dialog.getByTestId('details-title')
    const count = dialog.getByTestId('details-title-count')
    expect(await count.textContent()).toBe('14 di 200 caratteri')
    await title.fill('x'.repeat(201))
    expect(await count.textContent()).toBe('201 di 200 caratteri')
    expect(await count.getAttribute('class')).toContain('tavolo-error')
    await dialog.getByTestId('details-save').click()
    await dialog.getByText('Il titolo è troppo lungo: al massimo 200 caratteri.').waitFor()

    const newTitle = 'Opificio di Comunità – Primo incontro'
    await title.fill(newTitle)
    expect(await count.textContent()).toBe(`${newTitle.length} di 200 caratteri`)
    await dialog.getByLabel('Inizio (data e ora)').fill('2025-09-18T17:30')
    await dialog.getByLabel('Fine (data e ora)').fill('2025-09-18T19:30')
    await dialog.getByLabel('Luogo').fill('Sala consiliare, Municipio')
    await dialog.getByLabel('Organizzazioni partecipanti').fill('Comune di Esempio\nPro Loco')
    await dialog.getByLabel('Descrizione').fill('Primo laboratorio del percorso partecipativo.')
    await screenshot(fede.page, 'workshop-details-dialog-1280.png')
    await dialog.getByTestId('details-save').click()
    await dialog.waitFor({ state: 'detached' })
    await fede.page.waitForFunction((t) => document.title === `${t} · Tavolo`, newTitle)
    expect(await fede.page.getByTestId('meeting-title').textContent()).toBe(newTitle)
    await ugo.page.waitForFunction((t) => document.title === `${t} · Tavolo`, newTitle)
    expect(await ugo.page.getByTestId('meeting-title').textContent()).toBe(newTitle)
    await ugo.close()

    const res = await fetch(`${server.httpUrl}/api/meetings/${created.meeting.id}`, { headers: { authorization: `Bearer ${created.keys.participant}` } })
    const { meeting } = (await res.json()) as CreateMeetingResponse
    expect(meeting).toMatchObject({
      title: newTitle,
      place: 'Sala consiliare, Municipio',
      organisations: ['Comune di Esempio', 'Pro Loco'],
      description: 'Primo laboratorio del percorso partecipativo.',
    })
    expect(Date.parse(meeting.endsAt!) - Date.parse(meeting.startsAt!)).toBe(2 * 3600_000)
    // Reopened, the form shows what was saved (in this browser's time zone).
    await fede.page.getByTestId('meeting-header').locator('button').first().click()
    await fede.page.getByTestId('details-edit').click()
    expect(await fede.page.getByTestId('details-dialog').getByLabel('Inizio (data e ora)').inputValue()).toBe('2025-09-18T17:30')
    await fede.page.getByTestId('details-dialog').getByRole('button', { name: 'Annulla' }).click()
  })

  test('the start page shows the title\'s limit while typing too', async () => {
    await fede.page.goto(server.httpUrl)
    await fede.page.getByLabel('Titolo dell’incontro').fill('Laboratorio')
    expect(await fede.page.getByTestId('create-title-count').textContent()).toBe('11 di 200 caratteri')
  })

  test('a participant has no way to edit the details', async () => {
    const created = await createMeeting('Solo lettura dei dettagli')
    const guest = await openPerson('ospite')
    try {
      await guest.page.goto(`${server.httpUrl}${created.links.participant}`)
      await enterName(guest.page, 'Ospite')
      await waitForEditor(guest.page)
      await guest.page.getByTestId('meeting-header').locator('button').first().click()
      await guest.page.getByText('Il tuo ruolo: Partecipante').waitFor()
      expect(await guest.page.getByTestId('details-edit').count()).toBe(0)
    } finally {
      await guest.close()
    }
  })
})

describe('screenshots at phone, tablet, laptop and projector sizes', () => {
  const SIZES = [
    [390, 844],
    [360, 640],
    [1024, 768],
    [1280, 800],
    [1920, 1080],
  ] as const

  /** Whether the element lies whole inside the page's viewport (what a screenshot of the page shows). */
  async function inViewport(page: Page, locator: Locator): Promise<boolean> {
    const r = await rectOf(locator)
    const { width, height } = page.viewportSize()!
    return r.x >= -0.5 && r.y >= -0.5 && r.x + r.w <= width + 0.5 && r.y + r.h <= height + 0.5
  }
  const fontPx = (locator: Locator) => locator.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))

  // Three pages at five sizes, each read and decoded: longer than the suite's default under a loaded machine.
  test('board, share panel, projector and an error page at every size (test-artifacts/workshop-size-*.png)', { timeout: 300_000 }, async () => {
    const created = await createMeeting('Opificio di Comunità – Primo incontro')
    const [part, wall] = await Promise.all([openPerson('sara'), openPerson('muro')])
    try {
      await fede.page.goto(`${server.httpUrl}${created.links.facilitator}`)
      await waitForEditor(fede.page)
      await fede.page.evaluate(() => {
        window.__tavolo!.editor.createShapes([
          { id: 'shape:benvenuti' as never, type: 'frame', x: 0, y: 0, props: { w: 900, h: 560, name: 'Benvenuti' } },
          { id: 'shape:idea' as never, type: 'note', x: 80, y: 120 },
        ])
      })
      await part.page.goto(`${server.httpUrl}${created.links.participant}`)
      await enterName(part.page, 'Sara')
      await waitForEditor(part.page)
      await wall.page.goto(`${server.httpUrl}${created.links.projector}`)
      await waitForEditor(wall.page)
      for (const [width, height] of SIZES) {
        const size = `${width}x${height}`
        await Promise.all([fede, part, wall].map((p) => p.page.setViewportSize({ width, height })))
        await part.page.locator('[data-testid=connection-status][data-status=connected]').waitFor()
        expect(await inViewport(part.page, part.page.getByTestId('connection-status')), `${size}: connection status on screen`).toBe(true)
        await screenshot(part.page, `workshop-size-${size}-participant.png`)
        await fede.page.getByTestId('lead-share').or(fede.page.getByTestId('lead-open')).first().click()
        if (await fede.page.getByTestId('share-panel').count() === 0) await fede.page.getByTestId('lead-share').click()
        await fede.page.getByTestId('share-panel').waitFor()
        // the QR code a phone scans from this screen leads to the participants' link, at every size (on a 360×640
        // phone the panel scrolls to it)
        const shareQr = fede.page.getByTestId('share-panel').getByTestId('qr-code')
        await shareQr.scrollIntoViewIfNeeded()
        expect(await inViewport(fede.page, shareQr), `${size}: the share panel's QR on screen`).toBe(true)
        expect(await decodeQr(shareQr), `${size}: the share panel's QR reads`).toBe(`http://${LAN_ADDRESS}:${server.port}${created.links.participant}`)
        await screenshot(fede.page, `workshop-size-${size}-share.png`)
        await fede.page.getByTestId('share-panel').getByRole('button', { name: 'Chiudi' }).click()
        await screenshot(fede.page, `workshop-size-${size}-facilitator.png`)
        await wall.page.getByTestId('projector-chrome').waitFor()
        // the wall's title strip is whole and its title big enough to read across a room (clamp(28px, 3.2vw, 52px))
        const title = wall.page.getByTestId('projector-chrome').getByTestId('meeting-title')
        expect(await inViewport(wall.page, wall.page.getByTestId('projector-top')), `${size}: projector strip on screen`).toBe(true)
        expect(await fontPx(title), `${size}: projector title size`).toBeGreaterThanOrEqual(28)
        await screenshot(wall.page, `workshop-size-${size}-projector.png`)
        await part.page.goto(`${server.httpUrl}/board/${created.meeting.id}`)
        const notice = part.page.getByTestId('terminal-close')
        await notice.waitFor()
        expect(await inViewport(part.page, notice), `${size}: the error notice on screen`).toBe(true)
        expect(await fontPx(notice), `${size}: the error notice's text size`).toBeGreaterThanOrEqual(16)
        await screenshot(part.page, `workshop-size-${size}-error-no-key.png`)
        await part.page.goto(`${server.httpUrl}${created.links.participant}`)
        await waitForEditor(part.page)
      }
    } finally {
      await Promise.all([part.close(), wall.close()])
      await fede.page.setViewportSize({ width: 1280, height: 800 })
    }
  })
})
