import { lazy, Suspense } from 'react'
import { atom } from 'tldraw'
import { useValue } from 'tldraw'
import { deleteMeeting } from './meetingApi.ts'
import { useMeetingInfo } from './MeetingContext.ts'

/**
 * Set by the facilitator's "Delete the meeting…" menu item: tldraw's menu closes (and unmounts) on select, so the
 * dialog lives in the facilitator chrome, which stays mounted with the board.
 */
export const $deleteMeetingRequested = atom('delete meeting requested', false)

// Loaded when asked for: this module's atom is part of every board page, the dialog only of a facilitator's choice.
const DeleteMeetingDialog = lazy(() => import('./DeleteMeetingDialog.tsx').then((m) => ({ default: m.DeleteMeetingDialog })))

/** The facilitator's delete confirmation on the board. Once erased, the server closes the board with 4410 and the
 *  board shows that notice (TerminalCloseNotice), for the facilitator as for everyone else. */
export function BoardDeleteMeeting() {
  const info = useMeetingInfo()
  const open = useValue($deleteMeetingRequested)
  if (!open || !info?.meeting || !info.accessKey) return null
  const { boardId, accessKey, meeting } = info
  const close = () => {
    $deleteMeetingRequested.set(false)
  }
  return (
    <Suspense fallback={null}>
      <DeleteMeetingDialog meeting={meeting} onDelete={() => deleteMeeting(boardId, accessKey)} onClose={close} onDeleted={close} />
    </Suspense>
  )
}
