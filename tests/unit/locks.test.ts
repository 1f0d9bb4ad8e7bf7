import { describe, expect, it } from 'vitest'
import { jsonEqual } from '../../shared/src/versions/canonicalJson.ts'
import { isTavoloLocked, judgeRecordChange, judgeTransaction, withTavoloLock, type RecordChange } from '../../shared/src/locks.ts'

const shape = (over: Record<string, unknown> = {}) => ({
  id: 'shape:a',
  typeName: 'shape',
  type: 'geo',
  x: 10,
  y: 20,
  isLocked: false,
  meta: {},
  props: { w: 100, h: 50 },
  ...over,
})
const locked = (over: Record<string, unknown> = {}) => withTavoloLock(shape(over), true)

describe('lock rules (shared/src/locks.ts)', () => {
  it('L1: only meta.tavoloLocked makes a Tavolo lock; isLocked alone does not', () => {
    expect(isTavoloLocked(locked())).toBe(true)
    expect(isTavoloLocked(shape({ isLocked: true }))).toBe(false)
    expect(isTavoloLocked(shape({ meta: { tavoloLocked: 'yes' } }))).toBe(false)
    expect(isTavoloLocked(null)).toBe(false)
    expect(isTavoloLocked('shape')).toBe(false)
  })

  it('withTavoloLock sets and clears both flags and keeps other meta', () => {
    const l = withTavoloLock(shape({ meta: { ring: 2 } }), true)
    expect(l).toMatchObject({ isLocked: true, meta: { ring: 2, tavoloLocked: true } })
    const u = withTavoloLock(l, false)
    expect(u.isLocked).toBe(false)
    expect(u.meta).toEqual({ ring: 2 })
  })

  it('L2: facilitator and server changes are always accepted', () => {
    for (const author of ['facilitator', 'server'] as const) {
      expect(judgeRecordChange(author, { action: 'update', oldValue: locked(), newValue: locked({ x: 99 }) }).kind).toBe('accept')
      expect(judgeRecordChange(author, { action: 'update', oldValue: locked(), newValue: shape() }).kind).toBe('accept')
      expect(judgeRecordChange(author, { action: 'delete', oldValue: locked() }).kind).toBe('accept')
      expect(judgeRecordChange(author, { action: 'add', newValue: locked() }).kind).toBe('accept')
      expect(judgeRecordChange(author, { action: 'update', oldValue: shape(), newValue: locked() }).kind).toBe('accept')
    }
  })

  it('L3: a participant moving, resizing or unlocking a locked record is reverted to the old value', () => {
    const old = locked()
    for (const newValue of [locked({ x: 500 }), locked({ props: { w: 1, h: 1 } }), withTavoloLock(old, false), { ...old, isLocked: false }]) {
      expect(judgeRecordChange('participant', { action: 'update', oldValue: old, newValue })).toEqual({ kind: 'revert', rule: 'L3', value: old })
    }
  })

  it('L4: a participant deleting a locked record is reverted', () => {
    const old = locked()
    expect(judgeRecordChange('participant', { action: 'delete', oldValue: old })).toEqual({ kind: 'revert', rule: 'L4', value: old })
  })

  it('L5: a participant may not lock an unlocked record', () => {
    const old = shape()
    expect(judgeRecordChange('participant', { action: 'update', oldValue: old, newValue: withTavoloLock(old, true) })).toEqual({
      kind: 'revert',
      rule: 'L5',
      value: old,
    })
  })

  it('L6: a participant creating a locked record keeps it without the lock', () => {
    const verdict = judgeRecordChange('participant', { action: 'add', newValue: locked({ meta: { ring: 1 } }) })
    expect(verdict.kind).toBe('strip')
    if (verdict.kind !== 'strip') return
    expect(verdict.value).toEqual(shape({ meta: { ring: 1 } }))
    expect(isTavoloLocked(verdict.value)).toBe(false)
  })

  it('L6/L2: a participant may create, change and delete unlocked records, and use tldraw isLocked alone', () => {
    expect(judgeRecordChange('participant', { action: 'add', newValue: shape() }).kind).toBe('accept')
    expect(judgeRecordChange('participant', { action: 'update', oldValue: shape(), newValue: shape({ x: 1, isLocked: true }) }).kind).toBe('accept')
    expect(judgeRecordChange('participant', { action: 'delete', oldValue: shape() }).kind).toBe('accept')
  })

  it('L7: a viewer is judged like a participant', () => {
    expect(judgeRecordChange('viewer', { action: 'delete', oldValue: locked() }).kind).toBe('revert')
  })

  it('L8: an update that leaves a locked record equal is accepted', () => {
    expect(judgeRecordChange('participant', { action: 'update', oldValue: locked(), newValue: locked() }).kind).toBe('accept')
  })

  it('jsonEqual compares structurally, ignoring key order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(jsonEqual([1, 2], [2, 1])).toBe(false)
    expect(jsonEqual(null, {})).toBe(false)
  })
})

