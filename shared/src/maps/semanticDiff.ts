/**
 * What changed between two boards, in the words of the maps, in Italian and English:
 * "Attore «Pro Loco» spostato da «Allargamento strategico» a «Nucleo fondativo»",
 * "Nuovo collegamento: Patto Fondativo → Cabina di Regia", "Nuova domanda guida nella fase 2: «…»".
 * Cards are matched by id; a card's place is its meaning on its map (meaning.ts). Pure.
 */
import { extractMaps, type ExtractedMaps, type MapData } from './extract.ts'
import { optionLabel, type MeaningField } from './labels.ts'
import { revealedVotesOf } from '../facilitation/voteRecords.ts'
import { DIFF_WORDS, type DiffWords } from './diffWords.ts'
import { LOCALES, type Locale, type MapKind, type MapTemplate } from './templateSchema.ts'

export type SemanticChangeKind =
  | 'map-added'
  | 'map-removed'
  | 'card-added'
  | 'card-removed'
  | 'card-moved'
  | 'card-edited'
  | 'edge-added'
  | 'edge-removed'
  | 'edge-changed'
  | 'vote-revealed'

/** One change, said in every language of the catalogues (`it`, `en`). */
export interface SemanticChange extends Record<Locale, string> {
  kind: SemanticChangeKind
  /** The map the change is about (in the newer board; the older one for removals); null for "Altri contenuti". */
  map: { frameId: string; templateId: string; kind: MapKind } | null
  /** The card, node or arrow concerned, to find it on the board; null for a whole map. */
  shapeId: string | null
}

/** A sentence in the words of one language. */
type Say = (words: DiffWords, locale: Locale) => string

/** A user's text in a sentence: one line, at most 80 characters, in «guillemets». */
function quote(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' / ').trim()
  return `«${line.length > 80 ? `${line.slice(0, 79)}…` : line}»`
}

/** A label of the template or a map's title, whole, in «guillemets». */
function named(label: string): string {
  return `«${label}»`
}

interface Place {
  frameId: string | null
  map: MapData | null
  /** Meaning fields (facet, category, level, phase, row, nodeType). */
  fields: Partial<Record<MeaningField, string | null>>
  text: string
  /** Actors and nodes: first line. */
  name: string
  notes: string
  /** Actors: the template's attributes the card sets (issue 22). */
  attributes: Record<string, string>
}

function placesOf(x: ExtractedMaps): Map<string, Place> {
  const out = new Map<string, Place>()
  const put = (id: string, map: MapData | null, fields: Place['fields'], text: string, name = text, notes = '', attributes: Record<string, string> = {}) =>
    out.set(id, { frameId: map?.frameId ?? null, map, fields, text, name, notes, attributes })
  for (const m of x.maps) {
    switch (m.kind) {
      case 'issues':
        for (const f of m.facets) for (const c of f.cards) put(c.id, m, { facet: f.id }, c.text)
        for (const c of m.unplaced) put(c.id, m, { facet: null }, c.text)
        break
      case 'actors':
        for (const a of m.actors) put(a.id, m, { category: a.category, level: a.level }, a.text, a.name, a.notes, a.attributes)
        break
      case 'architecture':
        for (const n of m.nodes) put(n.id, m, { nodeType: n.nodeType }, n.text, n.name, n.notes)
        break
      case 'programme':
        for (const [phase, rows] of Object.entries(m.cells)) {
          for (const [row, cards] of Object.entries(rows)) for (const c of cards) put(c.id, m, { phase, row }, c.text)
        }
        for (const c of m.unplaced) put(c.id, m, { phase: c.phase, row: c.row }, c.text)
        break
    }
  }
  for (const c of x.others) put(c.id, null, {}, c.text)
  return out
}

function label(t: MapTemplate, field: MeaningField, id: string | null | undefined, locale: Locale): string | null {
  return optionLabel(t, field, id ?? null, locale)
}

/** «Categoria», «Livello» — the named parts of a place, or "fuori dalle caselle". */
function placeWords(p: Place, fields: MeaningField[], words: DiffWords, locale: Locale): string {
  const t = p.map?.template
  if (t === undefined) return words.others
  const parts = fields.map((f) => label(t, f, p.fields[f], locale)).filter((s): s is string => s !== null)
  return parts.length === 0 ? words.nowhere : parts.map(named).join(', ')
}

