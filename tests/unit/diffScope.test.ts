/**
 * The scope of a diff (server/src/versions/SPEC.md V8, shared/src/versions/diffScope.ts) and the outline it reads
 * (recordOutline.ts): the shape diff and the maps' semantic diff of only the records in scope equal the diffs of the
 * whole boards, on the seed meeting's four maps (with relations) under many kinds of change.
 */
import { describe, expect, it } from 'vitest'
import { semanticDiff } from '../../shared/src/maps/semanticDiff.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'
import { diffBoards } from '../../shared/src/versions/boardDiff.ts'
import { diffScope, type DiffSide } from '../../shared/src/versions/diffScope.ts'
import { outlineOf, outlineOfRecord, parseOutline, serializeOutline } from '../../shared/src/versions/recordOutline.ts'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'

type Rec = Record<string, unknown> & { id: string }

const sideOf = (records: readonly Rec[]): DiffSide => ({ outline: outlineOf(records), texts: records.map((r) => JSON.stringify(r)) })

/** Asserts that both diffs of the scoped records equal those of the whole boards; returns the scope. */
function expectSameDiffs(from: Rec[], to: Rec[]) {
  const a = sideOf(from)
  const b = sideOf(to)
  const scope = diffScope(a, b)
  expect(diffBoards(scope.shapes.from, scope.shapes.to)).toEqual(diffBoards(from as never, to as never))
  const parse = (side: DiffSide) => (i: number) => JSON.parse(side.texts[i]!) as unknown
  const scoped = scope.semantic === null ? semanticDiff(from, to) : semanticDiff(scope.semantic.from.map(parse(a)), scope.semantic.to.map(parse(b)))
  expect(scoped).toEqual(semanticDiff(from, to))
  return scope
}

const seed = () => buildSeedBoard('final') as Rec[]
const ROUNDS = 12
/** A copy of the board with `change` applied to record `id` (a new object, as Yjs gives a changed record). */
const withRecord = (records: Rec[], id: string, change: (r: Rec) => Rec) => records.map((r) => (r.id === id ? change(structuredClone(r)) : r))
const text = (t: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }] })
const cardsOf = (records: Rec[]) => records.filter((r) => r.typeName === 'shape' && r.type === 'note' && r.meta !== undefined && !(r.meta as Rec).tavoloMapPart)

describe('record outline (V14)', () => {
  it('keeps id, type, parent and a binding\'s ends, and survives its stored form, ends off the board included', () => {
    const records = [
      { id: 'page:p', typeName: 'page', name: 'P' },
      { id: 'shape:f', typeName: 'shape', type: 'frame', parentId: 'page:p' },
      { id: 'shape:a', typeName: 'shape', type: 'arrow', parentId: 'shape:f' },
      { id: 'binding:b', typeName: 'binding', type: 'arrow', fromId: 'shape:a', toId: 'shape:gone' },
      { id: 'shape:orphan', typeName: 'shape', type: 'note', parentId: 'shape:missing' },
      { id: 'instance:x', typeName: 'instance', type: 'ignored', parentId: 7 },
    ]
    const outline = outlineOf(records)
    expect(outline[3]).toEqual({ id: 'binding:b', typeName: 'binding', type: 'arrow', parentId: null, fromId: 'shape:a', toId: 'shape:gone' })
    expect(outline[5]).toEqual({ id: 'instance:x', typeName: 'instance', type: null, parentId: null, fromId: null, toId: null })
    expect(parseOutline(serializeOutline(outline), records.length)).toEqual(outline)
    expect(outlineOfRecord(null)).toEqual({ id: '', typeName: '', type: null, parentId: null, fromId: null, toId: null })
  })

  it('a damaged or mismatched stored outline reads as none (the caller outlines the records instead)', () => {
    const stored = serializeOutline(outlineOf(seed()))
    expect(parseOutline(stored, seed().length)).toHaveLength(seed().length)
    expect(parseOutline(stored, seed().length - 1)).toBeNull()
    expect(parseOutline(stored.slice(0, -5), seed().length)).toBeNull()
    expect(parseOutline('{"format":2}', 0)).toBeNull()
    expect(parseOutline('{"format":1,"ids":["a"],"kinds":[],"kind":[0],"parent":[-1],"ends":[]}', 1)).toBeNull()
    expect(parseOutline('{"format":1,"ids":["a"],"kinds":[["shape",null]],"kind":[0],"parent":[5],"ends":[]}', 1)).toBeNull()
  })
})

