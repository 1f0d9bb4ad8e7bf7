/**
 * Issue 12, erasing a meeting in real Chromium against a server wired like `npm start`: the facilitator deletes it
 * from the board's menu, the staff from the list, after a confirmation that names it; whoever has the board open sees
 * the plain-words notice (4410) and the browser's local copy of the board is erased too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type { MeetingId } from '../../shared/src/meetings/meetingId.ts'
import { staffLink } from '../../server/src/http/staffToken.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { createMeeting } from '../integration/meetingServer.ts'
import { createNoteThroughUi, enterName, openPerson, screenshot, shapesOn, waitForAsyncCondition, waitForEditor, type Person } from './browserPage.ts'

const STAFF = 'token-dello-staff'
let server: MeetingTestServer
let fede: Person // facilitator, then staff
let paolo: Person // participant

beforeAll(async () => {
  server = await startMeetingTestServer({ adminToken: STAFF, config: { clientDir: 'dist/client', retainDays: 90 } })
  ;[fede, paolo] = await Promise.all([openPerson('fede'), openPerson('paolo')])
})

afterAll(async () => {
  await Promise.all([fede?.close(), paolo?.close()])
  await server?.close()
})

const boardUrl = (link: string) => `${server.httpUrl}${new URL(link, server.httpUrl).pathname}${new URL(link, server.httpUrl).hash}`

async function localBoardCopies(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tavolo-board-')))
}

async function expectDeletedNotice(page: Page): Promise<void> {
  const notice = page.locator('[data-testid=terminal-close][data-code="4410"]')
  await notice.waitFor({ timeout: 15_000 })
  expect(await notice.innerText()).toContain('Questa riunione è stata eliminata')
  expect(await notice.innerText()).toContain('Anche la copia salvata su questo dispositivo è stata cancellata.')
}

describe('erasing a meeting in the browser', () => {
  test('the facilitator deletes it from the board menu; the participant on the board sees the notice and loses the local copy', async () => {
    const m = await createMeeting(server.httpUrl, { title: 'Consulta giovani di Borgo Nuovo' }, STAFF)
    await Promise.all([fede.page.goto(boardUrl(m.links.facilitator)), paolo.page.goto(boardUrl(m.links.participant))])
    await Promise.all([enterName(fede.page, 'Fede'), enterName(paolo.page, 'Paolo')])
    await Promise.all([waitForEditor(fede.page), waitForEditor(paolo.page)])
    await createNoteThroughUi(paolo.page, { x: 640, y: 420 }, 'Più panchine al parco')
    await fede.page.waitForFunction(() => (window.__tavolo?.editor.getCurrentPageShapes().length ?? 0) > 0)
    await waitForAsyncCondition(paolo.page, async () => (await indexedDB.databases()).some((d) => d.name?.startsWith('tavolo-board-')), null, 'the local copy')

    await fede.page.getByTestId('main-menu.button').click()
    await fede.page.getByTestId('main-menu.tavolo-delete-meeting').click()
    const dialog = fede.page.getByTestId('delete-meeting-dialog')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('Eliminare «Consulta giovani di Borgo Nuovo»?')
    const confirm = fede.page.getByTestId('delete-meeting-confirm')
    expect(await confirm.isDisabled()).toBe(true)
    await screenshot(fede.page, 'erase-board-dialog-1280.png')
    // Cancel keeps everything
    await dialog.getByRole('button', { name: 'Annulla' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await server.meetings.store.get(m.meeting.id as MeetingId)).not.toBeNull()

    await fede.page.getByTestId('main-menu.button').click()
    await fede.page.getByTestId('main-menu.tavolo-delete-meeting').click()
    await fede.page.getByTestId('delete-meeting-understood').check()
    await confirm.click()

    await Promise.all([expectDeletedNotice(fede.page), expectDeletedNotice(paolo.page)])
    await screenshot(paolo.page, 'erase-board-notice-participant-1280.png')
    expect(await server.meetings.store.get(m.meeting.id as MeetingId)).toBeNull()
    await waitForAsyncCondition(paolo.page, async () => !(await indexedDB.databases()).some((d) => d.name?.startsWith('tavolo-board-')), null, 'no local copy')
    expect(await localBoardCopies(paolo.page)).toEqual([])

    // Reopening the link: the meeting is gone, nothing comes back from the device either
    await paolo.page.reload()
    await paolo.page.getByText('Questa riunione non esiste').waitFor({ timeout: 15_000 })
    expect(await shapesOn(paolo.page)).toEqual([])
  })

  test('S10: a device that comes back to a meeting erased meanwhile (4404) loses its local copy too', async () => {
    const m = await createMeeting(server.httpUrl, { title: 'Tavolo del verde pubblico' }, STAFF)
    await paolo.page.goto(boardUrl(m.links.participant))
    // the name may be remembered from the test before
    await Promise.race([waitForEditor(paolo.page), paolo.page.getByTestId('name-dialog').waitFor()])
    if (await paolo.page.getByTestId('name-dialog').isVisible()) await enterName(paolo.page, 'Paolo')
    await waitForEditor(paolo.page)
    await createNoteThroughUi(paolo.page, { x: 640, y: 420 }, 'Alberi lungo il viale')
    const dbName = `tavolo-board-${m.meeting.id}`
    await waitForAsyncCondition(paolo.page, async (name) => (await indexedDB.databases()).some((d) => d.name === name), dbName, 'the local copy')
    // the device leaves; the meeting is erased while nobody has it open
    await paolo.page.goto(`${server.httpUrl}/`)
    const erased = await fetch(`${server.httpUrl}/api/meetings/${m.meeting.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${STAFF}` } })
    expect(erased.status).toBe(200)

    await paolo.page.goto(boardUrl(m.links.participant))
    await paolo.page.locator('[data-testid=terminal-close][data-code="4404"]').waitFor({ timeout: 15_000 })
    await waitForAsyncCondition(paolo.page, async (name) => !(await indexedDB.databases()).some((d) => d.name === name), dbName, 'the local copy erased')
  })

  test('staff see when each meeting will be deleted, and delete one from the list after a confirmation naming it', async () => {
    const keep = await createMeeting(server.httpUrl, { title: 'Assemblea di quartiere' }, STAFF)
    // a copy or an import shares its title: the dialog names the code and the date too (issue 19 item 12)
    const gone = await createMeeting(
      server.httpUrl,
      { title: 'Laboratorio sul mercato coperto', reference: 'MC-03', startsAt: '2025-09-18T15:30:00Z', endsAt: '2025-09-18T17:30:00Z' },
      STAFF,
    )
    await paolo.page.goto(boardUrl(gone.links.participant))
    await waitForEditor(paolo.page)

    await fede.page.goto(`${server.httpUrl}/meetings`)
    const form = fede.page.getByTestId('staff-token')
    await form.locator('input').fill(STAFF)
    await form.locator('button[type=submit]').click()
    const item = fede.page.locator(`[data-testid=meeting-item][data-meeting-id="${gone.meeting.id}"]`)
    await item.waitFor()
    // never used: 90 days after creation
    expect(await item.getByTestId('meeting-deletes-on').innerText()).toMatch(/^dal .+, se nessuno lo usa$/)

    await item.getByTestId('meeting-delete').click()
    const dialog = fede.page.getByTestId('delete-meeting-dialog')
    expect(await dialog.innerText()).toContain('Eliminare «Laboratorio sul mercato coperto»?')
    const which = await dialog.getByTestId('delete-meeting-which').innerText()
    expect(which).toContain('MC-03')
    expect(which).toContain('giovedì 18 settembre 2025, 17:30–19:30')
    await fede.page.setViewportSize({ width: 390, height: 844 })
    await screenshot(fede.page, 'erase-list-dialog-390.png')
    await fede.page.setViewportSize({ width: 1280, height: 800 })
    await fede.page.getByTestId('delete-meeting-understood').check()
    await fede.page.getByTestId('delete-meeting-confirm').click()

    await fede.page.getByTestId('meeting-deleted').waitFor()
    expect(await fede.page.getByTestId('meeting-deleted').innerText()).toBe('«Laboratorio sul mercato coperto» è stato eliminato.')
    await item.waitFor({ state: 'detached' })
    await fede.page.locator(`[data-testid=meeting-item][data-meeting-id="${keep.meeting.id}"]`).waitFor()
    await screenshot(fede.page, 'erase-list-after-1280.png')
    await expectDeletedNotice(paolo.page)
    // after a reload the list is the server's, not a local filter
    await fede.page.reload()
    await fede.page.locator(`[data-testid=meeting-item][data-meeting-id="${keep.meeting.id}"]`).waitFor()
    expect(await fede.page.locator(`[data-testid=meeting-item][data-meeting-id="${gone.meeting.id}"]`).count()).toBe(0)
  })

  test('on a server without RETAIN_DAYS the list shows no deletion date, and deletes with the staff token of the staff link', async () => {
    const open = await startMeetingTestServer({ config: { clientDir: 'dist/client' } })
    try {
      const m = await createMeeting(open.httpUrl, { title: 'Incontro senza scadenza' })
      await fede.page.goto(staffLink(open.httpUrl, TEST_STAFF_TOKEN))
      const item = fede.page.locator(`[data-testid=meeting-item][data-meeting-id="${m.meeting.id}"]`)
      await item.waitFor()
      // retention is off on this server: no date shown
      expect(await item.getByTestId('meeting-deletes-on').count()).toBe(0)
      await item.getByTestId('meeting-delete').click()
      await fede.page.getByTestId('delete-meeting-understood').check()
      await fede.page.getByTestId('delete-meeting-confirm').click()
      await fede.page.getByTestId('meeting-deleted').waitFor()
      expect(await open.meetings.store.get(m.meeting.id as MeetingId)).toBeNull()
    } finally {
      await open.close()
    }
  })
})
