import { useId, useState, type FormEvent } from 'react'
import { useT } from '../i18n/useT.ts'

/** Why the form is shown again: the code was refused, or this address must wait (429 after too many wrong codes). */
export type StaffTokenRefusal = { kind: 'wrong' } | { kind: 'throttled'; seconds: number } | { kind: 'signedOut' } | null

/**
 * Asks the staff code (ADMIN_TOKEN, or the token the server generated) in plain words, and says where to find it:
 * the staff link printed when the server starts. The caller keeps it on this device (meeting/staffToken.ts).
 */
export function StaffTokenForm({ refusal, onSubmit, onCancel }: { refusal: StaffTokenRefusal; onSubmit(token: string): void; onCancel?(): void }) {
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
  const problem = empty
    ? t('staff.empty')
    : refusal?.kind === 'wrong'
      ? t('staff.wrong')
      : refusal?.kind === 'throttled'
        ? t('staff.throttled', { seconds: refusal.seconds })
        : null
  return (
    <form onSubmit={submit} noValidate data-testid="staff-token">
      <h1>{t('staff.title')}</h1>
      {refusal?.kind === 'signedOut' && (
        <p className="tavolo-hint" role="status" data-testid="staff-signed-out">
          {t('staff.signedOut')}
        </p>
      )}
      <p>{t('staff.intro')}</p>
      <p className="tavolo-hint" data-testid="staff-where">
        {t('staff.where')}
      </p>
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
        aria-invalid={problem !== null}
      />
      {problem !== null && (
        <p className="tavolo-error" role="alert">
          {problem}
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

/** What a refused staff call means for the form: a wrong code (401), or a wait (429); null for anything else. */
export function refusalOf(failure: { kind: string; status?: number; retryAfter?: number }): StaffTokenRefusal {
  if (failure.kind !== 'api') return null
  if (failure.status === 401) return { kind: 'wrong' }
  if (failure.status === 429) return { kind: 'throttled', seconds: failure.retryAfter ?? 60 }
  return null
}
