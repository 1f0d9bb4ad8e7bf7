// Process history, story and report (shared/src/process/SPEC.md, PR1-PR12).
import { describe, expect, it } from 'vitest'
import { processHistory, normaliseName, type ProcessMeetingBoard } from '../../shared/src/process/processHistory.ts'
import { processStory } from '../../shared/src/process/processStory.ts'
import { actorGridSvg, renderProcessReport } from '../../shared/src/process/processReport.ts'
import { actorAttributesOf, engagementGap, metaWithActorAttribute } from '../../shared/src/process/actorAttributes.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import type { ActorsTemplate } from '../../shared/src/maps/templateSchema.ts'
import { meetingBoard, type BoardSpec } from '../helpers/processBoards.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { semanticDiff } from '../../shared/src/maps/semanticDiff.ts'
import { extractMaps } from '../../shared/src/maps/extract.ts'

const PROCESS = { id: 'p1', title: 'Opificio', description: null, decidimUrl: null }
const NOW = '2026-12-07T10:00:00Z'

const proLoco = { id: 'shape:proloco', text: 'Pro Loco', category: 'reti-solidali', level: 'allargamento-strategico' }
const comune = { id: 'shape:comune', text: 'Amministrazione comunale\nSettori', category: 'partner-progetto', level: 'nucleo-fondativo' }
const scuole = { id: 'shape:scuole', text: 'Scuole', category: 'mondo-educativo', level: 'validazione-comunitaria' }

const first: BoardSpec = {
  actors: [proLoco, comune, scuole],
  issues: [
    { id: 'shape:i1', text: 'Laboratorio di relazioni', facet: 'sociale' },
    { id: 'shape:i2', text: 'Hub di welfare', facet: 'territoriale' },
  ],
  relations: [
    { id: 'shape:r1', from: 'regolamento', to: 'patto-fondativo', text: 'cornice' },
    { id: 'shape:r2', from: 'cabina-di-regia', to: 'community-manager', text: 'coordina' },
  ],
}

function actorsTemplate(): ActorsTemplate {
  const t = getTemplate('actors')
  if (t?.kind !== 'actors') throw new Error('actors template')
  return t
}

