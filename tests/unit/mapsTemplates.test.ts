import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it, vi } from 'vitest'
import {
  BoardIndex,
  cardMeaning,
  getTemplate,
  instantiateTemplate,
  isMapStructure,
  mapTemplates,
  MapTemplateSchema,
  parseTemplate,
  type MapTemplate,
  type ShapeRecordJson,
} from '../../shared/src/maps/index.ts'
import { gridCellRect, polar } from '../../shared/src/maps/layout.ts'
import { isTavoloLocked } from '../../shared/src/locks.ts'

const schema = createTLSchema()

function idMaker(prefix = 't') {
  let n = 0
  return () => `shape:${prefix}${++n}`
}

function must<T>(v: T | null | undefined): T {
  if (v === null || v === undefined) throw new Error('missing')
  return v
}

/** The actor map drawn as rings (the shipped template is a grid; rings stay a layout any template may choose). */
const actorsGrid = must(getTemplate('actors'))
const actorRings = parseTemplate('actor-rings', {
  ...actorsGrid,
  id: 'actor-rings',
  size: { w: 2700, h: 2300 },
  layout: { type: 'rings', center: { x: 1350, y: 1150 }, radii: [150, 420, 690, 950], startAngle: -90 },
})
const lookup = (id: string) => (id === 'actor-rings' ? actorRings : getTemplate(id))

function mapOf(id: string, at = { x: 0, y: 0 }): { template: MapTemplate; records: ShapeRecordJson[]; frameId: string } {
  const template = must(lookup(id))
  const records = instantiateTemplate(template, { ...at, locale: 'it', makeId: idMaker(id) })
  return { template, records, frameId: must(records[0]).id }
}

/** A note whose centre is at `center` in its parent's coordinates. */
function note(id: string, parentId: string, center: { x: number; y: number }, meta: Record<string, unknown> = {}) {
  return {
    id: `shape:${id}`,
    typeName: 'shape',
    type: 'note',
    x: center.x - 100,
    y: center.y - 100,
    rotation: 0,
    index: 'a9',
    parentId,
    isLocked: false,
    opacity: 1,
    props: {
      color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: null, align: 'middle',
      verticalAlign: 'middle', growY: 0, url: '', scale: 1, textLastEditedBy: null,
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: id }] }] },
    },
    meta,
  }
}

const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} }

describe('map templates', () => {
  it('MP1 every template file loads and validates', () => {
    expect(mapTemplates().map((t) => t.id)).toEqual(['issues', 'actors', 'architecture', 'programme', 'stakeholders'])
    for (const t of mapTemplates()) expect(MapTemplateSchema.safeParse(t).success).toBe(true)
  })

  it('MP1 a template file is validated when it is first asked for, and only that one (a phone opening a board)', async () => {
    vi.resetModules()
    const fresh = await import('../../shared/src/maps/templates.ts')
    const { MapTemplateSchema: freshSchema } = await import('../../shared/src/maps/templateSchema.ts')
    const safeParse = vi.spyOn(freshSchema, 'safeParse')
    expect(safeParse).not.toHaveBeenCalled()
    expect(fresh.getTemplate('programme')?.id).toBe('programme')
    expect(safeParse).toHaveBeenCalledTimes(1)
    expect(fresh.getTemplate('programme')?.id).toBe('programme')
    expect(fresh.getTemplate('no-such-map')).toBeNull()
    expect(safeParse).toHaveBeenCalledTimes(1)
    expect(fresh.mapTemplates()).toHaveLength(5)
    expect(safeParse).toHaveBeenCalledTimes(5)
    safeParse.mockRestore()
  })

  it('MP1 a broken template is refused with the field named', () => {
    const actors = must(getTemplate('actors'))
    if (actors.kind !== 'actors') throw new Error('kind')
    const broken = { ...actors, layout: { type: 'rings', center: { x: 10, y: 10 }, radii: [5, 4], startAngle: 0 } }
    expect(() => parseTemplate('broken.json', broken)).toThrow(/broken\.json[\s\S]*layout\.radii/)
    const dup = { ...actors, categories: [actors.categories[0], actors.categories[0]] }
    expect(() => parseTemplate('dup.json', dup)).toThrow(/categories\.1\.id: duplicate id/)
  })

  it.each([...mapTemplates(), actorRings].map((t) => [t.id, t] as const))('MP2 MP3 %s instantiates as valid tldraw 5.4.2 records, structure locked', (_id, t) => {
    for (const locale of ['it', 'en'] as const) {
      const records = instantiateTemplate(t, { x: 100, y: 200, locale, makeId: idMaker(), index: 'a5' })
      const [frame, ...parts] = records
      expect(frame?.type).toBe('frame')
      expect(frame?.props.name).toBe(t.title[locale])
      expect(frame?.meta.tavoloMap).toEqual({ template: t.id, templateVersion: t.version })
      expect(isTavoloLocked(frame)).toBe(true)
      expect(frame?.isLocked).toBe(false) // tldraw would refuse drops into a locked frame
      for (const r of records) expect(() => schema.types.shape.validate(r)).not.toThrow()
      for (const p of parts) {
        expect(p.parentId).toBe(frame?.id)
        if (isMapStructure(p)) expect(p.isLocked && isTavoloLocked(p)).toBe(true)
        else expect(t.kind).toBe('architecture') // only the default nodes are not structure
      }
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
      expect(new Set(parts.map((r) => r.index)).size).toBe(parts.length)
    }
  })

  it('makeId must give shape ids', () => {
    expect(() => instantiateTemplate(mapTemplates()[0] as MapTemplate, { x: 0, y: 0, locale: 'it', makeId: () => 'x' })).toThrow(/shape id/)
  })
})

