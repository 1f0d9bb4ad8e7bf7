/**
 * The board of the seed meeting ("1° incontro della Equipe inter-servizio", /work/shared/seed): the four maps
 * filled with what that meeting produced, in two stages. `draft` is the first version ("Prima stesura"), `final`
 * the state at the end of the meeting; their differences are what a facilitator would have done in between (an
 * actor moved to the founding core, a relation and a guiding question added), so the versions' semantic diff
 * has something to say. Deterministic ids, so both stages describe the same cards. Pure.
 */
import { arrowRecords, cardScaleFor, noteRecord, placeRect, slotPosition, type CardPlace } from '../../../shared/src/maps/cards.ts'
import { instantiateTemplate, type ShapeRecordJson } from '../../../shared/src/maps/instantiate.ts'
import { getTemplate } from '../../../shared/src/maps/templates.ts'
import type { Locale, MapTemplate } from '../../../shared/src/maps/templateSchema.ts'
import { ACTOR_META_KEY } from '../../../shared/src/process/actorAttributes.ts'

/**
 * `negotiation`: the board of the process's second meeting ("Tavolo di Negoziazione – 1° incontro", issue 22),
 * continued from `final` (same card ids): two actors moved level, one new actor, one new issue, one link relinked.
 */
export type SeedStage = 'draft' | 'final' | 'negotiation'

interface SeedCard {
  key: string
  place: CardPlace
  text: string
  /** Where it is in the draft, when it moved afterwards. */
  draftPlace?: CardPlace
  /** Only in the final board (and the negotiation's, which continues it). */
  finalOnly?: boolean
  /** Where it is at the negotiation meeting, when it moved there. */
  negotiationPlace?: CardPlace
  /** Only at the negotiation meeting. */
  negotiationOnly?: boolean
  /** Actor attributes the negotiation meeting set (engagement now and wanted, IAP2: the actors template's data). */
  negotiationAttributes?: Record<string, string>
}

const ISSUE_CARDS: SeedCard[] = [
  { key: 'soc1', place: { facet: 'sociale' }, text: 'Laboratorio di relazioni' },
  { key: 'soc2', place: { facet: 'sociale' }, text: 'Forme innovative di collaborazione e mutualità' },
  { key: 'str1', place: { facet: 'strategica' }, text: 'Metodo di governance collaborativa' },
  { key: 'str2', place: { facet: 'strategica' }, text: 'Anticipa i bisogni sociali' },
  { key: 'ope1', place: { facet: 'operativa' }, text: 'Infrastruttura organizzativa' },
  { key: 'ope2', place: { facet: 'operativa' }, text: 'Rende visibili le pratiche di mutuo aiuto territoriali' },
  { key: 'ter1', place: { facet: 'territoriale' }, text: 'Hub di welfare generativo' },
  { key: 'ter2', place: { facet: 'territoriale' }, text: 'Valorizza le specificità santarcangiolesi', finalOnly: true },
  { key: 'tra1', place: { facet: 'trasformativa' }, text: 'Processo di empowerment collettivo' },
  { key: 'tra2', place: { facet: 'trasformativa' }, text: 'Trasforma gesti spontanei in scelte strategiche' },
  { key: 'ope3', place: { facet: 'operativa' }, text: 'Sede, orari e regole d’uso degli spazi', negotiationOnly: true },
]

const ACTOR_CARDS: SeedCard[] = [
  { key: 'comune', place: { category: 'partner-progetto', level: 'nucleo-fondativo' }, text: 'Amministrazione comunale\nSettori e servizi coinvolti' },
  { key: 'firmatari', place: { category: 'partner-progetto', level: 'nucleo-fondativo' }, text: "Firmatari dell'accordo preliminare" },
  {
    key: 'centro',
    place: { category: 'chilometro-quadrato', level: 'allargamento-strategico' },
    negotiationPlace: { category: 'chilometro-quadrato', level: 'nucleo-fondativo' },
    text: 'Istituzioni del centro storico',
  },
  {
    key: 'consulte',
    place: { category: 'sistema-rappresentativo', level: 'allargamento-strategico' },
    text: 'Consulte e delegazioni',
    negotiationAttributes: { 'coinvolgimento-attuale': 'neutrale', 'coinvolgimento-desiderato': 'trainante', 'livello-iap2': 'coinvolgere' },
  },
  { key: 'cet', place: { category: 'mondo-educativo', level: 'allargamento-strategico' }, text: 'Rete formativa territoriale (CET)' },
  {
    key: 'civivo',
    place: { category: 'reti-solidali', level: 'nucleo-fondativo' },
    draftPlace: { category: 'reti-solidali', level: 'allargamento-strategico' },
    text: 'Gruppi CIVIVO',
  },
  { key: 'esperienze', place: { category: 'reti-solidali', level: 'allargamento-strategico' }, text: 'Esperienze collaborative esistenti' },
  {
    key: 'target',
    place: { category: 'cittadinanza', level: 'validazione-comunitaria' },
    negotiationPlace: { category: 'cittadinanza', level: 'allargamento-strategico' },
    text: 'Target specifici da coinvolgere',
    negotiationAttributes: { 'coinvolgimento-attuale': 'inconsapevole', 'coinvolgimento-desiderato': 'favorevole', 'livello-iap2': 'consultare' },
  },
  { key: 'giovani', place: { category: 'sistema-rappresentativo', level: 'allargamento-strategico' }, text: 'Consulta dei giovani', negotiationOnly: true },
]

