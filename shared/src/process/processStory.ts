/**
 * A process's history told in one language (process SPEC PR11): the timeline, the actor map as small multiples
 * (categories × levels per meeting, with who arrived or moved), each actor's path in words, the issues that appeared,
 * stayed or were dropped, the architecture's changes, the programme, the votes and the engagement gaps. Plain data
 * and plain texts: the process page renders it, processReport.ts writes it as Markdown or HTML. Pure.
 */
import { optionLabel } from '../maps/labels.ts'
import { getTemplate } from '../maps/templates.ts'
import type { ActorsTemplate, Locale } from '../maps/templateSchema.ts'
import { engagementGaps, type ActorHistory, type ActorStep, type ProcessHistory } from './processHistory.ts'
import type { ProcessOutcome } from './outcomeVersion.ts'
import { PROCESS_WORDS, type ProcessWords } from './processWords.ts'

export interface ProcessInfo {
  id: string
  title: string
  description: string | null
  decidimUrl: string | null
}

export interface GridActor {
  name: string
  /** Arrived in this cell (new, back, or moved here) since the meeting before. */
  moved: boolean
}

export interface ActorGrid {
  templateId: string
  title: string
  categories: Array<{ id: string; label: string }>
  levels: Array<{ id: string; label: string }>
  /** Per meeting: cells[categoryId][levelId] = actors (by name), and those outside the cells; null: no such map. */
  meetings: Array<{ cells: Record<string, Record<string, GridActor[]>>; outside: GridActor[] } | null>
}

export interface ProcessStory {
  process: ProcessInfo
  locale: Locale
  generatedAt: string
  title: string
  /** `outcome`: the version chosen as the meeting's outcome (PR1), null when the latest is read automatically. */
  meetings: Array<{ id: string; title: string; startsAt: string | null; number: number; label: string; versionText: string; outcome: ProcessOutcome | null }>
  grids: ActorGrid[]
  /** One sentence per actor that changed place: "«Pro Loco»: «Allargamento strategico» → «Nucleo fondativo» (incontro 3)". */
  trajectories: Array<{ actorKey: string; text: string }>
  /** Arrivals, departures, returns, renames, attribute changes, in meeting order. */
  events: Array<{ actorKey: string; meeting: number; text: string }>
  /** Matches by name, each with what undoing it needs (PR3). */
  matches: Array<{ meetingId: string; cardId: string; meeting: number; text: string }>
  issues: { appeared: string[]; persisted: string[]; dropped: string[] }
  architecture: Array<{ meeting: number; summary: string; changes: string[] }>
  programme: string[]
  votes: string[]
  gaps: string[]
}

/** A user's text in a sentence: one line, in «guillemets» (“quotes” in English). */
function quote(text: string, locale: Locale): string {
  const line = text.replace(/\s*\n\s*/g, ' / ').trim()
  const short = line.length > 80 ? `${line.slice(0, 79)}…` : line
  return locale === 'it' ? `«${short}»` : `“${short}”`
}

function actorsTemplate(id: string): ActorsTemplate | null {
  const t = getTemplate(id)
  return t?.kind === 'actors' ? t : null
}

function samePlace(a: ActorStep, b: ActorStep): boolean {
  return a.templateId === b.templateId && a.category === b.category && a.level === b.level
}

/** The place of an actor in words: its level, with the category when `withCategory`. */
function placeOf(step: ActorStep, withCategory: boolean, words: ProcessWords, locale: Locale): string {
  const t = actorsTemplate(step.templateId)
  const level = t === null ? null : optionLabel(t, 'level', step.level, locale)
  const category = t === null ? null : optionLabel(t, 'category', step.category, locale)
  const parts = (withCategory ? [category, level] : [level]).filter((p): p is string => p !== null)
  return parts.length === 0 ? words.notOnMap : parts.join(', ')
}

function present(actor: ActorHistory): Array<[number, ActorStep]> {
  const out: Array<[number, ActorStep]> = []
  actor.steps.forEach((s, k) => {
    if (s !== null) out.push([k, s])
  })
  return out
}

