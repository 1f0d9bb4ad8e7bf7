import { useId, useRef, useState, type ChangeEvent } from 'react'
import { IMPORT_MAX_BYTES } from '../../../shared/src/versions/versionSchemas.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import type { Meeting } from '../../../shared/src/meetings/meetingSchemas.ts'
import { REFERENCE_PATTERN } from '../../../shared/src/meetings/meetingSchemas.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatShortDateTime } from '../meeting/formatMeetingTime.ts'
import { meetingsWithReference } from '../meeting/meetingApi.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { readStaffToken as readAdminToken, saveStaffToken as saveAdminToken } from '../meeting/staffToken.ts'
import { StaffTokenForm } from '../meeting/StaffTokenForm.tsx'
import { openCopiedMeeting } from './openCopiedMeeting.ts'
import { importBoard } from './versionsApi.ts'

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'tooLarge' }
  | { kind: 'failed'; failure: ApiFailure }
  | { kind: 'token'; text: string; failed: boolean }
  | { kind: 'duplicate'; text: string; token: string; reference: string; meetings: Meeting[] }

/**
 * The home page's "Importa una lavagna (file .json)": a file downloaded from Tavolo becomes a new meeting (the server
 * validates every record and answers a broken file with what is wrong, which is shown as it is; nothing is created).
 * The new meeting keeps the file's reference and is marked as a copy by the server (meetingCopy.ts); when other
 * meetings already carry that reference, the staff are told which before anything is created, as the create form
 * does (meetings SPEC M6), and choose to import anyway or not.
 */
export function ImportBoard() {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [state, setState] = useState<State>({ kind: 'idle' })

  /** Warns first when the file's reference is already taken; the server's answer is a warning, never a refusal. */
  async function prepare(text: string, token: string | null) {
    const reference = token === null ? null : fileReference(text)
    if (token !== null && reference !== null) {
      setState({ kind: 'busy' })
      const answer = await meetingsWithReference(token, reference).catch(() => null)
      const meetings = answer?.ok ? answer.value.meetings.map((m) => m.meeting) : []
      if (meetings.length > 0) return setState({ kind: 'duplicate', text, token, reference, meetings })
    }
    await send(text, token)
  }

  async function send(text: string, token: string | null) {
    setState({ kind: 'busy' })
    const result = await importBoard(text, token)
    if (result.ok) {
      saveAdminToken(token)
      openCopiedMeeting(result.value)
      return
    }
    if (result.failure.kind === 'api' && result.failure.status === 401) {
      saveAdminToken(null)
      setState({ kind: 'token', text, failed: token !== null })
      return
    }
    setState({ kind: 'failed', failure: result.failure })
  }

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    // The same file may be picked again after fixing it: clear the input so "change" fires again.
    if (input.current) input.current.value = ''
    if (!file) return
    if (file.size > IMPORT_MAX_BYTES) return setState({ kind: 'tooLarge' })
    await prepare(await file.text(), readAdminToken())
  }

  if (state.kind === 'token') {
    return (
      <section className="tavolo-import" data-testid="import-board">
        <StaffTokenForm refusal={state.failed ? { kind: 'wrong' } : null} onSubmit={(token) => void prepare(state.text, token)} onCancel={() => setState({ kind: 'idle' })} />
      </section>
    )
  }

  if (state.kind === 'duplicate') {
    const { text, token, reference, meetings } = state
    return (
      <section className="tavolo-import" data-testid="import-board">
        <p className="tavolo-warning" role="status" data-testid="import-reference-taken">
          {t(pluralKey('create.referenceTaken', meetings.length), {
            reference,
            count: meetings.length,
            meetings: meetings
              .slice(0, 3)
              .map((m) => `«${m.title}»${m.startsAt ? ` (${formatShortDateTime(m.startsAt, locale) ?? ''})` : ''}`)
              .join(', '),
          })}
        </p>
        <p className="tavolo-hint">{t('import.copyMarked')}</p>
        <div className="tavolo-import-actions">
          <button type="button" className="tavolo-button" onClick={() => void send(text, token)} data-testid="import-anyway">
            {t('import.anyway')}
          </button>
          <button type="button" className="tavolo-button tavolo-button-secondary" onClick={() => setState({ kind: 'idle' })} data-testid="import-cancel">
            {t('import.cancel')}
          </button>
        </div>
      </section>
    )
  }

  return (
    <section className="tavolo-import" data-testid="import-board">
      <label htmlFor={`${id}-file`}>{t('import.title')}</label>
      <input
        ref={input}
        id={`${id}-file`}
        type="file"
        accept=".json,application/json"
        aria-describedby={`${id}-hint`}
        disabled={state.kind === 'busy'}
        onChange={(e) => void onFile(e)}
        data-testid="import-file"
      />
      <p id={`${id}-hint`} className="tavolo-hint">
        {state.kind === 'busy' ? t('import.busy') : t('import.hint')}
      </p>
      {state.kind === 'tooLarge' && (
        <p className="tavolo-error" role="alert">
          {t('import.tooLarge')}
        </p>
      )}
      {state.kind === 'failed' && (
        <div data-testid="import-failed">
          <p className="tavolo-error" role="alert">
            {t('import.failed')}
          </p>
          <FailureMessage failure={state.failure} />
        </div>
      )}
    </section>
  )
}

/** The reference a board file's meeting carries, or null (not JSON, none, or not a reference the server would list). */
export function fileReference(text: string): string | null {
  try {
    const file: unknown = JSON.parse(text)
    const meeting = typeof file === 'object' && file !== null ? (file as { meeting?: unknown }).meeting : null
    const reference = typeof meeting === 'object' && meeting !== null ? (meeting as { reference?: unknown }).reference : null
    return typeof reference === 'string' && REFERENCE_PATTERN.test(reference.trim()) ? reference.trim() : null
  } catch {
    return null
  }
}