function phaseNumber(p: Place): number | null {
  const t = p.map?.template
  if (t?.kind !== 'programme') return null
  const index = t.phases.findIndex((phase) => phase.id === p.fields.phase)
  return index < 0 ? null : index + 1
}

/** «Domande guida» nella fase 2 */
function programmeWhere(p: Place, words: DiffWords, locale: Locale): string {
  const t = p.map?.template
  if (t?.kind !== 'programme') return words.nowhere
  const row = label(t, 'row', p.fields.row, locale)
  const phase = phaseNumber(p)
  if (row === null) return phase === null ? words.outsideTable : words.inPhase(phase)
  return phase === null ? named(row) : words.rowInPhase(named(row), phase)
}

function mapRef(p: Place): SemanticChange['map'] {
  return p.map === null ? null : { frameId: p.map.frameId, templateId: p.map.template.id, kind: p.map.kind }
}

function change(kind: SemanticChangeKind, map: SemanticChange['map'], shapeId: string | null, say: Say): SemanticChange {
  const sentences = Object.fromEntries(LOCALES.map((locale) => [locale, say(DIFF_WORDS[locale], locale)])) as Record<Locale, string>
  return { kind, map, shapeId, ...sentences }
}

function sameFields(a: Place, b: Place, fields: MeaningField[]): boolean {
  return fields.every((f) => (a.fields[f] ?? null) === (b.fields[f] ?? null))
}

function added(id: string, p: Place): SemanticChange {
  const text = quote(p.text)
  const kind = p.map?.kind
  return change('card-added', mapRef(p), id, (words, locale) => {
    switch (kind) {
      case 'actors':
        return words.actorAdded(quote(p.name), placeWords(p, ['category', 'level'], words, locale))
      case 'architecture': {
        const type = p.map?.template === undefined ? null : label(p.map.template, 'nodeType', p.fields.nodeType, locale)
        return words.instrumentAdded(quote(p.name), type)
      }
      case 'programme': {
        const t = p.map?.template
        const row = t?.kind === 'programme' ? t.rows.find((r) => r.id === p.fields.row) : undefined
        const phase = phaseNumber(p)
        if (row?.item !== undefined && phase !== null) return words.programmeItemAdded(row.item[locale], phase, text)
        return words.programmeAdded(programmeWhere(p, words, locale), text)
      }
      case 'issues':
        return words.issueAdded(placeWords(p, ['facet'], words, locale), text)
      default:
        return words.otherAdded(text)
    }
  })
}

function removed(id: string, p: Place): SemanticChange {
  const text = quote(p.text)
  const kind = p.map?.kind
  return change('card-removed', mapRef(p), id, (words, locale) => {
    switch (kind) {
      case 'actors':
        return words.actorRemoved(quote(p.name), placeWords(p, ['category', 'level'], words, locale))
      case 'architecture':
        return words.instrumentRemoved(quote(p.name))
      case 'programme':
        return words.programmeRemoved(programmeWhere(p, words, locale), text)
      case 'issues':
        return words.issueRemoved(placeWords(p, ['facet'], words, locale), text)
      default:
        return words.otherRemoved(text)
    }
  })
}

function mapTitle(p: Place): string {
  return p.map === null ? '' : p.map.title
}

