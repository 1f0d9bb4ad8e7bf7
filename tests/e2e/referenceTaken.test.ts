/**
 * Issue 19 item 12 in real Chromium (meetings SPEC M6): the staff's create form warns, naming the meeting, when the
 * reference typed is one another meeting already has (an import or a copy keeps it); creating is still allowed.
 * At 1366×768 and on a 390×844 phone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { createMeeting } from '../integration/meetingServer.ts'
import { openPerson, screenshot, type Person } from './browserPage.ts'

const STAFF = 'token-dello-staff-per-i-riferimenti'
let server: MeetingTestServer
let staff: Person

beforeAll(async () => {
  server = await startMeetingTestServer({ adminToken: STAFF, config: { clientDir: 'dist/client' } })
  staff = await openPerson('staff', { viewport: { width: 1366, height: 768 } })
})

afterAll(async () => {
  await staff?.close()
  await server?.close()
})

describe('a duplicate reference (item 12)', () => {
  test('the create form names the meeting that already has the reference, and still creates', async () => {
    await createMeeting(server.httpUrl, { title: '1° incontro della Equipe inter-servizio', reference: 'par-MEET-2025-09-622' }, STAFF)
    await staff.page.goto(`${server.httpUrl}/#token=${STAFF}`)
    const form = staff.page.getByTestId('create-meeting')
    await form.waitFor()
    const reference = form.locator('input').nth(1)
    await reference.fill('par-MEET-2025-09-999')
    // a reference nobody has: no warning (the answer comes after a short pause in typing)
    await staff.page.waitForResponse((r) => r.url().includes('reference=par-MEET-2025-09-999'))
    expect(await staff.page.getByTestId('create-reference-taken').count()).toBe(0)
    await reference.fill('PAR-meet-2025-09-622')
    const warning = staff.page.getByTestId('create-reference-taken')
    await warning.waitFor()
    expect(await warning.textContent()).toBe(
      'Attenzione: il riferimento PAR-meet-2025-09-622 è già di un’altra riunione: «1° incontro della Equipe inter-servizio». Controlla che non sia un doppione.',
    )
    await screenshot(staff.page, 'reference-taken-1366x768.png')
    await staff.page.setViewportSize({ width: 390, height: 844 })
    const box = (await warning.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await screenshot(staff.page, 'reference-taken-390x844.png')
    await staff.page.setViewportSize({ width: 1366, height: 768 })
    // a warning, not a refusal
    await form.locator('input').first().fill('Secondo incontro')
    await form.locator('button[type=submit]').click()
    await staff.page.waitForURL(/\/board\//)
  })
})
