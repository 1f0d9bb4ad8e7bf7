/**
 * Issue 9 in real Chromium, against a server wired like `npm start`: the facilitator saves "Prima stesura" from the
 * versions panel, saving again without a change says so, the board changes, a restore brings version 1 back on the
 * participant's open page without a reload (and keeps the replaced board as a version); staff open version 1 read
 * only from the list of meetings, step to the next one, compare version 1 with version 3 and see the changed notes
 * highlighted; a frame exports as PNG (and SVG with its fonts inside) with the network cut, and nothing ever asks
 * another host. The steps run in order and share the browsers.
 */
import { staffLink } from '../../server/src/http/staffToken.ts'
import { STAFF_AUTH, TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { readFileSync } from 'node:fs'
import type { BoardId } from '../../shared/src/boardId.ts'
import { gridCellAt, gridColumnHeaderRect, gridRowHeaderRect } from '../../shared/src/maps/layout.ts'
import { richTextFromPlain } from '../../shared/src/maps/richTextBuild.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { createMeeting } from '../integration/meetingServer.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
// Brings in the type of window.__tavoloVersion (the read-only version view's editor).
import type {} from '../../client/src/versions/versionTestHook.ts'
import { createNoteThroughUi, enterName, foreignRequests, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

let server: MeetingTestServer
let fede: Person // facilitator
let paolo: Person // participant
let staff: Person // staff reviewing afterwards
let meetingId: string
let links: { facilitator: string; participant: string }

const FRAME = { x: 0, y: 0, w: 900, h: 520 }

beforeAll(async () => {
  server = await startMeetingTestServer({ config: { clientDir: 'dist/client', roomGraceMs: 500, pingIntervalMs: 1000 } })
  ;[fede, paolo, staff] = await Promise.all([openPerson('fede'), openPerson('paolo'), openPerson('staff')])
  // Fede runs the meeting for the municipality: she opened the staff link once on this device, so copying a version
  // into a new meeting and importing a board (both create meetings: staff only) work without asking the code again.
  await fede.page.goto(staffLink(server.httpUrl, TEST_STAFF_TOKEN))
  await fede.page.getByTestId('staff-sign-out').waitFor()
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...STAFF_AUTH },
    body: JSON.stringify({ title: 'Laboratorio sul parco', reference: 'par-MEET-2025-09-622' }),
  })
  expect(response.status).toBe(201)
  const created = (await response.json()) as { meeting: { id: string }; links: typeof links }
  meetingId = created.meeting.id
  links = { facilitator: `${server.httpUrl}${created.links.facilitator}`, participant: `${server.httpUrl}${created.links.participant}` }
})

afterAll(async () => {
  await Promise.all([fede?.close(), paolo?.close(), staff?.close()])
  await server?.close()
})

/** The plain texts of the notes on the live board, sorted. */
async function noteTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = window.__tavolo!.editor
    return editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note')
      .map((s) => editor.getShapeUtil(s).getText(s) ?? '')
      .sort()
  })
}

async function waitForNoteTexts(page: Page, expected: string[], timeout = 5000): Promise<void> {
  await expect.poll(() => noteTexts(page), { timeout }).toEqual([...expected].sort())
}

/** The id of the note with this text on the live board. */
async function noteId(page: Page, text: string): Promise<string> {
  return page.evaluate((t) => {
    const editor = window.__tavolo!.editor
    return editor.getCurrentPageShapes().find((s) => s.type === 'note' && editor.getShapeUtil(s).getText(s) === t)!.id
  }, text)
}

/** Replaces a note's text like a person: double-click, select all, type, Escape. */
async function retypeNote(page: Page, id: string, text: string): Promise<void> {
  const centre = await page.evaluate((shapeId) => {
    const editor = window.__tavolo!.editor
    return editor.pageToScreen(editor.getShapePageBounds(shapeId as never)!.center)
  }, id)
  await page.mouse.dblclick(centre.x, centre.y)
  await page.waitForFunction((shapeId) => window.__tavolo?.editor.getEditingShapeId() === shapeId, id)
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await page.waitForFunction(() => !window.__tavolo?.editor.getEditingShapeId())
}