const PROGRAMME_CARDS: SeedCard[] = [
  { key: 'obi1', place: { phase: 'attivazione', row: 'obiettivi' }, text: 'Costituire il Tavolo di Negoziazione con rappresentanza equilibrata' },
  { key: 'obi2', place: { phase: 'mappatura', row: 'obiettivi' }, text: 'Definire priorità e modello operativo' },
  { key: 'obi3', place: { phase: 'finalizzazione', row: 'obiettivi' }, text: 'Completare il Documento di Proposta Partecipata' },
  { key: 'par1', place: { phase: 'attivazione', row: 'partecipanti' }, text: 'Nucleo fondativo: partner di progetto e referenti dei settori comunali' },
  { key: 'par2', place: { phase: 'mappatura', row: 'partecipanti' }, text: 'Allargamento strategico: attori del territorio' },
  { key: 'par3', place: { phase: 'finalizzazione', row: 'partecipanti' }, text: 'Validazione comunitaria: la cittadinanza' },
  { key: 'foc1', place: { phase: 'attivazione', row: 'focus-metodologico' }, text: 'Ingaggio e composizione del Tavolo' },
  { key: 'foc2', place: { phase: 'mappatura', row: 'focus-metodologico' }, text: 'Mappatura e co-progettazione operativa' },
  { key: 'foc3', place: { phase: 'finalizzazione', row: 'focus-metodologico' }, text: 'Validazione comunitaria delle proposte' },
  { key: 'dom1', place: { phase: 'attivazione', row: 'domande-guida' }, text: 'Chi deve sedere al Tavolo di Negoziazione?' },
  { key: 'dom2', place: { phase: 'mappatura', row: 'domande-guida' }, text: "Quali priorità per il modello operativo dell'Opificio?", finalOnly: true },
  { key: 'dom3', place: { phase: 'finalizzazione', row: 'domande-guida' }, text: 'La proposta è condivisa dalla comunità?' },
]

const RELATIONS: Array<{ key: string; from: string; to: string; text: string; finalOnly?: boolean; negotiationTo?: string }> = [
  { key: 'r1', from: 'regolamento', to: 'patto-fondativo', text: 'cornice giuridica' },
  { key: 'r2', from: 'patto-fondativo', to: 'cabina-di-regia', text: 'modalità operative', finalOnly: true },
  { key: 'r3', from: 'cabina-di-regia', to: 'community-manager', text: 'coordina', negotiationTo: 'patti-collaborazione' },
  { key: 'r4', from: 'regolamento', to: 'patti-collaborazione', text: 'cornice giuridica' },
  { key: 'r5', from: 'community-manager', to: 'patti-collaborazione', text: 'facilitano' },
  { key: 'r6', from: 'community-manager', to: 'dispositivo-narrativo', text: 'raccontano le pratiche' },
]

/** The seed's question is the issues template's own default (maps SPEC MP16): "identità dell'Opificio". */
export const SEED_QUESTION = (() => {
  const issues = getTemplate('issues')
  if (issues === null || issues.kind !== 'issues') throw new Error('the issues template is missing')
  return issues.question.it
})()
export const SEED_OTHER_NOTE =
  'Utilizzo operativo degli elaborati: il programma e la mappa delle questioni guidano il processo; la mappa degli ' +
  'attori e l’architettura operativa sono bozze da validare con la comunità.'

const LAYOUT: Array<{ id: string; x: number; y: number }> = [
  { id: 'issues', x: 0, y: 0 },
  { id: 'actors', x: 2800, y: 0 },
  { id: 'architecture', x: 0, y: 1900 },
  { id: 'programme', x: 2800, y: 1900 },
]

