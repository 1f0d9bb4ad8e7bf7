/**
 * What a card means on a map, from plain records: the map frame it sits in (its nearest ancestor that is a map
 * frame; for a card left on the page, the topmost map frame under its centre), then the template's geometry at the
 * card's centre in that frame's coordinates (composed through every parent: a card in a nested frame or a group
 * counts where it is seen). Explicit values in the card's `meta.tavoloMap` ({ facet }, { category, level },
 * { phase, row }, { nodeType }) win over the position, field by field, when they name an id the template knows.
 * Pure: the server reads the maps of any version without a browser, the client draws badges with the same answer.
 */
import { isTavoloLocked } from '../locks.ts'
import { PageGeometry, shapeSize, type ShapeLike } from './geometry.ts'
import { MAP_META_KEY, MAP_PART_META_KEY, type MapFrameMeta } from './instantiate.ts'
import { meaningAtPoint, rectContains } from './layout.ts'
import { getTemplate } from './templates.ts'
import type { MapTemplate, Point } from './templateSchema.ts'

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * The `meta.tavoloMap` of a map frame, or null when the record is not one. MP11: only a locked frame is a map (only
 * the facilitator or the server lock; a participant's frame marked as a map is an ordinary frame).
 */
export function mapFrameMeta(record: unknown): MapFrameMeta | null {
  if (!isObject(record) || record.typeName !== 'shape' || record.type !== 'frame' || !isObject(record.meta)) return null
  if (!isTavoloLocked(record)) return null
  const m = record.meta[MAP_META_KEY]
  if (!isObject(m) || typeof m.template !== 'string') return null
  return { template: m.template, templateVersion: typeof m.templateVersion === 'number' ? m.templateVersion : 1 }
}

/**
 * True for the locked drawing of a map (rings, cells, headers, labels): never a card. MP11: a shape marked as a part
 * but not locked is not structure (a participant cannot lock): it counts as a card, and cannot replace a map's question.
 */
export function isMapStructure(record: unknown): boolean {
  return isObject(record) && isObject(record.meta) && typeof record.meta[MAP_PART_META_KEY] === 'string' && isTavoloLocked(record)
}

/** The explicit meaning a card carries (`meta.tavoloMap` of a shape that is not a map frame). */
export interface MeaningOverride {
  facet?: string
  category?: string
  level?: string
  phase?: string
  row?: string
  nodeType?: string
  instrument?: string
}

const OVERRIDE_KEYS = ['facet', 'category', 'level', 'phase', 'row', 'nodeType', 'instrument'] as const

export function meaningOverride(record: unknown): MeaningOverride {
  if (!isObject(record) || !isObject(record.meta) || mapFrameMeta(record) !== null) return {}
  const m = record.meta[MAP_META_KEY]
  if (!isObject(m)) return {}
  const out: MeaningOverride = {}
  for (const k of OVERRIDE_KEYS) if (typeof m[k] === 'string') out[k] = m[k]
  return out
}

interface MapBase {
  /** The map frame's id. */
  frameId: string
  templateId: string
  /** Fields that come from `meta.tavoloMap` rather than the position. */
  overridden: Array<keyof MeaningOverride>
}

export type CardMeaning =
  | (MapBase & { kind: 'issues'; facet: string | null })
  | (MapBase & { kind: 'actors'; category: string | null; level: string | null })
  | (MapBase & { kind: 'architecture'; nodeType: string | null; instrument: string | null })
  | (MapBase & { kind: 'programme'; phase: string | null; row: string | null })

/** Shapes that hold cards without being cards themselves. */
const CONTAINER_TYPES = new Set(['frame', 'group'])

/** True when the record is a card: a shape that is neither structure, nor a container, nor an arrow. */
export function isCard(record: ShapeLike | undefined): boolean {
  return (
    record !== undefined &&
    record.typeName === 'shape' &&
    record.type !== 'arrow' &&
    !CONTAINER_TYPES.has(record.type ?? '') &&
    !isMapStructure(record)
  )
}

function asShapeLike(v: unknown): ShapeLike | null {
  return isObject(v) && typeof v.id === 'string' && typeof v.typeName === 'string' ? (v as unknown as ShapeLike) : null
}

export interface MapFrame {
  id: string
  template: MapTemplate
  templateVersion: number
  record: ShapeLike
}

/**
 * One board's records, indexed once for many questions (extraction asks about every card). Records that are not
 * objects with an id and a typeName are ignored.
 */
export class BoardIndex {
  readonly byId = new Map<string, ShapeLike>()
  readonly geometry: PageGeometry
  /** Map frames whose template Tavolo knows, in paint order (page index, then id). */
  readonly frames: MapFrame[] = []
  private readonly frameById = new Map<string, MapFrame>()
  private readonly frameOfCache = new Map<string, MapFrame | null>()

  /** `templates` finds a frame's template by id: Tavolo's registry by default (tests and tools may pass their own). */
  constructor(records: Iterable<unknown>, templates: (id: string) => MapTemplate | null = getTemplate) {
    for (const raw of records) {
      const r = asShapeLike(raw)
      if (r !== null) this.byId.set(r.id, r)
    }
    this.geometry = new PageGeometry(this.byId)
    for (const r of this.byId.values()) {
      const meta = mapFrameMeta(r)
      const template = meta === null ? null : templates(meta.template)
      if (meta === null || template === null) continue
      const frame = { id: r.id, template, templateVersion: meta.templateVersion, record: r }
      this.frames.push(frame)
      this.frameById.set(r.id, frame)
    }
    const indexOf = (f: MapFrame) => String((f.record as { index?: unknown }).index ?? '')
    this.frames.sort((a, b) => (indexOf(a) < indexOf(b) ? -1 : indexOf(a) > indexOf(b) ? 1 : a.id < b.id ? -1 : 1))
  }

  /** The map frame a shape belongs to: its nearest map-frame ancestor, else the topmost map frame under its centre. */
  frameOf(id: string): MapFrame | null {
    const cached = this.frameOfCache.get(id)
    if (cached !== undefined) return cached
    let found: MapFrame | null = null
    let parent = this.byId.get(id)?.parentId
    for (let depth = 0; parent !== undefined && depth < 64 && found === null; depth++) {
      found = this.frameById.get(parent) ?? null
      parent = this.byId.get(parent)?.parentId
    }
    if (found === null && this.frames.length > 0 && !this.frameById.has(id)) {
      const center = this.geometry.center(id)
      for (let i = this.frames.length - 1; i >= 0 && found === null; i--) {
        const f = this.frames[i]
        if (f !== undefined && this.frameContains(f, center)) found = f
      }
    }
    this.frameOfCache.set(id, found)
    return found
  }

  private frameContains(f: MapFrame, page: Point): boolean {
    const { w, h } = shapeSize(f.record)
    return rectContains({ x: 0, y: 0, w, h }, this.geometry.toLocal(f.id, page))
  }

  /** The card's meaning, or null when it is not a card or sits outside every map. */
  meaning(id: string): CardMeaning | null {
    const card = this.byId.get(id)
    if (!isCard(card)) return null
    const frame = this.frameOf(id)
    if (frame === null) return null
    return meaningInFrame(frame, this.geometry.toLocal(frame.id, this.geometry.center(id)), meaningOverride(card))
  }
}

/** The meaning of a card at `local` (frame coordinates) with its overrides. */
export function meaningInFrame(frame: MapFrame, local: Point, override: MeaningOverride): CardMeaning {
  const t = frame.template
  const at = meaningAtPoint(t, local)
  const overridden: Array<keyof MeaningOverride> = []
  const pick = <K extends keyof MeaningOverride>(key: K, known: readonly { id: string }[], fromPosition: string | null): string | null => {
    const v = override[key]
    if (v !== undefined && known.some((o) => o.id === v)) {
      overridden.push(key)
      return v
    }
    return fromPosition
  }
  const base = { frameId: frame.id, templateId: t.id, overridden }
  switch (t.kind) {
    case 'issues':
      return { ...base, kind: 'issues', facet: pick('facet', t.facets, at.kind === 'issues' ? at.facet : null) }
    case 'actors':
      return {
        ...base,
        kind: 'actors',
        category: pick('category', t.categories, at.kind === 'actors' ? at.category : null),
        level: pick('level', t.levels, at.kind === 'actors' ? at.level : null),
      }
    case 'architecture': {
      const instrument = pick('instrument', t.instruments, null)
      const typeOfInstrument = t.instruments.find((i) => i.id === instrument)?.type ?? null
      const nodeType = pick('nodeType', t.nodeTypes, typeOfInstrument)
      return { ...base, kind: 'architecture', nodeType, instrument }
    }
    case 'programme':
      return {
        ...base,
        kind: 'programme',
        phase: pick('phase', t.phases, at.kind === 'programme' ? at.phase : null),
        row: pick('row', t.rows, at.kind === 'programme' ? at.row : null),
      }
  }
}

/** The meaning of one card on a board (builds an index: for many cards, use BoardIndex). */
export function cardMeaning(records: Iterable<unknown>, cardId: string): CardMeaning | null {
  return new BoardIndex(records).meaning(cardId)
}
