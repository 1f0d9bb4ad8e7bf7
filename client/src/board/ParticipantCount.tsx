import { useEffect, useState } from 'react'
import { useT } from '../i18n/useT.ts'
import { onlyOwnPresenceMoved, type AwarenessChange } from './awarenessChanges.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'
import { presenceNames, presenceWording, summarizePresence } from './presenceSummary.ts'

/** "3 partecipanti, 1 conduce": everyone present in awareness except viewers (projector), this person included. */
export function ParticipantCount() {
  const t = useT()
  const { awareness } = useBoardSessionContext()
  const [summary, setSummary] = useState(() => summarizePresence(awareness.getStates()))
  useEffect(() => {
    let own = awareness.getLocalState() ?? undefined
    const update = (change?: AwarenessChange) => {
      const now = awareness.getLocalState() ?? undefined
      const moved = change !== undefined && onlyOwnPresenceMoved(change, awareness.clientID, own, now)
      own = now
      // A move of this person's own cursor or view changes no count.
      if (!moved) setSummary(summarizePresence(awareness.getStates()))
    }
    awareness.on('change', update)
    update() // states that arrived before we subscribed
    return () => awareness.off('change', update)
  }, [awareness])
  const count = summary.participants + summary.facilitators
  return (
    <div className="tavolo-chip" data-testid="participant-count" data-count={count} data-facilitators={summary.facilitators} title={presenceNames(t, summary)}>
      {presenceWording(t, summary)}
    </div>
  )
}
