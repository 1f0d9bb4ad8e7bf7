/**
 * What changed between two boards, in the words of the maps, in Italian and English:
 * "Attore «Pro Loco» spostato da «Allargamento strategico» a «Nucleo fondativo»",
 * "Nuovo collegamento: Patto Fondativo → Cabina di Regia", "Nuova domanda guida nella fase 2: «…»".
 * Cards are matched by id; a card's place is its meaning on its map (meaning.ts). Pure.
 */
import { extractMaps, type ExtractedMaps, type MapData } from './extract.ts'
import { optionLabel, type MeaningField } from './labels.ts'
import { revealedVotesOf } from '../facilitation/voteRecords.ts'
import type { Locale, MapKind, MapTemplate } from './templateSchema.ts'

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

export interface SemanticChange {
  kind: SemanticChangeKind
  /** The map the change is about (in the newer board; the older one for removals); null for "Altri contenuti". */
  map: { frameId: string; templateId: string; kind: MapKind } | null
  /** The card, node or arrow concerned, to find it on the board; null for a whole map. */
  shapeId: string | null
  it: string
  en: string
}

type Words = Record<Locale, string>
type Say = (locale: Locale) => string

const LOCALES: readonly Locale[] = ['it', 'en']

/** A user's text in a sentence: one line, at most 80 characters, in «guillemets». */
export function quote(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' / ').trim()
  return `«${line.length > 80 ? `${line.slice(0, 79)}…` : line}»`
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
}

