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

describe('importing a board whose reference is taken (item 12)', () => {
  test('the import form names the meeting that has the reference before creating; imported anyway, the copy is marked', async () => {
    const source = await createMeeting(server.httpUrl, { title: 'Tavolo di quartiere', reference: 'par-MEET-2026-03-101', description: 'Il primo incontro.' }, STAFF)
    const exported = await fetch(`${server.httpUrl}/api/meetings/${source.meeting.id}/export`, { headers: { authorization: `Bearer ${STAFF}` } })
    expect(exported.status).toBe(200)
    const file = Buffer.from(await exported.arrayBuffer())
    await staff.page.goto(`${server.httpUrl}/#token=${STAFF}`)
    const section = staff.page.getByTestId('import-board')
    await section.waitFor()
    await section.getByTestId('import-file').setInputFiles({ name: 'lavagna.json', mimeType: 'application/json', buffer: file })
    const warning = staff.page.getByTestId('import-reference-taken')
    await warning.waitFor()
    expect(await warning.textContent()).toBe(
      'Attenzione: il riferimento par-MEET-2026-03-101 è già di un’altra riunione: «Tavolo di quartiere». Controlla che non sia un doppione.',
    )
    await warning.scrollIntoViewIfNeeded()
    await screenshot(staff.page, 'import-reference-taken-1366x768.png')
    await staff.page.setViewportSize({ width: 390, height: 844 })
    await warning.scrollIntoViewIfNeeded()
    const box = (await warning.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await screenshot(staff.page, 'import-reference-taken-390x844.png')
    await staff.page.setViewportSize({ width: 1366, height: 768 })
    // Nothing was created yet: the reference still has one meeting.
    const withReference = async () => {
      const res = await fetch(`${server.httpUrl}/api/meetings?reference=par-MEET-2026-03-101`, { headers: { authorization: `Bearer ${STAFF}` } })
      return ((await res.json()) as { meetings: Array<{ meeting: { id: string; title: string; description: string | null } }> }).meetings
    }
    expect(await withReference()).toHaveLength(1)
    await staff.page.getByTestId('import-anyway').click()
    await staff.page.waitForURL(/\/board\//)
    const both = await withReference()
    expect(both).toHaveLength(2)
    const copy = both.find((m) => m.meeting.id !== source.meeting.id)!.meeting
    expect(copy.title).toMatch(/^Tavolo di quartiere \(copia del \d{1,2}\/\d{1,2}\/\d{4}\)$/)
    expect(copy.description).toMatch(/^Importata da un file di «Tavolo di quartiere» \(par-MEET-2026-03-101\), il \d{1,2}\/\d{1,2}\/\d{4}\.\n\nIl primo incontro\.$/)
  })

  test('a file whose reference nobody has is imported at once; "Annulla" on a warning creates nothing', async () => {
    const source = await createMeeting(server.httpUrl, { title: 'Senza doppioni', reference: 'par-MEET-2026-03-202' }, STAFF)
    const file = Buffer.from(await (await fetch(`${server.httpUrl}/api/meetings/${source.meeting.id}/export`, { headers: { authorization: `Bearer ${STAFF}` } })).arrayBuffer())
    await staff.page.goto(`${server.httpUrl}/#token=${STAFF}`)
    await staff.page.getByTestId('import-file').setInputFiles({ name: 'lavagna.json', mimeType: 'application/json', buffer: file })
    await staff.page.getByTestId('import-reference-taken').waitFor()
    await staff.page.getByTestId('import-cancel').click()
    await staff.page.getByTestId('import-file').waitFor()
    const res = await fetch(`${server.httpUrl}/api/meetings?reference=par-MEET-2026-03-202`, { headers: { authorization: `Bearer ${STAFF}` } })
    expect(((await res.json()) as { meetings: unknown[] }).meetings).toHaveLength(1)
    // a file with a fresh reference: straight to the new board
    const fresh = JSON.parse(file.toString('utf8')) as { meeting: { reference: string } }
    fresh.meeting.reference = 'par-MEET-2026-03-303'
    await staff.page.getByTestId('import-file').setInputFiles({ name: 'nuova.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(fresh)) })
    await staff.page.waitForURL(/\/board\//)
    expect(await staff.page.getByTestId('import-reference-taken').count()).toBe(0)
  })
})
