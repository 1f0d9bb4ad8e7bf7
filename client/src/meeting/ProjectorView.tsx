import { useEffect, useRef } from 'react'
import { react, useEditor, useValue, atom, type TLPageId, type TLUserId } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { presenceWording, summarizePresence } from '../board/presenceSummary.ts'
import { useT } from '../i18n/useT.ts'
import { choosePresenter, qrLinkFor, type Presenter } from './leading.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { QrCode } from './QrCode.tsx'
import { useAwarenessStates } from './useAwarenessStates.ts'

/**
 * The projector (viewer key, tldraw with hideUi): large title and participant count, the join QR when the presenter
 * turns it on (leading.ts P3), and the viewport following the presenter (P1).
 *
 * Following uses tldraw's own `startFollowingUser` (smooth chase of the leader's viewport, page changes included).
 * tldraw stops following when the leader's presence record disappears (a reconnect of either side removes and
 * re-adds the awareness states), so a reaction re-starts it whenever the presenter's presence is back and we are not
 * following them: it keeps following after a reconnect, and switches when another facilitator presses "Presenta".
 */
export function ProjectorChrome() {
  const t = useT()
  const info = useMeetingInfo()
  const { awareness, boardId } = useBoardSessionContext()
  const states = useAwarenessStates(awareness)
  const presenter = choosePresenter(states)
  const summary = summarizePresence(states)
  const count = summary.participants + summary.facilitators
  const qrLink = qrLinkFor(presenter, boardId, window.location.origin)
  usePresenterFollowing(presenter)

  return (
    <div className="tavolo-projector" data-testid="projector-chrome">
      <div className="tavolo-projector-top">
        <h1 className="tavolo-projector-title" data-testid="meeting-title">
          {info?.meeting?.title ?? t('projector.untitled')}
        </h1>
        <div className="tavolo-projector-count" data-testid="participant-count" data-count={count} data-facilitators={summary.facilitators}>
          {presenceWording(t, summary)}
        </div>
      </div>
      {presenter === null && (
        <p className="tavolo-projector-waiting" data-testid="projector-waiting">
          {t('projector.waiting')}
        </p>
      )}
      {qrLink !== null && (
        <figure className="tavolo-projector-qr" data-testid="projector-qr">
          <QrCode text={qrLink} size="100%" label={t('share.qrLabel')} />
          <figcaption>{t('projector.qrCaption')}</figcaption>
        </figure>
      )}
      <ProjectorEmptyHint />
    </div>
  )
}

function ProjectorEmptyHint() {
  const t = useT()
  const editor = useEditor()
  const empty = useValue('board empty', () => editor.getCurrentPageShapeIds().size === 0, [editor])
  if (!empty) return null
  return <p className="tavolo-projector-empty">{t('projector.empty')}</p>
}

/** Follows the presenter's viewport (see above); without a presenter, shows the whole board once. */
function usePresenterFollowing(presenter: Presenter | null) {
  const editor = useEditor()
  const presenterUserId = presenter?.userId ?? null
  const $presenter = useRef(atom<string | null>('presenter user id', null)).current
  useEffect(() => {
    $presenter.set(presenterUserId)
  }, [$presenter, presenterUserId])

  useEffect(() => {
    let scheduled: ReturnType<typeof setTimeout> | null = null
    let fittedOnce = false
    const stop = react('projector follows the presenter', () => {
      const userId = $presenter.get()
      const following = editor.getInstanceState().followingUserId
      const leader = userId === null ? undefined : editor.getCollaborators().find((c) => c.userId === userId)
      const pageHasShapes = editor.getCurrentPageShapeIds().size > 0
      // Store writes are deferred out of the reaction (they would re-enter it).
      if (scheduled !== null) clearTimeout(scheduled)
      scheduled = setTimeout(() => {
        scheduled = null
        if (userId === null) {
          if (following !== null) editor.stopFollowingUser()
          if (!fittedOnce && pageHasShapes) {
            fittedOnce = true
            editor.zoomToFit({ animation: { duration: 300 } })
          }
          return
        }
        if (leader && following !== userId) {
          if (leader.currentPageId !== editor.getCurrentPageId() && editor.getPage(leader.currentPageId as TLPageId)) {
            editor.setCurrentPage(leader.currentPageId as TLPageId)
          }
          editor.startFollowingUser(userId as TLUserId)
        }
      }, 0)
    })
    return () => {
      stop()
      if (scheduled !== null) clearTimeout(scheduled)
      editor.stopFollowingUser()
    }
  }, [editor, $presenter])
}
