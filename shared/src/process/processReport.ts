/**
 * The report of a process (`GET /api/processes/:id/report?format=md|html|json`, process SPEC PR12): its story
 * (processStory.ts) as Markdown, as a printable HTML page with the actor map's small multiples as inline SVG, or as
 * JSON (the story itself, which the process page renders). Every user text is escaped for its format. Pure.
 */
import { escapeHtml } from '../report/escape.ts'
import { htmlPage, renderHtmlFragment } from '../report/renderHtml.ts'
import { renderMarkdown } from '../report/renderMarkdown.ts'
import type { Block } from '../report/reportDocument.ts'
import { formatInstant, formatMeetingTime } from '../report/reportWords.ts'
import type { Locale } from '../maps/templateSchema.ts'
import type { ActorGrid, ProcessStory } from './processStory.ts'
import { PROCESS_WORDS } from './processWords.ts'

export const PROCESS_REPORT_FORMATS = ['md', 'html', 'json'] as const
export type ProcessReportFormat = (typeof PROCESS_REPORT_FORMATS)[number]

/** Names written in a cell of the small multiples; the rest are counted ("+2 altri"). */
const NAMES_PER_CELL = 3
/** A name fits its cell: bold (arrived or moved) names are wider, and carry the arrow. */
const NAME_CHARS = 20
const MOVED_NAME_CHARS = 16

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** A label cut into at most two lines of about `width` characters. */
function twoLines(text: string, width: number): string[] {
  const words = text.split(/\s+/)
  const lines: string[] = ['']
  for (const w of words) {
    const last = lines.length - 1
    if (lines[last] === '' || (lines[last] ?? '').length + 1 + w.length <= width) lines[last] = lines[last] === '' ? w : `${lines[last]} ${w}`
    else if (lines.length < 2) lines.push(w)
    else lines[last] = `${lines[last]} ${w}`
  }
  return lines.map((l) => clip(l, width + 2))
}

const LABEL_W = 180
const CELL_W = 150
const HEAD_H = 46
const CELL_H = 84

/**
 * PR12: one meeting's actor map as an SVG (categories down, levels across; counts and names in each cell, arrivals
 * and moves marked "→" on a tinted cell), every text escaped. The same picture on the process page and in the report.
 */
export function actorGridSvg(grid: ActorGrid, meetingIndex: number, caption: string, locale: Locale): string {
  const words = PROCESS_WORDS[locale]
  const at = grid.meetings[meetingIndex]
  const w = LABEL_W + grid.levels.length * CELL_W
  const h = HEAD_H + grid.categories.length * CELL_H
  const out: string[] = []
  const text = (x: number, y: number, content: string, attrs = '') => `<text x="${x}" y="${y}"${attrs}>${escapeHtml(content)}</text>`
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(caption)}" font-family="system-ui, sans-serif" font-size="12">`)
  out.push(`<rect x="0" y="0" width="${w}" height="${h}" fill="#fff"/>`)
  grid.levels.forEach((l, j) => {
    twoLines(l.label, 22).forEach((line, li) => out.push(text(LABEL_W + j * CELL_W + 6, 18 + li * 15, line, ' font-weight="600" fill="#1a1a1a"')))
  })
  grid.categories.forEach((c, i) => {
    const y = HEAD_H + i * CELL_H
    twoLines(c.label, 26).forEach((line, li) => out.push(text(6, y + 20 + li * 15, line, ' font-weight="600" fill="#1a1a1a"')))
    grid.levels.forEach((l, j) => {
      const x = LABEL_W + j * CELL_W
      const actors = at?.cells[c.id]?.[l.id] ?? []
      const moved = actors.some((a) => a.moved)
      out.push(`<rect x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${moved ? '#fff1b8' : '#f7f7f7'}" stroke="#666" stroke-width="1"/>`)
      if (actors.length === 0) return
      out.push(text(x + 6, y + 16, words.gridCount(actors.length), ' font-weight="700" fill="#1a1a1a"'))
      const shown = [...actors.filter((a) => a.moved), ...actors.filter((a) => !a.moved)].slice(0, NAMES_PER_CELL)
      shown.forEach((a, k) => {
        out.push(text(x + 6, y + 33 + k * 15, a.moved ? `→ ${clip(a.name, MOVED_NAME_CHARS)}` : clip(a.name, NAME_CHARS), a.moved ? ' font-weight="700" fill="#5c3d00"' : ' fill="#333"'))
      })
      if (actors.length > shown.length) out.push(text(x + 6, y + 33 + shown.length * 15, words.gridMore(actors.length - shown.length), ' fill="#333"'))
    })
  })
  out.push('</svg>')
  return out.join('')
}

