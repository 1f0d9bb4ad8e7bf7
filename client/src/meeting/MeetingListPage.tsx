import { useEffect, useState } from 'react'
import type { MeetingListResponse } from '../../../shared/src/meetings/meetingSchemas.ts'
import { retentionDeadline } from '../../../shared/src/ops/retention.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { AppLink } from '../app/AppLink.tsx'
import { loadServerConfig } from '../config/serverConfig.ts'
import { browserStorage } from '../identity/localPreferences.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatMeetingTime, formatShortDateTime } from './formatMeetingTime.ts'
import { DeleteMeetingDialog } from './DeleteMeetingDialog.tsx'
import { deleteMeeting, listMeetings, localPathOf, type ApiFailure } from './meetingApi.ts'
import { adoptTokenFromAddress, readStaffToken, saveStaffToken } from './staffToken.ts'
import { refusalOf, StaffTokenForm, type StaffTokenRefusal } from './StaffTokenForm.tsx'

type Entry = MeetingListResponse['meetings'][number]
import { versionsLinkFor } from '../versions/versionsLink.ts'

type State =
  | { status: 'loading' }
  | { status: 'token'; refusal: StaffTokenRefusal }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; meetings: Entry[]; nextCursor: string | null; more: 'idle' | 'loading' | ApiFailure }

/** The token of a staff link in the address (taken out of it), else the one this device remembers. */
function initialToken(): string | null {
  return adoptTokenFromAddress() ?? readStaffToken()
}

/**
 * `/meetings`: the staff list of meetings, newest first, a page at a time, with the links to open each view.
 * Needs the staff token: from the staff link (then remembered on this device) or typed in; "Esci" forgets it.
 */