describe('processHistory', () => {
  it('PR1/PR2: one meeting: every actor is new, every issue there from the start', () => {
    const h = processHistory([meetingBoard(1, first)])
    expect(h.meetings.map((m) => m.id)).toEqual(['meeting1'])
    // in the map's reading order
    expect(h.actors.map((a) => [a.key, a.steps[0]?.via, a.steps[0]?.level])).toEqual([
      ['shape:comune', 'new', 'nucleo-fondativo'],
      ['shape:proloco', 'new', 'allargamento-strategico'],
      ['shape:scuole', 'new', 'validazione-comunitaria'],
    ])
    expect(h.issues.map((i) => [i.key, i.appearedAt, i.droppedAt])).toEqual([
      ['shape:i1', 0, null],
      ['shape:i2', 0, null],
    ])
    const story = processStory(PROCESS, h, 'it', NOW)
    expect(story.trajectories).toEqual([])
    expect(story.issues.persisted).toHaveLength(2)
    expect(story.architecture[0]?.summary).toMatch(/^Incontro 1: \d+ strumenti, 2 collegamenti$/)
  })

  it('PR2/PR5: two meetings: a move, an arrival, a departure, a rename by id, an issue added and one dropped', () => {
    const second: BoardSpec = {
      actors: [
        { ...proLoco, level: 'nucleo-fondativo' },
        { ...comune, text: 'Comune di Santarcangelo\nSettori' },
        { id: 'shape:new', text: 'Associazione Giovani', category: 'cittadinanza', level: 'allargamento-strategico' },
      ],
      issues: [
        { id: 'shape:i1', text: 'Laboratorio di relazioni', facet: 'sociale' },
        { id: 'shape:i3', text: 'Casa di quartiere', facet: 'operativa' },
      ],
      relations: [
        { id: 'shape:r1', from: 'regolamento', to: 'patto-fondativo', text: 'cornice' },
        { id: 'shape:r2', from: 'cabina-di-regia', to: 'patti-collaborazione', text: 'coordina' },
      ],
    }
    const h = processHistory([meetingBoard(1, first), meetingBoard(2, second, { number: 3, total: 4 })])
    const byKey = new Map(h.actors.map((a) => [a.key, a]))
    expect(byKey.get('shape:proloco')?.steps.map((s) => s?.level)).toEqual(['allargamento-strategico', 'nucleo-fondativo'])
    expect(byKey.get('shape:scuole')?.steps[1]).toBeNull()
    expect(byKey.get('shape:new')?.steps[0]).toBeNull()
    expect(h.issues.find((i) => i.key === 'shape:i2')?.droppedAt).toBe(1)
    expect(h.issues.find((i) => i.key === 'shape:i3')?.appearedAt).toBe(1)

    const it_ = processStory(PROCESS, h, 'it', NOW)
    expect(it_.meetings.map((m) => m.versionText)).toEqual(['Versione 1 (di 1)', 'Versione 3 (di 4)'])
    expect(it_.trajectories.map((t) => t.text)).toEqual(['«Pro Loco»: Allargamento strategico → Nucleo fondativo (incontro 2)'])
    const events = it_.events.map((e) => e.text)
    expect(events).toContain('«Associazione Giovani» arriva all’incontro 2 in Cittadinanza da attivare, Allargamento strategico')
    expect(events).toContain('«Scuole» non è più sulla mappa dall’incontro 2')
    expect(events).toContain('«Amministrazione comunale» si chiama «Comune di Santarcangelo» dall’incontro 2')
    expect(it_.issues).toEqual({
      appeared: ['«Casa di quartiere» (Definizione operativa), dall’incontro 2'],
      persisted: ['«Laboratorio di relazioni» (Definizione sociale)'],
      dropped: ['«Hub di welfare» (Definizione territoriale), non più presente dall’incontro 2'],
    })
    expect(it_.architecture[1]?.changes).toEqual([expect.stringMatching(/^Collegamento Cabina di Regia → Community Manager ora Cabina di Regia → /)])

    const en = processStory(PROCESS, h, 'en', NOW)
    expect(en.trajectories.map((t) => t.text)).toEqual(['“Pro Loco”: Strategic enlargement → Founding core (meeting 2)'])
    expect(en.meetings[1]?.versionText).toBe('Version 3 (of 4)')

    // PR12: the picture marks the move: Pro Loco's new cell is tinted and its name has the arrow
    const grid = it_.grids[0]!
    expect(grid.meetings[1]?.cells['reti-solidali']?.['nucleo-fondativo']).toEqual([{ name: 'Pro Loco', moved: true }])
    expect(grid.meetings[0]?.cells['reti-solidali']?.['allargamento-strategico']).toEqual([{ name: 'Pro Loco', moved: false }])
    const svg = actorGridSvg(grid, 1, 'Mappa, incontro 2', 'it')
    expect(svg).toContain('→ Pro Loco')
    expect(svg).toContain('fill="#fff1b8"')
  })

  it('PR3: an actor written again by hand is matched by its normalised name, and the match can be undone', () => {
    const again: BoardSpec = { actors: [{ id: 'shape:hand', text: 'PRO-LOCO', category: 'reti-solidali', level: 'nucleo-fondativo' }] }
    const boards = [meetingBoard(1, first), meetingBoard(2, again)]
    const matched = processHistory(boards)
    const actor = matched.actors.find((a) => a.key === 'shape:proloco')
    expect(actor?.steps[1]).toMatchObject({ cardId: 'shape:hand', via: 'name', level: 'nucleo-fondativo' })
    expect(matched.matches).toEqual([
      { meetingIndex: 1, meetingId: 'meeting2', cardId: 'shape:hand', name: 'PRO-LOCO', actorKey: 'shape:proloco', earlierCardId: 'shape:proloco', earlierName: 'Pro Loco' },
    ])
    const story = processStory(PROCESS, matched, 'it', NOW)
    expect(story.matches.map((m) => m.text)).toEqual(['«PRO-LOCO» all’incontro 2 è lo stesso attore di «Pro Loco»'])
    expect(story.trajectories.map((t) => t.text)).toEqual(['«PRO-LOCO»: Allargamento strategico → Nucleo fondativo (incontro 2)'])

    const undone = processHistory(boards, [{ meetingId: 'meeting2', cardId: 'shape:hand' }])
    expect(undone.matches).toEqual([])
    expect(undone.actors.find((a) => a.key === 'shape:proloco')?.steps[1]).toBeNull()
    expect(undone.actors.find((a) => a.key === 'shape:hand')?.steps[1]?.via).toBe('new')
  })

  it('PR3: the names are normalised (case, accents, punctuation, spaces)', () => {
    expect(normaliseName('  Pro-Loco  di Sàn   Mauro! ')).toBe('pro loco di san mauro')
    expect(normaliseName('CÀRITAS')).toBe(normaliseName('caritas'))
  })

  it('PR2: five meetings: a continued card keeps its history through a meeting where it is away', () => {
    const at = (level: string | null) => (level === null ? { actors: [comune] } : { actors: [comune, { ...proLoco, level }] })
    const levels = ['validazione-comunitaria', 'allargamento-strategico', null, 'allargamento-strategico', 'nucleo-fondativo']
    const boards: ProcessMeetingBoard[] = levels.map((l, i) => meetingBoard(i + 1, at(l), { number: i + 2, total: i + 2 }))
    const h = processHistory(boards)
    expect(h.actors).toHaveLength(2)
    expect(h.actors[1]?.steps.map((s) => s?.level ?? null)).toEqual(levels)
    const story = processStory(PROCESS, h, 'it', NOW)
    expect(story.trajectories.map((t) => t.text)).toEqual([
      '«Pro Loco»: Validazione comunitaria → Allargamento strategico (incontro 2) → Nucleo fondativo (incontro 5)',
    ])
    expect(story.events.map((e) => e.text)).toEqual([
      '«Pro Loco» non è più sulla mappa dall’incontro 3',
      '«Pro Loco» torna sulla mappa all’incontro 4 in Reti solidali attive, Allargamento strategico',
    ])
    expect(story.meetings.map((m) => m.label)).toEqual(['Incontro 1', 'Incontro 2', 'Incontro 3', 'Incontro 4', 'Incontro 5'])
  })

  it('PR8/PR9: attributes from the template data, diffed across meetings, and the engagement gap', () => {
    const t = actorsTemplate()
    expect(t.attributes?.map((a) => a.id)).toEqual(['coinvolgimento-attuale', 'coinvolgimento-desiderato', 'livello-iap2'])
    const a1 = { 'coinvolgimento-attuale': 'neutrale', 'coinvolgimento-desiderato': 'trainante', 'livello-iap2': 'consultare' }
    const a2 = { ...a1, 'coinvolgimento-attuale': 'favorevole', 'livello-iap2': 'collaborare' }
    const h = processHistory([meetingBoard(1, { actors: [{ ...proLoco, attributes: a1 }] }), meetingBoard(2, { actors: [{ ...proLoco, attributes: a2 }] })])
    expect(h.actors[0]?.steps[1]?.attributes).toEqual(a2)
    const story = processStory(PROCESS, h, 'it', NOW)
    expect(story.events.map((e) => e.text)).toEqual([
      '«Pro Loco»: Coinvolgimento attuale da Neutrale a Favorevole (incontro 2)',
      '«Pro Loco»: Livello IAP2 da Consultare a Collaborare (incontro 2)',
    ])
    expect(story.gaps).toEqual(['«Pro Loco»: Favorevole, desiderato Trainante (1 livello sotto)'])
    expect(processStory(PROCESS, h, 'en', NOW).gaps).toEqual(['“Pro Loco”: Supportive, wanted Leading (1 level below)'])
  })

  it('PR8: readers are forgiving: unknown attributes and values are ignored; meta edits keep other keys', () => {
    const t = actorsTemplate()
    expect(actorAttributesOf({ meta: { tavoloActor: { 'livello-iap2': 'boh', altro: 'x', 'coinvolgimento-attuale': 'neutrale' } } }, t)).toEqual({
      'coinvolgimento-attuale': 'neutrale',
    })
    expect(actorAttributesOf({ meta: { tavoloActor: 'rotto' } }, t)).toEqual({})
    const meta = metaWithActorAttribute({ tavoloMap: { level: 'x' } }, 'livello-iap2', 'delegare')
    expect(meta).toEqual({ tavoloMap: { level: 'x' }, tavoloActor: { 'livello-iap2': 'delegare' } })
    expect(metaWithActorAttribute(meta, 'livello-iap2', null)).toEqual({ tavoloMap: { level: 'x' } })
    expect(engagementGap({ 'coinvolgimento-attuale': 'trainante', 'coinvolgimento-desiderato': 'neutrale' }, t)?.levels).toBe(0)
    expect(engagementGap({ 'coinvolgimento-attuale': 'trainante' }, t)).toBeNull()
  })

  it('PR1: a meeting read from its live board says so', () => {
    const story = processStory(PROCESS, processHistory([meetingBoard(1, first, null)]), 'it', NOW)
    expect(story.meetings[0]?.versionText).toBe('lavagna dal vivo (nessuna versione salvata)')
  })
})

