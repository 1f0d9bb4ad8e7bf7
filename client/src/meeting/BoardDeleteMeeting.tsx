import { atom } from 'tldraw'
import { useValue } from 'tldraw'
import { DeleteMeetingDialog } from './DeleteMeetingDialog.tsx'
import { deleteMeeting } from './meetingApi.ts'
import { useMeetingInfo } from './MeetingContext.ts'

/**
 * Set by the facilitator's "Delete the meeting…" menu item: tldraw's menu closes (and unmounts) on select, so the
 * dialog lives in the facilitator chrome, which stays mounted with the board.
 */
export const $deleteMeetingRequested = atom('delete meeting requested', false)

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
  return <DeleteMeetingDialog title={meeting.title} onDelete={() => deleteMeeting(boardId, accessKey)} onClose={close} onDeleted={close} />
}
