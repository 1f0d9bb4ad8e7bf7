import { useEffect, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useT } from '../i18n/useT.ts'
import { lockedShapesOnPage, selectionLockState, toggleSelectionLock, unlockAllOnPage } from './boardLocks.ts'
import { currentFramePosition, goToFrame } from './frames.ts'
import { choosePresenter } from './leading.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { ProjectorCursorsToggle } from './ProjectorCursorsToggle.tsx'
import { useShareAddress } from './ShareAddress.tsx'
import { useAwarenessStates } from '../board/useAwarenessStates.ts'
import { useLeadingControls } from './useLeading.ts'
import { recallPresenting, rememberPresenting } from './presentingMemory.ts'
import { MapsBarGroup } from '../maps/InsertMapControl.tsx'
import { FacilitationBarGroup } from '../facilitation/FacilitationBarGroup.tsx'
import { AppLink } from '../app/AppLink.tsx'
import { processPath } from '../app/routes.ts'
import { $leadBarOpen, FoldedLeadBar, useLeadBarOpen } from './leadBarOpen.tsx'

/** True when a key press belongs to a text field or tldraw's text editing, not to the slide controls. */
function isTyping(editor: ReturnType<typeof useEditor>, target: EventTarget | null): boolean {
  if (editor.getEditingShapeId() !== null) return true
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
}

/**
 * The facilitator's controls, on the left edge: share links, present (the projector follows), QR on the projector,
 * bring everyone here, previous/next frame, lock/unlock the selection. Collapsible (small screens start collapsed).
 */
