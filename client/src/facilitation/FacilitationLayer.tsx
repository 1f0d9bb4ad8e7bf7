import type { CSSProperties } from 'react'
import { PrivateRoundPanel } from './PrivateRoundPanel.tsx'
import { SessionNotices } from './SessionNotices.tsx'
import { useBottomClearance } from './useBottomClearance.ts'
import { TimerDisplay } from './TimerDisplay.tsx'
import { useFacilitation } from './FacilitationContext.tsx'
import { useServerClock } from './useServerClock.ts'
import { VoteBadges } from './VoteBadges.tsx'
import { VoteBar } from './VoteBar.tsx'
import './facilitation.css'

/**
 * What facilitation shows in front of a meeting board's canvas, for every role and the projector: the shared timer,
 * the current vote's bar and the dots on its cards, the session's closing and the latest restore (SessionNotices), the
 * private round's panel (this device's own cards only). Everything it reads comes from the board document's public
 * facilitation state (written by the server) and, for this device's own dots, from the server (FacilitationContext.tsx).
 */
export function FacilitationLayer({ projector = false }: { projector?: boolean }) {
  const f = useFacilitation()
  const clock = useServerClock(f !== null && f.connected && f.timer !== null)
  const clearance = useBottomClearance()
  if (f === null) return null
  const { vote, timer, privateRound, role, meetingId, accessKey, ballot, mine, name, session, restored } = f
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
          <PrivateRoundPanel round={privateRound} role={role} meetingId={meetingId} accessKey={accessKey} mine={mine} name={name} />
        )}
        {vote !== null && <VoteBar vote={vote} ballot={ballot} role={role} meetingId={meetingId} accessKey={accessKey} large={projector} />}
        <SessionNotices session={session} restored={restored} role={role} projector={projector} />
      </div>
    </>
  )
}
