/** The pure parts of versions in shared/: canonical JSON (V4), the shape diff (V8), plain text of rich text. */
import { describe, expect, it } from 'vitest'
import { toRichText } from 'tldraw'
import { plainTextOfRichText, plainTextOfShape } from '../../shared/src/board/richText.ts'
import { countShapes, diffBoards, type PlainRecord } from '../../shared/src/versions/boardDiff.ts'
import { canonicalJson, canonicalRecordsJson } from '../../shared/src/versions/canonicalJson.ts'
import { contentHashOf } from '../../server/src/versions/versionService.ts'

const page: PlainRecord = { id: 'page:p', typeName: 'page', name: 'Pagina', index: 'a1', meta: {} }
const shape = (id: string, over: Record<string, unknown> = {}, props: Record<string, unknown> = {}): PlainRecord => ({
  id: `shape:${id}`,
  typeName: 'shape',
  type: 'note',
  parentId: 'page:p',
  index: 'a1',
  x: 0,
  y: 0,
  rotation: 0,
  opacity: 1,
  isLocked: false,
  meta: {},
  ...over,
  props: { color: 'yellow', richText: toRichText(id), ...props },
})

describe('canonical JSON and the content hash (V4)', () => {
  it('sorts keys at every level and drops undefined members, like JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson([undefined, null])).toBe('[null,null]')
    expect(JSON.parse(canonicalJson({ s: 'é"\n' }))).toEqual({ s: 'é"\n' })
  })

  it('the same board hashes the same whatever the order of its records or of their keys; any change changes it', () => {
    const a = [page, shape('a'), shape('b')]
    const reordered = [shape('b'), { meta: {}, index: 'a1', name: 'Pagina', typeName: 'page', id: 'page:p' }, shape('a')]
    expect(canonicalRecordsJson(a)).toBe(canonicalRecordsJson(reordered))
    expect(contentHashOf(a)).toBe(contentHashOf(reordered))
    expect(contentHashOf(a)).toMatch(/^[0-9a-f]{64}$/)
    expect(contentHashOf([page, shape('a'), shape('b', { x: 1 })])).not.toBe(contentHashOf(a))
    expect(contentHashOf([page, shape('a')])).not.toBe(contentHashOf(a))
  })
})

describe('plain text of rich text', () => {
  it('joins paragraphs with newlines, keeps hard breaks, survives junk', () => {
    expect(plainTextOfRichText(toRichText('Patto Fondativo'))).toBe('Patto Fondativo')
    expect(plainTextOfRichText(toRichText('riga uno\nriga due'))).toBe('riga uno\nriga due')
    const rich = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Cabina ' }, { type: 'text', text: 'di Regia', marks: [{ type: 'bold' }] }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'uno' }, { type: 'hardBreak' }, { type: 'text', text: 'due' }] }] }] },
      ],
    }
    expect(plainTextOfRichText(rich)).toBe('Cabina di Regia\nuno\ndue')
    for (const junk of [null, 5, 'x', { content: 'no' }, { type: 'doc', content: [null, { text: 3 }] }]) expect(plainTextOfRichText(junk)).toBe('')
    let deep: unknown = { type: 'text', text: 'fondo' }
    for (let i = 0; i < 10_000; i++) deep = { type: 'paragraph', content: [deep] }
    expect(plainTextOfRichText(deep)).toBe('')
  })

  it("reads a shape's richText, an older text prop, or a frame's name", () => {
    expect(plainTextOfShape(shape('x', {}, { richText: toRichText('ciao') }))).toBe('ciao')
    expect(plainTextOfShape({ props: { text: 'vecchio' } })).toBe('vecchio')
    expect(plainTextOfShape({ type: 'frame', props: { name: 'Mappa degli attori' } })).toBe('Mappa degli attori')
    expect(plainTextOfShape({ props: {} })).toBe('')
    expect(plainTextOfShape(null)).toBe('')
  })
})

