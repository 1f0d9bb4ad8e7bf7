import { createContext, useContext, type ReactNode } from 'react'
import { useValue } from 'tldraw'
import type { LocalPreferences, PreferencesStore } from './localPreferences.ts'

const PreferencesContext = createContext<PreferencesStore | null>(null)

export function PreferencesProvider({ store, children }: { store: PreferencesStore; children: ReactNode }) {
  return <PreferencesContext.Provider value={store}>{children}</PreferencesContext.Provider>
}

export function usePreferencesStore(): PreferencesStore {
  const store = useContext(PreferencesContext)
  if (!store) throw new Error('usePreferencesStore outside <PreferencesProvider>')
  return store
}

/** The current preferences; re-renders when they change. */
export function usePreferences(): LocalPreferences {
  const store = usePreferencesStore()
  return useValue('preferences', () => store.$preferences.get(), [store])
}
