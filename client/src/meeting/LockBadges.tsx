import { useEditor, useValue, type Editor } from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { isMapStructure } from '../../../shared/src/maps/meaning.ts'
import { useT } from '../i18n/useT.ts'
import { placeLockBadge, type Rect } from './lockBadgePlacement.ts'

// tldraw's panels and ours that sit over the canvas: a padlock under them would be invisible.
const PANELS = '.tlui-style-panel, .tlui-menu-zone, .tlui-toolbar, .tlui-navigation-panel, .tlui-helper-buttons, .tavolo-share-zone, .tavolo-meeting-header, .tavolo-lead-bar'

function panelRects(origin: { x: number; y: number }): Rect[] {
  return [...document.querySelectorAll(PANELS)].flatMap((el) => {
    const r = el.getBoundingClientRect()
    return r.width > 0 && r.height > 0 ? [{ x: r.x - origin.x, y: r.y - origin.y, w: r.width, h: r.height }] : []
  })
}

/**
 * The boxes of the shapes in view that show a text (cards, questions, headers, labels), in viewport coordinates: a
 * padlock goes where none is. From the editor, not the DOM, so they move with the camera in the same computation.
 */
function textRects(editor: Editor): Rect[] {
  const view = editor.getViewportPageBounds()
  const zoom = editor.getZoomLevel()
  const out: Rect[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    const props = shape.props as { richText?: unknown; text?: unknown }
    const hasText = (props.richText !== undefined && !isEmptyRichText(props.richText)) || (typeof props.text === 'string' && props.text !== '')
    if (!hasText) continue
    const b = editor.getShapePageBounds(shape)
    if (!b || !b.collides(view)) continue
    const p = editor.pageToViewport({ x: b.minX, y: b.minY })
    out.push({ x: p.x, y: p.y, w: b.w * zoom, h: b.h * zoom })
  }
  return out
}

/** True for a rich text without any character (tldraw's empty document). */
function isEmptyRichText(value: unknown): boolean {
  return !JSON.stringify(value).includes('"text":"')
}

/**
 * A padlock at the top-right corner of every Tavolo-locked shape on the current page (tldraw shows nothing for
 * locked shapes), so people see why a card does not move. Rendered in front of the canvas, in screen coordinates;
 * a shape that fills the screen gets it inside its visible part, clear of the panels (lockBadgePlacement.ts).
 */
export function LockBadges() {
  const t = useT()
  const editor = useEditor()
  const badges = useValue(
    'lock badges',
    () => {
      const out: Array<{ id: string; x: number; y: number }> = []
      const screen = editor.getViewportScreenBounds()
      // Panels are read from the page each time the camera or the shapes change (they rarely move themselves).
      let panels: Rect[] | null = null
      let texts: Rect[] | null = null
      for (const shape of editor.getCurrentPageShapes()) {
        // A map's drawing is locked piece by piece; one padlock on its frame says it all.
        if (!isTavoloLocked(shape) || isMapStructure(shape)) continue
        const bounds = editor.getShapePageBounds(shape)
        if (!bounds) continue
        const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
        const zoom = editor.getZoomLevel()
        panels ??= panelRects(screen)
        texts ??= textRects(editor)
        const place = placeLockBadge({ x: topLeft.x, y: topLeft.y, w: bounds.w * zoom, h: bounds.h * zoom }, { w: screen.w, h: screen.h }, panels, texts)
        // Off screen: at its corner, where it will be when the shape comes into view.
        out.push({ id: shape.id, ...(place ?? { x: topLeft.x + bounds.w * zoom, y: topLeft.y }) })
      }
      return out
    },
    [editor],
  )
  const label = t('lock.badge')
  return (
    <>
      {badges.map((b) => (
        <div
          key={b.id}
          className="tavolo-lock-badge"
          style={{ transform: `translate(${Math.round(b.x - 16)}px, ${Math.round(b.y - 16)}px)` }}
          title={label}
          role="img"
          aria-label={label}
          data-testid="lock-badge"
          data-shape-id={b.id}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <rect x="4" y="10" width="16" height="11" rx="2" fill="currentColor" />
            <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" strokeWidth="2.5" />
          </svg>
        </div>
      ))}
    </>
  )
}