function compareCard(id: string, a: Place, b: Place, out: SemanticChange[]): void {
  if (a.frameId !== b.frameId) {
    out.push(
      change('card-moved', mapRef(b), id, (words) => {
        const from = a.map === null ? words.others : named(mapTitle(a))
        const to = b.map === null ? words.others : named(mapTitle(b))
        return words.cardMoved(quote(b.text), from, to)
      }),
    )
    return
  }
  const kind = b.map?.kind
  switch (kind) {
    case 'actors': {
      const levelOnly = a.fields.category === b.fields.category
      const categoryOnly = a.fields.level === b.fields.level
      const fields: MeaningField[] = levelOnly ? ['level'] : categoryOnly ? ['category'] : ['category', 'level']
      if (!sameFields(a, b, ['category', 'level'])) {
        out.push(
          change('card-moved', mapRef(b), id, (words, locale) =>
            words.actorMoved(quote(b.name), placeWords(a, fields, words, locale), placeWords(b, fields, words, locale)),
          ),
        )
      }
      if (a.name !== b.name) {
        out.push(change('card-edited', mapRef(b), id, (words) => words.actorRenamed(quote(a.name), quote(b.name))))
      } else if (a.notes !== b.notes) {
        out.push(change('card-edited', mapRef(b), id, (words) => words.actorNotesChanged(quote(b.name))))
      }
      const t = b.map?.template
      for (const attribute of t?.kind === 'actors' ? (t.attributes ?? []) : []) {
        const before = a.attributes[attribute.id]
        const after = b.attributes[attribute.id]
        if (before === after) continue
        const value = (v: string | undefined, words: DiffWords, locale: Locale) =>
          v === undefined ? words.unsetValue : named(attribute.options.find((o) => o.id === v)?.label[locale] ?? v)
        out.push(
          change('card-edited', mapRef(b), id, (words, locale) =>
            words.actorAttributeChanged(quote(b.name), named(attribute.label[locale]), value(before, words, locale), value(after, words, locale)),
          ),
        )
      }
      return
    }
    case 'architecture': {
      if (a.name !== b.name) {
        out.push(change('card-edited', mapRef(b), id, (words) => words.instrumentRenamed(quote(a.name), quote(b.name))))
      } else if (a.notes !== b.notes) {
        out.push(change('card-edited', mapRef(b), id, (words) => words.instrumentDescriptionChanged(quote(b.name))))
      }
      if (!sameFields(a, b, ['nodeType'])) {
        const t = b.map?.template
        const type = (p: Place, words: DiffWords, locale: Locale) =>
          named((t === undefined ? null : label(t, 'nodeType', p.fields.nodeType, locale)) ?? words.untyped)
        out.push(
          change('card-moved', mapRef(b), id, (words, locale) =>
            words.instrumentTypeChanged(quote(b.name), type(a, words, locale), type(b, words, locale)),
          ),
        )
      }
      return
    }
    case 'programme': {
      if (!sameFields(a, b, ['phase', 'row'])) {
        out.push(
          change('card-moved', mapRef(b), id, (words, locale) =>
            words.cardMoved(quote(b.text), programmeWhere(a, words, locale), programmeWhere(b, words, locale)),
          ),
        )
      }
      if (a.text !== b.text) {
        out.push(
          change('card-edited', mapRef(b), id, (words, locale) =>
            words.programmeEdited(programmeWhere(b, words, locale), quote(a.text), quote(b.text)),
          ),
        )
      }
      return
    }
    case 'issues': {
      if (!sameFields(a, b, ['facet'])) {
        out.push(
          change('card-moved', mapRef(b), id, (words, locale) =>
            words.issueMoved(quote(b.text), placeWords(a, ['facet'], words, locale), placeWords(b, ['facet'], words, locale)),
          ),
        )
      }
      if (a.text !== b.text) {
        out.push(
          change('card-edited', mapRef(b), id, (words, locale) =>
            words.issueEdited(placeWords(b, ['facet'], words, locale), quote(a.text), quote(b.text)),
          ),
        )
      }
      return
    }
    default:
      if (a.text !== b.text) {
        out.push(change('card-edited', null, id, (words) => words.otherEdited(quote(a.text), quote(b.text))))
      }
  }
}

interface EdgeView {
  map: MapData & { kind: 'architecture' }
  from: string | null
  to: string | null
  label: string
  names: Map<string, string>
}

function edgesOf(x: ExtractedMaps): Map<string, EdgeView> {
  const out = new Map<string, EdgeView>()
  for (const m of x.maps) {
    if (m.kind !== 'architecture') continue
    const names = new Map(m.nodes.map((n) => [n.id, n.name]))
    for (const e of m.edges) out.set(e.id, { map: m, from: e.from, to: e.to, label: e.label, names })
  }
  return out
}

/** A node's name on one line, or null for an end bound to nothing (or to no node of the map). */
function endName(e: EdgeView, id: string | null): string | null {
  const name = id === null ? undefined : e.names.get(id)
  return name === undefined ? null : name.replace(/\s*\n\s*/g, ' ')
}

/** "Patto Fondativo → Cabina di Regia", "(nessuno)" for an end bound to nothing. */
function relation(e: EdgeView, words: DiffWords): string {
  return `${endName(e, e.from) ?? words.nobody} → ${endName(e, e.to) ?? words.nobody}`
}

