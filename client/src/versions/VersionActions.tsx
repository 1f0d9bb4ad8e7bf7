import { useEffect, useRef, useState } from 'react'
import type { VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { usePreferences } from '../identity/PreferencesContext.tsx'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { readStaffToken as readAdminToken, saveStaffToken as saveAdminToken } from '../meeting/staffToken.ts'
import { StaffTokenForm } from '../meeting/StaffTokenForm.tsx'
import { openCopiedMeeting } from './openCopiedMeeting.ts'
import { copyVersion, restoreVersion } from './versionsApi.ts'
import { ContinueMeetingForm } from '../process/ContinueMeetingForm.tsx'

type Pending = 'restore' | 'copy' | 'token' | 'continue' | null
type Outcome = { kind: 'restored' } | { kind: 'failed'; failure: ApiFailure } | null

/**
 * The facilitator's actions on one version, each confirmed in plain words first: restore it on the live board (the
 * server first saves the live board as a version, so nothing is lost) or copy it into a new meeting.
 */
export function VersionActions({ boardId, accessKey, version, onRestored }: { boardId: string; accessKey: string; version: VersionSummary; onRestored?(): void }) {
  const t = useT()
  const { name } = usePreferences()
  const [pending, setPending] = useState<Pending>(null)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>(null)
  const [tokenFailed, setTokenFailed] = useState(false)
  const confirmRef = useRef<HTMLDivElement>(null)

  // The question may open below the fold of a long list: bring it into view and put the keyboard on it.
  useEffect(() => {
    if (!pending) return
    confirmRef.current?.scrollIntoView({ block: 'nearest' })
    confirmRef.current?.focus()
  }, [pending])

  async function confirm() {
    setBusy(true)
    if (pending === 'restore') {
      const result = await restoreVersion(boardId, accessKey, version.number, name)
      setBusy(false)
      setPending(null)
      setOutcome(result.ok ? { kind: 'restored' } : { kind: 'failed', failure: result.failure })
      if (result.ok) onRestored?.()
    } else {
      await copy(readAdminToken())
    }
  }

  /**
   * A copy creates a meeting: on a server with ADMIN_TOKEN that takes the staff code (which also counts as a
   * facilitator of this meeting); without one, this link's facilitator key is enough. Refused for want of the code:
   * ask it, as the home page does.
   */
  async function copy(adminToken: string | null) {
    setBusy(true)
    const result = await copyVersion(boardId, adminToken ?? accessKey, version.number, name)
    setBusy(false)
    if (result.ok) {
      saveAdminToken(adminToken)
      setPending(null)
      openCopiedMeeting(result.value)
      return
    }
    if (result.failure.kind === 'api' && (result.failure.status === 401 || result.failure.status === 403) && /admin token|staff/i.test(result.failure.message)) {
      if (adminToken !== null) saveAdminToken(null)
      setTokenFailed(adminToken !== null)
      setPending('token')
      return
    }
    setPending(null)
    setOutcome({ kind: 'failed', failure: result.failure })
  }

  return (
    <div className="tavolo-version-manage">
      <p className="tavolo-version-actions">
        <button type="button" className="tavolo-version-action" onClick={() => setPending('restore')} data-testid="version-restore">
          {t('versions.action.restore')}
        </button>
        <button type="button" className="tavolo-version-action" onClick={() => setPending('copy')} data-testid="version-copy">
          {t('versions.action.copy')}
        </button>
        <button type="button" className="tavolo-version-action" onClick={() => setPending('continue')} data-testid="version-continue">
          {t('process.continue.button')}
        </button>
      </p>
      {pending === 'continue' && (
        <div ref={confirmRef} tabIndex={-1} className="tavolo-confirm" role="group" aria-label={t('process.continue.button')}>
          <ContinueMeetingForm meetingId={boardId} accessKey={accessKey} version={version.number} onCancel={() => setPending(null)} />
        </div>
      )}
      {pending === 'token' && (
        <div ref={confirmRef} tabIndex={-1} className="tavolo-confirm" data-testid="version-copy-token">
          <StaffTokenForm refusal={tokenFailed ? { kind: 'wrong' } : null} onSubmit={(token) => void copy(token)} onCancel={() => setPending(null)} />
        </div>
      )}
      {(pending === 'restore' || pending === 'copy') && (
        <div ref={confirmRef} tabIndex={-1} className="tavolo-confirm" role="alertdialog" aria-label={t(pending === 'restore' ? 'versions.action.restore' : 'versions.action.copy')} data-testid="version-confirm">
          <p>{pending === 'restore' ? t('versions.restore.confirm', { number: version.number, label: version.label }) : t('versions.copy.confirm', { number: version.number })}</p>
          <div className="tavolo-actions">
            <button type="button" className="tavolo-button" disabled={busy} onClick={() => void confirm()} data-testid="version-confirm-yes">
              {busy
                ? t(pending === 'restore' ? 'versions.restore.busy' : 'versions.copy.busy')
                : t(pending === 'restore' ? 'versions.restore.yes' : 'versions.copy.yes')}
            </button>
            <button type="button" className="tavolo-button tavolo-button-secondary" disabled={busy} onClick={() => setPending(null)} data-testid="version-confirm-no">
              {t('versions.restore.no')}
            </button>
          </div>
        </div>
      )}
      {outcome?.kind === 'restored' && (
        <p className="tavolo-ok" role="status" data-testid="versions-restored">
          {t('versions.restore.done', { number: version.number })}
        </p>
      )}
      {outcome?.kind === 'failed' && <FailureMessage failure={outcome.failure} />}
    </div>
  )
}
