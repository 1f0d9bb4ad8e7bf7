import { describe, expect, it } from 'vitest'
import { copiedMeetingText } from '../../shared/src/meetings/meetingCopy.ts'
import { DESCRIPTION_MAX, TITLE_MAX } from '../../shared/src/meetings/meetingSchemas.ts'

const NOW = new Date('2026-12-05T23:30:00Z') // already 6 December in Rome

describe('issue 19 item 12: a copied meeting is told apart from its source', () => {
  it('the title says copy and the day (in Rome); the description names the source, then keeps the old one', () => {
    const source = { title: 'Laboratorio', reference: 'par-MEET-2025-09-622', description: 'Secondo incontro.', kind: 'version' as const, version: 3 }
    expect(copiedMeetingText(source, NOW)).toEqual({
      title: 'Laboratorio (copia del 6/12/2026)',
      description: 'Copia di «Laboratorio» (par-MEET-2025-09-622), versione 3, il 6/12/2026.\n\nSecondo incontro.',
    })
    expect(copiedMeetingText({ title: 'Laboratorio', reference: null, description: null, kind: 'import' }, NOW).description).toBe(
      'Importata da un file di «Laboratorio», il 6/12/2026.',
    )
  })

  it('stays within the fields\' limits', () => {
    const long = copiedMeetingText({ title: 't'.repeat(TITLE_MAX), reference: null, description: 'd'.repeat(DESCRIPTION_MAX), kind: 'import' }, NOW)
    expect(long.title.length).toBe(TITLE_MAX)
    expect(long.title.endsWith('(copia del 6/12/2026)')).toBe(true)
    expect(long.description.length).toBe(DESCRIPTION_MAX)
  })
})
