import { useEffect, useState } from 'react'
import { useEditor, type TLEventInfo } from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { useT } from '../i18n/useT.ts'
import { LOCKED_ATTEMPT_EVENT } from './boardLocks.ts'

const SHOWN_MS = 5000
// After the note closes, a new try explains again only after this pause: the note explains, it does not nag.
const QUIET_MS = 15_000

/**
 * Participants: a shape the facilitator locked cannot be selected or moved in tldraw. When a person actually tries
 * to change one (drags it, double-clicks into its text, or a locked action is refused), instead of ignoring it
 * silently one small note says why, "Questo elemento è bloccato da chi conduce", and goes away by itself.
 */
export function LockedChangeExplainer() {
  const t = useT()
  const editor = useEditor()
  const [shown, setShown] = useState(false)

  useEffect(() => {
    let quietUntil = 0
    let visible = false
    let timer: ReturnType<typeof setTimeout> | null = null
    const explain = () => {
      const now = Date.now()
      if (visible || now < quietUntil) return
      visible = true
      setShown(true)
      timer = setTimeout(() => {
        visible = false
        quietUntil = Date.now() + QUIET_MS
        setShown(false)
      }, SHOWN_MS)
    }
    // A press alone is not an attempt (people press the map to look, scroll, pinch): dragging a locked shape, or a
    // double click into its text, is.
    let pressedLocked = false
    const lockedAt = (point: { x: number; y: number }) => {
      const hit = editor.getShapeAtPoint(editor.screenToPage(point), { hitLocked: true, hitInside: true, margin: 0 })
      return hit !== undefined && isTavoloLocked(hit)
    }
    const onEvent = (info: TLEventInfo) => {
      if (info.type === 'pinch') pressedLocked = false
      if (info.type === 'click' && info.name === 'double_click' && lockedAt(info.point)) explain()
      if (info.type !== 'pointer') return
      if (info.name === 'pointer_down') pressedLocked = info.target !== 'selection' && lockedAt(info.point)
      else if (info.name === 'pointer_up') pressedLocked = false
      else if (info.name === 'pointer_move' && pressedLocked && editor.inputs.getIsDragging()) {
        pressedLocked = false
        explain()
      }
    }
    editor.on('event', onEvent)
    window.addEventListener(LOCKED_ATTEMPT_EVENT, explain)
    return () => {
      editor.off('event', onEvent)
      window.removeEventListener(LOCKED_ATTEMPT_EVENT, explain)
      if (timer !== null) clearTimeout(timer)
    }
  }, [editor])

  if (!shown) return null
  return (
    <div className="tavolo-toast tavolo-locked-note" role="status" data-testid="locked-explainer">
      {t('lock.blocked')}
    </div>
  )
}
