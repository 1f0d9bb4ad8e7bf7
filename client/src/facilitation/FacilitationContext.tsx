import { createContext, useContext, type ReactNode } from 'react'
import { useValue } from 'tldraw'
import type { PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import type { TimerState } from '../../../shared/src/facilitation/timer.ts'
import type { PublicVote } from '../../../shared/src/facilitation/voteRules.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { usePreferences } from '../identity/PreferencesContext.tsx'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'
import { useFacilitationDoc, type FacilitationState } from './useFacilitationDoc.ts'
import { useMyBallot } from './useMyBallot.ts'
import { usePrivateCards } from './usePrivateCards.ts'

/**
 * One board's facilitation as this device sees it: the public state (vote, timer, private round), this device's dots
 * and its private cards. Held once per board, so the canvas's vote bar and "Testo della lavagna" (the keyboard and
 * screen-reader path) show and change the same ballot and the same cards: two copies would each believe their own
 * dots and send each other's ballot over.
 */
export interface FacilitationSession {
  vote: PublicVote | null
  timer: TimerState | null
  privateRound: PublicPrivateRound | null
  /** The role facilitation acts for: the projector is a viewer whatever its key. */
  role: Role
  meetingId: string
  accessKey: string | null
  connected: boolean
  name: string | null
  ballot: ReturnType<typeof useMyBallot>
  mine: ReturnType<typeof usePrivateCards>
  /** Whether the facilitator closed the session, and the latest restore (versions SPEC SE1-SE3). */
  session: FacilitationState['session']
  restored: FacilitationState['restored']
}

const FacilitationContext = createContext<FacilitationSession | null>(null)

export function FacilitationProvider({ projector = false, children }: { projector?: boolean; children: ReactNode }) {
  const session = useBoardSessionContext()
  const info = useMeetingInfo()
  const { deviceId, name } = usePreferences()
  const { vote, timer, privateRound, session: sessionState, restored } = useFacilitationDoc(session.doc)
  const connected = useValue('connected', () => session.$connection.get().status === 'connected', [session])
  const role: Role = projector ? 'viewer' : session.role
  const accessKey = info?.accessKey ?? null
  const ballot = useMyBallot(session.boardId, accessKey, vote, deviceId, role !== 'viewer')
  const mine = usePrivateCards({ meetingId: session.boardId, accessKey, round: privateRound, voterId: deviceId, name, canWrite: role !== 'viewer', connected })
  const value: FacilitationSession = { vote, timer, privateRound, role, meetingId: session.boardId, accessKey, connected, name, ballot, mine, session: sessionState, restored }
  return <FacilitationContext.Provider value={value}>{children}</FacilitationContext.Provider>
}

/** The board's facilitation (null outside a FacilitationProvider, e.g. a board without meetings). */
export function useFacilitation(): FacilitationSession | null {
  return useContext(FacilitationContext)
}
