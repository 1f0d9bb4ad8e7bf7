/**
 * A report as a small document (headings, fields, paragraphs, lists, tables, images), built once from the maps and
 * then written as Markdown or HTML. Every string in it is plain text: the writers escape all of it, so nothing a
 * person wrote on the board can become markup.
 */
import type { ExtractedMaps, MapData } from '../maps/extract.ts'
import { optionLabel } from '../maps/labels.ts'
import type { Locale } from '../maps/templateSchema.ts'
import type { MeetingWrittenFields } from '../meetings/meetingSchemas.ts'
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
  /** `attendeesCount` is the facilitator's figure (null = not given). */
  meeting: MeetingWrittenFields
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
  let count = maps.others.length
  for (const map of maps.maps) {
    switch (map.kind) {
      case 'issues':
        count += map.facets.reduce((s, f) => s + f.cards.length, 0) + map.unplaced.length
        break
      case 'actors':
        count += map.actors.length
        break
      case 'architecture':
        count += map.nodes.length + map.edges.length
        break
      case 'programme':
        count += Object.values(map.cells).reduce((s, rows) => s + Object.values(rows).reduce((t, c) => t + c.length, 0), 0) + map.unplaced.length
        break
    }
  }
  return count
}

function list(lines: string[]): Block {
  return { type: 'list', items: lines.map((line) => [line]) }
}

function mapBlocks(map: MapData, words: ReportWords, locale: Locale, hasImage: boolean): Block[] {
  const out: Block[] = [{ type: 'heading', level: 3, text: map.title }]
  if (hasImage) out.push({ type: 'image', frameId: map.frameId, alt: words.mapImage(map.title) })
  switch (map.kind) {
    case 'issues':
      if (map.question !== '') out.push({ type: 'paragraph', content: [{ strong: `${words.question}: ` }, map.question] })
      out.push({ type: 'paragraph', content: [words.issuesSummary(map.facets.reduce((n, f) => n + f.cards.length, 0) + map.unplaced.length, map.facets.length)] })
      for (const f of map.facets) {
        const facet = map.template.facets.find((x) => x.id === f.id)
        out.push({ type: 'heading', level: 4, text: facet?.label[locale] ?? f.id })
        out.push(f.cards.length === 0 ? { type: 'paragraph', content: [words.noCards] } : list(f.cards.map((c) => c.text)))
      }
      if (map.unplaced.length > 0) out.push({ type: 'heading', level: 4, text: words.unplacedFacet }, list(map.unplaced.map((c) => c.text)))
      break
    case 'actors': {
      const template = map.template
      const actor = (a: (typeof map.actors)[number]) => (a.notes === '' ? a.name : `${a.name} (${a.notes})`)
      out.push({ type: 'paragraph', content: [words.actorsSummary(map.actors.length, template.categories.length, template.levels.length)] })
      out.push({
        type: 'table',
        header: [words.category, ...template.levels.map((level) => level.label[locale])],
        rows: template.categories.map((category) => ({
          label: category.label[locale],
          cells: template.levels.map((level) => map.actors.filter((a) => a.category === category.id && a.level === level.id).map(actor)),
        })),
      })
      const loose = map.actors.filter((a) => a.category === null || a.level === null)
      if (loose.length > 0) {
        out.push({ type: 'heading', level: 4, text: words.unplacedActors })
        out.push(list(loose.map((a) => [actor(a), optionLabel(template, 'category', a.category, locale), optionLabel(template, 'level', a.level, locale)].filter((s) => s !== null).join(' — '))))
      }
      break
    }
    case 'architecture': {
      const template = map.template
      const names = new Map(map.nodes.map((n) => [n.id, n.name]))
      out.push({ type: 'paragraph', content: [words.architectureSummary(map.nodes.length, map.edges.length)] })
      out.push({ type: 'heading', level: 4, text: words.instruments })
      out.push(
        list(
          map.nodes.map((n) => {
            const type = optionLabel(template, 'nodeType', n.nodeType, locale) ?? words.untyped
            return `${n.name === '' ? words.empty : n.name} — ${type}${n.notes === '' ? '' : `: ${n.notes}`}`
          }),
        ),
      )
      out.push({ type: 'heading', level: 4, text: words.relations })
      const name = (id: string | null) => (id === null ? words.nobody : (names.get(id) ?? words.nobody))
      out.push(
        map.edges.length === 0
          ? { type: 'paragraph', content: [words.noRelations] }
          : list(map.edges.map((e) => `${name(e.from)} → ${name(e.to)}${e.label === '' ? '' : `: ${e.label}`}`)),
      )
      break
    }
    case 'programme': {
      const template = map.template
      const entries = Object.values(map.cells).reduce((n, rows) => n + Object.values(rows).reduce((k, c) => k + c.length, 0), 0)
      out.push({ type: 'paragraph', content: [words.programmeSummary(entries, template.phases.length)] })
      out.push({
        type: 'table',
        header: [words.programmeRow, ...template.phases.map((phase, i) => `${words.phase(i + 1)} · ${phase.label[locale]}`)],
        rows: template.rows.map((row) => ({ label: row.label[locale], cells: template.phases.map((phase) => (map.cells[phase.id]?.[row.id] ?? []).map((c) => c.text)) })),
      })
      if (map.unplaced.length > 0) out.push({ type: 'heading', level: 4, text: words.unplacedProgramme }, list(map.unplaced.map((c) => c.text)))
      break
    }
  }
  return out
}

