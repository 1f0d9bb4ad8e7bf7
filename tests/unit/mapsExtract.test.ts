import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { extractMaps, type ActorMapData, type ArchitectureMapData, type IssueMapData, type ProgrammeMapData } from '../../shared/src/maps/extract.ts'
import { semanticDiff } from '../../shared/src/maps/semanticDiff.ts'
import { noteRecord, placeRect, slotPosition } from '../../shared/src/maps/cards.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import { judgeMapStructure } from '../../shared/src/maps/structureMeta.ts'
import type { RecordChange } from '../../shared/src/locks.ts'
import { buildSeedBoard, SEED_OTHER_NOTE, SEED_QUESTION } from '../../server/src/demo/seedBoard.ts'

type Rec = Record<string, unknown>

function must<T>(v: T | null | undefined): T {
  if (v === null || v === undefined) throw new Error('missing')
  return v
}

const final = buildSeedBoard('final')
const draft = buildSeedBoard('draft')
const maps = extractMaps(final)
const byKind = <K extends string>(k: K) => must(maps.maps.find((m) => m.kind === k))

/** Moves a card (by id) to the slot of another place of its map. */
function moveTo(records: Rec[], id: string, templateId: string, place: Parameters<typeof placeRect>[1]): Rec[] {
  const rect = must(placeRect(must(getTemplate(templateId)), place))
  const at = slotPosition(rect, 1)
  return records.map((r) => (r.id === id ? { ...r, ...at } : r))
}

describe('the seed board', () => {
  it('is made of valid tldraw 5.4.2 records', () => {
    const schema = createTLSchema()
    for (const r of [...final, ...draft]) {
      const type = (schema.types as Record<string, { validate(r: unknown): unknown }>)[String(r.typeName)]
      expect(() => must(type).validate(r), String(r.id)).not.toThrow()
    }
  })
})

