import { useId, useRef, useState, type ChangeEvent } from 'react'
import { IMPORT_MAX_BYTES } from '../../../shared/src/versions/versionSchemas.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { readStaffToken as readAdminToken, saveStaffToken as saveAdminToken } from '../meeting/staffToken.ts'
import { StaffTokenForm } from '../meeting/StaffTokenForm.tsx'
import { openCopiedMeeting } from './openCopiedMeeting.ts'
import { importBoard } from './versionsApi.ts'

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'tooLarge' } | { kind: 'failed'; failure: ApiFailure } | { kind: 'token'; text: string; failed: boolean }

/**
 * The home page's "Importa una lavagna (file .json)": a file downloaded from Tavolo becomes a new meeting (the server
 * validates every record and answers a broken file with what is wrong, which is shown as it is; nothing is created).
 */
export function ImportBoard() {
  const t = useT()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [state, setState] = useState<State>({ kind: 'idle' })

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
    await send(await file.text(), readAdminToken())
  }

  if (state.kind === 'token') {
    return (
      <section className="tavolo-import" data-testid="import-board">
        <StaffTokenForm refusal={state.failed ? { kind: 'wrong' } : null} onSubmit={(token) => void send(state.text, token)} onCancel={() => setState({ kind: 'idle' })} />
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
