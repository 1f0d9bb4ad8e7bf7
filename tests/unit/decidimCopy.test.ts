import { describe, expect, it } from 'vitest'
import { extractMaps } from '../../shared/src/maps/extract.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'
import { decidimCopyFields, decidimDateTime, parseDecidimPayload, renderReport, reportHtmlToText, type ReportData } from '../../shared/src/report/index.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'

function payloadOf(records = buildSeedBoard('final')) {
  const data: ReportData = {
    meeting: {
      title: '1° incontro della Equipe inter-servizio',
      reference: 'par-MEET-2025-09-622',
      startsAt: '2025-09-15T09:00:00+02:00',
      endsAt: '2025-09-15T11:00:00+02:00',
      place: 'Municipio',
      organisations: ['Amministrazione comunale', 'Gruppo CIVIVO Borgo'],
      description: null,
      attendeesCount: 6,
    },
    version: null,
    maps: extractMaps(records),
    votes: [],
    images: [],
    suggestedAttendees: null,
    generatedAt: '2025-09-22T11:03:00.000Z',
  }
  const body = renderReport(data, { format: 'decidim', locale: 'it' }).body
  const payload = parseDecidimPayload(body)
  if (payload === null) throw new Error('not a Decidim payload')
  return payload
}

describe('issue 19 item 11: the Decidim close-meeting form, one field at a time', () => {
  it('gives the form\'s fields in its order: the closing report as HTML and as text, the others as plain values', () => {
    const fields = decidimCopyFields(payloadOf())
    expect(fields.map((f) => f.field)).toEqual(['closing_report', 'attendees_count', 'contributions_count', 'attending_organizations', 'proposal_ids', 'closed_at'])
    const byField = Object.fromEntries(fields.map((f) => [f.field, f]))
    expect(byField.closing_report?.html?.startsWith('<h2>Risultati</h2>')).toBe(true)
    expect(byField.closing_report?.text.startsWith('Risultati\n\n')).toBe(true)
    expect(byField.closing_report?.text).toContain('- Reti solidali attive — Nucleo fondativo: Gruppi CIVIVO;')
    expect(byField.closing_report?.text).not.toMatch(/<|&amp;|&lt;/)
    expect(byField.attendees_count?.text).toBe('6')
    expect(byField.contributions_count?.text).toBe('43')
    expect(byField.attending_organizations?.text).toBe('Amministrazione comunale, Gruppo CIVIVO Borgo')
    expect(byField.proposal_ids?.text).toBe('')
    expect(byField.closed_at?.text).toBe('15/09/2025 11:00')
    // only the closing report is rich text: a number pasted as HTML would carry markup into a number field
    expect(fields.filter((f) => f.html !== undefined).map((f) => f.field)).toEqual(['closing_report'])
  })

  it('what people wrote is text in the plain copy and escaped in the HTML copy', () => {
    const records = buildSeedBoard('final')
    records.push(noteRecord({ id: 'shape:evil', parentId: 'shape:demo-actors', x: 2400, y: 260, text: '<script>alert(1)</script> & co', order: 90 }))
    const report = decidimCopyFields(payloadOf(records))[0]!
    expect(report.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co')
    expect(report.text).toContain('<script>alert(1)</script> & co')
  })

  it('the plain text of the report fragment; the closing time in the meeting\'s zone; junk is no payload', () => {
    expect(reportHtmlToText('<h2>A &amp; B</h2>\n<p>x <strong>y</strong></p>\n<ul><li>uno</li><li>due</li></ul><figure><img src="data:x" alt="m"></figure>')).toBe(
      'A & B\n\nx y\n\n- uno\n- due',
    )
    expect(decidimDateTime('2025-12-06T08:00:00.000Z')).toBe('06/12/2025 09:00')
    expect(decidimDateTime('not a date')).toBe('')
    expect(parseDecidimPayload('{"closingReport": 1}')).toBeNull()
    expect(parseDecidimPayload('<html>')).toBeNull()
  })
})