describe('extractMaps', () => {
  it('finds the four maps in board order and the note outside them as "Altri contenuti"', () => {
    expect(maps.maps.map((m) => m.kind)).toEqual(['issues', 'actors', 'architecture', 'programme'])
    expect(maps.others.map((c) => c.text)).toEqual([SEED_OTHER_NOTE])
  })

  it('issue map: the question as written on the board, facets with their cards', () => {
    const issues = byKind('issues') as IssueMapData
    expect(issues.question).toBe(SEED_QUESTION)
    expect(issues.facets.map((f) => [f.id, f.cards.map((c) => c.text)])).toEqual([
      ['sociale', ['Laboratorio di relazioni', 'Forme innovative di collaborazione e mutualità']],
      ['strategica', ['Metodo di governance collaborativa', 'Anticipa i bisogni sociali']],
      ['operativa', ['Infrastruttura organizzativa', 'Rende visibili le pratiche di mutuo aiuto territoriali']],
      ['territoriale', ['Hub di welfare generativo', 'Valorizza le specificità santarcangiolesi']],
      ['trasformativa', ['Processo di empowerment collettivo', 'Trasforma gesti spontanei in scelte strategiche']],
    ])
  })

  it('actors: name (first line), notes (the rest), category and level', () => {
    const actors = byKind('actors') as ActorMapData
    expect(actors.actors).toContainEqual(
      expect.objectContaining({ name: 'Amministrazione comunale', notes: 'Settori e servizi coinvolti', category: 'partner-progetto', level: 'nucleo-fondativo' }),
    )
    expect(actors.actors.find((a) => a.name === 'Gruppi CIVIVO')).toMatchObject({ category: 'reti-solidali', level: 'nucleo-fondativo' })
    expect(actors.actors).toHaveLength(8)
  })

  it('architecture: typed nodes and the relations drawn with bound arrows, labelled with their text', () => {
    const arch = byKind('architecture') as ArchitectureMapData
    expect(arch.nodes.map((n) => [n.name, n.nodeType])).toContainEqual(['Cabina di Regia', 'coordinamento'])
    const name = (id: string | null) => arch.nodes.find((n) => n.id === id)?.name
    expect(arch.edges.map((e) => `${name(e.from)} → ${name(e.to)}: ${e.label}`)).toEqual([
      'Regolamento di Amministrazione Condivisa → Patto Fondativo: cornice giuridica',
      'Regolamento di Amministrazione Condivisa → Patti di Collaborazione: cornice giuridica',
      'Patto Fondativo → Cabina di Regia: modalità operative',
      'Cabina di Regia → Community Manager: coordina',
      'Community Manager → Patti di Collaborazione: facilitano',
      'Community Manager → Dispositivo narrativo: raccontano le pratiche',
    ])
  })

  it('MP7 an arrow with its head at the start points from its end to its start; an unbound end is null', () => {
    const arrow = must(final.find((r) => r.id === 'shape:demo-r3')) as Rec & { props: Rec }
    const flipped = final
      .filter((r) => r.id !== 'binding:demo-r3-end')
      .map((r) => (r.id === arrow.id ? { ...arrow, props: { ...arrow.props, arrowheadStart: 'arrow', arrowheadEnd: 'none' } } : r))
    const arch = must(extractMaps(flipped).maps.find((m) => m.kind === 'architecture')) as ArchitectureMapData
    const edge = must(arch.edges.find((e) => e.id === arrow.id))
    expect(edge.from).toBeNull()
    expect(arch.nodes.find((n) => n.id === edge.to)?.name).toBe('Cabina di Regia')
  })

  it('a frozen record array (a stored version) is read once; a live array every time', () => {
    const frozen = Object.freeze([...final])
    expect(extractMaps(frozen)).toBe(extractMaps(frozen))
    const live = [...final]
    const before = extractMaps(live)
    live.push(noteRecord({ id: 'shape:late', parentId: 'page:page', x: -900, y: 0, text: 'Arrivata dopo', order: 60 }))
    expect(extractMaps(live)).not.toBe(before)
    expect(extractMaps(live).others.map((c) => c.text)).toContain('Arrivata dopo')
  })

  it('programme: phase × row → cards', () => {
    const p = byKind('programme') as ProgrammeMapData
    expect(p.cells['mappatura']?.['domande-guida']?.map((c) => c.text)).toEqual(["Quali priorità per il modello operativo dell'Opificio?"])
    expect(p.cells['attivazione']?.['obiettivi']?.map((c) => c.text)).toEqual(['Costituire il Tavolo di Negoziazione con rappresentanza equilibrata'])
    expect(Object.keys(p.cells)).toEqual(['attivazione', 'mappatura', 'finalizzazione'])
  })

  it('MP8 cards without text are not listed; an override in meta moves a card in the extraction', () => {
    const actorsFrame = 'shape:demo-actors'
    const blank = noteRecord({ id: 'shape:blank', parentId: actorsFrame, x: 600, y: 400, text: '', order: 50 })
    const overridden = final.map((r) =>
      r.id === 'shape:demo-target' ? { ...r, meta: { tavoloMap: { category: 'cittadinanza', level: 'nucleo-fondativo' } } } : r,
    )
    const actors = must(extractMaps([...overridden, blank]).maps.find((m) => m.kind === 'actors')) as ActorMapData
    expect(actors.actors.some((a) => a.id === 'shape:blank')).toBe(false)
    expect(actors.actors.find((a) => a.id === 'shape:demo-target')).toMatchObject({ level: 'nucleo-fondativo', overridden: ['category', 'level'] })
  })
})

describe('records from files and old boards', () => {
  it('odd or broken records never throw: they are skipped or read as far as they go', () => {
    const junk: unknown[] = [
      null,
      42,
      'shape:x',
      { id: 'shape:noType', typeName: 'shape' },
      { id: 'shape:badProps', typeName: 'shape', type: 'note', parentId: 'shape:demo-actors', x: 'a', y: null, props: null, meta: 'm' },
      { id: 'shape:loop1', typeName: 'shape', type: 'note', parentId: 'shape:loop2', x: 0, y: 0, props: { richText: { type: 'doc', content: 'no' } } },
      { id: 'shape:loop2', typeName: 'shape', type: 'frame', parentId: 'shape:loop1', x: 0, y: 0, props: { w: 10, h: 10 } },
      { id: 'shape:fakeMap', typeName: 'shape', type: 'frame', parentId: 'page:page', x: 0, y: 0, props: { w: 10, h: 10 }, meta: { tavoloMap: { template: 'nope' } } },
      { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: 7, toId: null, props: {} },
    ]
    const board = [...final, ...junk]
    expect(() => extractMaps(board)).not.toThrow()
    expect(extractMaps(board).maps).toHaveLength(4)
    expect(() => semanticDiff(final, board)).not.toThrow()
    expect(() => semanticDiff(junk, final)).not.toThrow()
  })
})

