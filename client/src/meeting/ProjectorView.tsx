import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { createPortal } from 'react-dom'
import { react, useEditor, useValue, type TLPageId, type TLUserId } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { presenceWording, summarizePresence } from '../board/presenceSummary.ts'
import { useT } from '../i18n/useT.ts'
import { orderedFramesOnPage } from './frames.ts'
import { followerCamera, presentedFrame } from './followerView.ts'
import { chooseLanding, viewportOfPresence } from './landing.ts'
import { choosePresenter, qrLinkFor, type Presenter } from './leading.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { readProjectorCursors, setShowsCollaborators } from './projectorCollaborators.tsx'
import { QrCode } from './QrCode.tsx'
import { useAwarenessStates } from '../board/useAwarenessStates.ts'
import { useMeetingDetailsRefresh } from './useMeetingDetailsRefresh.ts'
import { useValueAtom } from './useValueAtom.ts'
import './workshop.css'

/**
 * The projector (viewer key, tldraw with hideUi): large title and participant count, the join QR when the presenter
 * turns it on (leading.ts P3), and the viewport following the presenter (P1).
 *
 * Title, count and QR never cover what is presented: they sit in a header strip and (with the QR) a column on the
 * right, and the board's canvas is made smaller by exactly their size (CSS variables set from their measured size),
 * so tldraw fits the presenter's view, or the first frame, inside the free area.
 *
 * Following uses tldraw's own `startFollowingUser` (smooth chase of the leader's viewport, page changes included).
 * tldraw stops following when the leader's presence record disappears (a reconnect of either side removes and
 * re-adds the awareness states), so a reaction re-starts it whenever the presenter's presence is back and we are not
 * following them: it keeps following after a reconnect, and switches when another facilitator presses "Presenta".
 */
export function ProjectorChrome() {
  const t = useT()
  const info = useMeetingInfo()
  const editor = useEditor()
  const { awareness, boardId } = useBoardSessionContext()
  const states = useAwarenessStates(awareness)
  const presenter = choosePresenter(states)
  const summary = summarizePresence(states)
  const count = summary.participants + summary.facilitators
  const qrLink = qrLinkFor(presenter, boardId, window.location.origin)
  const showCursors = presenter !== null && readProjectorCursors(states.get(presenter.clientId))
  const follows = usePresenterFollowing(presenter)
  useMeetingDetailsRefresh()
  const topRef = useRef<HTMLDivElement>(null)
  const qrRef = useRef<HTMLElement>(null)
  useReservedSpace(topRef, qrRef, qrLink !== null)

  useEffect(() => {
    setShowsCollaborators(editor, showCursors)
  }, [editor, showCursors])

  return (
    <>
      {createPortal(
        // The wall's banner landmark (title, count, QR), beside the board's <main>.
        <header className="tavolo-projector" data-testid="projector-chrome" data-cursors={showCursors ? 'on' : 'off'} data-follows={follows}>
          <div className="tavolo-projector-top" ref={topRef} data-testid="projector-top">
            <div className="tavolo-projector-heading">
              <h1 className="tavolo-projector-title" data-testid="meeting-title">
                {info?.meeting?.title ?? t('projector.untitled')}
              </h1>
              {presenter === null && (
                <p className="tavolo-projector-waiting" data-testid="projector-waiting">
                  {t('projector.waiting')}
                </p>
              )}
            </div>
            <div className="tavolo-projector-count" data-testid="participant-count" data-count={count} data-facilitators={summary.facilitators}>
              {presenceWording(t, summary)}
            </div>
          </div>
          {qrLink !== null && (
            <figure className="tavolo-projector-qr" data-testid="projector-qr" ref={qrRef}>
              <QrCode text={qrLink} size="100%" label={t('share.qrLabel')} />
              <figcaption>{t('projector.qrCaption')}</figcaption>
            </figure>
          )}
        </header>,
        document.body,
      )}
      <ProjectorEmptyHint />
    </>
  )
}

/** Makes the board's canvas leave room for the header strip and the QR column (see ProjectorChrome). */
function useReservedSpace(topRef: RefObject<HTMLElement | null>, qrRef: RefObject<HTMLElement | null>, qrShown: boolean) {
  useLayoutEffect(() => {
    const root = document.documentElement
    root.classList.add('tavolo-projector-page')
    const measure = () => {
      const top = topRef.current?.getBoundingClientRect().bottom ?? 0
      const qr = qrShown && qrRef.current ? window.innerWidth - qrRef.current.getBoundingClientRect().left : 0
      root.style.setProperty('--tavolo-projector-top', `${Math.ceil(top)}px`)
      root.style.setProperty('--tavolo-projector-right', `${Math.ceil(qr)}px`)
    }
    measure()
    const observer = new ResizeObserver(measure)
    if (topRef.current) observer.observe(topRef.current)
    if (qrRef.current) observer.observe(qrRef.current)
    window.addEventListener('resize', measure)
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', measure)
      root.style.removeProperty('--tavolo-projector-top')
      root.style.removeProperty('--tavolo-projector-right')
      root.classList.remove('tavolo-projector-page')
    }
  }, [topRef, qrRef, qrShown])
}

