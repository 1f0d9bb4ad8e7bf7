/**
 * The meeting report in four formats:
 * - `md`: Markdown; `html`: a printable page embedding the maps' SVG images;
 * - `json`: the same content as data (labels resolved in the reader's language, plus `suggestedAttendees`);
 * - `decidim`: the fields of Decidim's admin close-meeting form (`closingReport` as HTML without tables,
 *   `attendeesCount`, `contributionsCount`, `attendingOrganizations`, `closedAt`, `closingVisible`, `proposalIds`).
 * Every user-written text is escaped for its format. Pure.
 */
import type { MapData } from '../maps/extract.ts'
import { optionLabel } from '../maps/labels.ts'
import type { Locale } from '../maps/templateSchema.ts'
import { buildReportDocument, contributionsCount, type ReportData } from './reportDocument.ts'
import { renderHtmlFragment, renderHtmlPage } from './renderHtml.ts'
import { renderMarkdown } from './renderMarkdown.ts'

export const REPORT_FORMATS = ['md', 'html', 'json', 'decidim'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export interface RenderedReport {
  contentType: string
  body: string
}

/** Decidim's close-meeting form (admin) and its API's closeMeeting input, as JSON. */
export interface DecidimClosePayload {
  closingReport: string
  attendeesCount: number
  contributionsCount: number
  attendingOrganizations: string
  closedAt: string
  closingVisible: boolean
  proposalIds: number[]
}

function mapJson(m: MapData, locale: Locale): Record<string, unknown> {
  const base = { kind: m.kind, frameId: m.frameId, template: m.template.id, title: m.title }
  const t = m.template
  switch (m.kind) {
    case 'issues':
      return {
        ...base,
        question: m.question,
        facets: m.facets.map((f) => ({ id: f.id, label: optionLabel(t, 'facet', f.id, locale), cards: f.cards })),
        unplaced: m.unplaced,
      }
    case 'actors':
      return {
        ...base,
        categories: m.template.categories.map((c) => ({ id: c.id, label: c.label[locale] })),
        levels: m.template.levels.map((l) => ({ id: l.id, label: l.label[locale] })),
        actors: m.actors.map((a) => ({
          ...a,
          categoryLabel: optionLabel(t, 'category', a.category, locale),
          levelLabel: optionLabel(t, 'level', a.level, locale),
        })),
      }
    case 'architecture':
      return {
        ...base,
        nodes: m.nodes.map((n) => ({ ...n, nodeTypeLabel: optionLabel(t, 'nodeType', n.nodeType, locale) })),
        edges: m.edges,
      }
    case 'programme':
      return {
        ...base,
        phases: m.template.phases.map((p, i) => ({
          id: p.id,
          number: i + 1,
          label: p.label[locale],
          rows: m.template.rows.map((r) => ({ id: r.id, label: r.label[locale], cards: m.cells[p.id]?.[r.id] ?? [] })),
        })),
        unplaced: m.unplaced,
      }
  }
}

/** The meeting's report in the wanted format and language. */
export function renderReport(data: ReportData, options: { format: ReportFormat; locale: Locale }): RenderedReport {
  const { format, locale } = options
  const blocks = buildReportDocument(data, locale)
  const images = new Map(data.images.map((i) => [i.frameId, i.svg]))
  switch (format) {
    case 'md':
      return { contentType: 'text/markdown; charset=utf-8', body: renderMarkdown(blocks) }
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: renderHtmlPage(blocks, data.meeting.title, locale, { images }) }
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({
          meeting: data.meeting,
          version: data.version,
          locale,
          attendees: { count: data.meeting.attendeesCount, suggested: data.suggestedAttendees },
          suggestedAttendees: data.suggestedAttendees,
          contributionsCount: contributionsCount(data.maps),
          maps: data.maps.maps.map((m) => mapJson(m, locale)),
          others: data.maps.others,
          votes: data.votes,
          images: data.images.map((i) => i.frameId),
          generatedAt: data.generatedAt,
        }),
      }
    case 'decidim': {
      // the heading and metadata are Decidim's own fields: the closing report starts at the results
      const results = blocks.findIndex((b) => b.type === 'heading' && b.level === 2)
      const payload: DecidimClosePayload = {
        closingReport: renderHtmlFragment(results < 0 ? blocks : blocks.slice(results), { tables: 'list' }),
        attendeesCount: data.meeting.attendeesCount ?? data.suggestedAttendees ?? 0,
        contributionsCount: contributionsCount(data.maps),
        attendingOrganizations: data.meeting.organisations.join(', '),
        closedAt: data.meeting.endsAt ?? data.version?.createdAt ?? data.generatedAt,
        closingVisible: true,
        proposalIds: [],
      }
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(payload) }
    }
  }
}
