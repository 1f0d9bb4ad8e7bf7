import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { onlyOwnPresenceMoved, type AwarenessChange } from '../../client/src/board/awarenessChanges.ts'

const user = { id: 'u1', name: 'Anna', color: '#e03131', role: 'participant', joinedAt: 1 }

/** Records, for every change event of `awareness`, whether the board's chrome may skip it. */
function watch(awareness: Awareness): boolean[] {
  const skips: boolean[] = []
  let before = awareness.getLocalState() ?? undefined
  awareness.on('change', (change: AwarenessChange) => {
    const after = awareness.getLocalState() ?? undefined
    skips.push(onlyOwnPresenceMoved(change, awareness.clientID, before, after))
    before = after
  })
  return skips
}

describe('awareness changes the board chrome need not render', () => {
  test('a move of the own cursor or view only: skipped', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ user, presence: { cursor: { x: 0, y: 0 } } })
    const skips = watch(awareness)
    awareness.setLocalState({ user: { ...user }, presence: { cursor: { x: 10, y: 4 } } })
    expect(skips).toEqual([true])
  })

  test('a change of the own user (name, role, leading) is not skipped, even with the cursor moving', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ user, presence: { cursor: { x: 0, y: 0 } } })
    const skips = watch(awareness)
    awareness.setLocalState({ user: { ...user, name: 'Anna B.' }, presence: { cursor: { x: 1, y: 1 } } })
    awareness.setLocalState({ user: { ...user, name: 'Anna B.' }, presence: { cursor: { x: 1, y: 1 } }, summon: { at: 5 } })
    expect(skips).toEqual([false, false])
  })

  test("another person's move, arrival or departure is not skipped", () => {
    const own = new Awareness(new Y.Doc())
    own.setLocalState({ user, presence: {} })
    const other = new Awareness(new Y.Doc())
    const skips = watch(own)
    other.setLocalState({ user: { ...user, id: 'u2' }, presence: { cursor: { x: 0, y: 0 } } })
    applyAwarenessUpdate(own, encodeAwarenessUpdate(other, [other.clientID]), 'remote')
    other.setLocalState({ user: { ...user, id: 'u2' }, presence: { cursor: { x: 3, y: 3 } } })
    applyAwarenessUpdate(own, encodeAwarenessUpdate(other, [other.clientID]), 'remote')
    other.setLocalState(null)
    applyAwarenessUpdate(own, encodeAwarenessUpdate(other, [other.clientID]), 'remote')
    expect(skips).toEqual([false, false, false])
  })

  test('the first own state (before it nothing was read) is not skipped', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState(null)
    const skips = watch(awareness)
    awareness.setLocalState({ user, presence: {} })
    expect(skips).toEqual([false])
  })
})
