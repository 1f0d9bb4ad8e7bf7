import { useEffect, useState } from 'react'
import type { ProcessDetailResponse } from '../../../shared/src/process/processSchemas.ts'
import type { ProcessStory } from '../../../shared/src/process/processStory.ts'
import { actorGridSvg } from '../../../shared/src/process/processReport.ts'
import { AppLink } from '../app/AppLink.tsx'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatMeetingTime } from '../meeting/formatMeetingTime.ts'
import { localPathOf, type ApiFailure } from '../meeting/meetingApi.ts'
import { readStaffToken } from '../meeting/staffToken.ts'
import { useDocumentTitle } from '../meeting/useDocumentTitle.ts'
import { OutcomeVersionSelect } from './OutcomeVersionSelect.tsx'
import { fetchProcessReport, getProcess, getProcessStory, markNotSame } from './processApi.ts'
import './process.css'

type State =
  | { status: 'loading' }
  | { status: 'noKey' }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; detail: ProcessDetailResponse; story: ProcessStory }

/**
 * `/process/<id>` (issue 22): for staff (the staff code on this device) and the facilitators of its meetings (their
 * link's key in `#k=`). The meetings as a timeline ("Versione k (di n)" of each), the actor map as small multiples,
 * each actor's path in words, the issues, the architecture, the programme, the votes and the engagement gaps; the
 * printable report. Staff, and a meeting's facilitator for their meeting, choose which version is its outcome. Everything comes from the server's story (GET .../report?format=json), in the reader's language.
 */
