/**
 * Page-space geometry of plain tldraw records, without an editor: each shape's `x`, `y`, `rotation` are relative
 * to its parent (page, frame, group), so a shape's page transform is its parents' transforms composed with its own.
 */
import type { Point } from './templateSchema.ts'

/** A tldraw record as plain JSON, as far as the maps care. */
export interface ShapeLike {
  id: string
  typeName: string
  type?: string
  parentId?: string
  x?: number
  y?: number
  rotation?: number
  props?: Record<string, unknown>
  meta?: Record<string, unknown>
}

/** A 2D affine transform: page = (a·x + c·y + e, b·x + d·y + f). */
export interface Transform {
  a: number
  b: number
  c: number
  d: number
  e: number
  f: number
}

export const IDENTITY: Transform = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }

function multiply(m: Transform, n: Transform): Transform {
  return {
    a: m.a * n.a + m.c * n.b,
    b: m.b * n.a + m.d * n.b,
    c: m.a * n.c + m.c * n.d,
    d: m.b * n.c + m.d * n.d,
    e: m.a * n.e + m.c * n.f + m.e,
    f: m.b * n.e + m.d * n.f + m.f,
  }
}

export function localTransform(shape: ShapeLike): Transform {
  const r = typeof shape.rotation === 'number' ? shape.rotation : 0
  const cos = Math.cos(r)
  const sin = Math.sin(r)
  return { a: cos, b: sin, c: -sin, d: cos, e: num(shape.x), f: num(shape.y) }
}

export function apply(m: Transform, p: Point): Point {
  return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f }
}

export function invert(m: Transform): Transform {
  const det = m.a * m.d - m.b * m.c
  if (det === 0) return IDENTITY
  return {
    a: m.d / det,
    b: -m.b / det,
    c: -m.c / det,
    d: m.a / det,
    e: (m.c * m.f - m.d * m.e) / det,
    f: (m.b * m.e - m.a * m.f) / det,
  }
}

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback
}

/** Nominal sizes of tldraw's shapes when the record has no w/h (a note is 200 × 200 at scale 1, plus growY). */
const NOTE_SIZE = 200
const TEXT_LINE_HEIGHT = 40

/** The shape's own width and height (unrotated), as far as plain records tell. */
export function shapeSize(shape: ShapeLike): { w: number; h: number } {
  const p = shape.props ?? {}
  const scale = num(p.scale, 1)
  if (shape.type === 'note') return { w: NOTE_SIZE * scale, h: NOTE_SIZE * scale + num(p.growY) }
  const w = num(p.w, 0) * (shape.type === 'text' ? scale : 1)
  const h = shape.type === 'text' ? TEXT_LINE_HEIGHT * scale : num(p.h, 0) + num(p.growY)
  return { w, h }
}

/**
 * Page transforms of shapes, memoised per board. `byId` holds every record of the board; a parent that is a page
 * (or missing) ends the chain. Cycles (a corrupt board) end it too.
 */
export class PageGeometry {
  private readonly cache = new Map<string, Transform>()
  private readonly inverses = new Map<string, Transform>()
  constructor(private readonly byId: ReadonlyMap<string, ShapeLike>) {}

  transform(id: string, depth = 0): Transform {
    const cached = this.cache.get(id)
    if (cached !== undefined) return cached
    const shape = this.byId.get(id)
    if (shape === undefined || shape.typeName !== 'shape' || depth > 64) return IDENTITY
    const parent = shape.parentId !== undefined && this.byId.get(shape.parentId)?.typeName === 'shape'
      ? this.transform(shape.parentId, depth + 1)
      : IDENTITY
    const t = multiply(parent, localTransform(shape))
    this.cache.set(id, t)
    return t
  }

  /** The centre of the shape in page space. */
  center(id: string): Point {
    const shape = this.byId.get(id)
    if (shape === undefined) return { x: 0, y: 0 }
    const { w, h } = shapeSize(shape)
    return apply(this.transform(id), { x: w / 2, y: h / 2 })
  }

  /** A page-space point in the shape's own coordinates. */
  toLocal(id: string, page: Point): Point {
    let inverse = this.inverses.get(id)
    if (inverse === undefined) {
      inverse = invert(this.transform(id))
      this.inverses.set(id, inverse)
    }
    return apply(inverse, page)
  }
}
