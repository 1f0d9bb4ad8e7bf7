import { useEffect } from 'react'
import { react, useEditor, type TLEventInfo, type TLPageId } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { orderedFramesOnPage } from './frames.ts'
import { LANDING_RANK, chooseLanding, viewportOfPresence, type Landing } from './landing.ts'
import { choosePresenter } from './leading.ts'
import { useAwarenessStates } from '../board/useAwarenessStates.ts'
import { useValueAtom } from './useValueAtom.ts'
import { showToFollower } from './showToFollower.ts'

// Arrival: what reaches the board in its first seconds (the server's copy, the presenter's presence) still moves
// the view; after that, or once the person pans, zooms, clicks or changes a shape, the view is theirs.
const ARRIVAL_MS = 6000

/**
 * A person arriving lands on the board's content, never on an empty corner (landing.ts): the presenting
 * facilitator's view, else the first frame, else everything. A better target arriving a moment later (the presenter's
 * presence after the board) moves the view once more.
 */
export function LandOnContent() {
  const editor = useEditor()
  const { awareness } = useBoardSessionContext()
  const states = useAwarenessStates(awareness)
  const presenter = choosePresenter(states)
  const presenterUserId = presenter && presenter.clientId !== awareness.clientID ? presenter.userId : null
  const $presenter = useValueAtom('landing presenter', presenterUserId)

  useEffect(() => {
    const openedAt = Date.now()
    let landedRank = 0
    let touched = false
    let scheduled: ReturnType<typeof setTimeout> | null = null
    const onEvent = (info: TLEventInfo) => {
      if ((info.type === 'pointer' && info.name === 'pointer_down') || info.type === 'wheel' || info.type === 'pinch') touched = true
    }
    editor.on('event', onEvent)
    // A person who already made or changed a shape (a facilitator inserting a map from the bar, whose own zoom
    // follows) has taken the view: arrival must not move it again. Side effects run inside the change, before the
    // reaction below sees the new shape (a store listener would only hear of it a frame later).
    const onLocalShape = (_shape: unknown, source: 'user' | 'remote') => {
      if (source === 'user') touched = true
    }
    const stopCreate = editor.sideEffects.registerAfterCreateHandler('shape', onLocalShape)
    const stopChange = editor.sideEffects.registerAfterChangeHandler('shape', (_prev, next, source) => onLocalShape(next, source))
    const stopListening = () => {
      stopCreate()
      stopChange()
    }
    const stop = react('land on content', () => {
      const userId = $presenter.get()
      const leader = userId === null ? undefined : editor.getCollaborators().find((c) => c.userId === userId)
      const frames = orderedFramesOnPage(editor)
      const content = editor.getCurrentPageBounds()
      const target = chooseLanding({
        presenter: leader ? withPage(viewportOfPresence(leader), leader.currentPageId) : null,
        firstFrame: frames[0]?.bounds ?? null,
        content: content ? { x: content.x, y: content.y, w: content.w, h: content.h } : null,
      })
      if (touched || target === null || Date.now() - openedAt > ARRIVAL_MS || LANDING_RANK[target.kind] <= landedRank) return
      landedRank = LANDING_RANK[target.kind]
      // Camera writes are deferred out of the reaction (they would re-enter it).
      if (scheduled !== null) clearTimeout(scheduled)
      scheduled = setTimeout(() => {
        scheduled = null
        if (!touched) land(editor, target)
      }, 0)
    })
    return () => {
      stop()
      stopListening()
      editor.off('event', onEvent)
      if (scheduled !== null) clearTimeout(scheduled)
    }
  }, [editor, $presenter])
  return null
}

function withPage(bounds: ReturnType<typeof viewportOfPresence>, pageId: string) {
  return bounds === null ? null : { bounds, pageId }
}

function land(editor: ReturnType<typeof useEditor>, target: Landing) {
  if (target.kind === 'presenter') {
    const pageId = target.pageId as TLPageId
    if (pageId !== editor.getCurrentPageId() && editor.getPage(pageId)) editor.setCurrentPage(pageId)
    // The presented frame fitted to THIS screen, readable (followerView.ts V1–V3), not the presenter's zoom.
    showToFollower(editor, target.bounds)
    return
  }
  // A lone note is shown at its size, not blown up to fill a phone.
  editor.zoomToBounds(target.bounds, { inset: 48, targetZoom: 1, animation: { duration: 300 } })
}
