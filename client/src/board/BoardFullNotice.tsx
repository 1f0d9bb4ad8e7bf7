import { useEffect, useState } from 'react'
import { useEditor, useToasts } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { MAX_SHAPES_PER_PAGE } from './limits.ts'

/** tldraw's own toast for this event has a hard-coded English title; ours replaces it. */
const TLDRAW_MAX_SHAPES_TITLE = 'Maximum shapes reached'

/**
 * Tells the person, in their language, when tldraw refused a shape because the page is full. Rendered inside
 * tldraw's UI (share panel slot) so it can reach tldraw's toasts and remove the untranslated one.
 */
export function BoardFullNotice() {
  const t = useT()
  const editor = useEditor()
  const { toasts, removeToast } = useToasts()
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    const onMaxShapes = () => {
      setVisible(true)
      // tldraw adds its toast in its own listener for the same event; remove it once it is there.
      setTimeout(() => {
        for (const toast of toasts.get()) if (toast.title === TLDRAW_MAX_SHAPES_TITLE) removeToast(toast.id)
      }, 0)
    }
    editor.on('max-shapes', onMaxShapes)
    return () => {
      editor.off('max-shapes', onMaxShapes)
    }
  }, [editor, toasts, removeToast])
  if (!visible) return null
  return (
    <div className="tavolo-board-full" role="alert" data-testid="board-full">
      <strong>{t('board.full.title')}</strong>
      <p>{t('board.full.body', { max: MAX_SHAPES_PER_PAGE })}</p>
      <button type="button" className="tavolo-button" onClick={() => setVisible(false)}>
        {t('board.full.dismiss')}
      </button>
    </div>
  )
}
