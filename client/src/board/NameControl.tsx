import { useContext } from 'react'
import { usePreferences } from '../identity/PreferencesContext.tsx'
import { useT } from '../i18n/useT.ts'
import { NameDialogContext } from './BoardSessionContext.tsx'

/** Shows the person's name and lets them change it. */
export function NameControl() {
  const t = useT()
  const { name, color } = usePreferences()
  const dialog = useContext(NameDialogContext)
  if (!name) return null
  return (
    <button
      type="button"
      className="tavolo-chip tavolo-name-control"
      title={t('name.change')}
      aria-label={`${t('name.you', { name })}. ${t('name.change')}`}
      onClick={() => dialog?.open()}
      data-testid="name-control"
    >
      <span className="tavolo-dot" style={{ background: color }} aria-hidden="true" />
      {t('name.you', { name })}
    </button>
  )
}
