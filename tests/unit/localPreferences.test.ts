import { memoryStorage } from '../helpers/fixtures.ts'
import { describe, expect, test } from 'vitest'
import {
  PREFERENCES_STORAGE_KEY,
  PRESENCE_COLORS,
  colorForUserId,
  createPreferencesStore,
  normalizeName,
  readPreferences,
} from '../../client/src/identity/localPreferences.ts'

describe('local preferences', () => {
  test('first visit: a new id, no name (so the dialog asks), Italian, a stable colour from the palette', () => {
    const p = readPreferences(memoryStorage())
    expect(p.name).toBeNull()
    expect(p.locale).toBe('it')
    expect(PRESENCE_COLORS).toContain(p.color)
    expect(colorForUserId(p.userId)).toBe(p.color)
  })

  test('the name and language are remembered across visits', () => {
    const storage = memoryStorage()
    const store = createPreferencesStore(storage)
    store.update({ name: 'Maria', locale: 'en' })
    const again = readPreferences(storage)
    expect(again).toMatchObject({ name: 'Maria', locale: 'en', userId: store.$preferences.get().userId })
  })

  test('broken or hostile stored data is replaced, never trusted', () => {
    expect(readPreferences(memoryStorage({ [PREFERENCES_STORAGE_KEY]: '{not json' })).name).toBeNull()
    const p = readPreferences(
      memoryStorage({ [PREFERENCES_STORAGE_KEY]: JSON.stringify({ userId: 'abcdefgh12', name: 'x'.repeat(500), locale: 'fr' }) }),
    )
    expect(p.userId).toBe('abcdefgh12')
    expect(p.name).toBeNull()
    expect(p.locale).toBe('it')
  })

  test('names are trimmed, collapsed and capped; blank means no name', () => {
    expect(normalizeName('  Maria   Rossi ')).toBe('Maria Rossi')
    expect(normalizeName('   ')).toBeNull()
    expect(normalizeName('y'.repeat(100))).toHaveLength(40)
  })
})
