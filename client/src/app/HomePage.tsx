import { useId, useState, type FormEvent, type ReactNode } from 'react'
import {
  DESCRIPTION_MAX,
  MeetingInputSchema,
  ORGANISATIONS_MAX,
  ORGANISATION_MAX,
  PLACE_MAX,
  TITLE_MAX,
  type MeetingInput,
} from '../../../shared/src/meetings/meetingSchemas.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import type { MessageKey } from '../i18n/it.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatShortDateTime } from '../meeting/formatMeetingTime.ts'
import { useReferenceTaken } from '../meeting/useReferenceTaken.ts'
import { openShareFlag } from '../meeting/shareFlag.ts'
import { createMeeting, localPathOf, type ApiFailure } from '../meeting/meetingApi.ts'
import { adoptTokenFromAddress, readStaffToken, saveStaffToken } from '../meeting/staffToken.ts'
import { refusalOf, StaffTokenForm, type StaffTokenRefusal } from '../meeting/StaffTokenForm.tsx'
import { ImportBoard } from '../versions/ImportBoard.tsx'
import { AppLink } from './AppLink.tsx'
import { FailureMessage } from './FailureMessage.tsx'
import { navigate } from './navigation.ts'

type Field = 'title' | 'reference' | 'startsAt' | 'endsAt' | 'place' | 'organisations' | 'description'

export interface FormValues {
  title: string
  reference: string
  startsAt: string
  endsAt: string
  place: string
  organisations: string
  description: string
}

const EMPTY: FormValues = { title: '', reference: '', startsAt: '', endsAt: '', place: '', organisations: '', description: '' }

/** `datetime-local` value (the browser's zone) → ISO with a zone; '' → null; an unreadable value stays as is. */
export function localDateTimeToIso(value: string): string | null {
  if (value.trim() === '') return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? value : date.toISOString()
}

/** One organisation a line (commas inside a name are kept); blank lines dropped. */
export function parseOrganisations(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
}

function toInput(v: FormValues): MeetingInput {
  const optional = (s: string) => (s.trim() === '' ? undefined : s.trim())
  const organisations = parseOrganisations(v.organisations)
  return {
    title: v.title,
    reference: optional(v.reference),
    startsAt: localDateTimeToIso(v.startsAt) ?? undefined,
    endsAt: localDateTimeToIso(v.endsAt) ?? undefined,
    place: optional(v.place),
    organisations: organisations.length > 0 ? organisations : undefined,
    description: v.description.trim() === '' ? undefined : v.description,
  }
}

const FIELD_ERROR: Record<Field, MessageKey> = {
  title: 'create.error.title',
  reference: 'create.error.reference',
  startsAt: 'create.error.date',
  endsAt: 'create.error.date',
  place: 'create.error.place',
  organisations: 'create.error.organisations',
  description: 'create.error.description',
}

/** Translated messages per field for a MeetingInput, checked with the same schema as the server. */
export function validateMeetingForm(values: FormValues): Partial<Record<Field, MessageKey>> {
  const errors: Partial<Record<Field, MessageKey>> = {}
  const parsed = MeetingInputSchema.safeParse(toInput(values))
  if (parsed.success) return errors
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as Field | undefined
    if (!field || errors[field]) continue
    if (field === 'title') errors.title = values.title.trim() === '' ? 'create.error.titleMissing' : 'create.error.title'
    else if (field === 'endsAt' && issue.message.includes('before')) errors.endsAt = 'create.error.endBeforeStart'
    else errors[field] = FIELD_ERROR[field]
  }
  return errors
}

/**
 * The start page: create a meeting (title required, the rest optional), then open its board as facilitator.
 * Creating needs the staff token: remembered on this device once the staff link was opened, otherwise asked for
 * (the form says where to find it) before anything is sent.
 */
