import { useEffect, useId, useRef, useState } from 'react'
import type { Meeting } from '../../../shared/src/meetings/meetingSchemas.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatMeetingTime } from './formatMeetingTime.ts'
import type { ApiFailure, ApiResult } from './meetingApi.ts'

function failureReason(failure: ApiFailure): string {
  if (failure.kind === 'api') return `${failure.status}: ${failure.message}`
  if (failure.kind === 'network') return 'offline'
  return `HTTP ${failure.status}`
}

/**
 * The confirmation before a meeting is erased, from the board's menu (facilitator) or the staff list. It names the
 * meeting by its title, code and date (copies and imports share a title: issue 19 item 12), says in plain words
 * what goes and that it cannot be undone, and asks for a tick before the red button works: one click on the wrong
 * item must never erase a workshop.
 */
export function DeleteMeetingDialog({
  meeting,
  onDelete,
  onClose,
  onDeleted,
}: {
  meeting: Pick<Meeting, 'title' | 'reference' | 'startsAt' | 'endsAt'>
  onDelete(): Promise<ApiResult<unknown>>
  onClose(): void
  onDeleted?(): void
}) {
  const t = useT()
  const locale = useLocale()
  const { title } = meeting
  const when = formatMeetingTime(meeting.startsAt, meeting.endsAt, locale)
  const id = useId()
  const cancelRef = useRef<HTMLButtonElement>(null)
  const [understood, setUnderstood] = useState(false)
  const [state, setState] = useState<{ status: 'idle' | 'busy' } | { status: 'failed'; reason: string }>({ status: 'idle' })

  useEffect(() => {
    cancelRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  async function confirm() {
    setState({ status: 'busy' })
    const result = await onDelete()
    if (result.ok) onDeleted?.()
    else setState({ status: 'failed', reason: failureReason(result.failure) })
  }

  return (
    <div className="tavolo-overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <section
        className="tavolo-card tavolo-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-what`}
        data-testid="delete-meeting-dialog"
      >
        <h2 id={`${id}-title`}>{t('erase.title', { title })}</h2>
        <dl className="tavolo-erase-which" data-testid="delete-meeting-which">
          <dt>{t('list.reference')}</dt>
          <dd>{meeting.reference ?? '—'}</dd>
          <dt>{t('list.date')}</dt>
          <dd>{when ?? '—'}</dd>
        </dl>
        <p id={`${id}-what`}>{t('erase.what')}</p>
        <p>{t('erase.others')}</p>
        <p>
          <strong>{t('erase.noUndo')}</strong>
        </p>
        <label className="tavolo-check">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid="delete-meeting-understood" />{' '}
          {t('erase.confirmCheck', { title })}
        </label>
        {state.status === 'failed' && (
          <p className="tavolo-error" role="alert">
            {t('erase.failed', { reason: state.reason })}
          </p>
        )}
        <div className="tavolo-actions">
          <button
            type="button"
            className="tavolo-button tavolo-button-danger"
            disabled={!understood || state.status === 'busy'}
            onClick={() => void confirm()}
            data-testid="delete-meeting-confirm"
          >
            {state.status === 'busy' ? t('erase.busy') : t('erase.confirm')}
          </button>
          <button ref={cancelRef} type="button" className="tavolo-button tavolo-button-secondary" onClick={onClose}>
            {t('erase.cancel')}
          </button>
        </div>
      </section>
    </div>
  )
}