export function ProcessPage({ processId, accessKey }: { processId: string; accessKey: string | null }) {
  const t = useT()
  const locale = useLocale()
  const token = accessKey ?? readStaffToken()
  const [state, setState] = useState<State>(() => (token === null ? { status: 'noKey' } : { status: 'loading' }))
  const [attempt, setAttempt] = useState(0)
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null)
  useDocumentTitle(state.status === 'ready' ? state.detail.process.title : null)

  useEffect(() => {
    if (token === null) return
    const controller = new AbortController()
    Promise.all([getProcess(processId, token, controller.signal), getProcessStory(processId, token, locale, controller.signal)]).then(
      ([detail, story]) => {
        if (!detail.ok) setState({ status: 'failed', failure: detail.failure })
        else if (!story.ok) setState({ status: 'failed', failure: story.failure })
        else setState({ status: 'ready', detail: detail.value, story: story.value })
      },
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [processId, token, locale, attempt])

  async function notSame(meetingId: string, cardId: string) {
    if (token === null) return
    const result = await markNotSame(processId, token, meetingId, cardId)
    setActionFailure(result.ok ? null : result.failure)
    if (result.ok) setAttempt((a) => a + 1)
  }

  async function openReport(format: 'html' | 'md') {
    if (token === null) return
    const result = await fetchProcessReport(processId, token, format, locale)
    if (!result.ok) {
      setActionFailure(result.failure)
      return
    }
    const url = URL.createObjectURL(result.blob)
    if (format === 'html') window.open(url, '_blank', 'noopener')
    else {
      const a = document.createElement('a')
      a.href = url
      a.download = `processo-${processId}.md`
      a.click()
    }
    // the new tab or the download holds its own reference by now
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  }

  const back = (
    <p>
      <AppLink className="tavolo-button tavolo-button-secondary" to="/meetings">
        {t('process.page.back')}
      </AppLink>
    </p>
  )

  if (state.status !== 'ready') {
    return (
      <main className="tavolo-page tavolo-page-top">
        <div className="tavolo-card tavolo-card-list">
          <h1>{t('process.page.title')}</h1>
          {state.status === 'loading' && <p className="tavolo-loading">{t('process.page.loading')}</p>}
          {state.status === 'noKey' && <p>{t('process.page.needsKey')}</p>}
          {state.status === 'failed' && <FailureMessage failure={state.failure} />}
          {back}
        </div>
      </main>
    )
  }

  const { detail, story } = state
  const list = (items: string[], testId: string) =>
    items.length === 0 ? (
      <p data-testid={testId}>{t('process.page.none')}</p>
    ) : (
      <ul data-testid={testId}>
        {items.map((text, i) => (
          <li key={i}>{text}</li>
        ))}
      </ul>
    )

  return (
    <main className="tavolo-page tavolo-page-top">
      <div className="tavolo-card tavolo-process" data-testid="process-page">
        <h1>{story.title}</h1>
        {detail.process.description !== null && <p className="tavolo-process-description">{detail.process.description}</p>}
        <p className="tavolo-actions">
          <button type="button" className="tavolo-button" onClick={() => void openReport('html')} data-testid="process-report-html">
            {t('process.page.reportHtml')}
          </button>
          <button type="button" className="tavolo-button tavolo-button-secondary" onClick={() => void openReport('md')} data-testid="process-report-md">
            {t('process.page.reportMd')}
          </button>
        </p>
        {actionFailure !== null && <FailureMessage failure={actionFailure} />}

        <h2>{t('process.page.timeline')}</h2>
        <ol className="tavolo-process-timeline" data-testid="process-timeline">
          {story.meetings.map((m) => {
            const entry = detail.meetings.find((d) => d.meeting.id === m.id)
            const links = entry?.links
            const when = formatMeetingTime(m.startsAt, null, locale)
            return (
              <li key={m.id} data-testid="process-meeting">
                <strong>{m.label}</strong>: {m.title}
                {when !== null && <> · {when}</>}
                <br />
                <span className="tavolo-process-version" data-testid="process-version">{m.versionText}</span>
                {links !== undefined && (
                  <>
                    {' · '}
                    <a href={localPathOf(links.facilitator)}>{t('process.page.openBoard')}</a>
                  </>
                )}
                {entry?.outcomeChoices !== undefined && token !== null && (
                  <OutcomeVersionSelect meetingId={m.id} value={entry.meeting.outcomeVersion} choices={entry.outcomeChoices} token={token} onChanged={() => setAttempt((a) => a + 1)} />
                )}
              </li>
            )
          })}
        </ol>

        <h2>{t('process.page.pictures')}</h2>
        {story.grids.map((grid) => (
          <div key={grid.templateId} className="tavolo-process-multiples" data-testid="process-multiples">
            {grid.meetings.map((at, k) => {
              if (at === null) return null
              const caption = `${grid.title}, ${story.meetings[k]?.label ?? ''}`
              return (
                <figure key={k} data-testid="process-grid" data-meeting={k + 1}>
                  <figcaption>{caption}</figcaption>
                  {/* every text in the picture is escaped by actorGridSvg (shared/src/process/SPEC.md PR12) */}
                  {/* on a phone the picture keeps a readable size and scrolls sideways (focusable, so keys scroll it too) */}
                  <div className="tavolo-process-svg" tabIndex={0} role="group" aria-label={caption} dangerouslySetInnerHTML={{ __html: actorGridSvg(grid, k, caption, locale) }} />
                </figure>
              )
            })}
          </div>
        ))}

        <h2>{t('process.page.paths')}</h2>
        {list(story.trajectories.map((x) => x.text), 'process-trajectories')}
        <h3>{t('process.page.events')}</h3>
        {list(story.events.map((x) => x.text), 'process-events')}
        {story.matches.length > 0 && (
          <>
            <h3>{t('process.page.matches')}</h3>
            <ul data-testid="process-matches">
              {story.matches.map((m) => (
                <li key={`${m.meetingId}/${m.cardId}`}>
                  {m.text}{' '}
                  <button type="button" className="tavolo-button tavolo-button-secondary" onClick={() => void notSame(m.meetingId, m.cardId)} data-testid="process-not-same">
                    {t('process.page.notSame')}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <h3>{t('process.page.gaps')}</h3>
        {list(story.gaps, 'process-gaps')}

        <h2>{t('process.page.issues')}</h2>
        <h3>{t('process.page.appeared')}</h3>
        {list(story.issues.appeared, 'process-issues-appeared')}
        <h3>{t('process.page.persisted')}</h3>
        {list(story.issues.persisted, 'process-issues-persisted')}
        <h3>{t('process.page.dropped')}</h3>
        {list(story.issues.dropped, 'process-issues-dropped')}

        <h2>{t('process.page.architecture')}</h2>
        <ul data-testid="process-architecture">
          {story.architecture.map((a) => (
            <li key={a.meeting}>
              {a.summary}
              {a.changes.length > 0 && (
                <ul>
                  {a.changes.map((c, i) => (
                    <li key={i}>{c}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        <h2>{t('process.page.programme')}</h2>
        {list(story.programme, 'process-programme')}
        {story.votes.length > 0 && (
          <>
            <h2>{t('process.page.votes')}</h2>
            {list(story.votes, 'process-votes')}
          </>
        )}
        {back}
        <LanguageSwitcher />
      </div>
    </main>
  )
}
