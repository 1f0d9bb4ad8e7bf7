/**
 * Where the compare view goes when a change is clicked (issue 19 item 17): the changed shape together with the map
 * cell it lies in and that cell's row and column headers (the cell's bounds from the map template's geometry), fitted
 * into the part of the canvas the side panel and the banner leave free, at most at 100 % (more only when a card's
 * text would read under 12 CSS px). Zooming to the card alone at 100 % showed a note without saying where it was.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { gridCellAt, gridCellRect, gridColumnHeaderRect, gridRowHeaderRect, rectContains } from '../../../shared/src/maps/layout.ts'
import { mapFrameMeta } from '../../../shared/src/maps/meaning.ts'
import type { MapTemplate, Point, Rect } from '../../../shared/src/maps/templateSchema.ts'
import { getTemplate } from '../../../shared/src/maps/templates.ts'
import { followerCamera } from '../meeting/followerView.ts'
import { noteTextPageSize } from '../meeting/showToFollower.ts'

function union(rects: readonly Rect[]): Rect {
  const minX = Math.min(...rects.map((r) => r.x))
  const minY = Math.min(...rects.map((r) => r.y))
  const maxX = Math.max(...rects.map((r) => r.x + r.w))
  const maxY = Math.max(...rects.map((r) => r.y + r.h))
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}

/**
 * The part of a map that tells where point `p` (frame coordinates) is: a grid's cell with its column and row headers
 * (a point on a header: that header's column or row), a facet, an instrument; null elsewhere and on ring maps (their
 * sectors are not rectangles). Pure.
 */
export function cellContext(t: MapTemplate, p: Point): Rect | null {
  if (t.kind === 'issues') return t.facets.find((f) => rectContains(f.rect, p))?.rect ?? null
  if (t.kind === 'architecture') return t.instruments.find((i) => rectContains(i.rect, p))?.rect ?? null
  if (t.kind === 'actors' && t.layout.type !== 'grid') return null
  const layout = t.kind === 'actors' ? (t.layout.type === 'grid' ? t.layout : null) : t.layout
  if (layout === null) return null
  const columns = t.kind === 'actors' ? t.categories.length : t.phases.length
  const rows = t.kind === 'actors' ? t.levels.length : t.rows.length
  const { column, row } = gridCellAt(layout, columns, rows, p)
  const parts: Rect[] = []
  if (column !== null) parts.push(gridColumnHeaderRect(layout, column))
  if (row !== null) parts.push(gridRowHeaderRect(layout, row))
  if (column !== null && row !== null) parts.push(gridCellRect(layout, column, row))
  return parts.length === 0 ? null : union(parts)
}

/** The shape's page bounds, grown to its cell and headers when it lies in a map. */
export function changeRegion(editor: Editor, shape: TLShape): Rect | null {
  const bounds = editor.getShapePageBounds(shape)
  if (!bounds) return null
  const own = { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }
  const frame = editor.getShapeAncestors(shape).find((a) => mapFrameMeta(a) !== null)
  const meta = frame ? mapFrameMeta(frame) : null
  const template = meta ? getTemplate(meta.template) : null
  const frameBounds = frame ? editor.getShapePageBounds(frame) : null
  if (!template || !frameBounds) return own
  const context = cellContext(template, { x: bounds.center.x - frameBounds.x, y: bounds.center.y - frameBounds.y })
  return context === null ? own : union([own, { x: context.x + frameBounds.x, y: context.y + frameBounds.y, w: context.w, h: context.h }])
}

const GAP = 16

/** The canvas (CSS px from its top-left) minus the side panel on the right and the banner above. */
function freeArea(editor: Editor): Rect {
  const c = editor.getContainer().getBoundingClientRect()
  const screen = editor.getViewportScreenBounds()
  const rects = (selector: string) =>
    [...document.querySelectorAll<HTMLElement>(selector)].map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0)
  let right = screen.w
  let top = 0
  // A panel counts only when it leaves most of the width free (on a phone it covers the board: fit the whole screen).
  for (const r of rects('.tavolo-version-side')) if (r.left - c.left > screen.w / 2) right = Math.min(right, r.left - c.left)
  for (const r of rects('[data-testid=version-banner]')) if (r.bottom - c.top < screen.h / 3) top = Math.max(top, r.bottom - c.top)
  return { x: GAP, y: top + GAP, w: Math.max(1, right - 2 * GAP), h: Math.max(1, screen.h - top - 2 * GAP) }
}

/** Zooms to a changed shape in its context (switching page if needed), or to `fallback` when it is not on the board. */
export function zoomToChange(editor: Editor, shapeId: TLShapeId, fallback: Rect | null): void {
  const shape = editor.getShape(shapeId)
  if (shape) {
    const pageId = editor.getAncestorPageId(shape)
    if (pageId && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  }
  const region = shape ? changeRegion(editor, shape) : fallback
  if (!region) return
  const textPageSize = shape ? (noteTextPageSize(shape) ?? 0) : 0
  const readable = textPageSize > 0 ? 12 / textPageSize : 0
  const camera = followerCamera({ region, area: freeArea(editor), textPageSize, maxZoom: Math.max(1, readable) })
  editor.setCamera(camera, { animation: { duration: 300 } })
}
