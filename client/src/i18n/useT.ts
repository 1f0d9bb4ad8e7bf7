import { useMemo } from 'react'
import { usePreferences } from '../identity/PreferencesContext.tsx'
import { createTranslate, type Locale, type Translate } from './translate.ts'

/** The translate function for the person's chosen language (Italian unless they picked English). */
export function useT(): Translate {
  const locale = useLocale()
  return useMemo(() => createTranslate(locale), [locale])
}

export function useLocale(): Locale {
  return usePreferences().locale
}