function template(id: string): MapTemplate {
  const t = getTemplate(id)
  if (t === null) throw new Error(`the seed board needs the ${id} template`)
  return t
}

/** The seed board's records (page, document, the four maps with their cards, one note outside the maps). */
export function buildSeedBoard(stage: SeedStage, locale: Locale = 'it'): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [
    { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
    { id: 'page:page', typeName: 'page', name: locale === 'it' ? 'Pagina 1' : 'Page 1', index: 'a1', meta: {} },
  ]
  const frames = new Map<string, { id: string; records: ShapeRecordJson[] }>()
  LAYOUT.forEach((at, i) => {
    let n = 0
    const frameId = `shape:demo-${at.id}`
    const records = instantiateTemplate(template(at.id), {
      x: at.x,
      y: at.y,
      locale,
      index: `a${i + 2}`,
      makeId: () => (n++ === 0 ? frameId : `${frameId}-s${n - 1}`),
    })
    frames.set(at.id, { id: frameId, records })
    out.push(...records)
  })

  const place = (mapId: string, cards: SeedCard[]) => {
    const t = template(mapId)
    const frameId = frames.get(mapId)?.id ?? ''
    const slots = new Map<string, number>()
    const absent = (c: SeedCard) => (c.finalOnly === true && stage === 'draft') || (c.negotiationOnly === true && stage !== 'negotiation')
    const placed = cards.filter((c) => !absent(c))
    const whereOf = (c: SeedCard) =>
      stage === 'draft' && c.draftPlace !== undefined ? c.draftPlace : stage === 'negotiation' && c.negotiationPlace !== undefined ? c.negotiationPlace : c.place
    // Each place's cards as large as the place allows (cards are what the wall is read for: cards.ts MAX_CARD_SCALE).
    const counts = new Map<string, number>()
    for (const c of placed) counts.set(JSON.stringify(whereOf(c)), (counts.get(JSON.stringify(whereOf(c))) ?? 0) + 1)
    cards.forEach((c, order) => {
      if (absent(c)) return
      const where = whereOf(c)
      const rect = placeRect(t, where)
      if (rect === null) throw new Error(`seed card ${c.key}: no place ${JSON.stringify(where)} in ${mapId}`)
      const slotKey = JSON.stringify(where)
      const slot = slots.get(slotKey) ?? 0
      slots.set(slotKey, slot + 1)
      const top = t.kind === 'issues' ? 160 : 40
      const scale = cardScaleFor(rect, counts.get(slotKey) ?? 1, top)
      const meta = stage === 'negotiation' && c.negotiationAttributes !== undefined ? { [ACTOR_META_KEY]: c.negotiationAttributes } : undefined
      out.push(noteRecord({ id: `shape:demo-${c.key}`, parentId: frameId, ...slotPosition(rect, slot, top, scale), text: c.text, order, scale, meta }))
    })
  }
  place('issues', ISSUE_CARDS)
  place('actors', ACTOR_CARDS)
  place('programme', PROGRAMME_CARDS)

  const arch = frames.get('architecture')
  const archT = template('architecture')
  if (arch !== undefined && archT.kind === 'architecture') {
    const nodeOf = (instrument: string) => {
      const record = arch.records.find((r) => (r.meta.tavoloMap as { instrument?: unknown } | undefined)?.instrument === instrument)
      const rect = archT.instruments.find((i) => i.id === instrument)?.rect
      if (record === undefined || rect === undefined) throw new Error(`seed relation: no instrument ${instrument}`)
      return { id: record.id, rect }
    }
    RELATIONS.forEach((r, order) => {
      if (r.finalOnly === true && stage === 'draft') return
      const from = nodeOf(r.from)
      const to = nodeOf(stage === 'negotiation' && r.negotiationTo !== undefined ? r.negotiationTo : r.to)
      // from the wide legal framework, each arrow leaves straight above its target
      const fromAnchor = from.rect.w > 2 * to.rect.w ? { x: (to.rect.x + to.rect.w / 2 - from.rect.x) / from.rect.w, y: 1 } : undefined
      out.push(...arrowRecords({ id: `shape:demo-${r.key}`, parentId: arch.id, from, to, text: r.text, order, fromAnchor, labelPosition: fromAnchor === undefined ? 0.5 : 0.25 }))
    })
  }
  out.push({
    ...noteRecord({ id: 'shape:demo-uso', parentId: 'page:page', x: 0, y: 3500, text: SEED_OTHER_NOTE, order: 0, color: 'light-blue' }),
    index: 'a9',
  })
  return out
}