describe('diffBoards (V8)', () => {
  it('finds added, removed, changed (fields and text) and moved shapes, and other records', () => {
    const frame = shape('frame', { type: 'frame', x: 1000, y: 0 }, { name: 'Mappa', w: 500, h: 400, richText: undefined })
    const before = [page, frame, shape('same'), shape('gone', { y: 50 }), shape('text'), shape('color'), shape('moves', { x: 10, y: 10 }), shape('into')]
    const after = [
      page,
      { ...page, id: 'page:2', name: 'Seconda' },
      frame,
      shape('same'),
      shape('text', {}, { richText: toRichText('nuovo testo') }),
      shape('color', { rotation: 0.5 }, { color: 'blue' }),
      shape('moves', { x: 110, y: 10 }),
      shape('into', { parentId: 'shape:frame', x: 20, y: 30 }),
      shape('new', { x: 5, y: 500 }),
    ]
    const diff = diffBoards(before, after)
    expect(diff.added).toEqual([{ id: 'shape:new', type: 'note', text: 'new', pageId: 'page:p', at: { x: 5, y: 500 }, size: null }])
    expect(diff.removed.map((s) => [s.id, s.text, s.at])).toEqual([['shape:gone', 'gone', { x: 0, y: 50 }]])
    expect(diff.changed.map((c) => [c.shape.id, c.fields, c.text])).toEqual([
      ['shape:color', ['props.color', 'rotation'], null],
      ['shape:text', ['props.richText'], { before: 'text', after: 'nuovo testo' }],
    ])
    expect(diff.moved.map((m) => [m.shape.id, m.from, m.to, m.parent])).toEqual([
      ['shape:moves', { x: 10, y: 10 }, { x: 110, y: 10 }, null],
      // into the frame: page position composed through the parent
      ['shape:into', { x: 0, y: 0 }, { x: 1020, y: 30 }, { before: 'page:p', after: 'shape:frame' }],
    ])
    expect(diff.others).toEqual([{ id: 'page:2', typeName: 'page', change: 'added' }])
    expect(diff.summary).toEqual({ added: 1, removed: 1, changed: 2, moved: 2, others: 1 })
  })

  it('composes rotation of parents, ignores sub-0.01 jitter, is empty for equal boards and exact in reverse', () => {
    const rotated = shape('frame', { type: 'frame', x: 100, y: 100, rotation: Math.PI / 2 }, { w: 10, h: 10 })
    const child = shape('child', { parentId: 'shape:frame', x: 10, y: 0 })
    const board = [page, rotated, child]
    const moved = [page, { ...rotated, x: 200 }, child]
    // the frame moved, the card inside it did not move in its frame: one move, the frame's
    expect(diffBoards(board, moved).moved.map((m) => m.shape.id)).toEqual(['shape:frame'])
    const childMoved = diffBoards(board, [page, rotated, { ...child, x: 20 }])
    // page positions composed through the rotated frame: (10, 0) → (100, 110), (20, 0) → (100, 120)
    expect(childMoved.moved).toEqual([expect.objectContaining({ from: { x: 100, y: 110 }, to: { x: 100, y: 120 } })])
    expect(diffBoards(board, [page, rotated, { ...child, x: 10.001 }]).moved).toEqual([])
    expect(diffBoards(board, structuredClone(board)).summary).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, others: 0 })
    const forward = diffBoards([page, shape('a')], [page, shape('b')])
    const backward = diffBoards([page, shape('b')], [page, shape('a')])
    expect(forward.added).toEqual(backward.removed)
    expect(forward.removed).toEqual(backward.added)
  })

  it('survives corrupt boards: parent cycles, missing parents, non-numeric positions', () => {
    const a = shape('a', { parentId: 'shape:b' })
    const b = shape('b', { parentId: 'shape:a', x: 'x' })
    const orphan = shape('o', { parentId: 'shape:none', x: 5 })
    const diff = diffBoards([], [a, b, orphan])
    expect(diff.added.map((s) => s.id).sort()).toEqual(['shape:a', 'shape:b', 'shape:o'])
    expect(diff.added.find((s) => s.id === 'shape:o')?.pageId).toBeNull()
  })

  it('gives the same diff from the JSON texts of the records, parsing only what differs', () => {
    const before = [page, shape('a'), shape('b', { x: 5 }), shape('c')]
    const after = [page, shape('a'), shape('b', { x: 50 }), shape('d')]
    const texts = (records: PlainRecord[]) => new Map(records.map((r) => [r.id, JSON.stringify(r)]))
    expect(diffBoards(texts(before), texts(after))).toEqual(diffBoards(before, after))
    // equal records written with another key order are equal, not changed
    const reordered = new Map(texts(before))
    reordered.set('shape:a', JSON.stringify(Object.fromEntries(Object.entries(shape('a')).reverse())))
    expect(diffBoards(texts(before), reordered).summary).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, others: 0 })
    // an unchanged record's text is never parsed: a text that is not JSON at all proves it
    const unparsable = new Map([...texts(before), ['shape:zz', 'not json']])
    expect(diffBoards(unparsable, new Map(unparsable)).summary.changed).toBe(0)
  })

  it('counts shapes by type', () => {
    expect(countShapes([page, shape('a'), shape('b'), shape('f', { type: 'frame' })])).toEqual({ shapes: 3, byType: { note: 2, frame: 1 } })
  })
})