describe('process report (PR12)', () => {
  const hostile = '<script>alert(1)</script> **x** | y'
  const h = processHistory([
    meetingBoard(1, { actors: [{ ...proLoco, text: hostile }], issues: [{ id: 'shape:i1', text: '<img src=x onerror=alert(1)>', facet: 'sociale' }] }),
    meetingBoard(2, { actors: [{ ...proLoco, text: hostile, level: 'nucleo-fondativo' }] }),
  ])
  const story = processStory({ ...PROCESS, title: 'A & <b>B</b>', description: '<i>d</i>' }, h, 'it', NOW)

  it('escapes every user text in HTML, including inside the SVG pictures', () => {
    const html = renderProcessReport(story, 'html').body
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>B</b>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"')
    expect(html).toContain('Processo «A &amp; &lt;b&gt;B&lt;/b&gt;»')
  })

  it('escapes every user text in Markdown and keeps the pictures as tables', () => {
    const md = renderProcessReport(story, 'md').body
    expect(md).not.toContain('<script>')
    expect(md).toContain('&lt;script&gt;')
    expect(md).toContain('\\*\\*x\\*\\* \\| y')
    expect(md).toMatch(/\| \*\*Reti solidali attive\*\* \|/)
    expect(md).toContain('→ &lt;script&gt;')
  })

  it('JSON is the story itself, in the language asked', () => {
    const json = JSON.parse(renderProcessReport(processStory(PROCESS, h, 'en', NOW), 'json').body) as { locale: string; trajectories: unknown[]; grids: unknown[] }
    expect(json.locale).toBe('en')
    expect(json.trajectories).toHaveLength(1)
    expect(json.grids).toHaveLength(1)
  })
})