export function HomePage() {
  const t = useT()
  const id = useId()
  const [values, setValues] = useState<FormValues>(EMPTY)
  const [errors, setErrors] = useState<Partial<Record<Field, MessageKey>>>({})
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [hasToken, setHasToken] = useState(() => (adoptTokenFromAddress() ?? readStaffToken()) !== null)
  const [needToken, setNeedToken] = useState<{ refusal: StaffTokenRefusal } | null>(null)
  const [busy, setBusy] = useState(false)
  const locale = useLocale()
  // M6: a reference some meeting already has is allowed (copies keep it) but said before a duplicate is made
  const taken = useReferenceTaken(values.reference, hasToken ? readStaffToken() : null)

  async function submit(adminToken: string | null) {
    const found = validateMeetingForm(values)
    setErrors(found)
    setFailure(null)
    if (Object.keys(found).length > 0) {
      document.getElementById(`${id}-${Object.keys(found)[0]}`)?.focus()
      return
    }
    if (adminToken === null) {
      setNeedToken({ refusal: null })
      return
    }
    setBusy(true)
    const result = await createMeeting(toInput(values), adminToken)
    setBusy(false)
    if (result.ok) {
      saveStaffToken(adminToken)
      const { meeting, links } = result.value
      try {
        window.sessionStorage.setItem(openShareFlag(meeting.id), '1')
      } catch {
        // the panel stays reachable from the "Condividi i link" button
      }
      navigate(localPathOf(links.facilitator))
      return
    }
    const refusal = refusalOf(result.failure)
    if (refusal !== null) {
      if (refusal.kind === 'wrong') {
        saveStaffToken(null)
        setHasToken(false)
      }
      setNeedToken({ refusal })
      return
    }
    setFailure(result.failure)
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault()
    void submit(readStaffToken())
  }

  const field = (name: Field, label: MessageKey, input: (props: { id: string; invalid: boolean; describedBy: string }) => ReactNode, hint?: MessageKey) => {
    const error = errors[name]
    const inputId = `${id}-${name}`
    return (
      <div className="tavolo-field">
        <label htmlFor={inputId}>{t(label)}</label>
        {input({ id: inputId, invalid: Boolean(error), describedBy: `${inputId}-note` })}
        {error ? (
          <p id={`${inputId}-note`} className="tavolo-error" role="alert">
            {t(error, { titleMax: TITLE_MAX, placeMax: PLACE_MAX, orgMax: ORGANISATIONS_MAX, orgLength: ORGANISATION_MAX, descriptionMax: DESCRIPTION_MAX })}
          </p>
        ) : (
          hint && (
            <p id={`${inputId}-note`} className="tavolo-hint">
              {t(hint)}
            </p>
          )
        )}
      </div>
    )
  }
  const set = (name: Field) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }))
    setErrors((errs) => ({ ...errs, [name]: undefined }))
  }

  if (needToken) {
    return (
      <main className="tavolo-page">
        <div className="tavolo-card">
          <StaffTokenForm
            refusal={needToken.refusal}
            onSubmit={(token) => {
              setNeedToken(null)
              void submit(token)
            }}
            onCancel={() => {
              setNeedToken(null)
              setFailure(null)
            }}
          />
        </div>
      </main>
    )
  }

  return (
    <main className="tavolo-page">
      <div className="tavolo-card tavolo-card-wide">
        <h1>{t('home.title')}</h1>
        <p>{t('home.intro')}</p>
        <form onSubmit={onSubmit} noValidate data-testid="create-meeting">
          {field(
            'title',
            'create.title',
            (p) => <input id={p.id} value={values.title} onChange={set('title')} aria-invalid={p.invalid} aria-describedby={p.describedBy} aria-required="true" autoComplete="off" />,
            'create.titleHint',
          )}
          {values.title.length > 0 && (
            <p className={values.title.trim().length > TITLE_MAX ? 'tavolo-error' : 'tavolo-hint'} aria-live="polite" data-testid="create-title-count">
              {t('details.titleCount', { count: values.title.trim().length, max: TITLE_MAX })}
            </p>
          )}
          <fieldset className="tavolo-optional">
            <legend>{t('create.optional')}</legend>
            {field(
              'reference',
              'create.reference',
              (p) => <input id={p.id} value={values.reference} onChange={set('reference')} aria-invalid={p.invalid} aria-describedby={p.describedBy} autoComplete="off" />,
              'create.referenceHint',
            )}
            {taken.meetings.length > 0 && (
              <p className="tavolo-warning" role="status" data-testid="create-reference-taken">
                {t(pluralKey('create.referenceTaken', taken.meetings.length), {
                  reference: taken.reference,
                  count: taken.meetings.length,
                  meetings: taken.meetings
                    .slice(0, 3)
                    .map((m) => `«${m.title}»${m.startsAt ? ` (${formatShortDateTime(m.startsAt, locale) ?? ''})` : ''}`)
                    .join(', '),
                })}
              </p>
            )}
            <div className="tavolo-field-row">
              {field('startsAt', 'create.startsAt', (p) => (
                <input id={p.id} type="datetime-local" value={values.startsAt} onChange={set('startsAt')} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
              ))}
              {field('endsAt', 'create.endsAt', (p) => (
                <input id={p.id} type="datetime-local" value={values.endsAt} onChange={set('endsAt')} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
              ))}
            </div>
            {field('place', 'create.place', (p) => (
              <input id={p.id} value={values.place} onChange={set('place')} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
            ), 'create.placeHint')}
            {field(
              'organisations',
              'create.organisations',
              (p) => <textarea id={p.id} rows={3} value={values.organisations} onChange={set('organisations')} aria-invalid={p.invalid} aria-describedby={p.describedBy} />,
              'create.organisationsHint',
            )}
            {field('description', 'create.description', (p) => (
              <textarea id={p.id} rows={3} value={values.description} onChange={set('description')} aria-invalid={p.invalid} aria-describedby={p.describedBy} />
            ))}
          </fieldset>
          {failure && <FailureMessage failure={failure} />}
          {!hasToken && (
            <p className="tavolo-hint" data-testid="home-needs-staff">
              {t('home.needsStaff')}
            </p>
          )}
          <div className="tavolo-actions">
            <button type="submit" className="tavolo-button tavolo-button-big" disabled={busy} data-testid="create-submit">
              {busy ? t('create.busy') : t('create.submit')}
            </button>
          </div>
        </form>
        <ImportBoard />
        <p className="tavolo-home-links">
          <AppLink to="/meetings">{t('home.meetingsLink')}</AppLink>
        </p>
        <LanguageSwitcher />
      </div>
    </main>
  )
}
