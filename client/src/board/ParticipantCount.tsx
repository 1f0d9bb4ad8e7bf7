import { useEffect, useState } from 'react'
import { pluralKey } from '../i18n/translate.ts'
import { useT } from '../i18n/useT.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'
import { countParticipants } from './presenceSync.ts'

/** "2 partecipanti": everyone present in awareness except viewers (projector), this person included. */
export function ParticipantCount() {
  const t = useT()
  const { awareness } = useBoardSessionContext()
  const [count, setCount] = useState(() => countParticipants(awareness.getStates()))
  useEffect(() => {
    const update = () => setCount(countParticipants(awareness.getStates()))
    awareness.on('change', update)
    update() // states that arrived before we subscribed
    return () => awareness.off('change', update)
  }, [awareness])
  return (
    <div className="tavolo-chip" data-testid="participant-count" data-count={count}>
      {t(pluralKey('participants', count), { count })}
    </div>
  )
}
