/**
 * Where "Aggiungi strumento" puts a new instrument node on an operative-architecture map: a slot of the
 * architecture's own layout (the size of its ordinary nodes, on its rows, at its columns), clear of every node and
 * card already there, so arrows between nodes keep a length and room for their labels. Pure over rectangles in
 * the frame's coordinates; the template is data (maps SPEC MP15).
 */
import type { ArchitectureTemplate, Rect } from './templateSchema.ts'

export interface InstrumentLayout {
  /** The size of a new node: the most common size among the template's default nodes. */
  node: { w: number; h: number }
  /** The x of the columns a node may start at, left to right (every default node's x, and the steps beyond). */
  columns: number[]
  /** The y of the first row a new node may go in, and the distance between rows. */
  firstRowY: number
  rowPitch: number
  /** The least distance kept between a new node and anything else in the frame. */
  gap: number
}

const FALLBACK_NODE = { w: 460, h: 180 }
const MIN_GAP = 80

/**
 * The layout read from the template's default nodes. Nodes much wider than the ordinary ones (a band across the
 * map, like the legal framework) are not a row new nodes join; the rows are the ordinary nodes' y values, their
 * pitch the smallest distance between two of them (else the node's height and twice the gap).
 */
export function instrumentLayout(t: ArchitectureTemplate): InstrumentLayout {
  const counts = new Map<string, { w: number; h: number; n: number }>()
  for (const i of t.instruments) {
    const key = `${i.rect.w}x${i.rect.h}`
    const c = counts.get(key) ?? { w: i.rect.w, h: i.rect.h, n: 0 }
    c.n++
    counts.set(key, c)
  }
  const common = [...counts.values()].sort((a, b) => b.n - a.n || a.w - b.w)[0]
  const node = common ? { w: common.w, h: common.h } : FALLBACK_NODE
  const ordinary = t.instruments.filter((i) => i.rect.w <= node.w * 1.5)
  const ys = [...new Set(ordinary.map((i) => i.rect.y))].sort((a, b) => a - b)
  const xs = [...new Set(ordinary.map((i) => i.rect.x))].sort((a, b) => a - b)
  const pitches = ys.slice(1).map((y, k) => y - ys[k]!)
  const gap = pitches.length > 0 ? Math.max(MIN_GAP, (Math.min(...pitches) - node.h) / 2) : MIN_GAP
  const rowPitch = pitches.length > 0 ? Math.min(...pitches) : node.h + 2 * gap
  const firstRowY = ys[0] ?? Math.min(t.size.h - node.h, 60 + gap)
  // Columns: the default nodes' x values, continued at the smallest step between them across the frame's width.
  const steps = xs.slice(1).map((x, k) => x - xs[k]!).filter((s) => s > 0)
  const step = steps.length > 0 ? Math.min(...steps) : node.w + gap
  const start = xs[0] ?? gap
  const columns: number[] = []
  for (let x = start - Math.floor(start / step) * step; x + node.w <= t.size.w; x += step) columns.push(x)
  if (columns.length === 0) columns.push(Math.max(0, Math.round((t.size.w - node.w) / 2)))
  return { node, columns, firstRowY, rowPitch, gap }
}

function overlaps(a: Rect, b: Rect, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
}

export interface InstrumentSlot {
  rect: Rect
  /** The frame's height the slot needs (its bottom plus the gap): more than the frame's own when it must grow. */
  frameHeight: number
}

/**
 * The first free slot in reading order (rows top to bottom, columns left to right) for a new node, `gap` away from
 * every occupied rectangle (nodes, cards; frame coordinates). Rows continue below the template's at the same pitch:
 * when the frame is full the slot lies in a new row and `frameHeight` says how tall the frame must become.
 * `maxHeight` (e.g. the frame's own height, when it cannot grow) limits the rows; with no free slot within it, the
 * spot (columns and half-steps between them) that covers the occupied rectangles least, a closer gap before any
 * overlap.
 */
export function instrumentSlot(t: ArchitectureTemplate, occupied: readonly Rect[], frameHeight: number, maxHeight = Infinity): InstrumentSlot {
  const l = instrumentLayout(t)
  const bottomMargin = l.gap
  const lowest = Math.max(frameHeight, ...occupied.map((r) => r.y + r.h + l.gap + bottomMargin))
  const cover = (rect: Rect) => occupied.reduce((sum, o) => (overlaps(rect, o, l.gap) ? sum + coverArea(rect, o) + 1 : sum), 0)
  const halfSteps = l.columns.slice(1).map((x, k) => (x + l.columns[k]!) / 2)
  const step = l.columns.length > 1 ? l.columns[1]! - l.columns[0]! : 0
  const edges = step > 0 ? [l.columns[0]! - step / 2, l.columns.at(-1)! + step / 2].filter((x) => x >= 0 && x + l.node.w <= t.size.w) : []
  const fine = [...new Set([...l.columns, ...halfSteps, ...edges])].sort((a, b) => a - b)
  let best: { rect: Rect; cover: number } | null = null
  for (let y = l.firstRowY; ; y += l.rowPitch) {
    const needed = y + l.node.h + bottomMargin
    if (needed > maxHeight || y > lowest + l.rowPitch) break
    for (const x of l.columns) {
      const rect = { x, y, w: l.node.w, h: l.node.h }
      if (cover(rect) === 0) return { rect, frameHeight: Math.max(frameHeight, needed) }
    }
    for (const x of fine) {
      const rect = { x, y, w: l.node.w, h: l.node.h }
      const c = cover(rect)
      if (best === null || c < best.cover) best = { rect, cover: c }
    }
  }
  const rect = best?.rect ?? { x: l.columns[0]!, y: l.firstRowY, w: l.node.w, h: l.node.h }
  return { rect, frameHeight: Math.max(frameHeight, rect.y + rect.h + bottomMargin) }
}

function coverArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}
