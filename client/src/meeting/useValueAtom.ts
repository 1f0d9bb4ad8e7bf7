import { useEffect, useState } from 'react'
import { atom, type Atom } from 'tldraw'

/**
 * A tldraw atom that follows a React value (set once the render that changed it commits), for tldraw reactions
 * started in an effect to read without restarting on every change. Made once per mounted component.
 */
export function useValueAtom<T>(name: string, value: T): Atom<T> {
  const [valueAtom] = useState(() => atom<T>(name, value))
  useEffect(() => {
    valueAtom.set(value)
  }, [valueAtom, value])
  return valueAtom
}
