/**
 * A template turned into plain tldraw records: one frame (`meta.tavoloMap = { template, templateVersion }`) and its
 * structure shapes (title band, rings, sector lines, cells, headers, labels), each parented to the frame, locked for
 * participants (`meta.tavoloLocked` + `isLocked`, as withTavoloLock) and marked `meta.tavoloMapPart`.
 *
 * The frame carries the Tavolo lock in `meta` only, with tldraw's `isLocked` left false: tldraw refuses to drop
 * shapes into a locked frame and treats the children of a locked shape as locked, and cards must stay free. The
 * server's lock guard still puts back a participant's move, resize or deletion of the frame (L1, L3, L4, L9).
 *
 * The default instruments of the operative architecture are nodes, not structure: unlocked, so arrows can bind to
 * them and people can move them, with their instrument and node type in `meta.tavoloMap`.
 */
import { withTavoloLock } from '../locks.ts'
import { gridCellRect, gridColumnHeaderRect, gridRowHeaderRect, polar, sectorAngles } from './layout.ts'
import { richTextFromPlain } from './richTextBuild.ts'
import type { GridLayout, Locale, MapTemplate, Point, Rect, TemplateOption } from './templateSchema.ts'

export const MAP_META_KEY = 'tavoloMap'
export const MAP_PART_META_KEY = 'tavoloMapPart'

/** What a map frame carries in `meta.tavoloMap`. */
export interface MapFrameMeta {
  template: string
  templateVersion: number
}

/** A tldraw shape record as plain JSON (valid for tldraw 5.4.2's schema). */
export type ShapeRecordJson = {
  id: string
  typeName: 'shape'
  type: string
  x: number
  y: number
  rotation: number
  index: string
  parentId: string
  isLocked: boolean
  opacity: number
  props: Record<string, unknown>
  meta: Record<string, unknown>
}

