import { lazy, Suspense, useId, useLayoutEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import type { Role } from '../../../shared/src/roles.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatMeetingTime } from './formatMeetingTime.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { useMeetingDetailsRefresh } from './useMeetingDetailsRefresh.ts'

// Only a facilitator edits the details: the form's code loads when it opens (issue 13 part 3).
const MeetingDetailsDialog = lazy(() => import('./MeetingDetailsDialog.tsx').then((m) => ({ default: m.MeetingDetailsDialog })))

export const ROLE_LABEL: Record<Role, MessageKey> = {
  facilitator: 'role.facilitator',
  participant: 'role.participant',
  viewer: 'role.viewer',
}

/**
 * The meeting's title, date, place and the person's role, in tldraw's top-centre slot. One line, cut with "…" on
 * narrow screens; a tap shows the whole text (and the description, organisations) in a small panel.
 */
export function MeetingHeader() {
  const t = useT()
  const locale = useLocale()
  const info = useMeetingInfo()
  const id = useId()
  const [expanded, setExpanded] = useState(false)
  const [editing, setEditing] = useState(false)
  useStripBottom()
  useMeetingDetailsRefresh()
  if (!info?.meeting) return null
  const { meeting, role } = info
  const when = formatMeetingTime(meeting.startsAt, meeting.endsAt, locale)
  const details = [when, meeting.place].filter((x): x is string => Boolean(x))
  return (
    <div className="tavolo-meeting-header" data-testid="meeting-header">
      <button
        type="button"
        className="tavolo-meeting-summary"
        aria-expanded={expanded}
        aria-controls={`${id}-more`}
        onClick={() => setExpanded((e) => !e)}
        title={t('meeting.moreTitle')}
      >
        <span className="tavolo-meeting-title" data-testid="meeting-title">
          {meeting.title}
        </span>
        {details.length > 0 && <span className="tavolo-meeting-details">{details.join(' · ')}</span>}
        <span className={`tavolo-role tavolo-role-${role}`} data-testid="meeting-role" data-role={role}>
          {t(ROLE_LABEL[role])}
        </span>
      </button>
      {expanded && (
        <div id={`${id}-more`} className="tavolo-meeting-more">
          <p>
            <strong>{meeting.title}</strong>
          </p>
          {meeting.reference && <p>{t('meeting.referenceValue', { reference: meeting.reference })}</p>}
          {when && <p>{when}</p>}
          {meeting.place && <p>{meeting.place}</p>}
          {meeting.organisations.length > 0 && <p>{t('meeting.organisationsValue', { list: meeting.organisations.join(', ') })}</p>}
          {meeting.description && <p className="tavolo-meeting-description">{meeting.description}</p>}
          <p>{t('meeting.yourRole', { role: t(ROLE_LABEL[role]) })}</p>
          {role === 'facilitator' && (
            <p>
              <button
                type="button"
                className="tavolo-button tavolo-button-secondary"
                onClick={() => {
                  setExpanded(false)
                  setEditing(true)
                }}
                data-testid="details-edit"
              >
                {t('details.edit')}
              </button>
            </p>
          )}
        </div>
      )}
      {/* In a portal: the header's slot is a CSS container, which would hold a fixed overlay inside itself. */}
      {editing &&
        createPortal(
          <Suspense fallback={null}>
            <MeetingDetailsDialog onClose={() => setEditing(false)} />
          </Suspense>,
          document.body,
        )}
    </div>
  )
}

/**
 * Phones: the status strip wraps onto two or three rows, as many as its chips need; the header goes just below it
 * (and tldraw's "Torna al contenuto" below the header: workshop.css), so nothing sits over anything. The strip's
 * bottom edge is published as `--tavolo-strip-bottom`.
 */
function useStripBottom() {
  useLayoutEffect(() => {
    const root = document.documentElement
    const strip = document.querySelector('.tavolo-share-zone')
    if (!strip) return
    const measure = () => root.style.setProperty('--tavolo-strip-bottom', `${Math.ceil(strip.getBoundingClientRect().bottom)}px`)
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(strip)
    window.addEventListener('resize', measure)
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', measure)
      root.style.removeProperty('--tavolo-strip-bottom')
    }
  }, [])
}