function tellActor(actor: ActorHistory, words: ProcessWords, locale: Locale, story: ProcessStory): void {
  const seen = present(actor)
  const first = seen[0]
  if (first === undefined) return
  const q = (s: string) => quote(s, locale)
  const latestName = seen[seen.length - 1]?.[1].name ?? first[1].name
  // PR5: a path names the category only when the actor changed category somewhere
  const withCategory = seen.some(([, s]) => s.category !== first[1].category || s.templateId !== first[1].templateId)
  const path: string[] = [placeOf(first[1], withCategory, words, locale)]
  if (first[0] > 0) story.events.push({ actorKey: actor.key, meeting: first[0] + 1, text: words.arrived(q(first[1].name), placeOf(first[1], true, words, locale), first[0] + 1) })
  for (let j = 1; j < seen.length; j++) {
    const [k, step] = seen[j]!
    const [kPrev, prev] = seen[j - 1]!
    if (k > kPrev + 1) {
      story.events.push({ actorKey: actor.key, meeting: kPrev + 2, text: words.left(q(prev.name), kPrev + 2) })
      story.events.push({ actorKey: actor.key, meeting: k + 1, text: words.returned(q(step.name), placeOf(step, true, words, locale), k + 1) })
    }
    if (!samePlace(prev, step)) path.push(`${placeOf(step, withCategory, words, locale)} (${words.atMeeting(k + 1)})`)
    if (step.via === 'id' && prev.name !== step.name) story.events.push({ actorKey: actor.key, meeting: k + 1, text: words.renamed(q(prev.name), q(step.name), k + 1) })
    const t = actorsTemplate(step.templateId)
    for (const a of t?.attributes ?? []) {
      const before = prev.attributes[a.id]
      const after = step.attributes[a.id]
      if (before === after) continue
      const label = (v: string | undefined) => (v === undefined ? words.unset : (a.options.find((o) => o.id === v)?.label[locale] ?? v))
      const text =
        before === undefined && after !== undefined
          ? words.attributeSet(q(step.name), a.label[locale], label(after), k + 1)
          : words.attributeChanged(q(step.name), a.label[locale], label(before), label(after), k + 1)
      story.events.push({ actorKey: actor.key, meeting: k + 1, text })
    }
  }
  const last = seen[seen.length - 1]!
  if (last[0] < actor.steps.length - 1) story.events.push({ actorKey: actor.key, meeting: last[0] + 2, text: words.left(q(last[1].name), last[0] + 2) })
  if (path.length > 1) story.trajectories.push({ actorKey: actor.key, text: words.trajectory(q(latestName), path.join(' → ')) })
}

function grids(history: ProcessHistory, locale: Locale): ActorGrid[] {
  const byTemplate = new Map<string, ActorGrid>()
  const n = history.meetings.length
  for (const actor of history.actors) {
    actor.steps.forEach((step, k) => {
      if (step === null) return
      let grid = byTemplate.get(step.templateId)
      if (grid === undefined) {
        const t = actorsTemplate(step.templateId)
        if (t === null) return
        grid = {
          templateId: t.id,
          title: t.title[locale],
          categories: t.categories.map((c) => ({ id: c.id, label: c.label[locale] })),
          levels: t.levels.map((l) => ({ id: l.id, label: l.label[locale] })),
          meetings: Array.from({ length: n }, () => null),
        }
        byTemplate.set(t.id, grid)
      }
      const empty = () => ({
        cells: Object.fromEntries(grid!.categories.map((c) => [c.id, Object.fromEntries(grid!.levels.map((l) => [l.id, [] as GridActor[]]))])),
        outside: [] as GridActor[],
      })
      const at = (grid.meetings[k] ??= empty())
      const prev = k === 0 ? undefined : actor.steps[k - 1]
      const entry = { name: step.name, moved: k > 0 && (prev === null || prev === undefined || !samePlace(prev, step)) }
      const cell = step.category !== null && step.level !== null ? at.cells[step.category]?.[step.level] : undefined
      if (cell === undefined) at.outside.push(entry)
      else cell.push(entry)
    })
  }
  // a map present at a meeting with no actor on it is an empty grid, not a missing one
  for (const grid of byTemplate.values()) {
    for (const list of grid.meetings.flatMap((m) => (m === null ? [] : [...Object.values(m.cells).flatMap((r) => Object.values(r)), m.outside]))) {
      list.sort((a, b) => a.name.localeCompare(b.name, locale))
    }
  }
  return [...byTemplate.values()]
}

