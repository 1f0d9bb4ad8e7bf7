import { lazy, Suspense, useState } from 'react'
import type { Role } from '../../../shared/src/roles.ts'
import type { VersionsVisibleTo } from '../../../shared/src/versions/versionSchemas.ts'
import { useT } from '../i18n/useT.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'

// Loaded on the first click: a participant's first paint shows only the button (issue 13 part 3).
const VersionsPanel = lazy(() => import('./VersionsPanel.tsx').then((m) => ({ default: m.VersionsPanel })))

/** Mirrors the server's rule (it decides; this only hides a button that would be refused). */
export function mayListVersions(role: Role, visibleTo: VersionsVisibleTo | undefined): boolean {
  if (role === 'facilitator') return true
  if (visibleTo === 'everyone') return true
  return visibleTo === 'participants' && role === 'participant'
}

/** For participants and viewers, when the facilitator lets them see the versions: a "Versioni" button and the panel. */
export function VersionsLauncher() {
  const t = useT()
  const info = useMeetingInfo()
  const [open, setOpen] = useState(false)
  if (!info?.meeting || !mayListVersions(info.role, info.meeting.versionsVisibleTo)) return null
  return (
    <>
      <div className="tavolo-lead-bar tavolo-lead-bar-closed tavolo-versions-launcher">
        <button type="button" className="tavolo-lead-toggle" onClick={() => setOpen(true)} aria-expanded={open} data-testid="versions-open">
          {t('versions.open')} ▸
        </button>
      </div>
      {open && (
        <Suspense fallback={null}>
          <VersionsPanel onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  )
}
