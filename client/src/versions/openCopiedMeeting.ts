import type { ImportMeetingResponse } from '../../../shared/src/versions/versionSchemas.ts'
import { navigate } from '../app/navigation.ts'
import { localPathOf } from '../meeting/meetingApi.ts'
import { openShareFlag } from '../meeting/shareFlag.ts'

/**
 * Opens the facilitator board of a meeting just made from a file or a version, with its share panel open (as after
 * creating a meeting on the home page: the new links must be handed out).
 */
export function openCopiedMeeting(created: ImportMeetingResponse): void {
  try {
    window.sessionStorage.setItem(openShareFlag(created.meeting.id), '1')
  } catch {
    // the panel stays reachable from "Condividi i link"
  }
  navigate(localPathOf(created.links.facilitator))
}