describe('the demo process (issue 22 "Demo")', () => {
  it('the negotiation meeting continued from the seed tells its story: two moves, one arrival, one issue, one relinked link, two gaps', () => {
    const at = (id: string, records: unknown[]) => ({ meeting: { id, title: id, startsAt: null, createdAt: id }, version: { number: 2, total: 2, label: 'x' }, records })
    const h = processHistory([at('seed', buildSeedBoard('final')), at('tavolo', buildSeedBoard('negotiation'))])
    const story = processStory({ ...PROCESS, title: 'Opificio di Comunità' }, h, 'it', NOW)
    expect(story.trajectories.map((t) => t.text)).toEqual([
      '«Istituzioni del centro storico»: Allargamento strategico → Nucleo fondativo (incontro 2)',
      '«Target specifici da coinvolgere»: Validazione comunitaria → Allargamento strategico (incontro 2)',
    ])
    expect(story.events.map((e) => e.text)).toContain('«Consulta dei giovani» arriva all’incontro 2 in Sistema rappresentativo, Allargamento strategico')
    expect(story.issues.appeared).toEqual(['«Sede, orari e regole d’uso degli spazi» (Definizione operativa), dall’incontro 2'])
    expect(story.issues.dropped).toEqual([])
    expect(story.architecture[1]?.changes).toEqual(['Collegamento Cabina di Regia → Community Manager ora Cabina di Regia → Patti di Collaborazione'])
    expect(story.gaps).toEqual([
      '«Target specifici da coinvolgere»: Inconsapevole, desiderato Favorevole (3 livelli sotto)',
      '«Consulte e delegazioni»: Neutrale, desiderato Trainante (2 livelli sotto)',
    ])
  })
})

describe('actor attributes in the versions\' semantic diff (PR8: "diffed like the rest")', () => {
  it('says when an attribute is set, changed or cleared, in both languages; the extraction carries them', () => {
    const before = meetingBoard(1, { actors: [{ ...proLoco, attributes: { 'coinvolgimento-attuale': 'neutrale', 'livello-iap2': 'informare' } }] }).records
    const after = meetingBoard(1, { actors: [{ ...proLoco, attributes: { 'coinvolgimento-attuale': 'favorevole', 'coinvolgimento-desiderato': 'trainante' } }] }).records
    const actors = extractMaps(after).maps.find((m) => m.kind === 'actors')
    expect(actors?.kind === 'actors' ? actors.actors[0]?.attributes : null).toEqual({ 'coinvolgimento-attuale': 'favorevole', 'coinvolgimento-desiderato': 'trainante' })
    const changes = semanticDiff(before, after)
    expect(changes.map((c) => c.it)).toEqual([
      'Attore «Pro Loco»: «Coinvolgimento attuale» da «Neutrale» a «Favorevole»',
      'Attore «Pro Loco»: «Coinvolgimento desiderato» da non indicato a «Trainante»',
      'Attore «Pro Loco»: «Livello IAP2» da «Informare» a non indicato',
    ])
    expect(changes[0]?.en).toBe('Actor «Pro Loco»: «Current engagement» from «Neutral» to «Supportive»')
  })
})
