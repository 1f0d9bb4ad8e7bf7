/**
 * A report as a small document (headings, fields, paragraphs, lists, tables, images), built once from the maps and
 * then written as Markdown or HTML. Every string in it is plain text: the writers escape all of it, so nothing a
 * person wrote on the board can become markup.
 */
import type { ExtractedMaps, MapData } from '../maps/extract.ts'
import { optionLabel } from '../maps/labels.ts'
import type { Locale } from '../maps/templateSchema.ts'
import type { BoardVote } from '../facilitation/voteRecords.ts'
import { formatInstant, formatMeetingTime, REPORT_WORDS, type ReportWords } from './reportWords.ts'

export type Inline = string | { strong: string }

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4; text: string }
  | { type: 'fields'; items: Array<[string, string]> }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'list'; items: Inline[][] }
  /** `header` names the columns (the first one heads the row labels); each cell is a list of lines. */
  | { type: 'table'; header: string[]; rows: Array<{ label: string; cells: string[][] }> }
  | { type: 'image'; frameId: string; alt: string }

/** What a report is made from: the meeting, which board (a version or live) and its maps. */
export interface ReportData {
  meeting: {
    title: string
    reference: string | null
    startsAt: string | null
    endsAt: string | null
    place: string | null
    organisations: string[]
    description: string | null
    /** The facilitator's figure (null = not given). */
    attendeesCount: number | null
  }
  /** The version reported, or null for the live board. */
  version: { number: number; label: string; createdAt: string; kind: string } | null
  maps: ExtractedMaps
  /** Revealed dot-votes on the board (revealedVotesOf): the "Priorità votate" section. */
  votes: readonly BoardVote[]
  /** SVG images of map frames stored with the version. */
  images: ReadonlyArray<{ frameId: string; svg: string }>
  /** Distinct named participants seen on the board while the server ran (null when unknown). */
  suggestedAttendees: number | null
  /** ISO time the report is made at. */
  generatedAt: string
}

/** Number of contributions: every card with text on the maps and beside them, every node and every relation. */
export function contributionsCount(maps: ExtractedMaps): number {
  let n = maps.others.length
  for (const m of maps.maps) {
    switch (m.kind) {
      case 'issues':
        n += m.facets.reduce((s, f) => s + f.cards.length, 0) + m.unplaced.length
        break
      case 'actors':
        n += m.actors.length
        break
      case 'architecture':
        n += m.nodes.length + m.edges.length
        break
      case 'programme':
        n += Object.values(m.cells).reduce((s, rows) => s + Object.values(rows).reduce((t, c) => t + c.length, 0), 0) + m.unplaced.length
        break
    }
  }
  return n
}

function list(lines: string[]): Block {
  return { type: 'list', items: lines.map((l) => [l]) }
}

function mapBlocks(m: MapData, w: ReportWords, locale: Locale, hasImage: boolean): Block[] {
  const out: Block[] = [{ type: 'heading', level: 3, text: m.title }]
  if (hasImage) out.push({ type: 'image', frameId: m.frameId, alt: w.mapImage(m.title) })
  const t = m.template
  switch (m.kind) {
    case 'issues':
      if (m.question !== '') out.push({ type: 'paragraph', content: [{ strong: `${w.question}: ` }, m.question] })
      out.push({ type: 'paragraph', content: [w.issuesSummary(m.facets.reduce((n, f) => n + f.cards.length, 0) + m.unplaced.length, m.facets.length)] })
      for (const f of m.facets) {
        const facet = m.template.facets.find((x) => x.id === f.id)
        out.push({ type: 'heading', level: 4, text: facet?.label[locale] ?? f.id })
        out.push(f.cards.length === 0 ? { type: 'paragraph', content: [w.noCards] } : list(f.cards.map((c) => c.text)))
      }
      if (m.unplaced.length > 0) out.push({ type: 'heading', level: 4, text: w.unplacedFacet }, list(m.unplaced.map((c) => c.text)))
      break
    case 'actors': {
      const tt = m.template
      const actor = (a: (typeof m.actors)[number]) => (a.notes === '' ? a.name : `${a.name} (${a.notes})`)
      out.push({ type: 'paragraph', content: [w.actorsSummary(m.actors.length, tt.categories.length, tt.levels.length)] })
      out.push({
        type: 'table',
        header: [w.category, ...tt.levels.map((l) => l.label[locale])],
        rows: tt.categories.map((c) => ({
          label: c.label[locale],
          cells: tt.levels.map((l) => m.actors.filter((a) => a.category === c.id && a.level === l.id).map(actor)),
        })),
      })
      const loose = m.actors.filter((a) => a.category === null || a.level === null)
      if (loose.length > 0) {
        out.push({ type: 'heading', level: 4, text: w.unplacedActors })
        out.push(list(loose.map((a) => [actor(a), optionLabel(tt, 'category', a.category, locale), optionLabel(tt, 'level', a.level, locale)].filter((s) => s !== null).join(' — '))))
      }
      break
    }
    case 'architecture': {
      const names = new Map(m.nodes.map((n) => [n.id, n.name]))
      out.push({ type: 'paragraph', content: [w.architectureSummary(m.nodes.length, m.edges.length)] })
      out.push({ type: 'heading', level: 4, text: w.instruments })
      out.push(
        list(
          m.nodes.map((n) => {
            const type = optionLabel(t, 'nodeType', n.nodeType, locale) ?? w.untyped
            return `${n.name === '' ? w.empty : n.name} — ${type}${n.notes === '' ? '' : `: ${n.notes}`}`
          }),
        ),
      )
      out.push({ type: 'heading', level: 4, text: w.relations })
      const name = (id: string | null) => (id === null ? w.nobody : (names.get(id) ?? w.nobody))
      out.push(
        m.edges.length === 0
          ? { type: 'paragraph', content: [w.noRelations] }
          : list(m.edges.map((e) => `${name(e.from)} → ${name(e.to)}${e.label === '' ? '' : `: ${e.label}`}`)),
      )
      break
    }
    case 'programme': {
      const tt = m.template
      const entries = Object.values(m.cells).reduce((n, rows) => n + Object.values(rows).reduce((k, c) => k + c.length, 0), 0)
      out.push({ type: 'paragraph', content: [w.programmeSummary(entries, tt.phases.length)] })
      out.push({
        type: 'table',
        header: ['', ...tt.phases.map((p, i) => `${w.phase(i + 1)} · ${p.label[locale]}`)],
        rows: tt.rows.map((r) => ({ label: r.label[locale], cells: tt.phases.map((p) => (m.cells[p.id]?.[r.id] ?? []).map((c) => c.text)) })),
      })
      if (m.unplaced.length > 0) out.push({ type: 'heading', level: 4, text: w.unplacedProgramme }, list(m.unplaced.map((c) => c.text)))
      break
    }
  }
  return out
}