function placesOf(x: ExtractedMaps): Map<string, Place> {
  const out = new Map<string, Place>()
  const put = (id: string, map: MapData | null, fields: Place['fields'], text: string, name = text, notes = '') =>
    out.set(id, { frameId: map?.frameId ?? null, map, fields, text, name, notes })
  for (const m of x.maps) {
    switch (m.kind) {
      case 'issues':
        for (const f of m.facets) for (const c of f.cards) put(c.id, m, { facet: f.id }, c.text)
        for (const c of m.unplaced) put(c.id, m, { facet: null }, c.text)
        break
      case 'actors':
        for (const a of m.actors) put(a.id, m, { category: a.category, level: a.level }, a.text, a.name, a.notes)
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

const W = {
  others: { it: 'Altri contenuti', en: 'Other contents' },
  nowhere: { it: 'fuori dalle caselle', en: 'outside the cells' },
  nobody: { it: '(nessuno)', en: '(none)' },
  untyped: { it: 'senza tipo', en: 'untyped' },
} satisfies Record<string, Words>

function label(t: MapTemplate, field: MeaningField, id: string | null | undefined, locale: Locale): string | null {
  return optionLabel(t, field, id ?? null, locale)
}

/** «Categoria», «Livello» — the named parts of a place, or "fuori dalle caselle". */
function placeWords(p: Place, fields: MeaningField[], locale: Locale): string {
  const t = p.map?.template
  if (t === undefined) return W.others[locale]
  const parts = fields.map((f) => label(t, f, p.fields[f], locale)).filter((s): s is string => s !== null)
  return parts.length === 0 ? W.nowhere[locale] : parts.map((s) => `«${s}»`).join(', ')
}

function phaseNumber(p: Place): number | null {
  const t = p.map?.template
  if (t?.kind !== 'programme') return null
  const i = t.phases.findIndex((ph) => ph.id === p.fields.phase)
  return i < 0 ? null : i + 1
}

/** «Domande guida» nella fase 2 */
function programmeWhere(p: Place, locale: Locale): string {
  const t = p.map?.template
  if (t?.kind !== 'programme') return W.nowhere[locale]
  const row = label(t, 'row', p.fields.row, locale)
  const n = phaseNumber(p)
  if (row === null && n === null) return locale === 'it' ? 'fuori dalla tabella' : 'outside the table'
  const inPhase = n === null ? '' : locale === 'it' ? ` nella fase ${n}` : ` in phase ${n}`
  return row === null ? inPhase.trim() : `«${row}»${inPhase}`
}

function mapRef(p: Place): SemanticChange['map'] {
  return p.map === null ? null : { frameId: p.map.frameId, templateId: p.map.template.id, kind: p.map.kind }
}

function change(kind: SemanticChangeKind, map: SemanticChange['map'], shapeId: string | null, say: Say): SemanticChange {
  const [it, en] = LOCALES.map(say) as [string, string]
  return { kind, map, shapeId, it, en }
}

function sameFields(a: Place, b: Place, fields: MeaningField[]): boolean {
  return fields.every((f) => (a.fields[f] ?? null) === (b.fields[f] ?? null))
}

function added(id: string, p: Place): SemanticChange {
  const q = quote(p.text)
  const kind = p.map?.kind
  return change('card-added', mapRef(p), id, (l) => {
    switch (kind) {
      case 'actors':
        return l === 'it' ? `Nuovo attore ${quote(p.name)} in ${placeWords(p, ['category', 'level'], l)}` : `New actor ${quote(p.name)} in ${placeWords(p, ['category', 'level'], l)}`
      case 'architecture': {
        const type = p.map?.template === undefined ? null : label(p.map.template, 'nodeType', p.fields.nodeType, l)
        const typed = type === null ? '' : ` (${type})`
        return l === 'it' ? `Nuovo strumento ${quote(p.name)}${typed}` : `New instrument ${quote(p.name)}${typed}`
      }
      case 'programme': {
        const t = p.map?.template
        const row = t?.kind === 'programme' ? t.rows.find((r) => r.id === p.fields.row) : undefined
        const n = phaseNumber(p)
        if (row?.item !== undefined && n !== null) return `${row.item[l]} ${l === 'it' ? `nella fase ${n}` : `in phase ${n}`}: ${q}`
        return l === 'it' ? `Nuovo contenuto in ${programmeWhere(p, l)}: ${q}` : `New content in ${programmeWhere(p, l)}: ${q}`
      }
      case 'issues':
        return l === 'it' ? `Nuovo contributo in ${placeWords(p, ['facet'], l)}: ${q}` : `New contribution in ${placeWords(p, ['facet'], l)}: ${q}`
      default:
        return l === 'it' ? `Nuovo contenuto fuori dalle mappe: ${q}` : `New content outside the maps: ${q}`
    }
  })
}

function removed(id: string, p: Place): SemanticChange {
  const q = quote(p.text)
  const kind = p.map?.kind
  return change('card-removed', mapRef(p), id, (l) => {
    switch (kind) {
      case 'actors':
        return l === 'it' ? `Attore ${quote(p.name)} rimosso da ${placeWords(p, ['category', 'level'], l)}` : `Actor ${quote(p.name)} removed from ${placeWords(p, ['category', 'level'], l)}`
      case 'architecture':
        return l === 'it' ? `Strumento ${quote(p.name)} rimosso` : `Instrument ${quote(p.name)} removed`
      case 'programme':
        return l === 'it' ? `Rimosso da ${programmeWhere(p, l)}: ${q}` : `Removed from ${programmeWhere(p, l)}: ${q}`
      case 'issues':
        return l === 'it' ? `Contributo rimosso da ${placeWords(p, ['facet'], l)}: ${q}` : `Contribution removed from ${placeWords(p, ['facet'], l)}: ${q}`
      default:
        return l === 'it' ? `Contenuto fuori dalle mappe rimosso: ${q}` : `Content outside the maps removed: ${q}`
    }
  })
}

function mapTitle(p: Place): string {
  return p.map === null ? '' : p.map.title
}

function compareCard(id: string, a: Place, b: Place, out: SemanticChange[]): void {
  if (a.frameId !== b.frameId) {
    out.push(
      change('card-moved', mapRef(b), id, (l) => {
        const from = a.map === null ? W.others[l] : `«${mapTitle(a)}»`
        const to = b.map === null ? W.others[l] : `«${mapTitle(b)}»`
        return l === 'it' ? `${quote(b.text)} spostato da ${from} a ${to}` : `${quote(b.text)} moved from ${from} to ${to}`
      }),
    )
    return
  }
  const kind = b.map?.kind
  switch (kind) {
    case 'actors': {
      const levelOnly = a.fields.category === b.fields.category
      const catOnly = a.fields.level === b.fields.level
      const fields: MeaningField[] = levelOnly ? ['level'] : catOnly ? ['category'] : ['category', 'level']
      if (!sameFields(a, b, ['category', 'level'])) {
        out.push(
          change('card-moved', mapRef(b), id, (l) =>
            l === 'it'
              ? `Attore ${quote(b.name)} spostato da ${placeWords(a, fields, l)} a ${placeWords(b, fields, l)}`
              : `Actor ${quote(b.name)} moved from ${placeWords(a, fields, l)} to ${placeWords(b, fields, l)}`,
          ),
        )
      }
      if (a.name !== b.name) {
        out.push(change('card-edited', mapRef(b), id, (l) => (l === 'it' ? `Attore ${quote(a.name)} rinominato ${quote(b.name)}` : `Actor ${quote(a.name)} renamed ${quote(b.name)}`)))
      } else if (a.notes !== b.notes) {
        out.push(change('card-edited', mapRef(b), id, (l) => (l === 'it' ? `Note dell'attore ${quote(b.name)} modificate` : `Notes of actor ${quote(b.name)} changed`)))
      }
      return
    }
    case 'architecture': {
      if (a.name !== b.name) {
        out.push(change('card-edited', mapRef(b), id, (l) => (l === 'it' ? `Strumento ${quote(a.name)} rinominato ${quote(b.name)}` : `Instrument ${quote(a.name)} renamed ${quote(b.name)}`)))
      } else if (a.notes !== b.notes) {
        out.push(change('card-edited', mapRef(b), id, (l) => (l === 'it' ? `Descrizione dello strumento ${quote(b.name)} modificata` : `Description of instrument ${quote(b.name)} changed`)))
      }
      if (!sameFields(a, b, ['nodeType'])) {
        const t = b.map?.template
        const type = (p: Place, l: Locale) => (t === undefined ? null : label(t, 'nodeType', p.fields.nodeType, l)) ?? W.untyped[l]
        out.push(
          change('card-moved', mapRef(b), id, (l) =>
            l === 'it' ? `Strumento ${quote(b.name)}: tipo da «${type(a, l)}» a «${type(b, l)}»` : `Instrument ${quote(b.name)}: type from «${type(a, l)}» to «${type(b, l)}»`,
          ),
        )
      }
      return
    }
    case 'programme': {
      if (!sameFields(a, b, ['phase', 'row'])) {
        out.push(
          change('card-moved', mapRef(b), id, (l) =>
            l === 'it' ? `${quote(b.text)} spostato da ${programmeWhere(a, l)} a ${programmeWhere(b, l)}` : `${quote(b.text)} moved from ${programmeWhere(a, l)} to ${programmeWhere(b, l)}`,
          ),
        )
      }
      if (a.text !== b.text) {
        out.push(
          change('card-edited', mapRef(b), id, (l) =>
            l === 'it' ? `Modificato in ${programmeWhere(b, l)}: ${quote(a.text)} → ${quote(b.text)}` : `Changed in ${programmeWhere(b, l)}: ${quote(a.text)} → ${quote(b.text)}`,
          ),
        )
      }
      return
    }
    case 'issues': {
      if (!sameFields(a, b, ['facet'])) {
        out.push(
          change('card-moved', mapRef(b), id, (l) =>
            l === 'it'
              ? `Contributo ${quote(b.text)} spostato da ${placeWords(a, ['facet'], l)} a ${placeWords(b, ['facet'], l)}`
              : `Contribution ${quote(b.text)} moved from ${placeWords(a, ['facet'], l)} to ${placeWords(b, ['facet'], l)}`,
          ),
        )
      }
      if (a.text !== b.text) {
        out.push(
          change('card-edited', mapRef(b), id, (l) =>
            l === 'it' ? `Contributo in ${placeWords(b, ['facet'], l)} modificato: ${quote(a.text)} → ${quote(b.text)}` : `Contribution in ${placeWords(b, ['facet'], l)} changed: ${quote(a.text)} → ${quote(b.text)}`,
          ),
        )
      }
      return
    }
    default:
      if (a.text !== b.text) {
        out.push(
          change('card-edited', null, id, (l) =>
            l === 'it' ? `Contenuto fuori dalle mappe modificato: ${quote(a.text)} → ${quote(b.text)}` : `Content outside the maps changed: ${quote(a.text)} → ${quote(b.text)}`,
          ),
        )
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

function relation(e: EdgeView, l: Locale): string {
  const name = (id: string | null) => (id === null ? W.nobody[l] : (e.names.get(id) ?? W.nobody[l]).replace(/\s*\n\s*/g, ' '))
  return `${name(e.from)} → ${name(e.to)}`
}

function edgeMap(e: EdgeView): SemanticChange['map'] {
  return { frameId: e.map.frameId, templateId: e.map.template.id, kind: 'architecture' }
}

function compareEdges(a: Map<string, EdgeView>, b: Map<string, EdgeView>, out: SemanticChange[]): void {
  for (const [id, e] of b) {
    const before = a.get(id)
    const withLabel = (x: EdgeView) => (x.label === '' ? '' : ` (${quote(x.label)})`)
    if (before === undefined) {
      out.push(change('edge-added', edgeMap(e), id, (l) => `${l === 'it' ? 'Nuovo collegamento' : 'New link'}: ${relation(e, l)}${withLabel(e)}`))
      continue
    }
    const r = (l: Locale) => [relation(before, l), relation(e, l)] as const
    if (r('it')[0] !== r('it')[1]) {
      out.push(change('edge-changed', edgeMap(e), id, (l) => `${l === 'it' ? 'Collegamento' : 'Link'} ${r(l)[0]} ${l === 'it' ? 'ora' : 'now'} ${r(l)[1]}`))
    } else if (before.label !== e.label) {
      out.push(
        change('edge-changed', edgeMap(e), id, (l) =>
          l === 'it' ? `Collegamento ${relation(e, l)}: ${quote(before.label)} → ${quote(e.label)}` : `Link ${relation(e, l)}: ${quote(before.label)} → ${quote(e.label)}`,
        ),
      )
    }
  }
  for (const [id, e] of a) {
    if (!b.has(id)) out.push(change('edge-removed', edgeMap(e), id, (l) => `${l === 'it' ? 'Collegamento rimosso' : 'Link removed'}: ${relation(e, l)}`))
  }
}

/** The semantic diff of two extractions (from → to). Maps first, then cards in the newer board's order. */
export function semanticDiffOfMaps(from: ExtractedMaps, to: ExtractedMaps): SemanticChange[] {
  const out: SemanticChange[] = []
  const framesA = new Map(from.maps.map((m) => [m.frameId, m]))
  const framesB = new Map(to.maps.map((m) => [m.frameId, m]))
  for (const m of to.maps) {
    if (!framesA.has(m.frameId)) out.push(change('map-added', { frameId: m.frameId, templateId: m.template.id, kind: m.kind }, m.frameId, (l) => `${l === 'it' ? 'Nuova mappa' : 'New map'}: «${m.title}»`))
  }
  for (const m of from.maps) {
    if (!framesB.has(m.frameId)) out.push(change('map-removed', { frameId: m.frameId, templateId: m.template.id, kind: m.kind }, m.frameId, (l) => `${l === 'it' ? 'Mappa rimossa' : 'Map removed'}: «${m.title}»`))
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
 * MP10: a vote revealed in the newer board and not in the older one: "Votazione «Priorità» chiusa: 1. «Casa di
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
    const words: Words = {
      it: shown.length === 0 ? 'nessun voto' : shown.map((r) => `${r.rank}. ${quote(r.text)} ${r.votes} ${r.votes === 1 ? 'voto' : 'voti'}`).join('; ') + more,
      en: shown.length === 0 ? 'no votes' : shown.map((r) => `${r.rank}. ${quote(r.text)} ${r.votes} ${r.votes === 1 ? 'vote' : 'votes'}`).join('; ') + more,
    }
    const map = maps.maps.find((m) => m.frameId === v.frameId)
    out.push({
      kind: 'vote-revealed',
      map: map === undefined ? null : { frameId: map.frameId, templateId: map.template.id, kind: map.kind },
      shapeId: v.frameId,
      it: `Votazione ${quote(v.title)} chiusa: ${words.it}`,
      en: `Vote ${quote(v.title)} closed: ${words.en}`,
    })
  }
  return out
}
