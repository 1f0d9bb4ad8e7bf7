import { describe, expect, it } from 'vitest'
import { extractMaps } from '../../shared/src/maps/extract.ts'
import { revealedVotesOf } from '../../shared/src/facilitation/voteRecords.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'
import { renderReport, type DecidimClosePayload, type ReportData } from '../../shared/src/report/index.ts'
import { escapeMarkdown } from '../../shared/src/report/escape.ts'
import { renderMarkdown } from '../../shared/src/report/renderMarkdown.ts'
import { formatMeetingTime } from '../../shared/src/report/reportWords.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'

const SEED_MEETING: ReportData['meeting'] = {
  title: '1° incontro della Equipe inter-servizio',
  reference: 'par-MEET-2025-09-622',
  startsAt: '2025-09-15T09:00:00+02:00',
  endsAt: '2025-09-15T11:00:00+02:00',
  place: 'Municipio di Santarcangelo di Romagna, Piazza Ganganelli 1, 47822 Santarcangelo di Romagna RN',
  organisations: ['Amministrazione comunale (dirigenti, funzionari di diversi settori e servizi)'],
  description: null,
  attendeesCount: 6,
}

function data(records = buildSeedBoard('final'), over: Partial<ReportData> = {}): ReportData {
  return {
    meeting: SEED_MEETING,
    version: { number: 2, label: 'Stato finale', createdAt: '2025-09-15T09:05:00.000Z', kind: 'manual' },
    maps: extractMaps(records),
    votes: revealedVotesOf(records),
    images: [],
    suggestedAttendees: null,
    generatedAt: '2025-09-22T11:03:00.000Z',
    ...over,
  }
}

const EVIL = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']

/** The seed board with hostile texts: as an actor, as a facet card, outside the maps, and as an arrow label. */
function evilBoard(): Array<Record<string, unknown>> {
  const records = buildSeedBoard('final').map((r) => {
    if (r.id === 'shape:demo-r3') return { ...r, props: { ...(r.props as object), richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: EVIL[1] }] }] } } }
    return r
  })
  records.push(noteRecord({ id: 'shape:evil1', parentId: 'shape:demo-actors', x: 2400, y: 260, text: `${EVIL[0]}\n${EVIL[1]}`, order: 90 }))
  records.push(noteRecord({ id: 'shape:evil2', parentId: 'shape:demo-issues', x: 80, y: 900, text: EVIL[1] ?? '', order: 91 }))
  records.push(noteRecord({ id: 'shape:evil3', parentId: 'page:page', x: -2000, y: 0, text: `${EVIL[0]} | **x** [l](javascript:alert(1))`, order: 92 }))
  return records
}

