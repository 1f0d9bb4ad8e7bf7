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
import { ProcessAssign, ProcessCreateForm } from '../process/ProcessListParts.tsx'
import { listProcesses } from '../process/processApi.ts'
import { useProcessGroups } from '../process/useProcessGroups.ts'
import { processPath } from '../app/routes.ts'
import type { ProcessListResponse } from '../../../shared/src/process/processSchemas.ts'

type ProcessEntry = ProcessListResponse['processes'][number]

type State =
  | { status: 'loading' }
  | { status: 'token'; refusal: StaffTokenRefusal }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; meetings: Entry[]; nextCursor: string | null; more: 'idle' | 'loading' | ApiFailure }

/** The list's order: newest created first. */
function newestFirst(a: Entry, b: Entry): number {
  return a.meeting.createdAt < b.meeting.createdAt ? 1 : a.meeting.createdAt > b.meeting.createdAt ? -1 : 0
}

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
  // issue 22: the meetings are grouped by process when there are processes
  const [processes, setProcesses] = useState<ProcessEntry[]>([])
  const [processAttempt, setProcessAttempt] = useState(0)
  // each process's meetings, all of them, whatever page of the list they are on
  const groups = useProcessGroups(token, processes)

  useEffect(() => {
    if (token === null || state.status !== 'ready') return
    const controller = new AbortController()
    listProcesses(token, controller.signal).then(
      (result) => {
        if (result.ok) setProcesses(result.value.processes)
      },
      () => {
        // aborted
      },
    )
    return () => controller.abort()
    // the list is asked again when the meetings are (re)loaded or a process was made, not on every page of meetings
  }, [token, state.status, processAttempt])

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


  /** One meeting of the list, its title at `level` (h3 inside a process's section). */
  function renderMeeting(entry: Entry, level: 'h2' | 'h3') {
    const { meeting, links } = entry
    const Heading = level
    const when = formatMeetingTime(meeting.startsAt, meeting.endsAt, locale)
    const activity = formatShortDateTime(meeting.lastActivityAt, locale)
    const deadline = retentionDeadline(meeting, retainDays)
    return (
      <li key={meeting.id} className="tavolo-meeting-item" data-testid="meeting-item" data-meeting-id={meeting.id}>
        <Heading>{meeting.title}</Heading>
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
        {processes.length > 0 && token !== null && (
          <ProcessAssign
            meetingId={meeting.id}
            processId={meeting.processId}
            processes={processes.map((p) => p.process)}
            token={token}
            onMoved={(processId) => {
              const moved = { ...entry, meeting: { ...meeting, processId } }
              setState((s) => {
                if (s.status !== 'ready') return s
                // a meeting moved out of a group joins the meetings of no process, even when its page is not loaded
                const shown = s.meetings.some((m) => m.meeting.id === meeting.id)
                const meetings = shown ? s.meetings.map((m) => (m.meeting.id === meeting.id ? moved : m)) : [...s.meetings, moved].sort(newestFirst)
                return { ...s, meetings }
              })
              setProcessAttempt((a) => a + 1)
            }}
          />
        )}
      </li>
    )
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
        {state.status === 'ready' && state.meetings.length > 0 && processes.length === 0 && (
          <ul className="tavolo-meeting-list" data-testid="meeting-list">
            {state.meetings.map((entry) => renderMeeting(entry, 'h2'))}
          </ul>
        )}
        {state.status === 'ready' && state.meetings.length > 0 && processes.length > 0 && (
          <div data-testid="meeting-list">
            {processes.map(({ process, meetings: count }) => {
              const group = groups.get(process.id)
              return (
                <section key={process.id} className="tavolo-process-group" data-testid="process-group" data-process-id={process.id}>
                  <h2>{process.title}</h2>
                  <p>
                    <span data-testid="process-count">{t('process.list.count', { count })}</span>{' '}
                    <AppLink className="tavolo-button" to={processPath(process.id)} data-testid="process-open">
                      {t('process.list.open')}
                    </AppLink>
                  </p>
                  {(group === undefined || group.status === 'loading') && <p className="tavolo-loading">{t('app.loading')}</p>}
                  {group?.status === 'failed' && <FailureMessage failure={group.failure} />}
                  {/* the process's own meetings (GET /api/processes/:id), in date order: never only the loaded pages */}
                  {group?.status === 'ready' && <ul className="tavolo-meeting-list">{group.meetings.map((entry) => renderMeeting(entry, 'h3'))}</ul>}
                </section>
              )
            })}
            <section className="tavolo-process-group" data-testid="process-group-none">
              <h2>{t('process.list.none')}</h2>
              <ul className="tavolo-meeting-list">
                {state.meetings.filter((m) => m.meeting.processId === null || !processes.some((p) => p.process.id === m.meeting.processId)).map((entry) => renderMeeting(entry, 'h3'))}
              </ul>
            </section>
          </div>
        )}
        {state.status === 'ready' && token !== null && (
          <ProcessCreateForm
            token={token}
            onCreated={() => setProcessAttempt((a) => a + 1)}
          />
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
              if (deleting.processId !== null) setProcessAttempt((a) => a + 1)
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