export interface InstantiateOptions {
  /** Page-space position of the frame's top-left corner. */
  x: number
  y: number
  locale: Locale
  /** A new, unique shape id, e.g. tldraw's `createShapeId()` ("shape:…"). */
  makeId: () => string
  /** Page (or other parent) of the frame; default `page:page`. */
  parentId?: string
  /** Fractional index of the frame among its siblings; default `a1`. Pass `editor.getHighestIndexForParent(page)`. */
  index?: string
}

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The i-th (from 1, below 62³) of increasing fractional index keys: "a1" … "az", "b10" … "bzz", "c100" … (the
 * integer keys of tldraw's fractional indexing: the head letter says how many digits follow).
 */
export function nthIndexKey(i: number): string {
  const d = (n: number) => DIGITS[n % 62] ?? '0'
  if (i < 62) return `a${d(i)}`
  if (i < 62 * 62) return `b${d(Math.floor(i / 62))}${d(i)}`
  return `c${d(Math.floor(i / 3844))}${d(Math.floor(i / 62))}${d(i)}`
}

type Color = 'black' | 'grey' | 'light-violet' | 'violet' | 'blue' | 'light-blue' | 'yellow' | 'orange' | 'green' | 'light-green' | 'light-red' | 'red' | 'white'
/** tldraw's 'semi' fill is an off-white whatever the colour; 'solid' is the colour's pastel tint. */
type Fill = 'none' | 'semi' | 'solid'
type Size = 's' | 'm' | 'l' | 'xl'

const CELL_COLORS: readonly Color[] = ['light-green', 'light-blue', 'light-violet', 'yellow', 'orange', 'light-red']

interface BoxStyle {
  color?: Color
  fill?: Fill
  size?: Size
  dash?: 'solid' | 'dashed' | 'none' | 'draw'
  geo?: 'rectangle' | 'ellipse'
  align?: 'start' | 'middle' | 'end'
  verticalAlign?: 'start' | 'middle' | 'end'
}

class FrameBuilder {
  readonly records: ShapeRecordJson[] = []
  private next = 1
  constructor(
    readonly frameId: string,
    private readonly makeId: () => string,
  ) {}

  private checkedId(): string {
    const id = this.makeId()
    if (!id.startsWith('shape:')) throw new Error(`makeId must return a shape id ("shape:…"), got "${id}"`)
    return id
  }

  private add(type: string, at: Point, props: Record<string, unknown>, meta: Record<string, unknown>, locked: boolean): ShapeRecordJson {
    const record: ShapeRecordJson = {
      id: this.checkedId(),
      typeName: 'shape',
      type,
      x: at.x,
      y: at.y,
      rotation: 0,
      index: nthIndexKey(this.next++),
      parentId: this.frameId,
      isLocked: false,
      opacity: 1,
      props,
      meta,
    }
    const out = locked ? withTavoloLock(record, true) : record
    this.records.push(out)
    return out
  }

  /** A locked structure part. */
  box(part: string, rect: Rect, text: string, style: BoxStyle = {}): void {
    this.add('geo', { x: rect.x, y: rect.y }, geoProps(rect, text, style), { [MAP_PART_META_KEY]: part }, true)
  }

  /** An unlocked node (architecture). */
  node(rect: Rect, text: string, meta: Record<string, unknown>, style: BoxStyle): void {
    this.add('geo', { x: rect.x, y: rect.y }, geoProps(rect, text, style), meta, false)
  }

  line(part: string, from: Point, to: Point, color: Color): void {
    this.add(
      'line',
      from,
      {
        color,
        dash: 'solid',
        size: 's',
        spline: 'line',
        points: {
          a1: { id: 'a1', index: 'a1', x: 0, y: 0 },
          a2: { id: 'a2', index: 'a2', x: to.x - from.x, y: to.y - from.y },
        },
        scale: 1,
      },
      { [MAP_PART_META_KEY]: part },
      true,
    )
  }
}

function geoProps(rect: Rect, text: string, s: BoxStyle): Record<string, unknown> {
  return {
    geo: s.geo ?? 'rectangle',
    dash: s.dash ?? 'solid',
    url: '',
    w: rect.w,
    h: rect.h,
    growY: 0,
    scale: 1,
    flipX: false,
    flipY: false,
    labelColor: 'black',
    color: s.color ?? 'black',
    fill: s.fill ?? 'none',
    size: s.size ?? 'm',
    font: 'sans',
    align: s.align ?? 'middle',
    verticalAlign: s.verticalAlign ?? 'middle',
    richText: richTextFromPlain(text),
  }
}

function optionText(o: TemplateOption, locale: Locale): string {
  return o.description === undefined ? o.label[locale] : `${o.label[locale]}\n${o.description[locale]}`
}

function grid(b: FrameBuilder, g: GridLayout, columns: readonly TemplateOption[], rows: readonly TemplateOption[], locale: Locale, numberColumns: boolean): void {
  columns.forEach((c, i) => {
    const label = numberColumns ? `${PHASE_WORD[locale]} ${i + 1} · ${optionText(c, locale)}` : optionText(c, locale)
    b.box('column-header', gridColumnHeaderRect(g, i), label, { fill: 'solid', color: 'grey', size: 'l' })
  })
  rows.forEach((r, j) => {
    b.box('row-header', gridRowHeaderRect(g, j), optionText(r, locale), { fill: 'solid', color: 'grey', size: 'l' })
    columns.forEach((_, i) => b.box('cell', gridCellRect(g, i, j), '', { fill: 'solid', color: CELL_COLORS[j % CELL_COLORS.length] }))
  })
}

const PHASE_WORD: Record<Locale, string> = { it: 'Fase', en: 'Phase' }
const ARROW_HINT: Record<Locale, string> = {
  it: 'Collega gli strumenti con le frecce e scrivi sulla freccia che cosa li lega',
  en: 'Link the instruments with arrows and write on each arrow what ties them',
}
const HUB_LABEL: Record<Locale, string> = { it: 'Attori', en: 'Actors' }

const RING_COLORS: readonly Color[] = ['yellow', 'light-green', 'light-blue', 'light-violet', 'orange', 'light-red']
const LABEL_W = 380
const LABEL_H = 130

/** Plain tldraw records for a new map: the frame first, then its structure (and default nodes), in paint order. */
export function instantiateTemplate(template: MapTemplate, options: InstantiateOptions): ShapeRecordJson[] {
  const { locale } = options
  const frameId = options.makeId()
  if (!frameId.startsWith('shape:')) throw new Error(`makeId must return a shape id ("shape:…"), got "${frameId}"`)
  const frameMeta: MapFrameMeta = { template: template.id, templateVersion: template.version }
  const frame: ShapeRecordJson = {
    id: frameId,
    typeName: 'shape',
    type: 'frame',
    x: options.x,
    y: options.y,
    rotation: 0,
    index: options.index ?? 'a1',
    parentId: options.parentId ?? 'page:page',
    isLocked: false,
    opacity: 1,
    props: { w: template.size.w, h: template.size.h, name: template.title[locale], color: 'black' },
    meta: { [MAP_META_KEY]: frameMeta, tavoloLocked: true },
  }
  const b = new FrameBuilder(frameId, options.makeId)
  switch (template.kind) {
    case 'issues':
      b.box('question', template.questionRect, template.question[locale], { fill: 'solid', color: 'violet', size: 'xl' })
      template.facets.forEach((f, i) =>
        b.box('facet', f.rect, optionText(f, locale), {
          fill: 'solid',
          color: CELL_COLORS[i % CELL_COLORS.length],
          size: 'l',
          verticalAlign: 'start',
        }),
      )
      break
    case 'actors': {
      const { layout } = template
      if (layout.type === 'grid') {
        grid(b, layout, template.categories, template.levels, locale, false)
        break
      }
      const radii = layout.radii
      const outer = radii[radii.length - 1] ?? 0
      for (let i = radii.length - 1; i >= 1; i--) {
        const r = radii[i] ?? 0
        b.box('ring', { x: layout.center.x - r, y: layout.center.y - r, w: 2 * r, h: 2 * r }, '', {
          geo: 'ellipse',
          fill: 'solid',
          color: RING_COLORS[(i - 1) % RING_COLORS.length],
        })
      }
      const hub = radii[0] ?? 0
      b.box('hub', { x: layout.center.x - hub, y: layout.center.y - hub, w: 2 * hub, h: 2 * hub }, HUB_LABEL[locale], {
        geo: 'ellipse',
        fill: 'solid',
        color: 'white',
        size: 'l',
      })
      const n = template.categories.length
      template.categories.forEach((c, i) => {
        const { start, end } = sectorAngles(layout, n, i)
        if (n > 1) b.line('sector-line', polar(layout, hub, start), polar(layout, outer, start), 'grey')
        const at = polar(layout, outer + LABEL_H * 0.7, (start + end) / 2)
        b.box('category-label', { x: at.x - LABEL_W / 2, y: at.y - LABEL_H / 2, w: LABEL_W, h: LABEL_H }, optionText(c, locale), {
          dash: 'none',
          size: 'm',
        })
      })
      template.levels.forEach((l, i) => {
        const mid = ((radii[i] ?? 0) + (radii[i + 1] ?? 0)) / 2
        const at = polar(layout, mid, layout.startAngle)
        b.box('level-label', { x: at.x - 140, y: at.y - 35, w: 280, h: 70 }, l.label[locale], { fill: 'solid', color: 'white', size: 's' })
      })
      break
    }
    case 'architecture':
      for (const inst of template.instruments) {
        b.node(inst.rect, inst.label[locale], { [MAP_META_KEY]: { instrument: inst.id, nodeType: inst.type } }, {
          fill: 'solid',
          color: 'light-blue',
          size: 'l',
        })
      }
      b.box('hint', { x: 50, y: template.size.h - 110, w: template.size.w - 100, h: 80 }, ARROW_HINT[locale], { dash: 'none', size: 's' })
      break
    case 'programme':
      grid(b, template.layout, template.phases, template.rows, locale, true)
      break
  }
  return [frame, ...b.records]
}
