/**
 * How the maps moved across the meetings of a process (issue 22; rules in ./SPEC.md, ids PR1-PR12): pure, over the
 * records of the version chosen for each meeting (its latest by default), meetings in date order. Data only, ids and
 * user texts, no labels: processWords.ts and processReport.ts put it into words in the reader's language, as
 * semanticDiff.ts does for two versions of one meeting.
 *
 * Identity (PR2, PR3): a card keeps its id when a meeting is continued into the next, so the same id is the same
 * actor or issue. An actor written again by hand (a new id) is the same actor as an earlier one with the same
 * normalised name on a map of the same kind, unless the facilitator said it is not (`notSame`).
 */
import { BoardIndex } from '../maps/meaning.ts'
import { extractMaps, type ExtractedMaps } from '../maps/extract.ts'
import { semanticDiffOfMaps, type SemanticChange } from '../maps/semanticDiff.ts'
import type { ActorsTemplate } from '../maps/templateSchema.ts'
import { revealedVotesOf } from '../facilitation/voteRecords.ts'
import { actorAttributesOf, engagementGap } from './actorAttributes.ts'
import type { ProcessOutcome } from './outcomeVersion.ts'

/** One meeting of the process, with the board its history reads. */
export interface ProcessMeetingBoard {
  meeting: { id: string; title: string; startsAt: string | null; createdAt: string }
  /** The version read ("Versione k (di n)"), or null when the meeting has no version yet (its live board). */
  version: { number: number; total: number; label: string } | null
  /** The version chosen as the meeting's outcome (PR1), when one was; absent or null: the latest, automatically. */
  outcome?: ProcessOutcome | null
  records: readonly unknown[]
}

/** "Non è lo stesso attore": this card is never matched by name to an earlier actor (PR3). */
export interface NotSameActor {
  meetingId: string
  cardId: string
}

export interface ActorStep {
  cardId: string
  /** The map's template (its labels) and frame. */
  templateId: string
  frameId: string
  name: string
  category: string | null
  level: string | null
  attributes: Record<string, string>
  /** How this meeting's card was found to be the actor: same id, same normalised name, or first seen here. */
  via: 'id' | 'name' | 'new'
}

export interface ActorHistory {
  /** The id of the card it was first seen as. */
  key: string
  /** One entry per meeting, null where the actor is not on any actor map. */
  steps: Array<ActorStep | null>
}

/** A match by name (PR3), listed so that the facilitator can undo it. */
export interface NameMatch {
  meetingIndex: number
  meetingId: string
  cardId: string
  name: string
  /** The actor it was matched to, and that actor's card and name at its latest earlier meeting. */
  actorKey: string
  earlierCardId: string
  earlierName: string
}

export interface IssueStep {
  cardId: string
  templateId: string
  facet: string | null
  text: string
}

export interface IssueHistory {
  key: string
  steps: Array<IssueStep | null>
  /** Index of the first meeting it is in. */
  appearedAt: number
  /** Index of the first meeting after the last one it is in; null when it is in the last meeting. */
  droppedAt: number | null
}

export interface ProgrammeState {
  templateId: string
  frameId: string
  /** Cells with at least one card, as "phase/row" ids. */
  filled: string[]
  total: number
}

export interface MeetingVotes {
  title: string
  results: Array<{ rank: number; text: string; votes: number }>
}

export interface ProcessHistory {
  meetings: Array<ProcessMeetingBoard['meeting'] & { version: ProcessMeetingBoard['version']; outcome: ProcessOutcome | null }>
  actors: ActorHistory[]
  matches: NameMatch[]
  issues: IssueHistory[]
  /** PR6: per meeting, what changed in the operative architecture since the meeting before (empty for the first). */
  architecture: Array<{ nodes: number; edges: number; changes: SemanticChange[] }>
  /** PR7: per meeting, the programme's filled cells, per programme map. */
  programme: ProgrammeState[][]
  /** PR10: per meeting, the revealed votes and their rankings. */
  votes: MeetingVotes[][]
}

/** PR3: lower case, without accents, punctuation or repeated spaces: "Pro-Loco  di Sàn Mauro" → "pro loco di san mauro". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Votes shown per ranking (the rest is in the board's own report). */
const VOTE_RESULTS = 5

