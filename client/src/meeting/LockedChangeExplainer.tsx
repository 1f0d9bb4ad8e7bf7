import { useEffect, useState } from 'react'
import { useEditor, type TLEventInfo } from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { useT } from '../i18n/useT.ts'
import { LOCKED_ATTEMPT_EVENT } from './boardLocks.ts'

const SHOWN_MS = 5000
// After the note closes, a new try explains again only after this pause: the note explains, it does not nag.
const QUIET_MS = 15_000

/**
 * Participants: a press on a shape the facilitator locked does nothing in tldraw (the shape cannot be selected or
 * moved). Instead of ignoring it silently, one short note says why: "Questo elemento è bloccato da chi conduce".
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
    const onEvent = (info: TLEventInfo) => {
      if (info.type !== 'pointer' || info.name !== 'pointer_down' || info.target === 'selection') return
      const point = editor.screenToPage(info.point)
      const hit = editor.getShapeAtPoint(point, { hitLocked: true, hitInside: true, margin: 0 })
      if (hit && isTavoloLocked(hit)) explain()
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
