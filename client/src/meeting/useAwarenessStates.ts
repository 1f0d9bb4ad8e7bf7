import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'

/** The awareness states of the room, re-read on every change (including the states present before subscribing). */
export function useAwarenessStates(awareness: Awareness): Map<number, Record<string, unknown>> {
  const [states, setStates] = useState(() => new Map(awareness.getStates()))
  useEffect(() => {
    const update = () => setStates(new Map(awareness.getStates()))
    awareness.on('change', update)
    update()
    return () => awareness.off('change', update)
  }, [awareness])
  return states
}