export function MeetingListPage() {
  const t = useT()
  const locale = useLocale()
  const [token, setToken] = useState<string | null>(initialToken)
  const [attempt, setAttempt] = useState(0)
  const [state, setState] = useState<State>(() => (token === null ? { status: 'token', refusal: null } : { status: 'loading' }))
  const [retainDays, setRetainDays] = useState<number | null>(null)
  const [deleting, setDeleting] = useState<MeetingListResponse['meetings'][number]['meeting'] | null>(null)
  const [deleted, setDeleted] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    loadServerConfig(browserStorage(), controller.signal).then(
      (result) => setRetainDays(result.ok ? result.config.retainDays : null),
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [])

  useEffect(() => {
    if (token === null) return
    const controller = new AbortController()
    listMeetings(token, null, controller.signal).then(
      (result) => {
        if (result.ok) {
          saveStaffToken(token)
          setState({ status: 'ready', meetings: result.value.meetings, nextCursor: result.value.nextCursor, more: 'idle' })
          return
        }
        const refusal = refusalOf(result.failure)
        if (refusal !== null) {
          if (refusal.kind === 'wrong') saveStaffToken(null)
          setState({ status: 'token', refusal })
        } else {
          setState({ status: 'failed', failure: result.failure })
        }
      },
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [token, attempt])

  /** Asks for the list again, with this token: the effect above fetches it. */
  function reload(withToken: string) {
    setState({ status: 'loading' })
    setToken(withToken)
    // The same code typed again after a refusal must still trigger a new request.
    setAttempt((a) => a + 1)
  }

  async function loadMore() {
    if (state.status !== 'ready' || state.nextCursor === null || token === null) return
    const { meetings, nextCursor } = state
    setState({ ...state, more: 'loading' })
    const result = await listMeetings(token, nextCursor)
    if (result.ok) {
      // A meeting created meanwhile shifts nothing: the cursor continues after the last one shown.
      const known = new Set(meetings.map((m) => m.meeting.id))
      const added = result.value.meetings.filter((m) => !known.has(m.meeting.id))
      setState({ status: 'ready', meetings: [...meetings, ...added], nextCursor: result.value.nextCursor, more: 'idle' })
    } else {
      setState({ status: 'ready', meetings, nextCursor, more: result.failure })
    }
  }

  function signOut() {
    saveStaffToken(null)
    setToken(null)
    setState({ status: 'token', refusal: { kind: 'signedOut' } })
  }

  const home = (
    <p>
      <AppLink className="tavolo-button tavolo-button-secondary" to="/">
        {t('list.newMeeting')}
      </AppLink>
    </p>
  )

  if (state.status === 'token') {
    return (
      <main className="tavolo-page">
        <div className="tavolo-card">
          <StaffTokenForm
            refusal={state.refusal}
            onSubmit={reload}
          />
        </div>
      </main>
    )
  }

  return (
    <main className="tavolo-page tavolo-page-top">
      <div className="tavolo-card tavolo-card-list">
        <h1>{t('list.title')}</h1>
        {deleted !== null && (
          <p className="tavolo-ok" role="status" data-testid="meeting-deleted">
            {t('erase.done', { title: deleted })}
          </p>
        )}
        {state.status === 'loading' && <p className="tavolo-loading">{t('app.loading')}</p>}
        {state.status === 'failed' && (
          <>
            <FailureMessage failure={state.failure} />
            <button type="button" className="tavolo-button" onClick={() => {
                if (token !== null) reload(token)
              }}
            >
              {t('config.retry')}
            </button>
          </>
        )}
        {state.status === 'ready' && state.meetings.length === 0 && <p>{t('list.empty')}</p>}
        {state.status === 'ready' && state.meetings.length > 0 && (
          <ul className="tavolo-meeting-list" data-testid="meeting-list">
            {state.meetings.map(({ meeting, links }) => {
              const when = formatMeetingTime(meeting.startsAt, meeting.endsAt, locale)
              const activity = formatShortDateTime(meeting.lastActivityAt, locale)
              const deadline = retentionDeadline(meeting, retainDays)
              return (
                <li key={meeting.id} className="tavolo-meeting-item" data-testid="meeting-item" data-meeting-id={meeting.id}>
                  <h2>{meeting.title}</h2>
                  <dl>
                    <dt>{t('list.reference')}</dt>
                    <dd>{meeting.reference ?? '—'}</dd>
                    <dt>{t('list.date')}</dt>
                    <dd data-testid="meeting-when">{when ?? '—'}</dd>
                    <dt>{t('list.place')}</dt>
                    <dd>{meeting.place ?? '—'}</dd>
                    {meeting.organisations.length > 0 && (
                      <>
                        <dt>{t('list.organisations')}</dt>
                        <dd data-testid="meeting-organisations">{meeting.organisations.join(', ')}</dd>
                      </>
                    )}
                    <dt>{t('list.activity')}</dt>
                    <dd data-testid="meeting-activity">{activity ?? t('list.noActivity')}</dd>
                    {deadline !== null && (
                      <>
                        <dt>{t('retention.deletesOn')}</dt>
                        <dd data-testid="meeting-deletes-on">
                          {t('retention.deletesOnValue', { date: formatShortDateTime(deadline.toISOString(), locale) ?? '' })}
                        </dd>
                      </>
                    )}
                  </dl>
                  <p className="tavolo-meeting-links">
                    <a className="tavolo-button" href={localPathOf(links.facilitator)}>
                      {t('list.openFacilitator')}
                    </a>
                    <a className="tavolo-button tavolo-button-secondary" href={localPathOf(links.participant)}>
                      {t('list.openParticipant')}
                    </a>
                    <a className="tavolo-button tavolo-button-secondary" href={localPathOf(links.projector)}>
                      {t('list.openProjector')}
                    </a>
                    <a className="tavolo-button tavolo-button-secondary" href={localPathOf(links.viewer)}>
                      {t('list.openViewer')}
                    </a>
                    <AppLink className="tavolo-button tavolo-button-secondary" to={versionsLinkFor(meeting.id, links.facilitator)} data-testid="meeting-versions">
                      {t('versions.open')}
                    </AppLink>
                    <button
                      type="button"
                      className="tavolo-button tavolo-button-secondary tavolo-button-delete"
                      onClick={() => setDeleting(meeting)}
                      data-testid="meeting-delete"
                    >
                      {t('erase.listButton')}
                    </button>
                  </p>
                </li>
              )
            })}
          </ul>
        )}
        {state.status === 'ready' && state.nextCursor !== null && (
          <div className="tavolo-actions">
            {typeof state.more === 'object' && <FailureMessage failure={state.more} />}
            <button
              type="button"
              className="tavolo-button"
              disabled={state.more === 'loading'}
              onClick={() => void loadMore()}
              data-testid="meeting-list-more"
            >
              {state.more === 'loading' ? t('list.loadingMore') : t('list.more')}
            </button>
          </div>
        )}
        {deleting !== null && token !== null && (
          <DeleteMeetingDialog
            meeting={deleting}
            onDelete={() => deleteMeeting(deleting.id, token)}
            onClose={() => setDeleting(null)}
            onDeleted={() => {
              setDeleted(deleting.title)
              setDeleting(null)
              setState((s) => (s.status === 'ready' ? { ...s, meetings: s.meetings.filter((m) => m.meeting.id !== deleting.id) } : s))
            }}
          />
        )}
        {home}
        <p className="tavolo-staff-session">
          <span>{t('staff.remembered')}</span>{' '}
          <button type="button" className="tavolo-button tavolo-button-secondary" onClick={signOut} data-testid="staff-sign-out">
            {t('staff.signOut')}
          </button>
        </p>
        <LanguageSwitcher />
      </div>
    </main>
  )
}