describe('report (Italian)', () => {
  const md = renderReport(data(), { format: 'md', locale: 'it' })

  it('Markdown: meeting metadata, then a section per map as the seed writes its results', () => {
    expect(md.contentType).toBe('text/markdown; charset=utf-8')
    const body = md.body
    expect(body).toContain('# 1° incontro della Equipe inter-servizio')
    expect(body).toContain('- **Riferimento:** par-MEET-2025-09-622')
    expect(body).toContain('- **Data e ora:** 15 settembre 2025, 09:00–11:00')
    expect(body).toContain('- **Conteggio dei partecipanti:** 6')
    expect(body).toContain('- **Organizzazioni partecipanti:** Amministrazione comunale (dirigenti, funzionari di diversi settori e servizi)')
    expect(body).toContain('- **Versione:** 2: Stato finale (15 settembre 2025, 11:05)')
    expect(body).toContain('## Risultati')
    expect(body).toContain('### Mappa delle questioni in gioco')
    expect(body).toContain("**Domanda centrale:** Qual è l'identità dell'Opificio di Comunità?")
    expect(body).toContain('10 contributi in 5 sfaccettature.')
    expect(body).toContain('#### Definizione sociale\n\n- Laboratorio di relazioni\n- Forme innovative di collaborazione e mutualità')
    expect(body).toContain('6 strumenti e 6 relazioni.')
    expect(body).toContain('12 contenuti in 3 fasi.')
    // the actor map as a category × level table
    expect(body).toContain('| Categoria | Nucleo fondativo | Allargamento strategico | Validazione comunitaria |')
    expect(body).toContain('| **Reti solidali attive** | Gruppi CIVIVO | Esperienze collaborative esistenti | — |')
    // the architecture as a list of relations
    expect(body).toContain('- Patto Fondativo → Cabina di Regia: modalità operative')
    expect(body).toContain('- Cabina di Regia — Organo di coordinamento')
    // the programme as a phase table
    expect(body).toContain('| Voce | Fase 1 · Attivazione e ingaggio | Fase 2 · Mappatura e co-progettazione operativa | Fase 3 · Finalizzazione e validazione comunitaria |')
    expect(body).toContain("| **Domande guida** | Chi deve sedere al Tavolo di Negoziazione? | Quali priorità per il modello operativo dell'Opificio? | La proposta è condivisa dalla comunità? |")
    expect(body).toContain('## Altri contenuti')
  })

  it('without the facilitator’s count, the report says so and gives the board’s figure', () => {
    const body = renderReport(data(undefined, { meeting: { ...SEED_MEETING, attendeesCount: null }, suggestedAttendees: 5 }), { format: 'md', locale: 'it' }).body
    expect(body).toContain('- **Conteggio dei partecipanti:** non indicato (sulla lavagna: 5 persone con un nome)')
  })

  it('HTML: a printable page with tables and the maps’ SVG images embedded as data: images', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>è</text></svg>'
    const html = renderReport(data(undefined, { images: [{ frameId: 'shape:demo-actors', svg }] }), { format: 'html', locale: 'it' })
    expect(html.contentType).toBe('text/html; charset=utf-8')
    expect(html.body).toMatch(/^<!doctype html>\n<html lang="it">/)
    expect(html.body).toContain('@media print')
    expect(html.body).toContain('<th scope="row">Reti solidali attive</th><td>Gruppi CIVIVO</td>')
    expect(html.body).toContain(`<img src="data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}" alt="Immagine della mappa «Mappa degli attori»">`)
    expect(html.body.match(/<img /g)).toHaveLength(1)
  })

  it('JSON: the maps as data with labels, and the suggested attendee count', () => {
    const json = JSON.parse(renderReport(data(undefined, { suggestedAttendees: 4 }), { format: 'json', locale: 'it' }).body)
    expect(json.suggestedAttendees).toBe(4)
    expect(json.attendees).toEqual({ count: 6, suggested: 4 })
    const actors = json.maps.find((m: { kind: string }) => m.kind === 'actors')
    expect(actors.actors.find((a: { name: string }) => a.name === 'Gruppi CIVIVO')).toMatchObject({ categoryLabel: 'Reti solidali attive', levelLabel: 'Nucleo fondativo' })
    const programme = json.maps.find((m: { kind: string }) => m.kind === 'programme')
    expect(programme.phases[1].rows[3]).toMatchObject({ label: 'Domande guida', cards: [expect.objectContaining({ text: "Quali priorità per il modello operativo dell'Opificio?" })] })
  })

  it('Decidim: the close-meeting form fields', () => {
    const payload = JSON.parse(renderReport(data(), { format: 'decidim', locale: 'it' }).body) as DecidimClosePayload
    expect(Object.keys(payload).sort()).toEqual(['attendeesCount', 'attendingOrganizations', 'closedAt', 'closingReport', 'closingVisible', 'contributionsCount', 'proposalIds'])
    expect(payload).toMatchObject({
      attendeesCount: 6,
      attendingOrganizations: 'Amministrazione comunale (dirigenti, funzionari di diversi settori e servizi)',
      closedAt: '2025-09-15T11:00:00+02:00',
      closingVisible: true,
      proposalIds: [],
    })
    // 10 facet cards + 8 actors + 6 nodes + 6 relations + 12 programme cards + 1 other
    expect(payload.contributionsCount).toBe(43)
    expect(payload.closingReport.startsWith('<h2>Risultati</h2>')).toBe(true)
    expect(payload.closingReport).not.toContain('<table')
    expect(payload.closingReport).toContain('<li><strong>Reti solidali attive</strong> — Nucleo fondativo: Gruppi CIVIVO; Allargamento strategico: Esperienze collaborative esistenti; Validazione comunitaria: —</li>')
  })

  const decidim = (over: Partial<ReportData>): DecidimClosePayload =>
    JSON.parse(renderReport(data(undefined, over), { format: 'decidim', locale: 'it' }).body) as DecidimClosePayload

  it('Decidim: the facilitator’s attendee count wins over the board’s suggestion, which fills in only when there is none', () => {
    expect(decidim({ suggestedAttendees: 4 }).attendeesCount).toBe(6)
    expect(decidim({ meeting: { ...SEED_MEETING, attendeesCount: 0 }, suggestedAttendees: 4 }).attendeesCount).toBe(0)
    expect(decidim({ meeting: { ...SEED_MEETING, attendeesCount: null }, suggestedAttendees: 4 }).attendeesCount).toBe(4)
    expect(decidim({ meeting: { ...SEED_MEETING, attendeesCount: null }, suggestedAttendees: null }).attendeesCount).toBe(0)
  })

  it('Decidim: closedAt is the meeting’s end, else the version’s date, else the time of the report', () => {
    const noEnd = { ...SEED_MEETING, endsAt: null }
    expect(decidim({ meeting: noEnd }).closedAt).toBe('2025-09-15T09:05:00.000Z')
    expect(decidim({ meeting: noEnd, version: null }).closedAt).toBe('2025-09-22T11:03:00.000Z')
  })
})

