import { useId, useState } from 'react'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatShortDateTime } from '../meeting/formatMeetingTime.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { setMeetingOutcome } from './processApi.ts'

export interface OutcomeChoice {
  number: number
  label: string
  createdAt: string
}

/**
 * "Versione di esito" of one meeting on the process page (process SPEC PR1, meetings SPEC M8): the latest
 * (automatic) or one of its versions. A native select: labelled, reachable and changed from the keyboard. Changing it
 * PATCHes the meeting, then `onChanged` reloads the evolution.
 */
export function OutcomeVersionSelect(props: {
  meetingId: string
  value: number | null
  choices: OutcomeChoice[]
  token: string
  onChanged(): void
}) {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)

  async function choose(raw: string) {
    setBusy(true)
    const result = await setMeetingOutcome(props.meetingId, raw === '' ? null : Number(raw), props.token)
    setBusy(false)
    setFailure(result.ok ? null : result.failure)
    if (result.ok) props.onChanged()
  }

  // a chosen version beyond the offered ones (older than the newest hundred) stays shown as chosen
  const choices = props.value !== null && !props.choices.some((c) => c.number === props.value) ? [...props.choices, { number: props.value, label: '', createdAt: '' }] : props.choices
  return (
    <div className="tavolo-process-outcome">
      <label htmlFor={id}>{t('process.outcome.label')}</label>{' '}
      <select id={id} value={props.value ?? ''} disabled={busy} aria-busy={busy} onChange={(e) => void choose(e.target.value)} data-testid="process-outcome">
        <option value="">{t('process.outcome.latest')}</option>
        {choices.map((c) => (
          <option key={c.number} value={c.number}>
            {c.createdAt === ''
              ? t('process.outcome.optionShort', { number: String(c.number) })
              : t('process.outcome.option', { number: String(c.number), label: c.label, time: formatShortDateTime(c.createdAt, locale) ?? '' })}
          </option>
        ))}
      </select>
      {busy && <span role="status"> {t('process.outcome.saving')}</span>}
      {failure !== null && <FailureMessage failure={failure} />}
    </div>
  )
}