describe('judging a whole transaction (L9)', () => {
  const page = { id: 'page:p', typeName: 'page', name: 'Mappa', meta: {} }
  const frameF = shape({ id: 'shape:f', type: 'frame', parentId: 'page:p' })
  const lockedS = withTavoloLock(shape({ id: 'shape:s', parentId: 'shape:f' }), true)
  const card = shape({ id: 'shape:c', parentId: 'shape:f' })
  const other = shape({ id: 'shape:o', parentId: 'page:p' })
  const nothingLocked = { holdsLockedRecord: () => false }
  const del = (v: Record<string, unknown>): RecordChange => ({ action: 'delete', oldValue: v })

  it('L9: deleting a page with a locked shape on it (as tldraw does: everything at once) brings all of it back', () => {
    const changes = new Map<string, RecordChange>([
      ['page:p', del(page)],
      ['shape:f', del(frameF)],
      ['shape:s', del(lockedS)],
      ['shape:c', del(card)],
      ['shape:o', del(other)],
    ])
    const out = judgeTransaction('participant', changes, nothingLocked)
    expect(Object.fromEntries([...out].map(([id, v]) => [id, v.kind === 'revert' ? v.rule : v.kind]))).toEqual({
      'shape:s': 'L4',
      'shape:f': 'L9',
      'page:p': 'L9',
      'shape:c': 'L9',
      'shape:o': 'L9',
    })
    expect(out.get('page:p')?.value).toEqual(page)
  })

  it('L9: deleting only a container of a locked shape that stays on the board is reverted', () => {
    const out = judgeTransaction('participant', new Map([['page:p', del(page)]]), { holdsLockedRecord: (id) => id === 'page:p' })
    expect(out.get('page:p')).toEqual({ kind: 'revert', rule: 'L9', value: page })
  })

  it('L9 does not touch deletions beside a locked shape, nor inside a container that was only moved', () => {
    const movedLockedFrame = withTavoloLock(frameF, true)
    const changes = new Map<string, RecordChange>([
      ['shape:f', { action: 'update', oldValue: movedLockedFrame, newValue: { ...movedLockedFrame, x: 999 } }],
      ['shape:c', del(card)],
      ['shape:o', del(other)],
    ])
    const out = judgeTransaction('participant', changes, { holdsLockedRecord: (id) => id === 'page:p' })
    expect([...out.keys()]).toEqual(['shape:f'])
  })

  it('L2: facilitators may delete anything', () => {
    const changes = new Map<string, RecordChange>([['page:p', del(page)], ['shape:s', del(lockedS)]])
    expect(judgeTransaction('facilitator', changes, { holdsLockedRecord: () => true }).size).toBe(0)
  })

  it('without locks, a participant transaction is left alone', () => {
    const changes = new Map<string, RecordChange>([['page:p', del(page)], ['shape:c', del(card)], ['shape:n', { action: 'add', newValue: other }]])
    expect(judgeTransaction('participant', changes, nothingLocked).size).toBe(0)
  })
})
