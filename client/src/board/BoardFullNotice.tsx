import { useEffect, useState } from 'react'
import { useEditor } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { MAX_SHAPES_PER_PAGE } from './limits.ts'

/** Tells the person, in their language, when tldraw refused a shape because the page is full. */
export function BoardFullNotice() {
  const t = useT()
  const editor = useEditor()
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    const onMaxShapes = () => setVisible(true)
    editor.on('max-shapes', onMaxShapes)
    return () => {
      editor.off('max-shapes', onMaxShapes)
    }
  }, [editor])
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