export function FacilitatorBar({ onShare, onVersions }: { onShare(): void; onVersions?(): void }) {
  const t = useT()
  const editor = useEditor()
  const { awareness, boardId } = useBoardSessionContext()
  const info = useMeetingInfo()
  const states = useAwarenessStates(awareness)
  const leading = useLeadingControls(awareness)
  const open = useLeadBarOpen()
  const [showQr, setShowQr] = useState(() => recallPresenting(tabStorage(), boardId)?.showQr ?? false)
  const [summoned, setSummoned] = useState(false)
  const lockState = useValue('selection lock', () => selectionLockState(editor), [editor])
  const frame = useValue('frame position', () => currentFramePosition(editor), [editor])
  const lockedCount = useValue('locked shapes', () => lockedShapesOnPage(editor).length, [editor])

  const presenter = choosePresenter(states)
  const iPresent = presenter !== null && presenter.clientId === awareness.clientID
  const someoneElse = presenter !== null && !iPresent ? presenter.name : null
  // The projector's QR carries the address participants' phones can reach (participantAddress.ts), as the share panel.
  const { linkFor } = useShareAddress()
  const participantLink = info?.links ? linkFor(info.links.participant) : null

  // P4: after a reload of this tab, present again as before (the projector must not lose the facilitator).
  useEffect(() => {
    const remembered = recallPresenting(tabStorage(), boardId)
    if (remembered && !leading.ownPresenting()) leading.resumePresenting(remembered.since, remembered.showQr, null)
  }, [boardId, leading])

  // Keep what the projector shows in step with the toggle and with a rotated participant link (P3), and remember it (P4).
  useEffect(() => {
    const own = leading.ownPresenting()
    if (!own) return
    leading.updatePresenting(showQr, participantLink)
    rememberPresenting(tabStorage(), boardId, { since: own.since, showQr })
  }, [showQr, participantLink, leading, boardId])

  useEffect(() => {
    if (!summoned) return
    const timer = setTimeout(() => setSummoned(false), 4000)
    return () => clearTimeout(timer)
  }, [summoned])

  // Presentation clickers send PageDown/PageUp: step through frames with them (never while typing).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(editor, e.target)) return
      if (e.key === 'PageDown' || e.key === 'PageUp') {
        e.preventDefault()
        goToFrame(editor, e.key === 'PageDown' ? 1 : -1)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editor])

  if (!open) return <FoldedLeadBar />

  return (
    <nav className="tavolo-lead-bar" aria-label={t('lead.title')} data-testid="lead-bar">
      <div className="tavolo-lead-head">
        <strong>{t('lead.title')}</strong>
        <button type="button" className="tavolo-lead-toggle" onClick={() => $leadBarOpen.set(false)} aria-expanded="true" aria-label={t('lead.close')}>
          ✕
        </button>
      </div>
      <button type="button" className="tavolo-lead-button" onClick={onShare} data-testid="lead-share">
        {t('lead.share')}
      </button>
      {onVersions && (
        <button type="button" className="tavolo-lead-button" onClick={onVersions} data-testid="lead-versions">
          {t('versions.open')}
        </button>
      )}
      {info?.meeting?.processId != null && (
        <AppLink className="tavolo-lead-button" to={processPath(info.meeting.processId, info.accessKey)} data-testid="lead-process">
          {t('process.lead.open')}
        </AppLink>
      )}

      <div className="tavolo-lead-group">
        {iPresent ? (
          <button type="button" className="tavolo-lead-button tavolo-lead-on" aria-pressed="true" onClick={() => {
              leading.stopPresenting()
              rememberPresenting(tabStorage(), boardId, null)
            }} data-testid="lead-present">
            {t('lead.presenting')}
          </button>
        ) : (
          <button
            type="button"
            className="tavolo-lead-button"
            aria-pressed="false"
            onClick={() => {
              leading.startPresenting(showQr, participantLink)
              const own = leading.ownPresenting()
              if (own) rememberPresenting(tabStorage(), boardId, { since: own.since, showQr })
            }}
            data-testid="lead-present"
          >
            {t('lead.present')}
          </button>
        )}
        <p className="tavolo-lead-note" data-testid="lead-present-status">
          {iPresent ? t('lead.presentingHint') : someoneElse !== null ? t('lead.otherPresenting', { name: someoneElse }) : t('lead.presentHint')}
        </p>
        <label className="tavolo-lead-check">
          <input type="checkbox" checked={showQr} onChange={(e) => setShowQr(e.target.checked)} data-testid="lead-qr" />
          {t('lead.showQr')}
        </label>
        <ProjectorCursorsToggle awareness={awareness} />
      </div>

      <div className="tavolo-lead-group">
        <button
          type="button"
          className="tavolo-lead-button"
          onClick={() => {
            leading.summonEveryone(editor)
            setSummoned(true)
          }}
          data-testid="lead-summon"
        >
          {t('lead.summon')}
        </button>
        {summoned && (
          <p className="tavolo-lead-note" role="status">
            {t('lead.summoned')}
          </p>
        )}
      </div>

      <div className="tavolo-lead-group">
        <span className="tavolo-lead-label">
          {frame.total === 0
            ? t('lead.noFrames')
            : frame.position === 0
              ? t('lead.frameNone', { total: frame.total })
              : t('lead.framePosition', { position: frame.position, total: frame.total })}
        </span>
        <div className="tavolo-lead-row">
          <button type="button" className="tavolo-lead-button" disabled={frame.total === 0} onClick={() => goToFrame(editor, -1)} data-testid="lead-prev">
            ◀ {t('lead.prev')}
          </button>
          <button type="button" className="tavolo-lead-button" disabled={frame.total === 0} onClick={() => goToFrame(editor, 1)} data-testid="lead-next">
            {t('lead.next')} ▶
          </button>
        </div>
      </div>

      <div className="tavolo-lead-group">
        <button
          type="button"
          className="tavolo-lead-button"
          disabled={lockState === 'none'}
          onClick={() => toggleSelectionLock(editor)}
          data-testid="lead-lock"
          data-state={lockState}
        >
          {lockState === 'locked' ? t('lead.unlock') : t('lead.lock')}
        </button>
        <p className="tavolo-lead-note">{lockState === 'none' ? t('lead.lockHint') : lockState === 'locked' ? t('lead.unlockHint') : t('lead.lockSelectedHint')}</p>
        {lockedCount > 0 && (
          <button type="button" className="tavolo-lead-button" onClick={() => unlockAllOnPage(editor)} data-testid="lead-unlock-all">
            {t('lead.unlockAll', { count: lockedCount })}
          </button>
        )}
      </div>

      <MapsBarGroup />
      <FacilitationBarGroup />
    </nav>
  )
}

/** This tab's sessionStorage, or null where the browser refuses it. */
function tabStorage(): Storage | null {
  try {
    return window.sessionStorage
  } catch {
    return null
  }
}