describe('card meaning from geometry', () => {
  it('issues: a card in a facet belongs to it; on the question it has none', () => {
    const { template, records, frameId } = mapOf('issues', { x: 500, y: -300 })
    if (template.kind !== 'issues') throw new Error('kind')
    const cards = template.facets.map((f) => note(f.id, frameId, { x: f.rect.x + f.rect.w / 2, y: f.rect.y + f.rect.h - 150 }))
    const q = note('q', frameId, { x: template.questionRect.x + 300, y: template.questionRect.y + 100 })
    const board = new BoardIndex([page, ...records, ...cards, q])
    for (const f of template.facets) expect(board.meaning(`shape:${f.id}`)).toMatchObject({ kind: 'issues', facet: f.id, frameId })
    expect(board.meaning('shape:q')).toMatchObject({ kind: 'issues', facet: null })
  })

  it('actors (rings): sector and ring give category and level; hub and outside give none', () => {
    const { template, records, frameId } = mapOf('actor-rings')
    if (template.kind !== 'actors' || template.layout.type !== 'rings') throw new Error('kind')
    const layout = template.layout
    const cards = []
    const expected: Array<[string, string, string]> = []
    template.categories.forEach((c, ci) => {
      template.levels.forEach((l, li) => {
        const angle = layout.startAngle + (ci + 0.5) * (360 / template.categories.length)
        const radius = ((layout.radii[li] ?? 0) + (layout.radii[li + 1] ?? 0)) / 2
        const id = `${c.id}-${l.id}`
        cards.push(note(id, frameId, polar(layout, radius, angle)))
        expected.push([id, c.id, l.id])
      })
    })
    cards.push(note('hub', frameId, layout.center))
    cards.push(note('corner', frameId, { x: 110, y: 110 }))
    const board = new BoardIndex([page, ...records, ...cards], lookup)
    for (const [id, category, level] of expected) {
      expect(board.meaning(`shape:${id}`)).toMatchObject({ kind: 'actors', category, level, overridden: [] })
    }
    expect(board.meaning('shape:hub')).toMatchObject({ category: null, level: null })
    expect(board.meaning('shape:corner')).toMatchObject({ category: null, level: null })
  })

  it('actors (grid, the shipped template): the seed example, "reti solidali attive" × "nucleo fondativo"', () => {
    const { template, records, frameId } = mapOf('actors')
    if (template.kind !== 'actors' || template.layout.type !== 'grid') throw new Error('kind')
    const cell = gridCellRect(template.layout, 4, 0)
    const outer = gridCellRect(template.layout, 4, 2)
    const board = new BoardIndex([
      page,
      ...records,
      note('a', frameId, { x: cell.x + 120, y: cell.y + 300 }),
      note('b', frameId, { x: outer.x + 300, y: outer.y + 120 }),
    ])
    expect(board.meaning('shape:a')).toMatchObject({ category: 'reti-solidali', level: 'nucleo-fondativo' })
    expect(board.meaning('shape:b')).toMatchObject({ category: 'reti-solidali', level: 'validazione-comunitaria' })
  })

  it('actors (grid, the stakeholder template): column and row give category and level', () => {
    const { template, records, frameId } = mapOf('stakeholders')
    if (template.kind !== 'actors' || template.layout.type !== 'grid') throw new Error('kind')
    const g = template.layout
    const cards = [note('a', frameId, { x: gridCellRect(g, 2, 1).x + 200, y: gridCellRect(g, 2, 1).y + 150 }), note('b', frameId, { x: gridCellRect(g, 0, 0).x + 10, y: gridCellRect(g, 0, 0).y + 10 })]
    const board = new BoardIndex([page, ...records, ...cards])
    expect(board.meaning('shape:a')).toMatchObject({ category: 'cittadini', level: 'da-coinvolgere' })
    expect(board.meaning('shape:b')).toMatchObject({ category: 'istituzioni', level: 'coinvolti' })
  })

  it('MP5 programme: a card in a cell belongs to that phase and row; on a header only to its band', () => {
    const { template, records, frameId } = mapOf('programme')
    if (template.kind !== 'programme') throw new Error('kind')
    const g = template.layout
    const cell = gridCellRect(g, 1, 3)
    const cards = [
      note('q', frameId, { x: cell.x + cell.w / 2, y: cell.y + cell.h / 2 }),
      note('h', frameId, { x: cell.x + 300, y: g.y + 80 }),
    ]
    const board = new BoardIndex([page, ...records, ...cards])
    expect(board.meaning('shape:q')).toMatchObject({ kind: 'programme', phase: 'mappatura', row: 'domande-guida' })
    expect(board.meaning('shape:h')).toMatchObject({ phase: 'mappatura', row: null })
  })

  it('MP7 architecture: default nodes carry their instrument and type; a new card is an untyped node', () => {
    const { records, frameId } = mapOf('architecture')
    const extra = note('nuovo', frameId, { x: 200, y: 200 })
    const typed = note('typed', frameId, { x: 400, y: 200 }, { tavoloMap: { nodeType: 'accordo' } })
    const board = new BoardIndex([page, ...records, extra, typed])
    const patto = records.find((r) => (r.meta.tavoloMap as { instrument?: string } | undefined)?.instrument === 'patto-fondativo')
    expect(board.meaning(must(patto).id)).toMatchObject({ kind: 'architecture', instrument: 'patto-fondativo', nodeType: 'manifesto' })
    expect(board.meaning('shape:nuovo')).toMatchObject({ kind: 'architecture', instrument: null, nodeType: null })
    expect(board.meaning('shape:typed')).toMatchObject({ nodeType: 'accordo', overridden: ['nodeType'] })
  })

  it('MP6 explicit overrides win field by field; unknown ids fall back to the position', () => {
    const { template, records, frameId } = mapOf('actor-rings')
    if (template.kind !== 'actors' || template.layout.type !== 'rings') throw new Error('kind')
    const at = polar(template.layout, 300, template.layout.startAngle + 30)
    const both = note('both', frameId, at, { tavoloMap: { category: 'cittadinanza', level: 'validazione-comunitaria' } })
    const one = note('one', frameId, at, { tavoloMap: { level: 'allargamento-strategico' } })
    const bogus = note('bogus', frameId, at, { tavoloMap: { category: 'nope' } })
    const board = new BoardIndex([page, ...records, both, one, bogus], lookup)
    const fromPosition = must(board.meaning('shape:bogus'))
    expect(fromPosition).toMatchObject({ category: 'partner-progetto', level: 'nucleo-fondativo', overridden: [] })
    expect(board.meaning('shape:both')).toMatchObject({ category: 'cittadinanza', level: 'validazione-comunitaria', overridden: ['category', 'level'] })
    expect(board.meaning('shape:one')).toMatchObject({ category: 'partner-progetto', level: 'allargamento-strategico', overridden: ['level'] })
  })

  it('MP5 a card in a nested frame counts where it is seen (positions composed through parents)', () => {
    const { template, records, frameId } = mapOf('programme', { x: 1000, y: 1000 })
    if (template.kind !== 'programme') throw new Error('kind')
    const cell = gridCellRect(template.layout, 2, 0)
    const inner = {
      ...note('inner', frameId, { x: 0, y: 0 }),
      type: 'frame',
      x: cell.x + 20,
      y: cell.y + 20,
      props: { w: 400, h: 300, name: 'gruppo', color: 'black' },
    }
    const card = note('deep', 'shape:inner', { x: 150, y: 150 })
    const board = new BoardIndex([page, ...records, inner, card])
    expect(board.meaning('shape:deep')).toMatchObject({ phase: 'finalizzazione', row: 'obiettivi', frameId })
    expect(board.meaning('shape:inner')).toBeNull() // a container is not a card
  })

  it('MP5 a rotated map frame: the card is read in the frame’s own coordinates', () => {
    const { template, records, frameId } = mapOf('programme')
    if (template.kind !== 'programme') throw new Error('kind')
    const rotated = records.map((r) => (r.id === frameId ? { ...r, x: 500, y: 500, rotation: Math.PI / 2 } : r))
    const cell = gridCellRect(template.layout, 0, 1)
    const local = { x: cell.x + 100, y: cell.y + 100 }
    // page-space card: frame origin + R(90°)·local
    const pageCard = note('p', 'page:page', { x: 500 - local.y, y: 500 + local.x })
    expect(cardMeaning([page, ...rotated, pageCard], 'shape:p')).toMatchObject({ phase: 'attivazione', row: 'partecipanti' })
  })

  it('MP4 a card left on the page over a map (not reparented) still belongs to it; far away it belongs to none', () => {
    const { template, records } = mapOf('issues', { x: 1000, y: 0 })
    if (template.kind !== 'issues') throw new Error('kind')
    const f = must(template.facets[2])
    const over = note('over', 'page:page', { x: 1000 + f.rect.x + 100, y: f.rect.y + 500 })
    const away = note('away', 'page:page', { x: -5000, y: 0 })
    const board = new BoardIndex([page, ...records, over, away])
    expect(board.meaning('shape:over')).toMatchObject({ facet: f.id })
    expect(board.meaning('shape:away')).toBeNull()
  })

  it('MP3 structure shapes are not cards', () => {
    const { records } = mapOf('programme')
    const ring = must(records.find((r) => r.meta.tavoloMapPart === 'cell'))
    expect(cardMeaning(records, ring.id)).toBeNull()
  })
})
