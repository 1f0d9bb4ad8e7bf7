import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react'
import { ATTENDEES_MAX } from '../../../shared/src/meetings/meetingSchemas.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { updateMeeting } from '../meeting/meetingApi.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'
import { fetchReport } from './reportApi.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { summarizePresence } from '../board/presenceSummary.ts'
import { useAwarenessStates } from '../board/useAwarenessStates.ts'

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'saved' } | { kind: 'error'; text: string }

/**
 * The participant count of the report and of the Decidim payload is the facilitator's figure (a meeting field,
 * `attendeesCount`). The field shows it, or proposes the server's suggestion (the distinct named people seen on the
 * board during the session, `suggestedAttendees` of the JSON report) until the facilitator saves a number.
 */
export function AttendeesCountField() {
  const t = useT()
  const locale = useLocale()
  const info = useMeetingInfo()
  const inputId = useId()
  const saved = info?.meeting?.attendeesCount ?? null
  const [suggested, setSuggested] = useState<number | null>(null)
  const suggestedRef = useRef<number | null>(null)
  const [value, setValue] = useState(saved === null ? '' : String(saved))
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const boardId = info?.boardId
  const accessKey = info?.accessKey ?? null
  // The suggestion grows as named people arrive: asked again whenever the board's own count of them changes.
  const { awareness } = useBoardSessionContext()
  const states = useAwarenessStates(awareness)
  const present = useMemo(() => summarizePresence(states).people.length, [states])

  useEffect(() => {
    if (saved !== null || boardId === undefined || accessKey === null) return
    let cancelled = false
    void fetchReport(boardId, accessKey, 'json', 'live', locale).then((result) => {
      if (cancelled || !result.ok) return
      try {
        const n = (JSON.parse(result.text) as { suggestedAttendees?: unknown }).suggestedAttendees
        if (typeof n === 'number' && Number.isInteger(n) && n >= 0) {
          // a figure the facilitator has not touched follows the suggestion
          const previous = suggestedRef.current
          setValue((v) => (v === '' || v === String(previous) ? String(n) : v))
          suggestedRef.current = n
          setSuggested(n)
        }
      } catch {
        // no suggestion: the field stays empty
      }
    })
    return () => {
      cancelled = true
    }
  }, [saved, boardId, accessKey, locale, present])

  if (info === null || boardId === undefined || accessKey === null || info.role !== 'facilitator') return null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const n = Number(value)
    if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > ATTENDEES_MAX) {
      setStatus({ kind: 'error', text: t('maps.attendees.invalid', { max: ATTENDEES_MAX }) })
      return
    }
    setStatus({ kind: 'busy' })
    const result = await updateMeeting(boardId, { attendeesCount: n }, accessKey)
    if (!result.ok) {
      setStatus({ kind: 'error', text: t('maps.attendees.failed') })
      return
    }
    info.setMeeting(result.value.meeting)
    setStatus({ kind: 'saved' })
  }

  return (
    <form className="tavolo-attendees" onSubmit={(e) => void submit(e)} data-testid="attendees-form">
      <label className="tavolo-lead-label" htmlFor={inputId}>
        {t('maps.attendees.label')}
      </label>
      <input
        id={inputId}
        className="tavolo-attendees-input"
        type="number"
        inputMode="numeric"
        min={0}
        max={ATTENDEES_MAX}
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          setStatus({ kind: 'idle' })
        }}
        data-testid="attendees-input"
      />
      <button type="submit" className="tavolo-lead-button" disabled={status.kind === 'busy'} data-testid="attendees-save">
        {t('maps.attendees.save')}
      </button>
      <p className="tavolo-lead-note" role="status" data-testid="attendees-status">
        {status.kind === 'saved'
          ? t('maps.attendees.saved')
          : status.kind === 'error'
            ? status.text
            : saved === null && suggested !== null
              ? t(pluralKey('maps.attendees.suggested', suggested), { count: suggested })
              : ''}
      </p>
    </form>
  )
}