function edgeMap(e: EdgeView): SemanticChange['map'] {
  return { frameId: e.map.frameId, templateId: e.map.template.id, kind: 'architecture' }
}

function compareEdges(a: Map<string, EdgeView>, b: Map<string, EdgeView>, out: SemanticChange[]): void {
  for (const [id, e] of b) {
    const before = a.get(id)
    if (before === undefined) {
      out.push(change('edge-added', edgeMap(e), id, (words) => words.linkAdded(relation(e, words), e.label === '' ? null : quote(e.label))))
      continue
    }
    const relinked = endName(before, before.from) !== endName(e, e.from) || endName(before, before.to) !== endName(e, e.to)
    if (relinked) {
      out.push(change('edge-changed', edgeMap(e), id, (words) => words.linkRelinked(relation(before, words), relation(e, words))))
    } else if (before.label !== e.label) {
      out.push(change('edge-changed', edgeMap(e), id, (words) => words.linkRelabelled(relation(e, words), quote(before.label), quote(e.label))))
    }
  }
  for (const [id, e] of a) {
    if (!b.has(id)) out.push(change('edge-removed', edgeMap(e), id, (words) => words.linkRemoved(relation(e, words))))
  }
}

/** The semantic diff of two extractions (from → to). Maps first, then cards in the newer board's order. */
export function semanticDiffOfMaps(from: ExtractedMaps, to: ExtractedMaps): SemanticChange[] {
  const out: SemanticChange[] = []
  const framesA = new Map(from.maps.map((m) => [m.frameId, m]))
  const framesB = new Map(to.maps.map((m) => [m.frameId, m]))
  for (const m of to.maps) {
    if (!framesA.has(m.frameId)) out.push(change('map-added', { frameId: m.frameId, templateId: m.template.id, kind: m.kind }, m.frameId, (words) => words.mapAdded(named(m.title))))
  }
  for (const m of from.maps) {
    if (!framesB.has(m.frameId)) out.push(change('map-removed', { frameId: m.frameId, templateId: m.template.id, kind: m.kind }, m.frameId, (words) => words.mapRemoved(named(m.title))))
  }
  const a = placesOf(from)
  const b = placesOf(to)
  for (const [id, p] of b) {
    const before = a.get(id)
    if (before === undefined) out.push(added(id, p))
    else compareCard(id, before, p, out)
  }
  for (const [id, p] of a) if (!b.has(id)) out.push(removed(id, p))
  compareEdges(edgesOf(from), edgesOf(to), out)
  return out
}

/** The semantic diff of two boards' records. */
export function semanticDiff(from: Iterable<unknown>, to: Iterable<unknown>): SemanticChange[] {
  const before = [...from]
  const after = [...to]
  const extracted = extractMaps(after)
  return [...semanticDiffOfMaps(extractMaps(before), extracted), ...voteChanges(before, after, extracted)]
}

// ---- Dot-votes (issue 20): kept apart from the maps' sentences above -----------------------------------------------

/** Ranked cards named in a vote's sentence; the rest is "…". */
const VOTE_SENTENCE_CARDS = 5

/**
 * MP13: a vote revealed in the newer board and not in the older one: "Votazione «Priorità» chiusa: 1. «Casa di
 * quartiere» 7 voti; 2. «Orti» 5 voti …" (cards with votes, best first, at most VOTE_SENTENCE_CARDS).
 */
function voteChanges(from: readonly unknown[], to: readonly unknown[], maps: ExtractedMaps): SemanticChange[] {
  const known = new Set(revealedVotesOf(from).map((v) => v.id))
  const out: SemanticChange[] = []
  for (const v of revealedVotesOf(to)) {
    if (known.has(v.id)) continue
    const voted = v.results.filter((r) => r.votes > 0)
    const shown = voted.slice(0, VOTE_SENTENCE_CARDS)
    const more = voted.length > shown.length ? ' …' : ''
    const map = maps.maps.find((m) => m.frameId === v.frameId)
    out.push(
      change('vote-revealed', map === undefined ? null : { frameId: map.frameId, templateId: map.template.id, kind: map.kind }, v.frameId, (words) =>
        words.voteRevealed(
          quote(v.title),
          shown.length === 0 ? words.noVotes : shown.map((r) => words.voteCard(r.rank, quote(r.text), r.votes)).join('; ') + more,
        ),
      ),
    )
  }
  return out
}
