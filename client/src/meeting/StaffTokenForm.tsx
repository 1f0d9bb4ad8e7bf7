import { useId, useState, type FormEvent } from 'react'
import { useT } from '../i18n/useT.ts'

/** Asks the staff code (the server's ADMIN_TOKEN) in plain words. Kept for this tab only by the caller. */
export function StaffTokenForm({ failed, onSubmit, onCancel }: { failed: boolean; onSubmit(token: string): void; onCancel?(): void }) {
  const t = useT()
  const id = useId()
  const [value, setValue] = useState('')
  const [empty, setEmpty] = useState(false)
  function submit(e: FormEvent) {
    e.preventDefault()
    if (value.trim() === '') {
      setEmpty(true)
      return
    }
    onSubmit(value.trim())
  }
  return (
    <form onSubmit={submit} noValidate data-testid="staff-token">
      <h1>{t('staff.title')}</h1>
      <p>{t('staff.intro')}</p>
      <label htmlFor={`${id}-token`}>{t('staff.label')}</label>
      <input
        id={`${id}-token`}
        type="password"
        autoFocus
        autoComplete="off"
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          setEmpty(false)
        }}
        aria-invalid={failed || empty}
      />
      {(failed || empty) && (
        <p className="tavolo-error" role="alert">
          {t(empty ? 'staff.empty' : 'staff.wrong')}
        </p>
      )}
      <p className="tavolo-hint">{t('staff.hint')}</p>
      <div className="tavolo-actions">
        <button type="submit" className="tavolo-button tavolo-button-big">
          {t('staff.continue')}
        </button>
        {onCancel && (
          <button type="button" className="tavolo-button tavolo-button-secondary" onClick={onCancel}>
            {t('staff.back')}
          </button>
        )}
      </div>
    </form>
  )
}