/** RP4: one "Priorità votate" entry per revealed vote: ranked cards with votes, voters, the rules of the vote. */
function voteBlocks(votes: readonly BoardVote[], w: ReportWords, locale: Locale, cellLabel: (v: BoardVote) => string | null): Block[] {
  if (votes.length === 0) return []
  const out: Block[] = [{ type: 'heading', level: 2, text: w.votedPriorities }]
  for (const v of votes) {
    out.push({ type: 'heading', level: 3, text: w.voteHeading(v.title, v.frameTitle) })
    const fields: Array<[string, string]> = []
    const cell = cellLabel(v)
    if (cell !== null) fields.push([w.voteCell, cell])
    fields.push([w.voteRules, w.voteRulesLine(v.votesPerVoter, v.onePerCard, v.closesAt !== null)])
    fields.push([w.voteVoters, w.voteVotersLine(v.voters, v.votesCast)])
    if (v.closedAt !== null) fields.push([w.voteClosedAt, formatInstant(v.closedAt, locale)])
    out.push({ type: 'fields', items: fields })
    const voted = v.results.filter((r) => r.votes > 0)
    out.push(voted.length === 0 ? { type: 'paragraph', content: [w.voteNoVotes] } : list(voted.map((r) => w.voteLine(r.rank, r.text, r.votes))))
    const unvoted = v.results.length - voted.length
    if (unvoted > 0 && voted.length > 0) out.push({ type: 'paragraph', content: [w.voteUnvoted(unvoted)] })
  }
  return out
}

/** The label of a vote's cell in its map's words (facet, category, phase...), or its id; null for a whole frame. */
function cellLabelIn(maps: ExtractedMaps, locale: Locale): (v: BoardVote) => string | null {
  return (v) => {
    if (v.cell === null) return null
    const map = maps.maps.find((m) => m.frameId === v.frameId)
    if (map === undefined) return v.cell
    for (const field of ['facet', 'category', 'level', 'phase', 'row', 'nodeType', 'instrument'] as const) {
      const label = optionLabel(map.template, field, v.cell, locale)
      if (label !== null) return label
    }
    return v.cell
  }
}

/** The report as a document, in the reader's language. */
export function buildReportDocument(data: ReportData, locale: Locale): Block[] {
  const w = REPORT_WORDS[locale]
  const m = data.meeting
  const fields: Array<[string, string]> = []
  if (m.reference !== null) fields.push([w.reference, m.reference])
  const when = formatMeetingTime(m.startsAt, m.endsAt, locale)
  if (when !== null) fields.push([w.when, when])
  if (m.place !== null) fields.push([w.place, m.place])
  fields.push([
    w.attendees,
    m.attendeesCount !== null ? String(m.attendeesCount) : data.suggestedAttendees !== null ? w.attendeesSuggested(data.suggestedAttendees) : w.attendeesUnknown,
  ])
  if (m.organisations.length > 0) fields.push([w.organisations, m.organisations.join('; ')])
  fields.push([w.version, data.version === null ? w.live : w.versionLine(data.version.number, data.version.label, formatInstant(data.version.createdAt, locale))])
  const out: Block[] = [{ type: 'heading', level: 1, text: m.title }, { type: 'fields', items: fields }]
  if (m.description !== null && m.description.trim() !== '') {
    for (const para of m.description.split(/\n\s*\n/)) out.push({ type: 'paragraph', content: [para.trim()] })
  }
  out.push({ type: 'heading', level: 2, text: w.results })
  const withImage = new Set(data.images.map((i) => i.frameId))
  for (const map of data.maps.maps) out.push(...mapBlocks(map, w, locale, withImage.has(map.frameId)))
  if (data.maps.others.length > 0) out.push({ type: 'heading', level: 2, text: w.others }, list(data.maps.others.map((c) => c.text)))
  out.push(...voteBlocks(data.votes, w, locale, cellLabelIn(data.maps, locale)))
  out.push({ type: 'paragraph', content: [w.generated(formatInstant(data.generatedAt, locale))] })
  return out
}