async function saveVersionThroughPanel(page: Page, label: string): Promise<string> {
  const panel = page.getByTestId('versions-panel')
  await panel.getByTestId('version-label').fill(label)
  await panel.getByTestId('version-save').click()
  const notice = panel.getByTestId('versions-notice')
  await notice.locator('p').first().waitFor()
  return (await notice.textContent()) ?? ''
}

/** The texts of the notes of a read-only version view (its own editor, not the live board's). */
async function versionNoteTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = window.__tavoloVersion!.editor
    return editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note' && s.opacity > 0.5)
      .map((s) => editor.getShapeUtil(s).getText(s) ?? '')
      .sort()
  })
}

describe('meeting versions in the browser', () => {
  test('the facilitator saves “Prima stesura” from the versions panel; saving again without a change says so', async () => {
    await fede.page.goto(links.facilitator)
    await enterName(fede.page, 'Federica')
    await waitForEditor(fede.page)
    await paolo.page.goto(links.participant)
    await enterName(paolo.page, 'Paolo')
    await waitForEditor(paolo.page)
    // A frame (setup through the editor: drawing frames is not under test), then two notes in it through the UI.
    await fede.page.evaluate((f) => {
      const editor = window.__tavolo!.editor
      editor.createShapes([
        { id: 'shape:proposte' as never, type: 'frame', x: f.x, y: f.y, props: { w: f.w, h: f.h, name: 'Proposte' } },
        // A frame marked as one of the maps as "Inserisci mappa" marks it (with the Tavolo lock: an unlocked frame is
        // no map, maps SPEC MP11), far away: its image goes with each version.
        { id: 'shape:mappa' as never, type: 'frame', x: 4000, y: 0, props: { w: 600, h: 400, name: 'Mappa degli attori' }, meta: { tavoloMap: { template: 'actors', templateVersion: 1 }, tavoloLocked: true } },
      ])
      editor.zoomToBounds({ x: f.x - 50, y: f.y - 50, w: f.w + 100, h: f.h + 100 }, { animation: { duration: 0 } })
    }, FRAME)
    const at = (p: { x: number; y: number }) => fede.page.evaluate((q) => window.__tavolo!.editor.pageToScreen(q), p)
    await createNoteThroughUi(fede.page, await at({ x: 200, y: 250 }), 'Biblioteca')
    await createNoteThroughUi(fede.page, await at({ x: 600, y: 250 }), 'Parco giochi')
    await waitForNoteTexts(paolo.page, ['Biblioteca', 'Parco giochi'])

    await fede.page.getByTestId('lead-versions').click()
    const panel = fede.page.getByTestId('versions-panel')
    await panel.waitFor()
    await panel.getByTestId('versions-empty').waitFor()
    expect(await saveVersionThroughPanel(fede.page, 'Prima stesura')).toContain('Salvata come versione 1.')
    const first = panel.locator('[data-testid=version-item][data-number="1"]')
    await first.waitFor()
    const firstText = (await first.textContent()) ?? ''
    expect(firstText).toContain('Versione 1 (di 1)')
    expect(firstText).toContain('Prima stesura')
    expect(firstText).toContain('Salvata a mano')
    expect(firstText).toContain('Federica (Conduci l’incontro)')
    expect(firstText).toContain('4 elementi') // the two frames and the two notes
    await screenshot(fede.page, 'versions-panel-1280x800.png')

    // After the save, the facilitator's browser stored the map frame's image with the version (for the report).
    const facilitatorKey = new URL(links.facilitator).hash.slice(3)
    await expect
      .poll(async () => {
        const r = await fetch(`${server.httpUrl}/api/meetings/${meetingId}/versions/1/images`, { headers: { authorization: `Bearer ${facilitatorKey}` } })
        return r.ok ? ((await r.json()) as { images: Array<{ frameId: string; svg: string }> }).images.map((i) => [i.frameId, i.svg.startsWith('<svg')]) : r.status
      })
      .toEqual([['shape:mappa', true]])

    // Same board, second save: no new version, and the panel says it in plain words.
    expect(await saveVersionThroughPanel(fede.page, 'Ancora la prima')).toContain('Nessuna modifica dall’ultima versione')
    await expect.poll(() => panel.getByTestId('version-item').count()).toBe(1)
  })

  test('the board changes; restoring version 1 shows it on the participant’s open page without a reload, and keeps the replaced board as a version', async () => {
    const panel = fede.page.getByTestId('versions-panel')
    // Version 2: one note retyped. Then more changes, not saved: the restore must keep them as a version.
    await retypeNote(fede.page, await noteId(fede.page, 'Parco giochi'), 'Parco giochi inclusivo')
    expect(await saveVersionThroughPanel(fede.page, 'Seconda stesura')).toContain('Salvata come versione 2.')
    await retypeNote(fede.page, await noteId(fede.page, 'Biblioteca'), 'Biblioteca aperta la sera')
    await createNoteThroughUi(fede.page, await fede.page.evaluate(() => window.__tavolo!.editor.pageToScreen({ x: 400, y: 430 })), 'Orti urbani')
    await waitForNoteTexts(paolo.page, ['Biblioteca aperta la sera', 'Orti urbani', 'Parco giochi inclusivo'])
    // The participant's page must not reload: a marker on its window survives only if it does not.
    await paolo.page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true))

    await panel.locator('[data-testid=version-item][data-number="1"]').getByTestId('version-restore').click()
    const confirm = panel.getByTestId('version-confirm')
    expect(await confirm.textContent()).toContain('La lavagna attuale viene salvata come versione prima del ripristino: non si perde nulla')
    await screenshot(fede.page, 'versions-restore-confirm.png')
    await confirm.getByTestId('version-confirm-yes').click()
    await panel.getByTestId('versions-restored').waitFor()

    await waitForNoteTexts(paolo.page, ['Biblioteca', 'Parco giochi'])
    await waitForNoteTexts(fede.page, ['Biblioteca', 'Parco giochi'])
    expect(await paolo.page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true)

    // 3: the board before the restore, 4: the restore itself. Newest first.
    await expect.poll(() => panel.getByTestId('version-item').count()).toBe(4)
    const kinds = await panel.getByTestId('version-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))
    expect(kinds).toEqual(['restored', 'before-restore', 'manual', 'manual'])
    expect(await panel.locator('[data-testid=version-item][data-number="3"]').textContent()).toContain('Salvata prima di un ripristino')
    expect(await panel.locator('[data-testid=version-item][data-number="4"]').textContent()).toContain('Versione 4 (di 4)')
    await screenshot(paolo.page, 'versions-participant-restored.png')

    // "Chiudi sessione" right after the restore: nothing changed since version 4, so no version is added.
    await panel.getByTestId('version-close-session').click()
    await expect.poll(() => panel.getByTestId('versions-notice').textContent()).toContain('Nessuna modifica dall’ultima versione (versione 4)')
    expect(await panel.getByTestId('version-item').count()).toBe(4)

    await fede.page.setViewportSize({ width: 390, height: 844 })
    try {
      await screenshot(fede.page, 'versions-panel-390x844.png')
      const box = await panel.boundingBox()
      expect(box!.x).toBeGreaterThanOrEqual(0)
      expect(box!.x + box!.width).toBeLessThanOrEqual(390)
    } finally {
      await fede.page.setViewportSize({ width: 1280, height: 800 })
    }
  })

  test('staff open version 1 read only from the list of meetings, without touching the live board, and step to the next', async () => {
    await staff.page.goto(staffLink(server.httpUrl, TEST_STAFF_TOKEN))
    const item = staff.page.locator(`[data-testid=meeting-item][data-meeting-id="${meetingId}"]`)
    await item.getByTestId('meeting-versions').click()
    await staff.page.getByTestId('versions-page').waitFor()
    await screenshot(staff.page, 'versions-list-page.png')
    await staff.page.locator('[data-testid=version-item][data-number="1"]').getByTestId('version-open').click()
    await staff.page.waitForFunction(() => Boolean(window.__tavoloVersion?.editor))
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 1 di 4 — sola lettura')
    expect(await versionNoteTexts(staff.page)).toEqual(['Biblioteca', 'Parco giochi'])
    expect(await staff.page.evaluate(() => window.__tavoloVersion!.editor.getIsReadonly())).toBe(true)
    // Every record of the version was loaded (tldraw's own document records included).
    expect(await staff.page.getByTestId('version-skipped').count()).toBe(0)
    // No live board here: no sync socket, no live editor handle.
    expect(staff.requests.filter((u) => u.includes('/sync/'))).toEqual([])
    expect(await staff.page.evaluate(() => window.__tavolo === undefined)).toBe(true)
    await screenshot(staff.page, 'versions-view-1280x800.png')

    await staff.page.setViewportSize({ width: 390, height: 844 })
    try {
      await screenshot(staff.page, 'versions-view-390x844.png')
    } finally {
      await staff.page.setViewportSize({ width: 1280, height: 800 })
    }

    // «Precedente» and «Successiva» stay put from one version's label to the next (issue 19 item 17)
    const buttonsAt = () =>
      staff.page.evaluate(() => ['version-previous', 'version-next'].map((id) => Math.round(document.querySelector(`[data-testid=${id}]`)!.getBoundingClientRect().left)))
    const before = await buttonsAt()
    await staff.page.getByTestId('version-next').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 2 di 4 — sola lettura')
    expect(await buttonsAt()).toEqual(before)
    await expect.poll(() => versionNoteTexts(staff.page)).toEqual(['Biblioteca', 'Parco giochi inclusivo'])
    // Version 2 against the live board (version 1 again since the restore): the retyped note, in words.
    await staff.page.getByTestId('version-compare-with').selectOption('live')
    await staff.page.getByTestId('version-compare-go').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Confronto: versione 2 → lavagna attuale')
    await expect
      .poll(() => staff.page.getByTestId('change-item').allTextContents())
      .toEqual(['✎Cambiato: nota «Parco giochi inclusivo», testo da «Parco giochi inclusivo» a «Parco giochi»'])
    await staff.page.goBack()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 2 di 4 — sola lettura')
    await staff.page.getByTestId('version-previous').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 1 di 4 — sola lettura')
  })

  test('staff compare version 1 with version 3: the changed notes are highlighted, listed in words, and a click zooms to one', async () => {
    await staff.page.getByTestId('version-compare-with').selectOption('3')
    await staff.page.getByTestId('version-compare-go').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Confronto: versione 1 → 3')
    const list = staff.page.getByTestId('change-list')
    await list.waitFor()
    const words = await list.getByTestId('change-item').allTextContents()
    expect(words).toContain('+Aggiunto: nota «Orti urbani»')
    expect(words).toContain('✎Cambiato: nota «Biblioteca», testo da «Biblioteca» a «Biblioteca aperta la sera»')
    expect(words).toContain('✎Cambiato: nota «Parco giochi», testo da «Parco giochi» a «Parco giochi inclusivo»')

    // On the board: each changed note outlined with the "changed" style, the new one with the "added" style.
    const highlighted = (kind: string) =>
      staff.page.locator(`[data-testid=change-highlight][data-kind=${kind}]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-shape-id')))
    const ids = await staff.page.evaluate(() => {
      const editor = window.__tavoloVersion!.editor
      const byText = (t: string) => editor.getCurrentPageShapes().find((s) => editor.getShapeUtil(s).getText(s) === t)!.id
      return { library: byText('Biblioteca aperta la sera'), park: byText('Parco giochi inclusivo'), gardens: byText('Orti urbani') }
    })
    expect((await highlighted('changed')).sort()).toEqual([ids.library, ids.park].sort())
    expect(await highlighted('added')).toEqual([ids.gardens])
    // The styles differ by line pattern, not only by colour.
    const style = (kind: string) =>
      staff.page.locator(`[data-testid=change-highlight][data-kind=${kind}]`).first().evaluate((e) => getComputedStyle(e).borderTopStyle)
    expect(await style('changed')).toBe('dotted')
    expect(await style('added')).toBe('solid')
    await screenshot(staff.page, 'versions-compare-1280x800.png')

    // A click on a change zooms the board to that note.
    await list.locator(`[data-testid=change-item][data-shape-id="${ids.gardens}"]`).click()
    await staff.page.waitForFunction<boolean, string>((id) => {
      const editor = window.__tavoloVersion!.editor
      const b = editor.getShapePageBounds(id as never)!
      const v = editor.getViewportPageBounds()
      return editor.getZoomLevel() >= 0.99 && v.minX <= b.minX && v.maxX >= b.maxX && v.minY <= b.minY && v.maxY >= b.maxY
    }, ids.gardens)
    expect(await staff.page.locator('.tavolo-change-focused').getAttribute('data-shape-id')).toBe(ids.gardens)

    // 3 → 4 (the restore): the note the restore took away is a faint ghost where it was, with the "removed" style.
    const url = new URL(staff.page.url())
    await staff.page.goto(`${url.origin}${url.pathname.replace('/versions/1/compare/3', '/versions/3/compare/4')}${url.hash}`)
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Confronto: versione 3 → 4')
    await expect.poll(() => staff.page.getByTestId('change-item').allTextContents()).toContain('−Tolto: nota «Orti urbani»')
    expect(await highlighted('removed')).toEqual([ids.gardens])
    expect(await style('removed')).toBe('dashed')
    expect(await staff.page.evaluate<number, string>((id) => window.__tavoloVersion!.editor.getShape(id as never)!.opacity, ids.gardens)).toBeLessThanOrEqual(0.35)
    await screenshot(staff.page, 'versions-compare-removed.png')

    await staff.page.setViewportSize({ width: 390, height: 844 })
    try {
      await screenshot(staff.page, 'versions-compare-390x844.png')
      // The banner stays on screen on a phone.
      const banner = await staff.page.getByTestId('version-banner').boundingBox()
      expect(banner!.x).toBeGreaterThanOrEqual(0)
      expect(banner!.x + banner!.width).toBeLessThanOrEqual(390)
    } finally {
      await staff.page.setViewportSize({ width: 1280, height: 800 })
    }
  })

  test('a frame of a version exports as PNG with the network cut, and as SVG with its fonts inside; no request ever left the app’s origin', async () => {
    // From the comparison (3 → 4) back to version 3, then two steps back to version 1 with the banner's buttons.
    await staff.page.getByTestId('compare-open-from').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 3 di 4 — sola lettura')
    await staff.page.getByTestId('version-previous').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 2 di 4 — sola lettura')
    await staff.page.getByTestId('version-previous').click()
    await expect.poll(() => staff.page.getByTestId('version-banner-title').textContent()).toBe('Versione 1 di 4 — sola lettura')
    await staff.page.getByTestId('export-scope').selectOption({ label: 'Solo la cornice «Proposte»' })
    await staff.context.setOffline(true)
    try {
      const [png] = await Promise.all([staff.page.waitForEvent('download'), staff.page.getByTestId('export-png').click()])
      expect(png.suggestedFilename()).toBe('par-meet-2025-09-622-versione-1-proposte.png')
      const bytes = readFileSync((await png.path())!)
      expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      // PNG header: width and height (pixel ratio 2, padding 32 around the 900 × 520 frame).
      expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(FRAME.w * 2)
      expect(bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(FRAME.h * 2)
    } finally {
      await staff.context.setOffline(false)
    }
    const [svg] = await Promise.all([staff.page.waitForEvent('download'), staff.page.getByTestId('export-svg').click()])
    const text = readFileSync((await svg.path())!, 'utf8')
    expect(text).toMatch(/^<svg/)
    expect(text).toContain('Biblioteca')
    expect(text).not.toContain('Mappa degli attori') // only the chosen frame
    // The fonts travel inside the file (tldraw inlines the @font-face rules of our self-hosted assets).
    expect(text).toMatch(/@font-face\s*\{[^}]*url\(["']?data:/)

    expect(foreignRequests(staff.requests, server.httpUrl)).toEqual([])
    expect(foreignRequests(fede.requests, server.httpUrl)).toEqual([])
    expect(foreignRequests(paolo.requests, server.httpUrl)).toEqual([])
    expect(staff.errors).toEqual([])
  })

  test('a version downloads as a board file; the home page refuses a broken file with the server’s words and imports the good one as a new meeting', async () => {
    const [file] = await Promise.all([staff.page.waitForEvent('download'), staff.page.getByTestId('export-json').click()])
    expect(file.suggestedFilename()).toBe('par-meet-2025-09-622-versione-1.json')
    const path = (await file.path())!
    const exported = JSON.parse(readFileSync(path, 'utf8')) as { records: Array<{ id: string; type?: string; props?: Record<string, unknown> }> }
    expect(exported).toMatchObject({ format: 'tavolo-board', meeting: { title: 'Laboratorio sul parco' } })

    await staff.page.goto(server.httpUrl)
    // The same file with one note's colour broken: the server names the record and the field.
    const broken = structuredClone(exported)
    const spoilt = broken.records.find((r) => r.type === 'note')!
    spoilt.props!.color = 'nessuno'
    await staff.page.getByLabel('Importa una lavagna (file .json)').setInputFiles({ name: 'rotto.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) })
    // its reference is this meeting's: the duplicate warning comes first (meetings SPEC M6), then the server's check
    await staff.page.getByTestId('import-anyway').click()
    const failed = staff.page.getByTestId('import-failed')
    await failed.waitFor()
    await screenshot(staff.page, 'versions-import-refused.png')
    const said = (await failed.textContent()) ?? ''
    expect(said).toContain('Il file non è stato importato. Non è stato creato niente.')
    expect(said).toContain(spoilt.id)
    expect(said).toContain('color')
    // issue 19 item 16: what a person reads is in their language; the server's English words are folded away
    const visible = await failed.innerText()
    expect(visible).toContain('Il server non ha accettato i dati')
    expect(visible).not.toContain('invalid import file')
    await failed.getByText('Dettagli tecnici (per chi ti aiuta)').click()
    expect(await failed.innerText()).toContain(spoilt.id)
    await staff.page.setViewportSize({ width: 390, height: 844 })
    try {
      await staff.page.getByTestId('import-board').scrollIntoViewIfNeeded()
      await screenshot(staff.page, 'versions-import-refused-390x844.png')
    } finally {
      await staff.page.setViewportSize({ width: 1280, height: 800 })
    }

    await staff.page.goto(server.httpUrl)
    await staff.page.getByLabel('Importa una lavagna (file .json)').setInputFiles(path)
    // the file carries this meeting's reference (par-MEET-2025-09-622): the form names it first (meetings SPEC M6)
    await staff.page.getByTestId('import-reference-taken').waitFor()
    expect(await staff.page.getByTestId('import-reference-taken').textContent()).toContain('par-MEET-2025-09-622')
    await staff.page.getByTestId('import-anyway').click()
    await staff.page.waitForFunction(() => location.pathname.startsWith('/board/') || document.querySelector('[data-testid=import-failed]'))
    // the good file imports (say why if it was refused; the board page that follows has no <main> to read)
    if ((await staff.page.getByTestId('import-failed').count()) > 0) {
      throw new Error(`the good file was refused: ${(await staff.page.getByTestId('import-failed').textContent()) ?? ''}`)
    }
    await staff.page.waitForURL((url) => url.pathname.startsWith('/board/') && !url.pathname.includes(meetingId) && url.hash.startsWith('#k='))
    await enterName(staff.page, 'Staff')
    await waitForEditor(staff.page)
    await waitForNoteTexts(staff.page, ['Biblioteca', 'Parco giochi'])
    // The new meeting's links must be handed out: its share panel opens, as after creating a meeting.
    await staff.page.getByTestId('share-panel').waitFor()
  })

  test('“Apri come nuova riunione” copies a version into a new meeting and opens its facilitator board; this meeting keeps its versions', async () => {
    const panel = fede.page.getByTestId('versions-panel')
    await panel.locator('[data-testid=version-item][data-number="2"]').getByTestId('version-copy').click()
    await panel.getByTestId('version-confirm-yes').click()
    await fede.page.waitForURL((url) => url.pathname.startsWith('/board/') && !url.pathname.includes(meetingId))
    await waitForEditor(fede.page)
    await waitForNoteTexts(fede.page, ['Biblioteca', 'Parco giochi inclusivo'])
    expect(await fede.page.getByTestId('meeting-role').getAttribute('data-role')).toBe('facilitator')
    await fede.page.getByTestId('share-panel').waitFor()
    const original = await fetch(`${server.httpUrl}/api/meetings/${meetingId}/versions`, { headers: { authorization: `Bearer ${new URL(links.facilitator).hash.slice(3)}` } })
    expect(((await original.json()) as { total: number }).total).toBe(4)
  })

  test('participants see the versions only once the facilitator allows it, and then without save or restore', async () => {
    expect(await paolo.page.getByTestId('versions-open').count()).toBe(0)
    const facilitatorKey = new URL(links.facilitator).hash.slice(3)
    const patched = await fetch(`${server.httpUrl}/api/meetings/${meetingId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${facilitatorKey}` },
      body: JSON.stringify({ versionsVisibleTo: 'participants' }),
    })
    expect(patched.status).toBe(200)
    await paolo.page.reload()
    await waitForEditor(paolo.page)
    await paolo.page.getByTestId('versions-open').click()
    const panel = paolo.page.getByTestId('versions-panel')
    await expect.poll(() => panel.getByTestId('version-item').count()).toBe(4)
    expect(await panel.getByTestId('version-save-form').count()).toBe(0)
    expect(await panel.getByTestId('version-restore').count()).toBe(0)
    expect(await panel.getByTestId('version-close-session').count()).toBe(0)
    await screenshot(paolo.page, 'versions-participant-panel.png')
  })
})

describe('the compare view shows a change in its map cell (issue 19 item 17)', () => {
  test('a click on a changed card of the actor map fits the card with its cell and both headers beside the panel, the card readable', async () => {
    const ACTORS = 'shape:demo-actors'
    const records = buildSeedBoard('final') as unknown as Array<BoardRecord & { parentId?: string; x?: number; y?: number; props?: Record<string, unknown> }>
    const card = records.find((r) => r.type === 'note' && r.parentId === ACTORS)!
    const created = await createMeeting(server.httpUrl, { title: 'Confronto nella cella' })
    const id = created.meeting.id as string as BoardId
    const schema = serverSerializedSchema()
    await server.server.rooms.withBoardDoc(id, (doc) => {
      doc.transact(() => writeBoardRecords(doc, records, schema), { kind: 'server', reason: 'demo' })
    })
    await server.meetings.service.save(id as never, { label: 'Prima', note: null, author: { name: 'Test', role: 'facilitator' } })
    const changed = records.map((r) => (r.id === card.id ? { ...r, props: { ...r.props, richText: richTextFromPlain('Gruppo cambiato nel confronto') } } : r))
    await server.server.rooms.withBoardDoc(id, (doc) => {
      doc.transact(() => writeBoardRecords(doc, changed as never, schema), { kind: 'server', reason: 'demo' })
    })
    await server.meetings.service.save(id as never, { label: 'Dopo', note: null, author: { name: 'Test', role: 'facilitator' } })

    // The cell the card lies in, and its headers, from the template's geometry (frame coordinates → page).
    const t = getTemplate('actors')!
    if (t.kind !== 'actors' || t.layout.type !== 'grid') throw new Error('actors grid')
    const frame = records.find((r) => r.id === ACTORS)!
    const w = (card.props!.w as number | undefined) ?? 200
    const at = gridCellAt(t.layout, t.categories.length, t.levels.length, { x: card.x! + (w * ((card.props!.scale as number) ?? 1)) / 2, y: card.y! + 20 })
    expect(at.column).not.toBeNull()
    expect(at.row).not.toBeNull()
    const toPage = (r: { x: number; y: number; w: number; h: number }) => ({ x: r.x + frame.x!, y: r.y + frame.y!, w: r.w, h: r.h })
    const headers = [toPage(gridColumnHeaderRect(t.layout, at.column!)), toPage(gridRowHeaderRect(t.layout, at.row!))]

    for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
      const page = await staff.context.newPage()
      try {
        await page.setViewportSize(viewport)
        await page.goto(`${server.httpUrl}/board/${id}/versions/1/compare/2#k=${created.keys.facilitator}`)
        const item = page.locator(`[data-testid=change-item][data-shape-id="${card.id}"]`)
        await item.waitFor()
        await screenshot(page, `versions-compare-open-${viewport.width}x${viewport.height}.png`)
        // The side panel is beside the board, not over it: it covers none of the canvas (a map's next column header
        // lay under it at 1366×768).
        const layout = await page.evaluate(() => {
          const box = (s: string) => {
            const r = document.querySelector(s)?.getBoundingClientRect()
            return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null
          }
          return { side: box('[data-testid=version-side]'), canvas: box('.tl-canvas') }
        })
        expect(layout.side).not.toBeNull()
        expect(layout.canvas).not.toBeNull()
        expect(layout.side!.left).toBeGreaterThanOrEqual(layout.canvas!.right)
        expect(layout.side!.right).toBeLessThanOrEqual(viewport.width)
        // and the board's first fit already leaves that column free: the whole board in the canvas
        const board = await page.evaluate(() => {
          const editor = window.__tavoloVersion!.editor
          const b = editor.getCurrentPageBounds()!
          return { left: editor.pageToViewport({ x: b.minX, y: b.minY }).x, right: editor.pageToViewport({ x: b.maxX, y: b.maxY }).x, width: editor.getViewportScreenBounds().w }
        })
        expect(board.left).toBeGreaterThanOrEqual(-0.5)
        expect(board.right).toBeLessThanOrEqual(board.width + 0.5)
        await item.click()
        // the camera has arrived when two reads 250 ms apart agree
        let last = ''
        await expect
          .poll(async () => {
            const now = JSON.stringify(await page.evaluate(() => window.__tavoloVersion!.editor.getCamera()))
            const same = now === last
            last = now
            return same
          }, { timeout: 10_000, interval: 250 })
          .toBe(true)
        const seen = await page.evaluate(
          ({ cardId, boxes }) => {
            const editor = window.__tavoloVersion!.editor
            const side = document.querySelector('.tavolo-version-side')?.getBoundingClientRect()
            const banner = document.querySelector('[data-testid=version-banner]')?.getBoundingClientRect()
            const area = { left: 0, top: banner?.bottom ?? 0, right: side ? side.left : window.innerWidth, bottom: window.innerHeight }
            const onScreen = (b: { x: number; y: number; w: number; h: number }) => {
              const a = editor.pageToViewport({ x: b.x, y: b.y })
              const z = editor.getZoomLevel()
              return { left: a.x, top: a.y, right: a.x + b.w * z, bottom: a.y + b.h * z }
            }
            const inside = (r: { left: number; top: number; right: number; bottom: number }) =>
              r.left >= area.left - 0.5 && r.top >= area.top - 0.5 && r.right <= area.right + 0.5 && r.bottom <= area.bottom + 0.5
            const cb = editor.getShapePageBounds(cardId as never)!
            const text = document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${cardId}"] .tl-rich-text`)!
            const r = text.getBoundingClientRect()
            return {
              card: inside(onScreen({ x: cb.x, y: cb.y, w: cb.w, h: cb.h })),
              headers: boxes.map((b) => inside(onScreen(b))),
              textPx: (parseFloat(getComputedStyle(text).fontSize) * r.width) / text.offsetWidth,
              zoom: editor.getZoomLevel(),
            }
          },
          { cardId: card.id, boxes: headers },
        )
        await screenshot(page, `versions-compare-cell-${viewport.width}x${viewport.height}.png`)
        expect(seen.card).toBe(true)
        expect(seen.headers).toEqual([true, true])
        expect(seen.textPx).toBeGreaterThanOrEqual(12)
      } finally {
        await page.close()
      }
    }
  })
})
