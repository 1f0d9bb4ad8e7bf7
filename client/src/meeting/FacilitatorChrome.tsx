import { useEffect, useState } from 'react'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { VersionsPanel } from '../versions/VersionsPanel.tsx'
import { BoardDeleteMeeting } from './BoardDeleteMeeting.tsx'
import { FacilitatorBar } from './FacilitatorBar.tsx'
import { LandOnContent } from './LandOnContent.tsx'
import { ShareAddressProvider } from './ShareAddress.tsx'
import { SharePanel } from './SharePanel.tsx'
import { openShareFlag } from './shareFlag.ts'

/** The facilitator's board chrome (bar, share panel, versions, delete dialog), in its own chunk (MeetingBoardRoute). */
export function FacilitatorChrome({ boardId }: { boardId: BoardId }) {
  // Read during render, removed once committed: React may render this lazily loaded chrome and discard that render
  // (a suspended tree is prerendered), and a flag removed there would be lost.
  const [shareOpen, setShareOpen] = useState(() => {
    try {
      return window.sessionStorage.getItem(openShareFlag(boardId)) === '1'
    } catch {
      return false
    }
  })
  useEffect(() => {
    try {
      window.sessionStorage.removeItem(openShareFlag(boardId))
    } catch {
      // no session storage: nothing was stored
    }
  }, [boardId])
  const [versionsOpen, setVersionsOpen] = useState(false)
  return (
    <ShareAddressProvider>
      <FacilitatorBar onShare={() => setShareOpen(true)} onVersions={() => setVersionsOpen(true)} />
      <LandOnContent />
      {shareOpen && <SharePanel onClose={() => setShareOpen(false)} />}
      {versionsOpen && <VersionsPanel onClose={() => setVersionsOpen(false)} />}
      <BoardDeleteMeeting />
    </ShareAddressProvider>
  )
}
