/**
 * A template's geometry, both ways: the rectangles and rings the map is drawn with, and the meaning of a point in
 * the frame's own coordinates. Pure; instantiate.ts draws with the first, meaning.ts reads with the second.
 */
import type { GridLayout, MapTemplate, Point, Rect, RingsLayout } from './templateSchema.ts'

/** Cell (column, row) of a grid. */
export function gridCellRect(g: GridLayout, column: number, row: number): Rect {
  return { x: g.x + g.headerWidth + column * g.cellWidth, y: g.y + g.headerHeight + row * g.cellHeight, w: g.cellWidth, h: g.cellHeight }
}

export function gridColumnHeaderRect(g: GridLayout, column: number): Rect {
  return { x: g.x + g.headerWidth + column * g.cellWidth, y: g.y, w: g.cellWidth, h: g.headerHeight }
}

export function gridRowHeaderRect(g: GridLayout, row: number): Rect {
  return { x: g.x, y: g.y + g.headerHeight + row * g.cellHeight, w: g.headerWidth, h: g.cellHeight }
}

function band(start: number, size: number, count: number, v: number): number | null {
  const i = Math.floor((v - start) / size)
  return i >= 0 && i < count ? i : null
}

/**
 * Column and row of a point in a grid. A point in the header row has a column but no row (and the other way round
 * in the header column): a card on the "Domande guida" label still belongs to that row. Outside the table: nothing.
 */
export function gridCellAt(g: GridLayout, columns: number, rows: number, p: Point): { column: number | null; row: number | null } {
  const right = g.x + g.headerWidth + columns * g.cellWidth
  const bottom = g.y + g.headerHeight + rows * g.cellHeight
  if (p.x < g.x || p.y < g.y || p.x >= right || p.y >= bottom) return { column: null, row: null }
  return {
    column: band(g.x + g.headerWidth, g.cellWidth, columns, p.x),
    row: band(g.y + g.headerHeight, g.cellHeight, rows, p.y),
  }
}

/** Angle in degrees of sector `i` of `count`: its start and end, clockwise on screen. */
export function sectorAngles(r: RingsLayout, count: number, i: number): { start: number; end: number } {
  const sweep = 360 / count
  return { start: r.startAngle + i * sweep, end: r.startAngle + (i + 1) * sweep }
}

/** Sector (category) and ring (level) of a point. The hub and anything beyond the outer ring have neither. */
export function ringCellAt(r: RingsLayout, sectors: number, p: Point): { sector: number | null; ring: number | null } {
  const dx = p.x - r.center.x
  const dy = p.y - r.center.y
  const d = Math.hypot(dx, dy)
  const rings = r.radii.length - 1
  let ring: number | null = null
  for (let i = 0; i < rings; i++) {
    if (d >= (r.radii[i] ?? 0) && d < (r.radii[i + 1] ?? 0)) ring = i
  }
  if (ring === null) return { sector: null, ring: null }
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI
  const fromStart = (((angle - r.startAngle) % 360) + 360) % 360
  return { sector: Math.min(sectors - 1, Math.floor(fromStart / (360 / sectors))), ring }
}

export function rectContains(r: Rect, p: Point): boolean {
  return p.x >= r.x && p.y >= r.y && p.x < r.x + r.w && p.y < r.y + r.h
}

/** A point of a circle around the layout's centre. */
export function polar(r: RingsLayout, radius: number, angleDeg: number): Point {
  const a = (angleDeg * Math.PI) / 180
  return { x: r.center.x + radius * Math.cos(a), y: r.center.y + radius * Math.sin(a) }
}

/** The meaning of a point of the frame, by the template's geometry alone (ids; null where the point says nothing). */
export type PositionMeaning =
  | { kind: 'issues'; facet: string | null }
  | { kind: 'actors'; category: string | null; level: string | null }
  | { kind: 'architecture' }
  | { kind: 'programme'; phase: string | null; row: string | null }

export function meaningAtPoint(t: MapTemplate, p: Point): PositionMeaning {
  switch (t.kind) {
    case 'issues':
      return { kind: 'issues', facet: t.facets.find((f) => rectContains(f.rect, p))?.id ?? null }
    case 'actors': {
      if (t.layout.type === 'rings') {
        const { sector, ring } = ringCellAt(t.layout, t.categories.length, p)
        return {
          kind: 'actors',
          category: sector === null ? null : (t.categories[sector]?.id ?? null),
          level: ring === null ? null : (t.levels[ring]?.id ?? null),
        }
      }
      const { column, row } = gridCellAt(t.layout, t.categories.length, t.levels.length, p)
      return {
        kind: 'actors',
        category: column === null ? null : (t.categories[column]?.id ?? null),
        level: row === null ? null : (t.levels[row]?.id ?? null),
      }
    }
    case 'architecture':
      return { kind: 'architecture' }
    case 'programme': {
      const { column, row } = gridCellAt(t.layout, t.phases.length, t.rows.length, p)
      return {
        kind: 'programme',
        phase: column === null ? null : (t.phases[column]?.id ?? null),
        row: row === null ? null : (t.rows[row]?.id ?? null),
      }
    }
  }
}
