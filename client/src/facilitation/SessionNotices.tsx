import { useEffect, useState } from 'react'
import { useEditor } from 'tldraw'
import type { RestoreNotice, SessionState } from '../../../shared/src/facilitation/session.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { useT } from '../i18n/useT.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'

/** How long the restore notice stays (it also has a dismiss button). */
const RESTORE_NOTICE_MS = 10_000
/**
 * A restore older than this when the page opened is history, not news: a page that syncs after opening must not
 * announce a restore of the morning. Generous, because the device's clock is not the server's.
 */
const RESTORE_NEWS_MS = 10 * 60_000

/**
 * What the session's state means for the people on the board (versions SPEC SE1-SE3): while the session is closed a
 * participant's board is read-only (the server undoes their changes anyway) with a notice, the projector shows the
 * closing, the facilitator sees it and can reopen; after a restore, everybody is told which version came back.
 */
export function SessionNotices({ session, restored, role, projector }: { session: SessionState | null; restored: RestoreNotice | null; role: Role; projector: boolean }) {
  const t = useT()
  const editor = useEditor()
  const info = useMeetingInfo()
  const closed = session?.state === 'closed'
  const [reopening, setReopening] = useState(false)
  const [reopenFailed, setReopenFailed] = useState(false)

  useEffect(() => {
    if (projector || role !== 'participant') return
    editor.updateInstanceState({ isReadonly: closed })
    if (closed) {
      // a card being written when the session closes is left, not kept open on a board that refuses it
      editor.setEditingShape(null)
      editor.setCurrentTool('select')
    }
  }, [editor, closed, role, projector])

  const notice = useRestoreNews(restored)

  async function onReopen() {
    if (!info?.accessKey) return
    setReopening(true)
    setReopenFailed(false)
    // Loaded when a facilitator reopens: the versions API (and its schemas) is no part of a participant's board.
    const ok = await import('../versions/versionsApi.ts').then(
      async ({ reopenSession }) => (await reopenSession(info.boardId, info.accessKey!)).ok,
      () => false,
    )
    setReopening(false)
    if (!ok) setReopenFailed(true)
  }

  const closedText = projector ? t('session.closed.projector') : role === 'facilitator' ? t('session.closed.facilitator') : t('session.closed.participant')
  return (
    <div className={`tavolo-session-notices${projector ? ' tavolo-session-notices-large' : ''}`}>
      {notice.shown !== null && (
        <div className="tavolo-session-notice tavolo-restore-notice" role="status" data-testid="restore-notice">
          <span>{t('session.restored', { number: notice.shown.restoredFrom })}</span>
          {!projector && (
            <button type="button" className="tavolo-session-dismiss" onClick={notice.dismiss} aria-label={t('session.dismiss')}>
              ✕
            </button>
          )}
        </div>
      )}
      {closed && (
        <div className="tavolo-session-notice tavolo-session-closed" role="status" data-testid="session-closed">
          <strong>{closedText}</strong>
          {projector && <span>{t('session.closed.projectorNote')}</span>}
          {!projector && role === 'facilitator' && session.version !== null && <span>{t('session.closed.version', { number: session.version })}</span>}
          {!projector && role === 'facilitator' && (
            <button type="button" className="tavolo-vote-button tavolo-vote-primary" disabled={reopening} onClick={() => void onReopen()} data-testid="session-reopen">
              {t('session.reopen')}
            </button>
          )}
          {reopenFailed && <span className="tavolo-vote-error">{t('session.reopenFailed')}</span>}
        </div>
      )}
    </div>
  )
}

/** The restore to announce: one that arrives while the page is open (not the one it found), for a few seconds. */
function useRestoreNews(restored: RestoreNotice | null): { shown: RestoreNotice | null; dismiss(): void } {
  // what the page found when it opened: kept, never updated
  const [opened] = useState(() => ({ at: Date.now(), found: restored?.at ?? null }))
  const [dismissed, setDismissed] = useState<string | null>(null)
  const [expired, setExpired] = useState<string | null>(null)
  const fresh = restored !== null && restored.at !== opened.found && Date.parse(restored.at) > opened.at - RESTORE_NEWS_MS
  const at = fresh ? restored.at : null
  useEffect(() => {
    if (at === null) return
    const timer = setTimeout(() => setExpired(at), RESTORE_NOTICE_MS)
    return () => clearTimeout(timer)
  }, [at])
  const shown = at !== null && at !== dismissed && at !== expired ? restored : null
  return { shown, dismiss: () => setDismissed(at) }
}
