import type { CSSProperties } from 'react'
import { useValue } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { usePreferences } from '../identity/PreferencesContext.tsx'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'
import { PrivateRoundPanel } from './PrivateRoundPanel.tsx'
import { SessionNotices } from './SessionNotices.tsx'
import { useBottomClearance } from './useBottomClearance.ts'
import { TimerDisplay } from './TimerDisplay.tsx'
import { useFacilitationDoc } from './useFacilitationDoc.ts'
import { useMyBallot } from './useMyBallot.ts'
import { usePrivateCards } from './usePrivateCards.ts'
import { useServerClock } from './useServerClock.ts'
import { VoteBadges } from './VoteBadges.tsx'
import { VoteBar } from './VoteBar.tsx'
import './facilitation.css'

/**
 * What facilitation shows in front of a meeting board's canvas, for every role and the projector: the shared timer,
 * the current vote's bar and the dots on its cards, the session's closing and the latest restore (SessionNotices), the private round's panel (this device's own cards only). Everything it reads comes from the board document's public
 * facilitation state (written by the server) and, for this device's own dots, from the server.
 */
export function FacilitationLayer({ projector = false }: { projector?: boolean }) {
  const session = useBoardSessionContext()
  const info = useMeetingInfo()
  const { deviceId, name } = usePreferences()
  const { vote, timer, privateRound, session: sessionState, restored } = useFacilitationDoc(session.doc)
  const connected = useValue('connected', () => session.$connection.get().status === 'connected', [session])
  const clock = useServerClock(connected && timer !== null)
  const role = projector ? 'viewer' : session.role
  const ballot = useMyBallot(session.boardId, info?.accessKey ?? null, vote, deviceId, role !== 'viewer')
  const clearance = useBottomClearance()
  const mine = usePrivateCards({ meetingId: session.boardId, accessKey: info?.accessKey ?? null, round: privateRound, voterId: deviceId, name, canWrite: role !== 'viewer', connected })
  return (
    <>
      {vote !== null && <VoteBadges vote={vote} mine={ballot.cardIds} large={projector} />}
      <div
        className={`tavolo-facilitation${projector ? ' tavolo-facilitation-projector' : ''}`}
        // panels start above the toolbar, whatever its height (the phone's «Aggiungi carta» covered the vote results)
        style={clearance === null ? undefined : ({ '--tavolo-bottom-clear': `${clearance}px` } as CSSProperties)}
      >
        {/* T3: no countdown until this device knows the server's clock (within a round trip of connecting) */}
        {timer !== null && clock.known && <TimerDisplay timer={timer} serverNow={clock.now} large={projector} />}
        {privateRound !== null && privateRound.state === 'open' && (
          <PrivateRoundPanel round={privateRound} role={role} meetingId={session.boardId} accessKey={info?.accessKey ?? null} mine={mine} name={name} />
        )}
        {vote !== null && <VoteBar vote={vote} ballot={ballot} role={role} meetingId={session.boardId} accessKey={info?.accessKey ?? null} large={projector} />}
        <SessionNotices session={sessionState} restored={restored} role={role} projector={projector} />
      </div>
    </>
  )
}
