import { useCallback, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { FACILITATION_MAP, readPublicVote, TIMER_KEY, VOTE_KEY } from '../../../shared/src/facilitation/facilitationDoc.ts'
import { PRIVATE_KEY, readPrivateRound, type PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import { readRestoreNotice, readSessionState, RESTORED_KEY, SESSION_KEY, type RestoreNotice, type SessionState } from '../../../shared/src/facilitation/session.ts'
import { readTimerState, type TimerState } from '../../../shared/src/facilitation/timer.ts'
import type { PublicVote } from '../../../shared/src/facilitation/voteRules.ts'

export interface FacilitationState {
  vote: PublicVote | null
  timer: TimerState | null
  /** The current private round ("Scrittura individuale"): its state only, never a card. */
  privateRound: PublicPrivateRound | null
  /** The session as the facilitator left it (null: never closed, i.e. open). */
  session: SessionState | null
  /** The latest restore of a version, for the notice. */
  restored: RestoreNotice | null
}

/** The facilitation state the server keeps in the board document (vote, timer, private round, session, latest restore), re-read when it changes. */
export function useFacilitationDoc(doc: Y.Doc): FacilitationState {
  const cache = useRef<FacilitationState | null>(null)
  const read = useCallback((): FacilitationState => {
    const map = doc.getMap<unknown>(FACILITATION_MAP)
    return {
      vote: readPublicVote(map.get(VOTE_KEY)),
      timer: readTimerState(map.get(TIMER_KEY)),
      privateRound: readPrivateRound(map.get(PRIVATE_KEY)),
      session: readSessionState(map.get(SESSION_KEY)),
      restored: readRestoreNotice(map.get(RESTORED_KEY)),
    }
  }, [doc])
  const subscribe = useCallback(
    (onChange: () => void) => {
      const map = doc.getMap<unknown>(FACILITATION_MAP)
      const observer = () => {
        cache.current = read()
        onChange()
      }
      map.observe(observer)
      return () => map.unobserve(observer)
    },
    [doc, read],
  )
  return useSyncExternalStore(subscribe, () => (cache.current ??= read()))
}
