import { parseBoardId } from '../../../shared/src/boardId.ts'
import { readFragmentKey, versionsPath } from '../app/routes.ts'

/**
 * The versions page of a meeting from the staff list: opened with the facilitator key its facilitator link carries
 * (staff can open that link anyway), so restore and copy work there too.
 */
export function versionsLinkFor(meetingId: string, facilitatorLink: string): string {
  let key: string | null
  try {
    key = readFragmentKey(new URL(facilitatorLink, window.location.origin).hash)
  } catch {
    key = null
  }
  const boardId = parseBoardId(meetingId)
  return boardId ? versionsPath(boardId, key, { kind: 'list' }) : '/'
}
