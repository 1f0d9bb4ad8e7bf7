import { useId, useState } from 'react'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { openCopiedMeeting } from '../versions/openCopiedMeeting.ts'
import { continueMeeting } from './processApi.ts'
import './process.css'

/** A `datetime-local` value ("2025-10-01T17:00") as ISO with this device's offset, or null when empty or unreadable. */
function isoOf(local: string): string | null {
  if (local === '') return null
  const d = new Date(local)
  if (Number.isNaN(d.getTime())) return null
  const offset = -d.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0')
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`
}

/**
 * "Continua in una nuova riunione" (issue 22; server SPEC PS5): the next meeting of the process, from version
 * `version` of this board (same cards, new links). Opens the new meeting's board with its share panel.
 */
export function ContinueMeetingForm({ meetingId, accessKey, version, onCancel }: { meetingId: string; accessKey: string; version: number; onCancel(): void }) {
  const t = useT()
  const titleId = useId()
  const startsId = useId()
  const [title, setTitle] = useState('')
  const [startsAt, setStartsAt] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)

  async function submit() {
    setBusy(true)
    const result = await continueMeeting(meetingId, accessKey, { title, startsAt: isoOf(startsAt), version })
    setBusy(false)
    if (result.ok) openCopiedMeeting(result.value)
    else setFailure(result.failure)
  }

  return (
    <form
      className="tavolo-continue"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
      data-testid="continue-form"
    >
      <p>{t('process.continue.intro')}</p>
      <label htmlFor={titleId}>{t('process.continue.title')}</label>
      <input id={titleId} value={title} required maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="continue-title" />
      <label htmlFor={startsId}>{t('process.continue.startsAt')}</label>
      <input id={startsId} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} data-testid="continue-starts" />
      <div className="tavolo-actions">
        <button type="submit" className="tavolo-button" disabled={busy || title.trim() === ''} data-testid="continue-yes">
          {busy ? t('process.continue.busy') : t('process.continue.yes')}
        </button>
        <button type="button" className="tavolo-button tavolo-button-secondary" disabled={busy} onClick={onCancel}>
          {t('process.continue.no')}
        </button>
      </div>
      {failure !== null && <FailureMessage failure={failure} />}
    </form>
  )
}
