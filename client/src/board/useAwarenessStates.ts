import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { onlyOwnPresenceMoved, type AwarenessChange } from './awarenessChanges.ts'

/**
 * The awareness states of the room, re-read on every change (including the states present before subscribing),
 * except a move of this person's own cursor or view, which changes nothing its readers show (awarenessChanges.ts).
 */
export function useAwarenessStates(awareness: Awareness): Map<number, Record<string, unknown>> {
  const [states, setStates] = useState(() => new Map(awareness.getStates()))
  useEffect(() => {
    let last = new Map(awareness.getStates())
    const update = (change?: AwarenessChange) => {
      const own = awareness.getLocalState() ?? undefined
      if (change && onlyOwnPresenceMoved(change, awareness.clientID, last.get(awareness.clientID), own)) return
      last = new Map(awareness.getStates())
      setStates(last)
    }
    awareness.on('change', update)
    update()
    return () => awareness.off('change', update)
  }, [awareness])
  return states
}
