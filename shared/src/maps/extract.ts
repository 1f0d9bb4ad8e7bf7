/**
 * The maps of a board as data: what each map says (facets and their cards, actors by category and level, the
 * architecture's typed nodes and labelled relations, the programme's phase × row cells), and the cards that are on
 * no map ("Altri contenuti"). Ids only, no labels: the report and the semantic diff put them into words in the
 * reader's language. Pure; from plain records of a version or the live board.
 */
import { plainTextOfShape } from '../board/richText.ts'
import { BoardIndex, isCard, isMapStructure, type MapFrame } from './meaning.ts'
import { MAP_PART_META_KEY } from './instantiate.ts'
import type { ShapeLike } from './geometry.ts'
import { actorAttributesOf } from '../process/actorAttributes.ts'
import type { ActorsTemplate, ArchitectureTemplate, IssuesTemplate, MapTemplate, ProgrammeTemplate } from './templateSchema.ts'

/** A card as the report lists it. */
export interface MapCard {
  id: string
  /** Its text, lines joined with "\n" (trimmed). */
  text: string
  /** Meaning fields set explicitly in `meta.tavoloMap` rather than by the position. */
  overridden: string[]
}

interface MapBase<T extends MapTemplate> {
  frameId: string
  template: T
  /** The frame's name as people see it (the template's title unless renamed). */
  title: string
}

export interface IssueMapData extends MapBase<IssuesTemplate> {
  kind: 'issues'
  /** The central question as written on the board. */
  question: string
  facets: Array<{ id: string; cards: MapCard[] }>
  /** Cards in the frame but in no facet. */
  unplaced: MapCard[]
}

export interface Actor extends MapCard {
  /** First line of the card. */
  name: string
  /** The other lines. */
  notes: string
  category: string | null
  level: string | null
  /** Attributes the template declares, as the card sets them in `meta.tavoloActor` (issue 22; process SPEC PR8). */
  attributes: Record<string, string>
}

export interface ActorMapData extends MapBase<ActorsTemplate> {
  kind: 'actors'
  actors: Actor[]
}

export interface ArchitectureNode extends MapCard {
  name: string
  notes: string
  nodeType: string | null
  instrument: string | null
}

export interface ArchitectureEdge {
  /** The arrow's id. */
  id: string
  /** Node ids; null when that end is not bound to a node of this map. */
  from: string | null
  to: string | null
  /** The arrow's text. */
  label: string
}

export interface ArchitectureMapData extends MapBase<ArchitectureTemplate> {
  kind: 'architecture'
  nodes: ArchitectureNode[]
  edges: ArchitectureEdge[]
}

export interface ProgrammeMapData extends MapBase<ProgrammeTemplate> {
  kind: 'programme'
  /** cells[phaseId][rowId] = cards, for every phase and row of the template. */
  cells: Record<string, Record<string, MapCard[]>>
  /** Cards in the frame outside the table, or in a header band only. */
  unplaced: Array<MapCard & { phase: string | null; row: string | null }>
}

export type MapData = IssueMapData | ActorMapData | ArchitectureMapData | ProgrammeMapData

export interface ExtractedMaps {
  /** In the board's paint order of the frames. */
  maps: MapData[]
  /** Cards with text that are on no map. */
  others: MapCard[]
}

function splitName(text: string): { name: string; notes: string } {
  const i = text.indexOf('\n')
  return i < 0 ? { name: text, notes: '' } : { name: text.slice(0, i).trim(), notes: text.slice(i + 1).trim() }
}

interface Placed {
  card: ShapeLike
  at: { x: number; y: number }
  /** The line of reading it is on (rows of cards 40 units apart count as one line). */
  line: number
}

function placedAt(card: ShapeLike, at: { x: number; y: number }): Placed {
  return { card, at, line: Math.round(at.y / 40) }
}

/** Reading order: top to bottom, then left to right. */
function byReadingOrder(a: Placed, b: Placed): number {
  return a.line - b.line || a.at.x - b.at.x || (a.card.id < b.card.id ? -1 : 1)
}

/**
 * Extractions of frozen record arrays (stored versions are handed out frozen and never change): comparing or
 * reporting the same version again does not read its records again. Treat the result as read-only.
 */
const frozenExtractions = new WeakMap<object, ExtractedMaps>()

/** The maps and the other contents of a board. */
export function extractMaps(records: Iterable<unknown>, index?: BoardIndex): ExtractedMaps {
  if (index !== undefined || !Array.isArray(records) || !Object.isFrozen(records)) return extractFrom(index ?? new BoardIndex(records))
  const cached = frozenExtractions.get(records)
  if (cached !== undefined) return cached
  const extracted = extractFrom(new BoardIndex(records))
  frozenExtractions.set(records, extracted)
  return extracted
}

function extractFrom(index: BoardIndex): ExtractedMaps {
  const perFrame = new Map<string, Placed[]>()
  const others: Array<Placed & { text: string }> = []
  const questionText = new Map<string, string>()
  for (const shape of index.byId.values()) {
    if (shape.typeName !== 'shape') continue
    if (isMapStructure(shape)) {
      if (shape.meta?.[MAP_PART_META_KEY] === 'question' && shape.parentId !== undefined) questionText.set(shape.parentId, plainTextOfShape(shape).trim())
      continue
    }
    if (!isCard(shape)) continue
    const frame = index.frameOf(shape.id)
    const placed = placedAt(shape, index.geometry.center(shape.id))
    if (frame === null) {
      const text = plainTextOfShape(shape).trim()
      if (text !== '') others.push({ ...placed, text })
      continue
    }
    const list = perFrame.get(frame.id) ?? []
    list.push(placed)
    perFrame.set(frame.id, list)
  }
  const maps = index.frames.map((frame) => mapData(index, frame, (perFrame.get(frame.id) ?? []).sort(byReadingOrder), questionText.get(frame.id)))
  return { maps, others: others.sort(byReadingOrder).map((p) => ({ id: p.card.id, text: p.text, overridden: [] })) }
}

