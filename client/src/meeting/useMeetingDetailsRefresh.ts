import { useEffect, useRef } from 'react'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { readAwarenessUser } from '../board/presenceSync.ts'
import { browserStorage } from '../identity/localPreferences.ts'
import { writeCachedMeeting } from './meetingDetailCache.ts'
import { getMeeting } from './meetingApi.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { useAwarenessStates } from '../board/useAwarenessStates.ts'

/**
 * After a facilitator saves the meeting's details, their awareness says `meetingUpdatedAt` (the meeting's new
 * `updatedAt`); everyone else on the board reads the details again with their own key, so headers, the projector's
 * title and tab titles change for everybody at once. Only facilitators' states count (roles are stamped by the
 * server, sync R7): a participant cannot make the room fetch in a loop.
 */
export const MEETING_UPDATED_FIELD = 'meetingUpdatedAt'

export function useMeetingDetailsRefresh(): void {
  const info = useMeetingInfo()
  const { awareness } = useBoardSessionContext()
  const states = useAwarenessStates(awareness)
  const fetched = useRef<string | null>(null)
  const known = info?.meeting?.updatedAt ?? null
  let newest: string | null = null
  for (const [clientId, state] of states) {
    if (clientId === awareness.clientID || readAwarenessUser(state)?.role !== 'facilitator') continue
    const at = state[MEETING_UPDATED_FIELD]
    if (typeof at === 'string' && at.length <= 40 && (newest === null || Date.parse(at) > Date.parse(newest))) newest = at
  }
  const stale = newest !== null && known !== null && Date.parse(newest) > Date.parse(known) ? newest : null

  useEffect(() => {
    if (stale === null || fetched.current === stale || !info?.accessKey) return
    fetched.current = stale
    const { boardId, accessKey, role, setMeeting } = info
    const controller = new AbortController()
    getMeeting(boardId, accessKey, controller.signal).then(
      (result) => {
        if (!result.ok) return
        writeCachedMeeting(browserStorage(), boardId, accessKey, result.value.meeting, role)
        setMeeting(result.value.meeting)
      },
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [stale, info])
}
