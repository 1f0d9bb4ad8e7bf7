import { describe, expect, test } from 'vitest'
import { it as itCatalog } from '../../client/src/i18n/it.ts'
import { en } from '../../client/src/i18n/en.ts'
import { createTranslate, pluralKey, toLocale } from '../../client/src/i18n/translate.ts'

describe('i18n catalogs', () => {
  test('Italian and English have exactly the same keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(itCatalog).sort())
    for (const [key, text] of [...Object.entries(itCatalog), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('')
    }
  })

  test('both languages use the same placeholders for every key', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(itCatalog) as (keyof typeof itCatalog)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(itCatalog[key]))
    }
  })

  test('translate fills placeholders and picks plural forms', () => {
    const t = createTranslate('it')
    expect(t(pluralKey('participants', 2), { count: 2 })).toBe('2 partecipanti')
    expect(t(pluralKey('participants', 1), { count: 1 })).toBe('1 partecipante')
    expect(createTranslate('en')(pluralKey('participants', 3), { count: 3 })).toBe('3 participants')
  })

  test('unknown locales fall back to English, Italian variants to Italian, nothing to Italian', () => {
    expect(toLocale('it-CH')).toBe('it')
    expect(toLocale('fr')).toBe('en')
    expect(toLocale(null)).toBe('it')
  })
})
