import { useEffect, useRef, useState } from 'react'
import { useEditor } from 'tldraw'
import type { TLPageId } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useT } from '../i18n/useT.ts'
import { summonsToApply } from './leading.ts'
import { useAwarenessStates } from '../board/useAwarenessStates.ts'
import { showToFollower } from './showToFollower.ts'

/**
 * Participants: "Porta tutti da me" (leading.ts S1). Each new summon of a facilitator moves this viewport once,
 * with a short animation and a note saying why the view moved; afterwards the person may move away freely.
 */
export function SummonReceiver() {
  const t = useT()
  const editor = useEditor()
  const { awareness } = useBoardSessionContext()
  const states = useAwarenessStates(awareness)
  const seen = useRef(new Map<number, string>())
  const [note, setNote] = useState(false)

  useEffect(() => {
    const { apply, seen: next } = summonsToApply(states, seen.current, awareness.clientID)
    seen.current = next
    const summon = apply.at(-1)
    if (!summon) return
    editor.stopFollowingUser()
    const pageId = summon.pageId as TLPageId
    if (pageId !== editor.getCurrentPageId() && editor.getPage(pageId)) editor.setCurrentPage(pageId)
    // What the facilitator shows, fitted to this screen and readable (followerView.ts V1–V3).
    showToFollower(editor, summon.bounds)
    setNote(true)
  }, [states, awareness, editor])

  useEffect(() => {
    if (!note) return
    const timer = setTimeout(() => setNote(false), 5000)
    return () => clearTimeout(timer)
  }, [note])

  if (!note) return null
  return (
    <div className="tavolo-toast" role="status" data-testid="summoned-note">
      {t('lead.summonedHere')}
    </div>
  )
}