describe('report (English)', () => {
  it('headings and map labels in English; what people wrote stays as written', () => {
    const body = renderReport(data(), { format: 'md', locale: 'en' }).body
    expect(body).toContain('- **Reference:** par-MEET-2025-09-622')
    expect(body).toContain('- **Date and time:** 15 September 2025, 09:00–11:00')
    expect(body).toContain('- **Number of participants:** 6')
    expect(body).toContain('## Results')
    expect(body).toContain('### Mappa delle questioni in gioco') // the frame's name, as the board shows it
    expect(body).toContain('| Category | Founding core | Strategic enlargement | Community validation |')
    expect(body).toContain('| **Active solidarity networks** | Gruppi CIVIVO |')
    expect(body).toContain('| Item | Phase 1 · Activation and engagement |')
    expect(body).toContain('## Other contents')
    const html = renderReport(data(), { format: 'html', locale: 'en' }).body
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h4>Relations</h4>')
  })
})

describe('RP1 escaping: a card with <script> or <img onerror> is text in every format', () => {
  const evil = data(evilBoard(), { meeting: { ...SEED_MEETING, title: '<b>Titolo</b> & <script>x()</script>', organisations: ['<img src=x onerror=alert(2)>'] } })

  it.each(['it', 'en'] as const)('HTML (%s)', (locale) => {
    const body = renderReport(evil, { format: 'html', locale }).body
    expect(body).not.toMatch(/<script/i)
    expect(body).not.toMatch(/<img src=x/i)
    expect(body).not.toContain('<b>')
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(body).toContain('<title>&lt;b&gt;Titolo&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;</title>')
  })

  it('Markdown: no raw HTML, no Markdown syntax from the cards', () => {
    const body = renderReport(evil, { format: 'md', locale: 'it' }).body
    expect(body).not.toMatch(/<script|<img|<b>/i)
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(body).toContain('\\| \\*\\*x\\*\\* \\[l\\](javascript:alert(1))')
    expect(escapeMarkdown('- not a list\n# nor a heading')).toBe('\\- not a list / \\# nor a heading')
  })

  /** Every line break a Markdown renderer (or an editor it is pasted into) may honour. */
  const LINE_BREAKS = { LF: '\n', CRLF: '\r\n', CR: '\r', VT: '\v', FF: '\f', NEL: '\u0085', LS: '\u2028', PS: '\u2029' }

  it.each(Object.entries(LINE_BREAKS))('Markdown: a %s in a card starts no line of its own (no list item, heading or table row)', (_name, br) => {
    const card = `Scuola${br}# Titolo iniettato${br}- voce iniettata${br}| a | b |${br}1) numerata${br}  ${br}fine`
    expect(escapeMarkdown(card)).toBe('Scuola / \\# Titolo iniettato / - voce iniettata / \\| a \\| b \\| / 1) numerata / fine')
    expect(escapeMarkdown(`1.${br}x`)).toBe('1\\. / x')
    const markdown = renderMarkdown([
      { type: 'list', items: [[card]] },
      { type: 'table', header: ['Voce', 'Fase 1'], rows: [{ label: card, cells: [[card, card]] }] },
      { type: 'fields', items: [['Luogo', card]] },
    ])
    const lines = markdown.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)
    expect(lines.filter((l) => /^\s*(#|- voce|\| a|1\))/.test(l))).toEqual([])
    expect(lines.filter((l) => l !== '')).toHaveLength(5)
  })

  it('Decidim: the closing report is escaped HTML', () => {
    const payload = JSON.parse(renderReport(evil, { format: 'decidim', locale: 'it' }).body) as DecidimClosePayload
    expect(payload.closingReport).not.toMatch(/<script|<img src=x/i)
    expect(payload.closingReport).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(payload.attendingOrganizations).toBe('<img src=x onerror=alert(2)>') // a plain text field: Decidim escapes it
  })

  it('JSON: the texts are string values, exactly as written', () => {
    const json = JSON.parse(renderReport(evil, { format: 'json', locale: 'it' }).body)
    const actors = json.maps.find((m: { kind: string }) => m.kind === 'actors')
    expect(actors.actors.find((a: { id: string }) => a.id === 'shape:evil1')).toMatchObject({ name: EVIL[0], notes: EVIL[1] })
  })
})

describe('meeting time', () => {
  it('is written in the meeting’s zone (Europe/Rome), whatever the server’s', () => {
    expect(formatMeetingTime('2025-09-15T07:00:00Z', '2025-09-15T09:00:00Z', 'it')).toBe('15 settembre 2025, 09:00–11:00')
    expect(formatMeetingTime('2025-09-15T07:00:00Z', '2025-09-16T09:00:00Z', 'en')).toBe('15 September 2025, 09:00 – 16 September 2025, 11:00')
    expect(formatMeetingTime(null, null, 'it')).toBeNull()
  })
})
