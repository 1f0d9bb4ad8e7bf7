import { describe, expect, test } from 'vitest'
import { presenceNames, presenceWording, summarizePresence } from '../../client/src/board/presenceSummary.ts'
import { createTranslate } from '../../client/src/i18n/translate.ts'

const it = createTranslate('it')
const en = createTranslate('en')

function states(...people: Array<[id: string, name: string, role: string]>): Map<number, Record<string, unknown>> {
  return new Map(people.map(([id, name, role], i) => [i + 1, { user: { id, name, color: '#1c7ed6', role } }]))
}

describe('the participant count says who is there', () => {
  test('"3 partecipanti, 1 conduce"; the projector (viewer) is not counted', () => {
    const summary = summarizePresence(
      states(['f', 'Federica', 'facilitator'], ['a', 'Anna', 'participant'], ['b', 'Bruno', 'participant'], ['c', 'Carla', 'participant'], ['wall', 'Proiettore', 'viewer']),
    )
    expect(summary).toMatchObject({ participants: 3, facilitators: 1 })
    expect(presenceWording(it, summary)).toBe('3 partecipanti, 1 conduce')
    expect(presenceWording(en, summary)).toBe('3 participants, 1 facilitating')
    expect(presenceNames(it, summary)).toBe('Federica (conduce), Anna, Bruno, Carla')
  })

  test('singular, no facilitator, nobody yet, two facilitators', () => {
    expect(presenceWording(it, summarizePresence(states(['a', 'Anna', 'participant'])))).toBe('1 partecipante')
    expect(presenceWording(it, summarizePresence(states(['a', 'Anna', 'participant'], ['b', 'Bruno', 'participant'])))).toBe('2 partecipanti')
    expect(presenceWording(it, summarizePresence(states(['f', 'Federica', 'facilitator'])))).toBe('Nessun partecipante, 1 conduce')
    expect(presenceWording(it, summarizePresence(states(['wall', 'Proiettore', 'viewer'])))).toBe('Nessun partecipante')
    expect(
      presenceWording(it, summarizePresence(states(['f', 'Federica', 'facilitator'], ['g', 'Giorgio', 'facilitator'], ['a', 'Anna', 'participant']))),
    ).toBe('1 partecipante, 2 conducono')
  })

  test('issue 19 item 10: an unnamed page ("…", a page before its name is typed, or a staff page) is no person', () => {
    const summary = summarizePresence(
      states(['a', 'Anna', 'participant'], ['b', 'Bruno', 'participant'], ['c', 'Carla', 'participant'], ['f', 'Federica', 'facilitator'], ['x', '…', 'participant'], ['s', '…', 'facilitator']),
    )
    expect(summary).toMatchObject({ participants: 3, facilitators: 1 })
    expect(presenceNames(it, summary)).toBe('Federica (conduce), Anna, Bruno, Carla')
  })

  test('one name is one person (trimmed, any case), as in the report\'s count', () => {
    const summary = summarizePresence(states(['a1', 'Anna', 'participant'], ['a2', ' anna ', 'participant'], ['b', 'Bruno', 'participant']))
    expect(presenceWording(it, summary)).toBe('2 partecipanti')
  })

  test('two tabs of one person count once', () => {
    const summary = summarizePresence(states(['a', 'Anna', 'participant'], ['a', 'Anna', 'participant'], ['b', 'Bruno', 'participant']))
    expect(presenceWording(it, summary)).toBe('2 partecipanti')
  })
})
