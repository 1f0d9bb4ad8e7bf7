import { useId, useState } from 'react'
import type { Process } from '../../../shared/src/process/processSchemas.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { createProcess, setMeetingProcess } from './processApi.ts'
import './process.css'

/** The staff list's "Processo" menu of one meeting: moves it into a process, or out of any (server SPEC PS3). */
export function ProcessAssign({
  meetingId,
  processId,
  processes,
  token,
  onMoved,
}: {
  meetingId: string
  processId: string | null
  processes: Process[]
  token: string
  onMoved(processId: string | null): void
}) {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  async function move(to: string | null) {
    setBusy(true)
    const result = await setMeetingProcess(meetingId, to, token)
    setBusy(false)
    setFailure(result.ok ? null : result.failure)
    if (result.ok) onMoved(result.value.meeting.processId)
  }
  return (
    <div className="tavolo-process-assign">
      <label>
        <span>{t('process.list.assign')}</span>{' '}
        <select value={processId ?? ''} disabled={busy} onChange={(e) => void move(e.target.value === '' ? null : e.target.value)} data-testid="meeting-process">
          <option value="">{t('process.list.assignNone')}</option>
          {processes.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      {failure !== null && (
        <>
          <p className="tavolo-error">{t('process.list.assignFailed')}</p>
          <FailureMessage failure={failure} />
        </>
      )}
    </div>
  )
}

/** "Nuovo processo": staff name a process; its meetings are then given to it from each meeting's menu. */
export function ProcessCreateForm({ token, onCreated }: { token: string; onCreated(): void }) {
  const t = useT()
  const inputId = useId()
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const [done, setDone] = useState<string | null>(null)
  async function submit() {
    setBusy(true)
    const result = await createProcess({ title }, token)
    setBusy(false)
    setFailure(result.ok ? null : result.failure)
    if (result.ok) {
      setDone(result.value.process.title)
      setTitle('')
      onCreated()
    }
  }
  return (
    <form
      className="tavolo-process-create"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
      data-testid="process-create"
    >
      <h2>{t('process.create.heading')}</h2>
      <label htmlFor={inputId}>{t('process.create.title')}</label>
      <input id={inputId} value={title} required maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="process-create-title" />
      <button type="submit" className="tavolo-button" disabled={busy || title.trim() === ''} data-testid="process-create-submit">
        {busy ? t('process.create.busy') : t('process.create.submit')}
      </button>
      {failure !== null && <FailureMessage failure={failure} />}
      {done !== null && (
        <p className="tavolo-ok" role="status">
          {t('process.create.done', { title: done })}
        </p>
      )}
    </form>
  )
}