function cardOf(shape: ShapeLike, overridden: string[]): MapCard {
  return { id: shape.id, text: plainTextOfShape(shape).trim(), overridden }
}

function mapData(index: BoardIndex, frame: MapFrame, placed: Placed[], question: string | undefined): MapData {
  const t = frame.template
  const name = typeof frame.record.props?.name === 'string' ? frame.record.props.name.trim() : ''
  const title = name === '' ? t.title.it : name
  const meanings = placed.map((p) => ({ shape: p.card, meaning: index.meaning(p.card.id) }))
  switch (t.kind) {
    case 'issues': {
      const facets = t.facets.map((f) => ({ id: f.id, cards: [] as MapCard[] }))
      const unplaced: MapCard[] = []
      for (const { shape, meaning } of meanings) {
        if (meaning?.kind !== 'issues') continue
        const card = cardOf(shape, meaning.overridden)
        if (card.text === '') continue
        const facet = facets.find((f) => f.id === meaning.facet)
        if (facet === undefined) unplaced.push(card)
        else facet.cards.push(card)
      }
      return { kind: 'issues', frameId: frame.id, template: t, title, question: question ?? t.question.it, facets, unplaced }
    }
    case 'actors': {
      const actors: Actor[] = []
      for (const { shape, meaning } of meanings) {
        if (meaning?.kind !== 'actors') continue
        const card = cardOf(shape, meaning.overridden)
        if (card.text === '') continue
        actors.push({ ...card, ...splitName(card.text), category: meaning.category, level: meaning.level, attributes: actorAttributesOf(shape, t) })
      }
      return { kind: 'actors', frameId: frame.id, template: t, title, actors }
    }
    case 'architecture': {
      const nodes: ArchitectureNode[] = []
      for (const { shape, meaning } of meanings) {
        if (meaning?.kind !== 'architecture') continue
        const card = cardOf(shape, meaning.overridden)
        nodes.push({ ...card, ...splitName(card.text), nodeType: meaning.nodeType, instrument: meaning.instrument })
      }
      return { kind: 'architecture', frameId: frame.id, template: t, title, nodes, edges: edgesOf(index, frame, new Set(nodes.map((n) => n.id))) }
    }
    case 'programme': {
      const cells: Record<string, Record<string, MapCard[]>> = {}
      for (const p of t.phases) cells[p.id] = Object.fromEntries(t.rows.map((r) => [r.id, [] as MapCard[]]))
      const unplaced: ProgrammeMapData['unplaced'] = []
      for (const { shape, meaning } of meanings) {
        if (meaning?.kind !== 'programme') continue
        const card = cardOf(shape, meaning.overridden)
        if (card.text === '') continue
        const cell = meaning.phase !== null && meaning.row !== null ? cells[meaning.phase]?.[meaning.row] : undefined
        if (cell === undefined) unplaced.push({ ...card, phase: meaning.phase, row: meaning.row })
        else cell.push(card)
      }
      return { kind: 'programme', frameId: frame.id, template: t, title, cells, unplaced }
    }
  }
}

/**
 * Arrows with at least one end bound to a node of this map. Direction: from the arrow's start to its end, unless
 * only the start has an arrowhead (then the arrow points the other way).
 */
function edgesOf(index: BoardIndex, frame: MapFrame, nodes: ReadonlySet<string>): ArchitectureEdge[] {
  const ends = new Map<string, { start: string | null; end: string | null }>()
  for (const r of index.byId.values()) {
    if (r.typeName !== 'binding' || r.type !== 'arrow') continue
    const b = r as ShapeLike & { fromId?: unknown; toId?: unknown }
    if (typeof b.fromId !== 'string' || typeof b.toId !== 'string') continue
    const terminal = b.props?.terminal
    if (terminal !== 'start' && terminal !== 'end') continue
    const e = ends.get(b.fromId) ?? { start: null, end: null }
    e[terminal] = nodes.has(b.toId) ? b.toId : null
    ends.set(b.fromId, e)
  }
  const edges: Array<ArchitectureEdge & { at: { x: number; y: number } }> = []
  for (const [arrowId, e] of ends) {
    const arrow = index.byId.get(arrowId)
    if (arrow?.type !== 'arrow' || (e.start === null && e.end === null)) continue
    const owner = index.frameOf(arrowId)
    if (owner !== null && owner.id !== frame.id) continue
    const reversed = arrow.props?.arrowheadEnd === 'none' && arrow.props?.arrowheadStart !== 'none'
    edges.push({
      id: arrowId,
      from: reversed ? e.end : e.start,
      to: reversed ? e.start : e.end,
      label: plainTextOfShape(arrow).trim(),
      at: index.geometry.center(arrowId),
    })
  }
  return edges.sort((a, b) => a.at.y - b.at.y || a.at.x - b.at.x).map(({ at: _at, ...edge }) => edge)
}
