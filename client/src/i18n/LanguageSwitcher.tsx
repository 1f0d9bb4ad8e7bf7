import { usePreferencesStore } from '../identity/PreferencesContext.tsx'
import { LOCALES, type Locale } from './translate.ts'
import { useLocale, useT } from './useT.ts'

/** A plain select to switch between Italian and English; the choice is remembered. */
export function LanguageSwitcher() {
  const t = useT()
  const locale = useLocale()
  const preferences = usePreferencesStore()
  return (
    <label className="tavolo-language">
      <span className="tavolo-visually-hidden">{t('language.label')}</span>
      <select
        aria-label={t('language.label')}
        value={locale}
        onChange={(e) => preferences.update({ locale: e.target.value as Locale, tldrawLocale: null })}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