/** PR1: "Versione 7 (di 9), scelta come esito"; a chosen version that is gone is said, with what was read instead. */
function versionText(m: ProcessHistory['meetings'][number], words: ProcessWords): string {
  const read = m.version === null ? words.liveBoard : words.version(m.version.number, m.version.total)
  if (m.outcome === null) return read
  if (m.outcome.found && m.version !== null) return words.outcomeVersion(m.version.number, m.version.total)
  return `${read} — ${words.outcomeMissing(m.outcome.chosen)}`
}

/** PR11: the story of a process in one language. */
export function processStory(process: ProcessInfo, history: ProcessHistory, locale: Locale, generatedAt: string): ProcessStory {
  const words = PROCESS_WORDS[locale]
  const q = (s: string) => quote(s, locale)
  const story: ProcessStory = {
    process,
    locale,
    generatedAt,
    title: words.title(process.title),
    meetings: history.meetings.map((m, i) => ({
      id: m.id,
      title: m.title,
      startsAt: m.startsAt,
      number: i + 1,
      label: words.meeting(i + 1),
      versionText: versionText(m, words),
      outcome: m.outcome,
    })),
    grids: grids(history, locale),
    trajectories: [],
    events: [],
    matches: history.matches.map((m) => ({
      meetingId: m.meetingId,
      cardId: m.cardId,
      meeting: m.meetingIndex + 1,
      text: words.matched(q(m.name), q(m.earlierName), m.meetingIndex + 1),
    })),
    issues: { appeared: [], persisted: [], dropped: [] },
    architecture: [],
    programme: [],
    votes: [],
    gaps: [],
  }
  for (const actor of history.actors) tellActor(actor, words, locale, story)
  story.events.sort((a, b) => a.meeting - b.meeting)

  for (const issue of history.issues) {
    const latest = [...issue.steps].reverse().find((s) => s !== null)
    if (latest === undefined || latest === null) continue
    const t = getTemplate(latest.templateId)
    const facet = (t === null ? null : optionLabel(t, 'facet', latest.facet, locale)) ?? words.notOnMap
    if (issue.droppedAt !== null) story.issues.dropped.push(words.issueDropped(q(latest.text), facet, issue.droppedAt + 1))
    else if (issue.appearedAt > 0) story.issues.appeared.push(words.issueAppeared(q(latest.text), facet, issue.appearedAt + 1))
    else story.issues.persisted.push(words.issuePersisted(q(latest.text), facet))
  }

  history.architecture.forEach((a, k) => {
    story.architecture.push({ meeting: k + 1, summary: words.architectureAt(k + 1, a.nodes, a.edges), changes: a.changes.map((c) => c[locale]) })
  })
  history.programme.forEach((maps, k) => {
    const before = new Set(k === 0 ? [] : (history.programme[k - 1] ?? []).flatMap((m) => m.filled.map((f) => `${m.frameId}:${f}`)))
    for (const m of maps) {
      const newly = k === 0 ? 0 : m.filled.filter((f) => !before.has(`${m.frameId}:${f}`)).length
      story.programme.push(words.programmeAt(k + 1, m.filled.length, m.total, newly))
    }
  })
  history.votes.forEach((votes, k) => {
    for (const v of votes) {
      const ranking = v.results.length === 0 ? words.noVotes : v.results.map((r) => words.voteCard(r.rank, q(r.text), r.votes)).join('; ')
      story.votes.push(words.voteAt(k + 1, q(v.title), ranking))
    }
  })
  for (const g of engagementGaps(history, actorsTemplate)) {
    const t = actorsTemplate(g.templateId)
    const gap = t?.engagementGap
    const label = (attribute: string | undefined, v: string) => t?.attributes?.find((a) => a.id === attribute)?.options.find((o) => o.id === v)?.label[locale] ?? v
    story.gaps.push(words.gap(q(g.name), label(gap?.now, g.now), label(gap?.wanted, g.wanted), g.levels))
  }
  return story
}
