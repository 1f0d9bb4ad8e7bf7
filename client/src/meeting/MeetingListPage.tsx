import { useEffect, useState } from 'react'
import type { MeetingListResponse } from '../../../shared/src/meetings/meetingSchemas.ts'
import { FailureMessage } from '../app/HomePage.tsx'
import { AppLink } from '../app/AppLink.tsx'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatShortDateTime } from './formatMeetingTime.ts'
import { listMeetings, localPathOf, readAdminToken, saveAdminToken, type ApiFailure } from './meetingApi.ts'
import { StaffTokenForm } from './StaffTokenForm.tsx'
import { versionsLinkFor } from '../versions/versionsLink.ts'

type State =
  | { status: 'loading' }
  | { status: 'token'; failed: boolean }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; list: MeetingListResponse }

/** `/meetings`: the staff list of meetings, newest first, with the links to open each view. */
export function MeetingListPage() {
  const t = useT()
  const locale = useLocale()
  const [token, setToken] = useState<string | null>(() => readAdminToken())
  const [attempt, setAttempt] = useState(0)
  const [state, setState] = useState<State>({ status: 'loading' })

  useEffect(() => {
    const controller = new AbortController()
    setState({ status: 'loading' })
    listMeetings(token, controller.signal).then(
      (result) => {
        if (result.ok) {
          saveAdminToken(token)
          setState({ status: 'ready', list: result.value })
        } else if (result.failure.kind === 'api' && result.failure.status === 401) {
          saveAdminToken(null)
          setState({ status: 'token', failed: token !== null })
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
          <StaffTokenForm failed={state.failed} onSubmit={(value) => setToken(value)} />
        </div>
      </main>
    )
  }

  return (
    <main className="tavolo-page tavolo-page-top">
      <div className="tavolo-card tavolo-card-list">
        <h1>{t('list.title')}</h1>
        {state.status === 'loading' && <p className="tavolo-loading">{t('app.loading')}</p>}
        {state.status === 'failed' && (
          <>
            <FailureMessage failure={state.failure} />
            <button type="button" className="tavolo-button" onClick={() => setAttempt((a) => a + 1)}>
              {t('config.retry')}
            </button>
          </>
        )}
        {state.status === 'ready' && state.list.meetings.length === 0 && <p>{t('list.empty')}</p>}
        {state.status === 'ready' && state.list.meetings.length > 0 && (
          <ul className="tavolo-meeting-list" data-testid="meeting-list">
            {state.list.meetings.map(({ meeting, links }) => {
              const when = formatShortDateTime(meeting.startsAt, locale)
              const activity = formatShortDateTime(meeting.lastActivityAt, locale)
              return (
                <li key={meeting.id} className="tavolo-meeting-item" data-testid="meeting-item" data-meeting-id={meeting.id}>
                  <h2>{meeting.title}</h2>
                  <dl>
                    <dt>{t('list.reference')}</dt>
                    <dd>{meeting.reference ?? '—'}</dd>
                    <dt>{t('list.date')}</dt>
                    <dd>{when ?? '—'}</dd>
                    <dt>{t('list.place')}</dt>
                    <dd>{meeting.place ?? '—'}</dd>
                    <dt>{t('list.activity')}</dt>
                    <dd data-testid="meeting-activity">{activity ?? t('list.noActivity')}</dd>
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
                  </p>
                </li>
              )
            })}
          </ul>
        )}
        {home}
        <LanguageSwitcher />
      </div>
    </main>
  )
}