function actorsOf(maps: ExtractedMaps, index: BoardIndex): Array<Omit<ActorStep, 'via'>> {
  const out: Array<Omit<ActorStep, 'via'>> = []
  for (const m of maps.maps) {
    if (m.kind !== 'actors') continue
    const t: ActorsTemplate = m.template
    for (const a of m.actors) {
      out.push({
        cardId: a.id,
        templateId: t.id,
        frameId: m.frameId,
        name: a.name,
        category: a.category,
        level: a.level,
        attributes: actorAttributesOf(index.byId.get(a.id), t),
      })
    }
  }
  return out
}

function issuesOf(maps: ExtractedMaps): IssueStep[] {
  const out: IssueStep[] = []
  for (const m of maps.maps) {
    if (m.kind !== 'issues') continue
    for (const f of m.facets) for (const c of f.cards) out.push({ cardId: c.id, templateId: m.template.id, facet: f.id, text: c.text })
    for (const c of m.unplaced) out.push({ cardId: c.id, templateId: m.template.id, facet: null, text: c.text })
  }
  return out
}

function programmeOf(maps: ExtractedMaps): ProgrammeState[] {
  const out: ProgrammeState[] = []
  for (const m of maps.maps) {
    if (m.kind !== 'programme') continue
    const filled: string[] = []
    let total = 0
    for (const [phase, rows] of Object.entries(m.cells)) {
      for (const [row, cards] of Object.entries(rows)) {
        total++
        if (cards.length > 0) filled.push(`${phase}/${row}`)
      }
    }
    out.push({ templateId: m.template.id, frameId: m.frameId, filled, total })
  }
  return out
}

/** The architecture of a board alone: its maps of that kind, for the semantic diff of consecutive meetings. */
function architectureOnly(maps: ExtractedMaps): ExtractedMaps {
  return { maps: maps.maps.filter((m) => m.kind === 'architecture'), others: [] }
}

