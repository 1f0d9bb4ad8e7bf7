/**
 * Cards placed on a map by meaning rather than by coordinates: the demo meeting, tests and benchmarks write boards
 * with them ("a note in «Domande guida», phase 2"). The position is read back by meaning.ts, so what is written
 * here is what the maps say.
 */
import { gridCellRect } from './layout.ts'
import { richTextFromPlain } from './richTextBuild.ts'
import { nthIndexKey, type ShapeRecordJson } from './instantiate.ts'
import type { MapTemplate, Rect } from './templateSchema.ts'

/** Where on a map: the meaning fields of its kind. */
export type CardPlace =
  | { facet: string }
  | { category: string; level: string }
  | { phase: string; row: string }
  | { instrument: string }

/** The rectangle (frame coordinates) a place covers, or null when the template has no such place. */
export function placeRect(t: MapTemplate, place: CardPlace): Rect | null {
  const indexOf = (list: readonly { id: string }[], id: string) => list.findIndex((o) => o.id === id)
  if (t.kind === 'issues' && 'facet' in place) return t.facets.find((f) => f.id === place.facet)?.rect ?? null
  if (t.kind === 'architecture' && 'instrument' in place) return t.instruments.find((i) => i.id === place.instrument)?.rect ?? null
  if (t.kind === 'actors' && 'category' in place && t.layout.type === 'grid') {
    const c = indexOf(t.categories, place.category)
    const l = indexOf(t.levels, place.level)
    return c < 0 || l < 0 ? null : gridCellRect(t.layout, c, l)
  }
  if (t.kind === 'programme' && 'phase' in place) {
    const c = indexOf(t.phases, place.phase)
    const r = indexOf(t.rows, place.row)
    return c < 0 || r < 0 ? null : gridCellRect(t.layout, c, r)
  }
  return null
}

export const CARD_SCALE = 0.8
/**
 * The largest card a place gets: a note of scale 1.9 (380 page units) with tldraw's small label writes its text at
 * 34 page units, which a filled 6×3 actor map fitted to a 1920×1080 wall shows at about 20 CSS px (issue 19 item 6),
 * and still fits words of 15 letters ("Amministrazione") on one line without tldraw shrinking them.
 */
export const MAX_CARD_SCALE = 1.9
/** Cards sort above the map's structure (which uses the first hundred keys). */
const CARD_INDEX_BASE = 100
const NOTE = 200
const GAP = 20

function perRow(rect: Rect, scale: number): number {
  return Math.max(1, Math.floor((rect.w - GAP) / (NOTE * scale + GAP)))
}

/**
 * The scale at which `count` cards fill a place without leaving it (rows under `top`, left to right): as large as
 * MAX_CARD_SCALE, never below CARD_SCALE (a crowded place then overflows, as a person's own cards would).
 */
export function cardScaleFor(rect: Rect, count: number, top = 70): number {
  for (let scale = MAX_CARD_SCALE; scale > CARD_SCALE; scale = Math.round((scale - 0.05) * 100) / 100) {
    const rows = Math.ceil(Math.max(1, count) / perRow(rect, scale))
    if (top + rows * (NOTE * scale + GAP) <= rect.h) return scale
  }
  return CARD_SCALE
}

/** Top-left of the `slot`-th card in a rectangle: rows of cards, left to right, wrapping inside the rectangle. */
export function slotPosition(rect: Rect, slot: number, top = 70, scale = CARD_SCALE): { x: number; y: number } {
  const card = NOTE * scale
  const n = perRow(rect, scale)
  const row = Math.floor(slot / n)
  const col = slot % n
  return { x: rect.x + GAP + col * (card + GAP), y: rect.y + top + row * (card + GAP) }
}

export interface NoteOptions {
  id: string
  parentId: string
  x: number
  y: number
  text: string
  /** Position among its siblings (after the map's structure); below 238,000. */
  order: number
  color?: string
  meta?: Record<string, unknown>
  /** The note's scale (default CARD_SCALE; cardScaleFor fits a place). */
  scale?: number
}

/** A tldraw note record (valid for tldraw 5.4.2). */
export function noteRecord(o: NoteOptions): ShapeRecordJson {
  return {
    id: o.id,
    typeName: 'shape',
    type: 'note',
    x: o.x,
    y: o.y,
    rotation: 0,
    index: nthIndexKey(CARD_INDEX_BASE + o.order),
    parentId: o.parentId,
    isLocked: false,
    opacity: 1,
    props: {
      color: o.color ?? 'yellow',
      labelColor: 'black',
      size: 's',
      font: 'sans',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: richTextFromPlain(o.text),
      scale: o.scale ?? CARD_SCALE,
      textLastEditedBy: null,
    },
    meta: o.meta ?? {},
  }
}

/** Arrow shape + its two bindings (start → end), bound to two shapes of the same parent. */
export function arrowRecords(o: {
  id: string
  parentId: string
  from: { id: string; rect: Rect }
  to: { id: string; rect: Rect }
  text: string
  order: number
  /**
   * Where the start meets its shape, as a fraction of the shape's size (x, y in 0..1); default its centre. A wide
   * shape (the legal framework spanning the map) sends each arrow from above its target instead of its middle.
   */
  fromAnchor?: { x: number; y: number }
  /** Where the text sits along the arrow (0 = start, 1 = end); default the middle. */
  labelPosition?: number
}): Array<Record<string, unknown>> {
  const anchor = o.fromAnchor ?? { x: 0.5, y: 0.5 }
  const fromC = { x: o.from.rect.x + o.from.rect.w * anchor.x, y: o.from.rect.y + o.from.rect.h * anchor.y }
  const toC = { x: o.to.rect.x + o.to.rect.w / 2, y: o.to.rect.y + o.to.rect.h / 2 }
  const suffix = o.id.replace(/^shape:/, '')
  const binding = (terminal: 'start' | 'end', toId: string, at = { x: 0.5, y: 0.5 }) => ({
    id: `binding:${suffix}-${terminal}`,
    typeName: 'binding',
    type: 'arrow',
    fromId: o.id,
    toId,
    props: { terminal, normalizedAnchor: at, isExact: false, isPrecise: at.x !== 0.5 || at.y !== 0.5, snap: 'none' },
    meta: {},
  })
  return [
    {
      id: o.id,
      typeName: 'shape',
      type: 'arrow',
      x: fromC.x,
      y: fromC.y,
      rotation: 0,
      index: nthIndexKey(CARD_INDEX_BASE + o.order),
      parentId: o.parentId,
      isLocked: false,
      opacity: 1,
      props: {
        kind: 'arc',
        labelColor: 'black',
        color: 'black',
        fill: 'none',
        dash: 'draw',
        size: 'm',
        arrowheadStart: 'none',
        arrowheadEnd: 'arrow',
        font: 'sans',
        start: { x: 0, y: 0 },
        end: { x: toC.x - fromC.x, y: toC.y - fromC.y },
        bend: 0,
        richText: richTextFromPlain(o.text),
        labelPosition: o.labelPosition ?? 0.5,
        scale: 1,
        elbowMidPoint: 0.5,
      },
      meta: {},
    },
    binding('start', o.from.id, anchor),
    binding('end', o.to.id),
  ]
}