function ProjectorEmptyHint() {
  const t = useT()
  const editor = useEditor()
  const empty = useValue('board empty', () => editor.getCurrentPageShapeIds().size === 0, [editor])
  if (!empty) return null
  return <p className="tavolo-projector-empty">{t('projector.empty')}</p>
}

/**
 * What the wall shows of the presenter (`data-follows` on the projector's chrome): the frame they present, fitted
 * to the wall (followerView.ts V1); their view, followed by tldraw; or nothing (no presenter, or their presence is
 * gone until they reconnect).
 */
type Follows = 'frame' | 'presenter' | 'none'

/** Room around a presented frame on the wall (CSS px): enough to see its edge, no more. */
const FRAME_INSET = 16

/**
 * Follows the presenter's viewport (see above). Without a presenter, lands once on the board's content (landing.ts:
 * the first frame, else everything), never on an empty corner.
 */
function usePresenterFollowing(presenter: Presenter | null): Follows {
  const editor = useEditor()
  const [follows, setFollows] = useState<Follows>('none')
  const presenterUserId = presenter?.userId ?? null
  const $presenter = useValueAtom('presenter user id', presenterUserId)

  useEffect(() => {
    let scheduled: ReturnType<typeof setTimeout> | null = null
    let landedOn: string | null = null
    let fittedTo: string | null = null
    const stop = react('projector follows the presenter', () => {
      const userId = $presenter.get()
      const following = editor.getInstanceState().followingUserId
      const leader = userId === null ? undefined : editor.getCollaborators().find((c) => c.userId === userId)
      const first = orderedFramesOnPage(editor)[0]
      const content = editor.getCurrentPageBounds() ?? null
      const landing = chooseLanding({ presenter: null, firstFrame: first?.bounds ?? null, content })
      const view = leader ? viewportOfPresence(leader) : null
      const frame = view === null ? null : presentedFrame(orderedFramesOnPage(editor), view)
      const screen = editor.getViewportScreenBounds()
      // Store writes are deferred out of the reaction (they would re-enter it).
      if (scheduled !== null) clearTimeout(scheduled)
      scheduled = setTimeout(() => {
        scheduled = null
        if (userId === null) {
          setFollows('none')
          if (following !== null) editor.stopFollowingUser()
          // Land again only when there is a better place (the first frame appeared), not on every edit.
          const key = landing === null ? null : landing.kind === 'frame' ? `frame ${first?.id}` : 'content'
          if (landing !== null && key !== landedOn && !(landedOn?.startsWith('frame') && landing.kind === 'content')) {
            landedOn = key
            editor.zoomToBounds(landing.bounds, { inset: 48, targetZoom: 1, animation: { duration: 300 } })
          }
          return
        }
        landedOn = null
        if (!leader) {
          setFollows('none')
          return
        }
        if (leader.currentPageId !== editor.getCurrentPageId() && editor.getPage(leader.currentPageId as TLPageId)) {
          editor.setCurrentPage(leader.currentPageId as TLPageId)
          return
        }
        // The presenter shows a frame (followerView.ts V1): the wall fits that frame to its own free area, as large
        // as it goes; copying the presenter's view would also copy the room their panels take on their laptop.
        if (frame !== null) {
          setFollows('frame')
          const key = `${frame.id} ${frame.bounds.x} ${frame.bounds.y} ${frame.bounds.w} ${frame.bounds.h} ${screen.w}x${screen.h}`
          if (following !== null) editor.stopFollowingUser()
          if (key !== fittedTo) {
            fittedTo = key
            const area = { x: FRAME_INSET, y: FRAME_INSET, w: screen.w - 2 * FRAME_INSET, h: screen.h - 2 * FRAME_INSET }
            editor.setCamera(followerCamera({ region: frame.bounds, area, textPageSize: 0 }), { animation: { duration: 450 } })
          }
          return
        }
        fittedTo = null
        setFollows('presenter')
        if (following !== userId) editor.startFollowingUser(userId as TLUserId)
      }, 0)
    })
    return () => {
      stop()
      if (scheduled !== null) clearTimeout(scheduled)
      editor.stopFollowingUser()
    }
  }, [editor, $presenter])
  return follows
}
