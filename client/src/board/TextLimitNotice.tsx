import { useEffect, useState } from 'react'
import { useEditor, type TLShape } from 'tldraw'
import { boundShapeText, MAX_SHAPE_TEXT, shapeTextTooLong } from '../../../shared/src/board/textLimit.ts'
import { useLocale, useT } from '../i18n/useT.ts'

/**
 * Keeps what this person writes or pastes into a shape within MAX_SHAPE_TEXT characters (the shared rule the server
 * enforces for participants) and tells them, in their language, that the rest was left out. Only changes made here
 * ('user') are bounded: a facilitator's longer text arriving from the server is shown as it is.
 */
export function TextLimitNotice() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    const bound = (next: TLShape, source: 'user' | 'remote'): TLShape | null => {
      if (source !== 'user' || !shapeTextTooLong(next)) return null
      // after this change has been applied: a React update from inside a store change would re-enter it
      queueMicrotask(() => setVisible(true))
      return boundShapeText(next)
    }
    // The shape's util sized it (a note's growY) for the long text before this handler ran: size it again.
    const offCreate = editor.sideEffects.registerBeforeCreateHandler('shape', (next, source) => {
      const bounded = bound(next, source)
      if (bounded === null) return next
      return editor.getShapeUtil(bounded).onBeforeCreate?.(bounded) ?? bounded
    })
    const offChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
      const bounded = bound(next, source)
      if (bounded === null) return next
      return editor.getShapeUtil(bounded).onBeforeUpdate?.(prev, bounded) ?? bounded
    })
    return () => {
      offCreate()
      offChange()
    }
  }, [editor])
  if (!visible) return null
  return (
    <div className="tavolo-board-full" role="alert" data-testid="text-limit-notice">
      <strong>{t('board.textLimit.title')}</strong>
      <p>{t('board.textLimit.body', { max: MAX_SHAPE_TEXT.toLocaleString(locale) })}</p>
      <button type="button" className="tavolo-button" onClick={() => setVisible(false)}>
        {t('board.full.dismiss')}
      </button>
    </div>
  )
}