/** PR1-PR10: the history of a process over its meetings' boards, in the order given (date order). */
export function processHistory(boards: readonly ProcessMeetingBoard[], notSame: readonly NotSameActor[] = []): ProcessHistory {
  const n = boards.length
  const refused = new Set(notSame.map((x) => `${x.meetingId}\n${x.cardId}`))
  const actors: ActorHistory[] = []
  const actorByCard = new Map<string, ActorHistory>()
  const matches: NameMatch[] = []
  const issues: IssueHistory[] = []
  const issueByCard = new Map<string, IssueHistory>()
  const architecture: ProcessHistory['architecture'] = []
  const programme: ProgrammeState[][] = []
  const votes: MeetingVotes[][] = []
  let previousArchitecture: ExtractedMaps | null = null

  boards.forEach((board, i) => {
    const index = new BoardIndex(board.records)
    const maps = extractMaps(board.records, index)

    // PR2: same card id, same actor; PR3: then same normalised name among the actors not yet placed in this meeting
    const pending: Array<Omit<ActorStep, 'via'>> = []
    for (const step of actorsOf(maps, index)) {
      const known = actorByCard.get(step.cardId)
      if (known !== undefined && known.steps[i] === null) known.steps[i] = { ...step, via: 'id' }
      else if (known === undefined) pending.push(step)
    }
    // the actors seen before this meeting, by the normalised name they had last: one lookup per new card
    const byName = new Map<string, Array<{ actor: ActorHistory; earlier: ActorStep; last: number }>>()
    if (pending.length > 0) {
      for (const actor of actors) {
        if (actor.steps[i] !== null) continue
        const last = lastIndex(actor, i)
        const earlier = last < 0 ? null : actor.steps[last]
        if (earlier === null || earlier === undefined) continue
        const name = normaliseName(earlier.name)
        const list = byName.get(name) ?? []
        list.push({ actor, earlier, last })
        byName.set(name, list)
      }
    }
    for (const step of pending) {
      const wanted = normaliseName(step.name)
      let match: { actor: ActorHistory; earlier: ActorStep } | null = null
      if (wanted !== '' && !refused.has(`${board.meeting.id}\n${step.cardId}`)) {
        // the most recently seen actor of that name wins a tie; one already placed in this meeting is not a candidate
        let best = -1
        for (const candidate of byName.get(wanted) ?? []) {
          if (candidate.actor.steps[i] === null && candidate.last > best) {
            best = candidate.last
            match = candidate
          }
        }
      }
      if (match !== null) {
        match.actor.steps[i] = { ...step, via: 'name' }
        actorByCard.set(step.cardId, match.actor)
        matches.push({
          meetingIndex: i,
          meetingId: board.meeting.id,
          cardId: step.cardId,
          name: step.name,
          actorKey: match.actor.key,
          earlierCardId: match.earlier.cardId,
          earlierName: match.earlier.name,
        })
      } else {
        const actor: ActorHistory = { key: step.cardId, steps: Array.from({ length: n }, () => null) }
        actor.steps[i] = { ...step, via: 'new' }
        actors.push(actor)
        actorByCard.set(step.cardId, actor)
      }
    }

    // PR4: issues by card id
    for (const step of issuesOf(maps)) {
      let issue = issueByCard.get(step.cardId)
      if (issue === undefined) {
        issue = { key: step.cardId, steps: Array.from({ length: n }, () => null), appearedAt: i, droppedAt: null }
        issues.push(issue)
        issueByCard.set(step.cardId, issue)
      }
      issue.steps[i] = step
    }

    const arch = architectureOnly(maps)
    const nodes = arch.maps.reduce((s, m) => s + (m.kind === 'architecture' ? m.nodes.length : 0), 0)
    const edges = arch.maps.reduce((s, m) => s + (m.kind === 'architecture' ? m.edges.length : 0), 0)
    const changes = previousArchitecture === null ? [] : semanticDiffOfMaps(previousArchitecture, arch).filter((c) => c.kind !== 'map-added' && c.kind !== 'map-removed')
    architecture.push({ nodes, edges, changes })
    previousArchitecture = arch

    programme.push(programmeOf(maps))
    votes.push(
      revealedVotesOf(board.records).map((v) => ({
        title: v.title,
        results: v.results
          .filter((r) => r.votes > 0)
          .slice(0, VOTE_RESULTS)
          .map((r) => ({ rank: r.rank, text: r.text, votes: r.votes })),
      })),
    )
  })

  for (const issue of issues) {
    let last = -1
    issue.steps.forEach((s, k) => {
      if (s !== null) last = k
    })
    issue.droppedAt = last === n - 1 ? null : last + 1
  }

  return {
    meetings: boards.map((b) => ({ ...b.meeting, version: b.version, outcome: b.outcome ?? null })),
    actors,
    matches,
    issues,
    architecture,
    programme,
    votes,
  }
}

/** The actor's step at the latest meeting before `before` where it is present. */
export function latestStep(actor: ActorHistory, before = actor.steps.length): ActorStep | null {
  for (let k = Math.min(before, actor.steps.length) - 1; k >= 0; k--) {
    const s = actor.steps[k]
    if (s !== undefined && s !== null) return s
  }
  return null
}

function lastIndex(actor: ActorHistory, before: number): number {
  for (let k = before - 1; k >= 0; k--) if (actor.steps[k] !== null) return k
  return -1
}

/** PR9: the engagement gaps at each actor's latest meeting (wanted above reached), largest first. */
export function engagementGaps(
  history: ProcessHistory,
  templateOf: (id: string) => ActorsTemplate | null,
): Array<{ actorKey: string; name: string; templateId: string; now: string; wanted: string; levels: number; meetingIndex: number }> {
  const out: ReturnType<typeof engagementGaps> = []
  for (const actor of history.actors) {
    let k = actor.steps.length - 1
    while (k >= 0 && actor.steps[k] === null) k--
    const step = actor.steps[k]
    if (step === undefined || step === null) continue
    const t = templateOf(step.templateId)
    const gap = t === null ? null : engagementGap(step.attributes, t)
    if (gap !== null && gap.levels > 0) out.push({ actorKey: actor.key, name: step.name, templateId: step.templateId, ...gap, meetingIndex: k })
  }
  return out.sort((a, b) => b.levels - a.levels || a.name.localeCompare(b.name))
}
