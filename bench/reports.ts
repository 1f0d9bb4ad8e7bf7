/**
 * Reports (issue 10 benchmark): on a board with the four maps and 2,000 cards spread over their cells (plus the seed
 * meeting's relations), the time to extract the maps and render the report in each format (md, html, json,
 * decidim), and the semantic diff against a second state where 10% of the cards moved, 5% changed text, 5% are new
 * and 5% are gone. Pure functions in this process (what the endpoint runs after reading the version); medians of
 * repeated runs after a warm-up.
 */
import { noteRecord, placeRect, type CardPlace } from '../shared/src/maps/cards.ts'
import { extractMaps } from '../shared/src/maps/extract.ts'
import { revealedVotesOf } from '../shared/src/facilitation/voteRecords.ts'
import { semanticDiff } from '../shared/src/maps/semanticDiff.ts'
import { getTemplate } from '../shared/src/maps/templates.ts'
import type { MapTemplate } from '../shared/src/maps/templateSchema.ts'
import { REPORT_FORMATS, renderReport, type ReportData } from '../shared/src/report/index.ts'
import { buildSeedBoard } from '../server/src/demo/seedBoard.ts'
import { startLoadMeter, waitForQuiet } from './machineLoad.ts'
import { markdownTable, type Report } from './report.ts'
import { fmt, median } from './stats.ts'

type Rec = Record<string, unknown>

/** A small deterministic PRNG (mulberry32), so every run measures the same board. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function placesOf(t: MapTemplate): CardPlace[] {
  switch (t.kind) {
    case 'issues':
      return t.facets.map((f) => ({ facet: f.id }))
    case 'actors':
      return t.categories.flatMap((c) => t.levels.map((l) => ({ category: c.id, level: l.id })))
    case 'programme':
      return t.phases.flatMap((p) => t.rows.map((r) => ({ phase: p.id, row: r.id })))
    case 'architecture':
      return []
  }
}

const MAPS = ['issues', 'actors', 'programme'] as const

/** The seed board plus `cards` notes spread over the cells of the issue, actor and programme maps. */
export function bigBoard(cards: number): Rec[] {
  const next = random(42)
  const records: Rec[] = buildSeedBoard('final')
  for (let i = 0; i < cards; i++) {
    const mapId = MAPS[i % MAPS.length] ?? 'issues'
    const t = getTemplate(mapId)
    if (t === null) throw new Error(`no template ${mapId}`)
    const places = placesOf(t)
    const rect = placeRect(t, places[Math.floor(next() * places.length)] ?? places[0]!)
    if (rect === null) throw new Error('no place')
    const x = rect.x + next() * (rect.w - 160)
    const y = rect.y + next() * (rect.h - 160)
    records.push(noteRecord({ id: `shape:bench${i}`, parentId: `shape:demo-${mapId}`, x, y, text: `Contributo ${i}\nnote della scheda ${i}`, order: 200 + i }))
  }
  return records
}

/** The same board later: 10% of the cards moved to another random spot of their map, 5% edited, 5% removed, 5% new. */
export function laterBoard(board: readonly Rec[], cards: number): Rec[] {
  const next = random(7)
  const out: Rec[] = []
  for (const r of board) {
    const m = /^shape:bench(\d+)$/.exec(String(r.id))
    if (m === null) {
      out.push(r)
      continue
    }
    const i = Number(m[1])
    if (i % 20 === 3) continue
    if (i % 10 === 1) out.push({ ...r, x: Number(r.x) + (next() - 0.5) * 1600, y: Number(r.y) + (next() - 0.5) * 800 })
    else if (i % 20 === 5) out.push({ ...r, props: { ...(r.props as Rec), richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Contributo ${i} (rivisto)` }] }] } } })
    else out.push(r)
  }
  const extra = bigBoard(cards / 20).filter((r) => /^shape:bench\d+$/.test(String(r.id)))
  return [...out, ...extra.map((r) => ({ ...r, id: `${String(r.id)}-new` }))]
}

function timeIt(runs: number, work: () => unknown): number[] {
  for (let i = 0; i < 3; i++) work()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    samples.push(performance.now() - start)
  }
  return samples
}

export async function runReportsBench(report: Report, options: { quick: boolean }): Promise<void> {
  const cards = options.quick ? 200 : 2000
  const runs = options.quick ? 3 : 15
  const board = bigBoard(cards)
  const later = laterBoard(board, cards)
  const quiet = await waitForQuiet(options.quick ? 2_000 : 90_000)
  const meter = startLoadMeter(() => 0)
  const data = (): ReportData => ({
    meeting: {
      title: '1° incontro della Equipe inter-servizio',
      reference: 'par-MEET-2025-09-622',
      startsAt: '2025-09-15T09:00:00+02:00',
      endsAt: '2025-09-15T11:00:00+02:00',
      place: 'Municipio di Santarcangelo di Romagna',
      organisations: ['Amministrazione comunale'],
      description: null,
      attendeesCount: 6,
    },
    version: { number: 2, label: 'Stato finale', createdAt: '2025-09-15T09:00:00Z', kind: 'manual' },
    maps: extractMaps(board),
    votes: revealedVotesOf(board),
    images: [],
    suggestedAttendees: null,
    generatedAt: new Date().toISOString(),
  })
  const rows: string[][] = []
  const perFormat = new Map<string, number>()
  for (const format of REPORT_FORMATS) {
    const samples = timeIt(runs, () => renderReport(data(), { format, locale: 'it' }))
    perFormat.set(format, median(samples))
    const bytes = renderReport(data(), { format, locale: 'it' }).body.length
    rows.push([format, fmt(median(samples)), fmt(Math.max(...samples)), String(bytes)])
  }
  const extractOnly = median(timeIt(runs, () => extractMaps(board)))
  const all = median(timeIt(runs, () => REPORT_FORMATS.map((format) => renderReport(data(), { format, locale: 'it' }))))
  const diffSamples = timeIt(runs, () => semanticDiff(board, later))
  const changes = semanticDiff(board, later).length
  const otherCores = meter.stop()
  report.section(
    'Reports and semantic diff (issue 10)',
    [
      `Board: the seed meeting's four maps with ${cards} extra cards spread over their cells (${board.length} records). ` +
        `Each report run extracts the maps from the records and renders (what the endpoint does after reading the version); ` +
        `extraction alone: ${fmt(extractOnly)} ms median. Medians of ${runs} runs after 3 warm-ups, one process.`,
      '',
      markdownTable(['format', 'median ms', 'max ms', 'bytes'], rows),
      '',
      `All four formats one after another: ${fmt(all)} ms median. Semantic diff against the later state ` +
        `(${changes} changes in words): ${fmt(median(diffSamples))} ms median, ${fmt(Math.max(...diffSamples))} ms max. ` +
        `Other processes used ${fmt(quiet.otherCores, 2)} cores just before and ${fmt(otherCores, 2)} during the measurements.`,
    ].join('\n'),
  )
  const verdict = (ok: boolean) => (options.quick ? 'NOT MEASURED' : ok ? 'PASS' : 'FAIL') as 'PASS' | 'FAIL' | 'NOT MEASURED'
  report.target(`reports: report of a ${cards}-card board, all formats ≤ 200 ms`, verdict(all <= 200), `${fmt(all)} ms median for the four formats together (slowest alone: ${fmt(Math.max(...perFormat.values()))} ms)`)
  report.target(`reports: semantic diff of a ${cards}-card board ≤ 100 ms`, verdict(median(diffSamples) <= 100), `${fmt(median(diffSamples))} ms median`)
}