/** RP4: one "Priorità votate" entry per revealed vote: ranked cards with votes, voters, the rules of the vote. */
function voteBlocks(votes: readonly BoardVote[], words: ReportWords, locale: Locale, cellLabel: (v: BoardVote) => string | null): Block[] {
  if (votes.length === 0) return []
  const out: Block[] = [{ type: 'heading', level: 2, text: words.votedPriorities }]
  for (const v of votes) {
    out.push({ type: 'heading', level: 3, text: words.voteHeading(v.title, v.frameTitle) })
    const fields: Array<[string, string]> = []
    const cell = cellLabel(v)
    if (cell !== null) fields.push([words.voteCell, cell])
    fields.push([words.voteRules, words.voteRulesLine(v.votesPerVoter, v.onePerCard, v.closesAt !== null)])
    fields.push([words.voteVoters, words.voteVotersLine(v.voters, v.votesCast)])
    if (v.closedAt !== null) fields.push([words.voteClosedAt, formatInstant(v.closedAt, locale)])
    out.push({ type: 'fields', items: fields })
    const voted = v.results.filter((r) => r.votes > 0)
    out.push(voted.length === 0 ? { type: 'paragraph', content: [words.voteNoVotes] } : list(voted.map((r) => words.voteLine(r.rank, r.text, r.votes))))
    const unvoted = v.results.length - voted.length
    if (unvoted > 0 && voted.length > 0) out.push({ type: 'paragraph', content: [words.voteUnvoted(unvoted)] })
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
  const words = REPORT_WORDS[locale]
  const meeting = data.meeting
  const fields: Array<[string, string]> = []
  if (meeting.reference !== null) fields.push([words.reference, meeting.reference])
  const when = formatMeetingTime(meeting.startsAt, meeting.endsAt, locale)
  if (when !== null) fields.push([words.when, when])
  if (meeting.place !== null) fields.push([words.place, meeting.place])
  fields.push([
    words.attendees,
    meeting.attendeesCount !== null ? String(meeting.attendeesCount) : data.suggestedAttendees !== null ? words.attendeesSuggested(data.suggestedAttendees) : words.attendeesUnknown,
  ])
  if (meeting.organisations.length > 0) fields.push([words.organisations, meeting.organisations.join('; ')])
  fields.push([words.version, data.version === null ? words.live : words.versionLine(data.version.number, data.version.label, formatInstant(data.version.createdAt, locale))])
  const out: Block[] = [{ type: 'heading', level: 1, text: meeting.title }, { type: 'fields', items: fields }]
  if (meeting.description !== null && meeting.description.trim() !== '') {
    for (const para of meeting.description.split(/\n\s*\n/)) out.push({ type: 'paragraph', content: [para.trim()] })
  }
  out.push({ type: 'heading', level: 2, text: words.results })
  const withImage = new Set(data.images.map((i) => i.frameId))
  for (const map of data.maps.maps) out.push(...mapBlocks(map, words, locale, withImage.has(map.frameId)))
  if (data.maps.others.length > 0) out.push({ type: 'heading', level: 2, text: words.others }, list(data.maps.others.map((c) => c.text)))
  out.push(...voteBlocks(data.votes, words, locale, cellLabelIn(data.maps, locale)))
  out.push({ type: 'paragraph', content: [words.generated(formatInstant(data.generatedAt, locale))] })
  return out
}
