import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import {
  DESCRIPTION_MAX,
  ORGANISATIONS_MAX,
  ORGANISATION_MAX,
  PLACE_MAX,
  TITLE_MAX,
  type Meeting,
  type MeetingPatch,
} from '../../../shared/src/meetings/meetingSchemas.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { localDateTimeToIso, parseOrganisations, validateMeetingForm, type FormValues } from '../app/HomePage.tsx'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { browserStorage } from '../identity/localPreferences.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useT } from '../i18n/useT.ts'
import { writeCachedMeeting } from './meetingDetailCache.ts'
import { updateMeeting, type ApiFailure } from './meetingApi.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { MEETING_UPDATED_FIELD } from './useMeetingDetailsRefresh.ts'

type Field = keyof FormValues

/** ISO → the `datetime-local` value of the same instant in this browser's zone ('' when none). */
export function isoToLocalDateTime(iso: string | null): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

function valuesOf(meeting: Meeting): FormValues {
  return {
    title: meeting.title,
    reference: meeting.reference ?? '',
    startsAt: isoToLocalDateTime(meeting.startsAt),
    endsAt: isoToLocalDateTime(meeting.endsAt),
    place: meeting.place ?? '',
    organisations: meeting.organisations.join('\n'),
    description: meeting.description ?? '',
  }
}

/** The whole form as a PATCH: an emptied field is cleared (null), not left as it was. */
function patchOf(v: FormValues): MeetingPatch {
  const text = (s: string) => (s.trim() === '' ? null : s.trim())
  return {
    title: v.title,
    reference: text(v.reference),
    startsAt: localDateTimeToIso(v.startsAt),
    endsAt: localDateTimeToIso(v.endsAt),
    place: text(v.place),
    organisations: parseOrganisations(v.organisations),
    description: v.description.trim() === '' ? null : v.description,
  }
}

/**
 * The facilitator edits the meeting's details from the board (`PATCH /api/meetings/:id`): the same fields and checks
 * as on the start page; the title shows how many characters it has against the limit while typing. The header and
 * the tab title change at once, for everyone on the board (useMeetingDetailsRefresh).
 */
export function MeetingDetailsDialog({ onClose }: { onClose(): void }) {
  const t = useT()
  const id = useId()
  const info = useMeetingInfo()
  const { awareness } = useBoardSessionContext()
  const titleRef = useRef<HTMLInputElement>(null)
  const [values, setValues] = useState<FormValues | null>(() => (info?.meeting ? valuesOf(info.meeting) : null))
  const [errors, setErrors] = useState<Partial<Record<Field, MessageKey>>>({})
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    titleRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  if (!info?.meeting || !info.accessKey || !values) return null
  const { boardId, accessKey, role } = info

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!values) return
    const found = validateMeetingForm(values)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    setFailure(null)
    const result = await updateMeeting(boardId, patchOf(values), accessKey)
    setBusy(false)
    if (!result.ok) {
      setFailure(result.failure)
      return
    }
    writeCachedMeeting(browserStorage(), boardId, accessKey, result.value.meeting, role)
    info?.setMeeting(result.value.meeting)
    // Everyone else on the board reads the new details (useMeetingDetailsRefresh).
    awareness.setLocalStateField(MEETING_UPDATED_FIELD, result.value.meeting.updatedAt)
    onClose()
  }

  const set = (name: Field) => (e: { target: { value: string } }) => {
    const value = e.target.value
    setValues((v) => (v ? { ...v, [name]: value } : v))
    setErrors((errs) => ({ ...errs, [name]: undefined }))
  }
  const limits = { titleMax: TITLE_MAX, placeMax: PLACE_MAX, orgMax: ORGANISATIONS_MAX, orgLength: ORGANISATION_MAX, descriptionMax: DESCRIPTION_MAX }
  const error = (name: Field) =>
    errors[name] && (
      <p className="tavolo-error" role="alert" id={`${id}-${name}-error`}>
        {t(errors[name], limits)}
      </p>
    )
  const titleLength = values.title.trim().length
  const input = (name: Field, label: MessageKey, type: 'text' | 'datetime-local' = 'text') => (
    <div className="tavolo-field">
      <label htmlFor={`${id}-${name}`}>{t(label)}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        value={values[name]}
        onChange={set(name)}
        aria-invalid={Boolean(errors[name])}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        autoComplete="off"
      />
      {error(name)}
    </div>
  )

  return (
    <div className="tavolo-overlay tavolo-details-overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <section className="tavolo-card tavolo-details-dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-heading`} data-testid="details-dialog">
        <h2 id={`${id}-heading`}>{t('details.heading')}</h2>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <div className="tavolo-field">
            <label htmlFor={`${id}-title`}>{t('create.title')}</label>
            <input
              id={`${id}-title`}
              ref={titleRef}
              value={values.title}
              onChange={set('title')}
              aria-invalid={Boolean(errors.title) || titleLength > TITLE_MAX}
              aria-describedby={`${id}-title-count`}
              aria-required="true"
              autoComplete="off"
              data-testid="details-title"
            />
            <p
              id={`${id}-title-count`}
              className={titleLength > TITLE_MAX ? 'tavolo-error' : 'tavolo-hint'}
              aria-live="polite"
              data-testid="details-title-count"
            >
              {t('details.titleCount', { count: titleLength, max: TITLE_MAX })}
            </p>
            {error('title')}
          </div>
          <div className="tavolo-field-row">
            {input('startsAt', 'create.startsAt', 'datetime-local')}
            {input('endsAt', 'create.endsAt', 'datetime-local')}
          </div>
          {input('place', 'create.place')}
          <div className="tavolo-field">
            <label htmlFor={`${id}-organisations`}>{t('create.organisations')}</label>
            <textarea id={`${id}-organisations`} rows={3} value={values.organisations} onChange={set('organisations')} aria-invalid={Boolean(errors.organisations)} />
            <p className="tavolo-hint">{t('create.organisationsHint')}</p>
            {error('organisations')}
          </div>
          <div className="tavolo-field">
            <label htmlFor={`${id}-description`}>{t('create.description')}</label>
            <textarea id={`${id}-description`} rows={4} value={values.description} onChange={set('description')} aria-invalid={Boolean(errors.description)} />
            {error('description')}
          </div>
          {input('reference', 'create.reference')}
          {failure && <FailureMessage failure={failure} />}
          <div className="tavolo-actions">
            <button type="submit" className="tavolo-button" disabled={busy} data-testid="details-save">
              {busy ? t('details.saving') : t('details.save')}
            </button>
            <button type="button" className="tavolo-button tavolo-button-secondary" onClick={onClose}>
              {t('details.cancel')}
            </button>
          </div>
        </form>
      </section>
    </div>
  )
}
