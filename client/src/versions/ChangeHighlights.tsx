import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import type { ChangeKind, ChangeLine } from './versionWords.ts'

/**
 * Each kind of change has its own outline pattern AND marker, so it reads without colour (colour-blind-safe: the
 * blue / orange / purple / grey set is distinguishable in the common deficiencies, and never the only cue).
 */
export const CHANGE_MARKER: Record<ChangeKind, string> = { added: '+', removed: '−', changed: '✎', moved: '↔' }

interface Placed {
  key: string
  kind: ChangeKind
  shapeId: string
  words: string
  x: number
  y: number
  w: number
  h: number
  /** Moves: the old place, in screen coordinates. */
  from?: { x: number; y: number; w: number; h: number }
}

/**
 * The changes of a comparison drawn over the board, in screen coordinates (recomputed when the camera moves).
 * A shape present in the shown store is outlined where tldraw has it; otherwise the diff's own box is used.
 */
export function ChangeHighlights({ lines, focused }: { lines: ChangeLine[]; focused: string | null }) {
  const t = useT()
  const editor = useEditor()
  const placed = useValue(
    'change highlights',
    () => {
      const pageId = editor.getCurrentPageId()
      const out: Placed[] = []
      for (const line of lines) {
        const shape = editor.getShape(line.shapeId as TLShapeId)
        if (shape && editor.getAncestorPageId(shape) !== pageId) continue
        const bounds = shape ? editor.getShapePageBounds(shape) : null
        const box = bounds ? { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h } : line.box
        const topLeft = editor.pageToViewport({ x: box.x, y: box.y })
        const zoom = editor.getZoomLevel()
        const fromTopLeft = line.fromBox ? editor.pageToViewport({ x: line.fromBox.x, y: line.fromBox.y }) : null
        out.push({
          key: line.key,
          kind: line.kind,
          shapeId: line.shapeId,
          words: line.words,
          x: topLeft.x,
          y: topLeft.y,
          w: box.w * zoom,
          h: box.h * zoom,
          from: fromTopLeft && line.fromBox ? { x: fromTopLeft.x, y: fromTopLeft.y, w: line.fromBox.w * zoom, h: line.fromBox.h * zoom } : undefined,
        })
      }
      return out
    },
    [editor, lines],
  )
  const legend: Record<ChangeKind, string> = {
    added: t('versions.compare.legendAdded'),
    removed: t('versions.compare.legendRemoved'),
    changed: t('versions.compare.legendChanged'),
    moved: t('versions.compare.legendMoved'),
  }
  return (
    <>
      {placed.map((p) =>
        p.from ? (
          <div
            key={`${p.key}:from`}
            className="tavolo-change-moved-from"
            style={{ transform: `translate(${Math.round(p.from.x)}px, ${Math.round(p.from.y)}px)`, width: Math.max(8, p.from.w), height: Math.max(8, p.from.h) }}
            aria-hidden="true"
            data-testid="change-moved-from"
            data-shape-id={p.shapeId}
          />
        ) : null,
      )}
      {placed.map((p) => (
        <div
          key={p.key}
          className={`tavolo-change tavolo-change-${p.kind}${focused === p.key ? ' tavolo-change-focused' : ''}`}
          style={{ transform: `translate(${Math.round(p.x - 6)}px, ${Math.round(p.y - 6)}px)`, width: Math.max(12, p.w + 12), height: Math.max(12, p.h + 12) }}
          title={`${legend[p.kind]}: ${p.words}`}
          data-testid="change-highlight"
          data-kind={p.kind}
          data-shape-id={p.shapeId}
        >
          <span className="tavolo-change-marker" aria-hidden="true">
            {CHANGE_MARKER[p.kind]}
          </span>
        </div>
      ))}
    </>
  )
}
