import { useEditor, useValue } from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { isMapStructure } from '../../../shared/src/maps/meaning.ts'
import { useT } from '../i18n/useT.ts'

/**
 * A padlock at the top-right corner of every Tavolo-locked shape on the current page (tldraw shows nothing for
 * locked shapes), so people see why a card does not move. Rendered in front of the canvas, in screen coordinates.
 */
export function LockBadges() {
  const t = useT()
  const editor = useEditor()
  const badges = useValue(
    'lock badges',
    () => {
      const out: Array<{ id: string; x: number; y: number }> = []
      for (const shape of editor.getCurrentPageShapes()) {
        // A map's drawing is locked piece by piece; one padlock on its frame says it all.
        if (!isTavoloLocked(shape) || isMapStructure(shape)) continue
        const bounds = editor.getShapePageBounds(shape)
        if (!bounds) continue
        const corner = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
        out.push({ id: shape.id, x: corner.x, y: corner.y })
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