describe('diff scope (V8): the diffs of the records in scope equal the diffs of the whole boards', () => {
  it('an unchanged board: nothing differs and the semantic part reads only the frames and their page', () => {
    const scope = expectSameDiffs(seed(), seed())
    expect(scope.differing.size).toBe(0)
    expect(scope.shapes.from.size).toBe(0)
    expect(scope.semantic?.from.length).toBe(5)
  })

  it('a card edited, moved to another cell, moved to another map, removed, added: few records read', () => {
    const board = seed()
    const [c1, c2, c3, c4] = cardsOf(board)
    let later = withRecord(board, c1!.id, (r) => ({ ...r, props: { ...(r.props as Rec), richText: text('Testo nuovo') } }))
    later = withRecord(later, c2!.id, (r) => ({ ...r, x: Number(r.x) + 400, y: Number(r.y) + 150 }))
    later = withRecord(later, c3!.id, (r) => ({ ...r, parentId: 'shape:demo-programme', x: 300, y: 300 }))
    later = later.filter((r) => r.id !== c4!.id)
    later.push(noteRecord({ id: 'shape:new', parentId: 'page:page', x: -900, y: -900, text: 'Fuori dalle mappe', order: 900 }) as unknown as Rec)
    const scope = expectSameDiffs(board, later)
    expect(scope.differing.size).toBe(5)
    expect(semanticDiff(board, later).length).toBeGreaterThanOrEqual(5)
    expect(scope.semantic!.to.length).toBeLessThan(later.length / 3)
  })

  it('a node renamed: the relations bound to it are read and say the new name', () => {
    const board = seed()
    const binding = board.find((r) => r.typeName === 'binding')!
    const node = String(binding.toId)
    const later = withRecord(board, node, (r) => ({ ...r, props: { ...(r.props as Rec), richText: text('Nodo rinominato\nnote') } }))
    const scope = expectSameDiffs(board, later)
    const inScope = new Set(scope.semantic!.to.map((i) => later[i]!.id))
    expect(inScope.has(String(binding.fromId))).toBe(true)
    expect(inScope.has(binding.id)).toBe(true)
  })

  it('an arrow relabelled, a binding removed, a binding moved to another node', () => {
    const board = seed()
    const bindings = board.filter((r) => r.typeName === 'binding')
    const arrow = String(bindings[0]!.fromId)
    let later = withRecord(board, arrow, (r) => ({ ...r, props: { ...(r.props as Rec), richText: text('nuova etichetta') } }))
    later = later.filter((r) => r.id !== bindings[2]!.id)
    later = withRecord(later, bindings[5]!.id, (r) => ({ ...r, toId: String(bindings[4]!.toId) }))
    expectSameDiffs(board, later)
    expectSameDiffs(later, board)
  })

  it('a group of cards inside a map moved: its cards are read through their new place', () => {
    const board = seed()
    const [c1, c2] = cardsOf(board).filter((c) => c.parentId === 'shape:demo-actors')
    const group = { id: 'shape:group', typeName: 'shape', type: 'group', parentId: 'shape:demo-actors', x: 0, y: 0, rotation: 0, index: 'a1', isLocked: false, opacity: 1, props: {}, meta: {} }
    const grouped = [...board.map((r) => (r.id === c1!.id || r.id === c2!.id ? { ...r, parentId: 'shape:group' } : r)), group]
    const moved = withRecord(grouped, 'shape:group', (r) => ({ ...r, x: 500, y: -300, rotation: 0.3 }))
    const scope = expectSameDiffs(grouped, moved)
    expect(scope.differing).toEqual(new Set(['shape:group']))
    expect(scope.semantic!.to.map((i) => moved[i]!.id)).toEqual(expect.arrayContaining([c1!.id, c2!.id]))
  })

  it('a map frame moved or renamed: the semantic part reads the whole boards; the seed meeting\'s own change needs few records', () => {
    const board = seed()
    const moved = withRecord(board, 'shape:demo-issues', (r) => ({ ...r, x: Number(r.x) + 2000 }))
    expect(expectSameDiffs(board, moved).semantic).toBeNull()
    const renamed = withRecord(board, 'shape:demo-actors', (r) => ({ ...r, props: { ...(r.props as Rec), name: 'Chi c\'è' } }))
    expect(expectSameDiffs(board, renamed).semantic).toBeNull()
    // the seed meeting's two versions: a new relation, actors moved, new questions; no frame changed
    expect(expectSameDiffs(buildSeedBoard('draft') as Rec[], board).semantic?.to.length).toBeLessThan(20)
  })

  it('a page renamed: nothing to say in the words of the maps, and no card is read', () => {
    const board = seed()
    const later = withRecord(board, 'page:page', (r) => ({ ...r, name: 'Tavola' }))
    const scope = expectSameDiffs(board, later)
    expect(scope.semantic!.to.length).toBe(5)
  })

  // 12 rounds (some 40 edits: each kind several times) instead of 40; the explicit timeout leaves room for a
  // machine under load, where 40 rounds once ran past vitest's default 5 s.
  it('random edits (move, edit, reparent, remove, add, rebind) over many rounds', { timeout: 30_000 }, () => {
    let seedValue = 17
    const next = () => {
      seedValue = (seedValue * 1103515245 + 12345) % 2147483648
      return seedValue / 2147483648
    }
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
    const board = seed()
    const parents = ['page:page', 'shape:demo-issues', 'shape:demo-actors', 'shape:demo-architecture', 'shape:demo-programme']
    for (let round = 0; round < ROUNDS; round++) {
      let later = board
      for (let k = 0; k < 1 + Math.floor(next() * 6); k++) {
        const movable = later.filter((r) => (r.typeName === 'shape' && r.type !== 'frame') || r.typeName === 'binding')
        const target = pick(movable)
        const what = Math.floor(next() * 6)
        if (what === 0) later = withRecord(later, target.id, (r) => ({ ...r, x: Number(r.x ?? 0) + (next() - 0.5) * 800, y: Number(r.y ?? 0) + (next() - 0.5) * 800 }))
        else if (what === 1) later = withRecord(later, target.id, (r) => ({ ...r, props: { ...(r.props as Rec), richText: text(`testo ${round}.${k}\nnota`) } }))
        else if (what === 2 && target.typeName === 'shape') later = withRecord(later, target.id, (r) => ({ ...r, parentId: pick(parents) }))
        else if (what === 3) later = later.filter((r) => r.id !== target.id)
        else if (what === 4 && target.typeName === 'binding') later = withRecord(later, target.id, (r) => ({ ...r, toId: pick(cardsOf(board)).id }))
        else later = [...later, noteRecord({ id: `shape:r${round}-${k}`, parentId: pick(parents), x: next() * 1500, y: next() * 1000, text: `nuova ${k}`, order: 500 + k }) as unknown as Rec]
      }
      expectSameDiffs(board, later)
      expectSameDiffs(later, board)
    }
  })
})
