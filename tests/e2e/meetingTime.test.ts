/**
 * Issue 19 item 17 in real Chromium: a 09:00 meeting in Rome reads 09:00 (with its end time and organisations) in
 * the staff list and on the board's header, in a browser (and server) running in UTC.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { createMeeting } from '../integration/meetingServer.ts'
import { enterName, openPerson, screenshot, waitForEditor, type Person } from './browserPage.ts'

const STAFF = 'token-dello-staff'
let server: MeetingTestServer
let fede: Person

beforeAll(async () => {
  server = await startMeetingTestServer({ adminToken: STAFF, config: { clientDir: 'dist/client' } })
  fede = await openPerson('fede')
})

afterAll(async () => {
  await fede?.close()
  await server?.close()
})

describe('a meeting\'s time is its own zone\'s', () => {
  test('staff list and board header say 09:00–11:00 for a 09:00 meeting in Rome, in a UTC browser', async () => {
    expect(await fede.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toMatch(/^(UTC|Etc\/UTC)$/)
    const created = await createMeeting(
      server.httpUrl,
      { title: 'Laboratorio in Rocca', startsAt: '2026-12-06T09:00:00+01:00', endsAt: '2026-12-06T11:00:00+01:00', organisations: ['Comune', 'Pro Loco'] },
      STAFF,
    )
    await fede.page.goto(`${server.httpUrl}/meetings`)
    const form = fede.page.getByTestId('staff-token')
    await form.locator('input').fill(STAFF)
    await form.locator('button[type=submit]').click()
    const item = fede.page.locator(`[data-testid=meeting-item][data-meeting-id="${created.meeting.id}"]`)
    await item.waitFor()
    expect(await item.getByTestId('meeting-when').innerText()).toBe('domenica 6 dicembre 2026, 09:00–11:00')
    expect(await item.getByTestId('meeting-organisations').innerText()).toBe('Comune, Pro Loco')
    for (const [w, h] of [[390, 844], [1366, 768], [1920, 1080]] as const) {
      await fede.page.setViewportSize({ width: w, height: h })
      await screenshot(fede.page, `meeting-time-list-${w}x${h}.png`)
    }
    await fede.page.setViewportSize({ width: 1366, height: 768 })

    await fede.page.goto(`${server.httpUrl}${new URL(created.links.facilitator, server.httpUrl).pathname}${new URL(created.links.facilitator, server.httpUrl).hash}`)
    await enterName(fede.page, 'Federica')
    await waitForEditor(fede.page)
    await expect.poll(() => fede.page.getByTestId('meeting-header').textContent(), { timeout: 15_000 }).toContain('09:00–11:00')
  })
})
