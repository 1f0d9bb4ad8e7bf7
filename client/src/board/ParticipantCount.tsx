import { useMemo } from 'react'
import { useT } from '../i18n/useT.ts'
import { useAwarenessStates } from './useAwarenessStates.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'
import { presenceNames, presenceWording, summarizePresence } from './presenceSummary.ts'

/** "3 partecipanti, 1 conduce": everyone present in awareness except viewers (projector), this person included. */
export function ParticipantCount() {
  const t = useT()
  const { awareness } = useBoardSessionContext()
  // useAwarenessStates skips moves of this person's own cursor or view: they change no count.
  const states = useAwarenessStates(awareness)
  const summary = useMemo(() => summarizePresence(states), [states])
  const count = summary.participants + summary.facilitators
  return (
    <div className="tavolo-chip" data-testid="participant-count" data-count={count} data-facilitators={summary.facilitators} title={presenceNames(t, summary)}>
      {presenceWording(t, summary)}
    </div>
  )
}
