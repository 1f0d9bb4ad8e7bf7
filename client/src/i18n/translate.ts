import { it, type MessageKey } from './it.ts'
import { en } from './en.ts'

export type Locale = 'it' | 'en'
export const LOCALES: readonly Locale[] = ['it', 'en']
export const DEFAULT_LOCALE: Locale = 'it'

export const catalogs: Record<Locale, Record<MessageKey, string>> = { it, en }

export type Vars = Record<string, string | number>
export type Translate = (key: MessageKey, vars?: Vars) => string

/** Returns a translate function for a locale: looks the key up and fills {placeholders}. Pure. */
export function createTranslate(locale: Locale): Translate {
  const catalog = catalogs[locale]
  return (key, vars) => {
    const text = catalog[key]
    if (!vars) return text
    return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match))
  }
}

/** Picks the `.one` or `.other` form of a counted message (Italian and English share these two forms). */
export function pluralKey<K extends string>(base: K, count: number): `${K}.one` | `${K}.other` {
  return count === 1 ? `${base}.one` : `${base}.other`
}

/** Maps any locale tag (from tldraw's menu, the browser, storage) to one of ours; unknown ones become English. */
export function toLocale(tag: string | null | undefined): Locale {
  if (!tag) return DEFAULT_LOCALE
  return tag.toLowerCase().startsWith('it') ? 'it' : 'en'
}