function storyBlocks(story: ProcessStory): { head: Block[]; tail: Block[] } {
  const words = PROCESS_WORDS[story.locale]
  const list = (items: string[], empty = words.none): Block => (items.length === 0 ? { type: 'paragraph', content: [empty] } : { type: 'list', items: items.map((i) => [i]) })
  const head: Block[] = [{ type: 'heading', level: 1, text: story.title }]
  const fields: Array<[string, string]> = []
  if (story.process.description !== null) fields.push([words.description, story.process.description])
  if (story.process.decidimUrl !== null) fields.push([words.decidim, story.process.decidimUrl])
  fields.push([words.generatedAt, formatInstant(story.generatedAt, story.locale)])
  head.push({ type: 'fields', items: fields })
  head.push({ type: 'heading', level: 2, text: words.meetingsHeading })
  head.push(
    story.meetings.length === 0
      ? { type: 'paragraph', content: [words.noMeetings] }
      : {
          type: 'list',
          items: story.meetings.map((m) => {
            const when = formatMeetingTime(m.startsAt, null, story.locale)
            return [{ strong: `${m.label}:` }, `${m.title}${when === null ? '' : ` (${when})`}, ${m.versionText}`]
          }),
        },
  )
  head.push({ type: 'heading', level: 2, text: words.actorsHeading })
  const tail: Block[] = [
    { type: 'heading', level: 3, text: words.trajectoriesHeading },
    list(story.trajectories.map((t) => t.text), words.noMoves),
  ]
  if (story.events.length > 0) tail.push(list(story.events.map((e) => e.text)))
  if (story.matches.length > 0) {
    tail.push({ type: 'heading', level: 3, text: words.matchesHeading }, { type: 'paragraph', content: [words.matchesIntro] }, list(story.matches.map((m) => m.text)))
  }
  tail.push({ type: 'heading', level: 3, text: words.gapsHeading }, { type: 'paragraph', content: [words.gapsIntro] }, list(story.gaps, words.noGaps))
  tail.push(
    { type: 'heading', level: 2, text: words.issuesHeading },
    { type: 'heading', level: 3, text: words.issuesAppeared },
    list(story.issues.appeared),
    { type: 'heading', level: 3, text: words.issuesPersisted },
    list(story.issues.persisted),
    { type: 'heading', level: 3, text: words.issuesDropped },
    list(story.issues.dropped),
    { type: 'heading', level: 2, text: words.architectureHeading },
  )
  for (const a of story.architecture) {
    tail.push({ type: 'paragraph', content: [{ strong: a.summary }] })
    if (a.meeting > 1) tail.push(list(a.changes, words.architectureUnchanged))
  }
  tail.push({ type: 'heading', level: 2, text: words.programmeHeading }, list(story.programme))
  if (story.votes.length > 0) tail.push({ type: 'heading', level: 2, text: words.votesHeading }, list(story.votes))
  return { head, tail }
}

/** The small multiples as Markdown tables (Markdown has no pictures of its own). */
function gridTables(story: ProcessStory): Block[] {
  const words = PROCESS_WORDS[story.locale]
  const out: Block[] = [{ type: 'heading', level: 3, text: words.gridsHeading }, { type: 'paragraph', content: [words.gridLegend] }]
  for (const grid of story.grids) {
    grid.meetings.forEach((at, k) => {
      if (at === null) return
      const meeting = story.meetings[k]
      out.push({ type: 'heading', level: 4, text: words.gridCaption(grid.title, meeting?.label ?? '') })
      out.push({
        type: 'table',
        header: ['', ...grid.levels.map((l) => l.label)],
        rows: grid.categories.map((c) => ({
          label: c.label,
          cells: grid.levels.map((l) => (at.cells[c.id]?.[l.id] ?? []).map((a) => `${a.moved ? '→ ' : ''}${a.name}`)),
        })),
      })
    })
  }
  return out
}

const PROCESS_STYLE = `
  .multiples { display: flex; flex-wrap: wrap; gap: 1rem; }
  .multiples figure { margin: 0; flex: 0 1 auto; }
  .multiples svg { max-width: 100%; height: auto; border: 1px solid #ccc; }
  figcaption { font-weight: 600; margin-bottom: .25rem; }
  @media print { .multiples { display: block; } .multiples figure { margin-bottom: 1rem; } }
`

export function renderProcessReport(story: ProcessStory, format: ProcessReportFormat): { contentType: string; body: string } {
  const { head, tail } = storyBlocks(story)
  switch (format) {
    case 'md':
      return { contentType: 'text/markdown; charset=utf-8', body: renderMarkdown([...head, ...gridTables(story), ...tail]) }
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(story) }
    case 'html': {
      const words = PROCESS_WORDS[story.locale]
      const figures: string[] = [`<h3>${escapeHtml(words.gridsHeading)}</h3>`, `<p>${escapeHtml(words.gridLegend)}</p>`]
      for (const grid of story.grids) {
        const items = grid.meetings.flatMap((at, k) => {
          if (at === null) return []
          const caption = words.gridCaption(grid.title, story.meetings[k]?.label ?? '')
          return [`<figure><figcaption>${escapeHtml(caption)}</figcaption>${actorGridSvg(grid, k, caption, story.locale)}</figure>`]
        })
        figures.push(`<div class="multiples">${items.join('')}</div>`)
      }
      const body = [renderHtmlFragment(head), ...figures, renderHtmlFragment(tail)].join('\n')
      return { contentType: 'text/html; charset=utf-8', body: htmlPage(body, story.title, story.locale, PROCESS_STYLE) }
    }
  }
}
