import { useEffect, useState } from 'react'
import { useEditor } from 'tldraw'
import { mapTemplates } from '../../../shared/src/maps/index.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { boardTextOpen } from './boardTextState.ts'
import { insertMap } from './insertMap.ts'
import { ReportActions } from './ReportActions.tsx'

/**
 * The facilitator bar's "Mappe e report" group: insert one of the map templates (in the person's language),
 * open the board as text, and the report buttons.
 */
export function MapsBarGroup() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const [choosing, setChoosing] = useState(false)
  const [inserted, setInserted] = useState<string | null>(null)

  useEffect(() => {
    if (inserted === null) return
    const timer = setTimeout(() => setInserted(null), 6000)
    return () => clearTimeout(timer)
  }, [inserted])

  return (
    <>
      <div className="tavolo-lead-group" data-testid="maps-insert-group">
        <span className="tavolo-lead-label">{t('maps.group')}</span>
        <button type="button" className="tavolo-lead-button" aria-expanded={choosing} onClick={() => setChoosing(!choosing)} data-testid="maps-insert">
          {t('maps.insert')}
        </button>
        {choosing && (
          <ul className="tavolo-maps-choices" aria-label={t('maps.insert')}>
            {mapTemplates().map((template) => (
              <li key={template.id}>
                <button
                  type="button"
                  className="tavolo-maps-choice"
                  onClick={() => {
                    setChoosing(false)
                    const bar = document.querySelector('.tavolo-lead-bar')?.getBoundingClientRect()
                    const obscured = bar ? bar.right - editor.getViewportScreenBounds().x + 8 : 0
                    if (insertMap(editor, template, locale, obscured) !== null) setInserted(template.title[locale])
                  }}
                  data-testid={`maps-insert-${template.id}`}
                >
                  {template.title[locale]}
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="tavolo-lead-note" role="status">
          {inserted !== null ? t('maps.inserted', { title: inserted }) : choosing ? t('maps.insertHint') : ''}
        </p>
        <button type="button" className="tavolo-lead-button" onClick={() => boardTextOpen(editor).set(true)} data-testid="board-text-open">
          {t('maps.text.open')}
        </button>
      </div>
      <ReportActions />
    </>
  )
}