describe('semanticDiff', () => {
  it('MP9 says what changed from the draft to the final board, in Italian and English', () => {
    const changes = semanticDiff(draft, final)
    expect(changes.map((c) => c.it)).toEqual([
      'Nuovo contributo in «Definizione territoriale»: «Valorizza le specificità santarcangiolesi»',
      'Attore «Gruppi CIVIVO» spostato da «Allargamento strategico» a «Nucleo fondativo»',
      "Nuova domanda guida nella fase 2: «Quali priorità per il modello operativo dell'Opificio?»",
      'Nuovo collegamento: Patto Fondativo → Cabina di Regia («modalità operative»)',
    ])
    expect(changes.map((c) => c.en)).toEqual([
      'New contribution in «Territorial definition»: «Valorizza le specificità santarcangiolesi»',
      'Actor «Gruppi CIVIVO» moved from «Strategic enlargement» to «Founding core»',
      "New guiding question in phase 2: «Quali priorità per il modello operativo dell'Opificio?»",
      'New link: Patto Fondativo → Cabina di Regia («modalità operative»)',
    ])
    expect(changes[1]).toMatchObject({ kind: 'card-moved', shapeId: 'shape:demo-civivo', map: { kind: 'actors', frameId: 'shape:demo-actors' } })
  })

  it('the other way round: removals', () => {
    expect(semanticDiff(final, draft).map((c) => c.it)).toEqual([
      'Attore «Gruppi CIVIVO» spostato da «Nucleo fondativo» a «Allargamento strategico»',
      'Contributo rimosso da «Definizione territoriale»: «Valorizza le specificità santarcangiolesi»',
      "Rimosso da «Domande guida» nella fase 2: «Quali priorità per il modello operativo dell'Opificio?»",
      'Collegamento rimosso: Patto Fondativo → Cabina di Regia',
    ])
  })

  it('the same board: nothing', () => {
    expect(semanticDiff(final, structuredClone(final))).toEqual([])
  })

  it('category and level both changed, a renamed actor, facet and programme moves, edited texts, a new map', () => {
    let b = moveTo(final, 'shape:demo-consulte', 'actors', { category: 'cittadinanza', level: 'nucleo-fondativo' })
    b = moveTo(b, 'shape:demo-soc1', 'issues', { facet: 'trasformativa' })
    b = moveTo(b, 'shape:demo-dom1', 'programme', { phase: 'finalizzazione', row: 'obiettivi' })
    b = b.map((r) => {
      if (r.id === 'shape:demo-centro') return { ...r, props: { ...(r.props as Rec), richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Biblioteca' }] }] } } }
      return r
    })
    const withoutIssues = final.filter((r) => r.id !== 'shape:demo-issues' && r.parentId !== 'shape:demo-issues')
    const it = semanticDiff(final, b).map((c) => c.it)
    expect(it).toEqual([
      'Contributo «Laboratorio di relazioni» spostato da «Definizione sociale» a «Definizione trasformativa»',
      'Attore «Consulte e delegazioni» spostato da «Sistema rappresentativo», «Allargamento strategico» a «Cittadinanza da attivare», «Nucleo fondativo»',
      'Attore «Istituzioni del centro storico» rinominato «Biblioteca»',
      '«Chi deve sedere al Tavolo di Negoziazione?» spostato da «Domande guida» nella fase 1 a «Obiettivi» nella fase 3',
    ])
    expect(semanticDiff(withoutIssues, final).map((c) => c.it)[0]).toBe('Nuova mappa: «Mappa delle questioni in gioco»')
  })

  it('MP9 a card dragged from a map onto the page says so', () => {
    const b = final.map((r) => (r.id === 'shape:demo-ope1' ? { ...r, parentId: 'page:page', x: -3000, y: 0 } : r))
    expect(semanticDiff(final, b).map((c) => c.it)).toEqual(['«Infrastruttura organizzativa» spostato da «Mappa delle questioni in gioco» a Altri contenuti'])
  })
})

/** Issue 17, finding 6: a participant could make the report lie with unlocked map-structure meta (maps SPEC MP10, MP11). */
describe('MP11: extraction trusts only locked structure', () => {
  const issuesFrame = must(final.find((r) => r.id === 'shape:demo-issues'))
  const question = must(final.find((r) => (r.meta as Rec | undefined)?.tavoloMapPart === 'question'))
  const card = must(final.find((r) => r.id === 'shape:demo-soc1'))
  const unlocked = (r: Rec): Rec => ({ ...r, isLocked: false, meta: { ...(r.meta as Rec), tavoloLocked: undefined } })

  it("an unlocked shape marked as the question does not replace the map's locked question", () => {
    const fake = { ...unlocked(question), id: 'shape:fake-question', props: { ...(question.props as Rec), richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Falsa domanda' }] }] } } }
    const issues = must(extractMaps([...final, fake]).maps.find((m) => m.kind === 'issues')) as IssueMapData
    expect(issues.question).toBe(SEED_QUESTION)
    // and it is read like any other unlocked shape with text: a card, not hidden
    expect(JSON.stringify(extractMaps([...final, fake]))).toContain('Falsa domanda')
  })

  it('a card marked as a map part but not locked still appears as a card', () => {
    const marked = { ...card, meta: { ...(card.meta as Rec), tavoloMapPart: 'cell' } }
    const issues = must(extractMaps(final.map((r) => (r.id === card.id ? marked : r))).maps.find((m) => m.kind === 'issues')) as IssueMapData
    expect(issues.facets.find((f) => f.id === 'sociale')!.cards.map((c) => c.text)).toContain('Laboratorio di relazioni')
  })

  it("a participant's unlocked frame marked as a map adds no map", () => {
    const fakeMap = { ...unlocked(issuesFrame), id: 'shape:fake-map', x: 50_000 }
    expect(extractMaps([...final, fakeMap]).maps.map((m) => m.kind)).toEqual(['issues', 'actors', 'architecture', 'programme'])
  })
})

describe('MP10: a participant writes no map structure', () => {
  const part = { id: 'shape:p', typeName: 'shape', type: 'geo', meta: { tavoloMapPart: 'question' } }
  const frame = { id: 'shape:f', typeName: 'shape', type: 'frame', meta: { tavoloMap: { template: 'issues', templateVersion: 1 } } }
  const cardWithMeaning = { id: 'shape:c', typeName: 'shape', type: 'note', meta: { tavoloMap: { facet: 'sociale' } } }

  it('strips structure meta from a new record, puts back what an update changed, leaves meaning and other roles alone', () => {
    const changes = new Map<string, RecordChange>([
      ['shape:p', { action: 'add', newValue: part }],
      ['shape:f', { action: 'add', newValue: frame }],
      ['shape:c', { action: 'add', newValue: cardWithMeaning }],
      ['shape:u', { action: 'update', oldValue: { id: 'shape:u', type: 'note', meta: {} }, newValue: { id: 'shape:u', type: 'note', x: 5, meta: { tavoloMapPart: 'cell' } } }],
    ])
    const corrections = judgeMapStructure('participant', changes)
    expect([...corrections.keys()].sort()).toEqual(['shape:f', 'shape:p', 'shape:u'])
    expect(corrections.get('shape:p')!.value.meta).toEqual({})
    expect(corrections.get('shape:f')!.value.meta).toEqual({})
    expect(corrections.get('shape:u')!.value).toEqual({ id: 'shape:u', type: 'note', x: 5, meta: {} })
    expect(judgeMapStructure('facilitator', changes).size).toBe(0)
    expect(judgeMapStructure('server', changes).size).toBe(0)
  })
})
