// Checks client/src/maps/SPEC.md C10: what others changed is counted per map, cards only.
import { describe, expect, test } from 'vitest'
import { countCardChanges } from '../../client/src/maps/changeAnnouncements.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'
import { instantiateTemplate } from '../../shared/src/maps/instantiate.ts'
import { BoardIndex } from '../../shared/src/maps/meaning.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'

let n = 0
const records = instantiateTemplate(getTemplate('actors')!, { x: 0, y: 0, locale: 'it', makeId: () => `shape:s${n++}` })
const frame = records[0]!
const part = records[1]!
const note = (id: string, parentId: string, x = 600) => noteRecord({ id, parentId, x, y: 400, text: id, order: 1 })
const a = note('shape:a', String(frame.id))
const b = note('shape:b', String(frame.id))
const loose = note('shape:loose', 'page:page', 9000)

describe('countCardChanges (C10)', () => {
  const index = new BoardIndex([...records, a, b, loose])

  test('per map: added, changed and removed cards; the map structure is not a card', () => {
    expect(countCardChanges({ added: [a, b, loose], updated: [part], removed: [] }, index)).toEqual([
      { frameId: frame.id, added: 2, changed: 0, removed: 0 },
      { frameId: null, added: 1, changed: 0, removed: 0 },
    ])
    expect(countCardChanges({ added: [], updated: [a], removed: [b] }, index)).toEqual([{ frameId: frame.id, added: 0, changed: 1, removed: 1 }])
  })

  test('added then changed counts once as added; added then removed not at all', () => {
    expect(countCardChanges({ added: [a, b], updated: [a], removed: [b] }, index)).toEqual([{ frameId: frame.id, added: 1, changed: 0, removed: 0 }])
    expect(countCardChanges({ added: [], updated: [part], removed: [] }, index)).toEqual([])
  })
})
