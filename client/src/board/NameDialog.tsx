import { useId, useState, type FormEvent } from 'react'
import { normalizeName, MAX_NAME_LENGTH } from '../identity/localPreferences.ts'
import { usePreferences, usePreferencesStore } from '../identity/PreferencesContext.tsx'
import { useT } from '../i18n/useT.ts'

/** Asks the display name (first visit, or when the person wants to change it). */
export function NameDialog({ onDone }: { onDone(): void }) {
  const t = useT()
  const preferences = usePreferencesStore()
  const { name } = usePreferences()
  const [value, setValue] = useState(name ?? '')
  const [error, setError] = useState(false)
  const id = useId()

  function save(e: FormEvent) {
    e.preventDefault()
    const next = normalizeName(value)
    if (!next) {
      setError(true)
      return
    }
    preferences.update({ name: next })
    onDone()
  }

  return (
    <div className="tavolo-overlay">
      {/* The dialog holds the form (a <form> may not take the dialog role). */}
      <div className="tavolo-card tavolo-dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="name-dialog">
        <form onSubmit={save} noValidate>
          <h2 id={`${id}-title`}>{t('name.dialogTitle')}</h2>
          <p>{t('name.dialogIntro')}</p>
          <label htmlFor={`${id}-input`}>{t('name.label')}</label>
          <input
            id={`${id}-input`}
            autoFocus
            maxLength={MAX_NAME_LENGTH}
            value={value}
            placeholder={t('name.placeholder')}
            onChange={(e) => {
              setValue(e.target.value)
              setError(false)
            }}
            aria-invalid={error}
          />
          {error && (
            <p className="tavolo-error" role="alert">
              {t('name.required')}
            </p>
          )}
          <div className="tavolo-actions">
            <button type="submit" className="tavolo-button">
              {t('name.save')}
            </button>
          </div>
        </form>
      </div>
    </div>
  )
}
