import { lazy, Suspense, useState } from 'react'
import { canSeeVersions } from '../../../shared/src/versions/versionAccess.ts'
import { useT } from '../i18n/useT.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'

// Loaded on the first click: a participant's first paint shows only the button (issue 13 part 3).
const VersionsPanel = lazy(() => import('./VersionsPanel.tsx').then((m) => ({ default: m.VersionsPanel })))

/**
 * For participants and viewers, when the facilitator lets them see the versions: a "Versioni" button and the panel.
 * The server's own rule decides (V12); here it only hides a button that would be refused.
 */
export function VersionsLauncher() {
  const t = useT()
  const info = useMeetingInfo()
  const [open, setOpen] = useState(false)
  if (!info?.meeting || !canSeeVersions(info.role, info.meeting.versionsVisibleTo)) return null
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
