/** Import validation and migration (SPEC V10) and writing a board forward into a live doc (V9). */
import { describe, expect, it } from 'vitest'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { createBoardStore } from '../../client/src/board/boardStore.ts'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import { canonicalJson } from '../../shared/src/versions/canonicalJson.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { readBoardContent, writeBoardRecords } from '../../server/src/versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { prepareBoard } from '../../server/src/versions/boardSchema.ts'
import { noteRecord } from '../helpers/fixtures.ts'

const PAGE = { id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} }
const note = (id: string, text: string, x = 0) => structuredClone(noteRecord(id, text, x)) as unknown as BoardRecord
const schema = () => structuredClone(serverSerializedSchema()) as { schemaVersion: number; sequences: Record<string, number> }

describe('the server schema', () => {
  it("has exactly the browser board's record types and migration sequences", () => {
    const browser = createBoardStore().schema.serialize() as { sequences: Record<string, number> }
    expect(serverSerializedSchema().sequences).toEqual(browser.sequences)
  })
})

describe('prepareBoard (V10)', () => {
  it('accepts a current board as it is', () => {
    const records = [PAGE, note('a', 'ciao')]
    const prepared = prepareBoard(records, schema())
    expect(prepared).toMatchObject({ ok: true, migrated: false })
    if (prepared.ok) expect(prepared.records.map((r) => canonicalJson(r))).toEqual(records.map((r) => canonicalJson(r)))
  })

  it('migrates a board from an older schema: a note with plain text (before richText) gets richText', () => {
    const old = schema()
    old.sequences['com.tldraw.shape.note'] = 8
    const oldNote = {
      id: 'shape:old', typeName: 'shape', type: 'note', parentId: 'page:page', index: 'a1', x: 0, y: 0, rotation: 0, opacity: 1,
      isLocked: false, meta: {},
      props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', text: 'Pro Loco', scale: 1 },
    }
    const prepared = prepareBoard([PAGE, oldNote], old)
    expect(prepared.ok).toBe(true)
    if (!prepared.ok) return
    expect(prepared.migrated).toBe(true)
    expect(prepared.schema).toEqual(serverSerializedSchema())
    const migrated = prepared.records.find((r) => r.id === 'shape:old') as unknown as { props: Record<string, unknown> }
    expect(migrated.props.text).toBeUndefined()
    expect(migrated.props.richText).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Pro Loco' }] }] })
    expect(migrated.props.textLastEditedBy).toBeNull()
  })

  it('refuses a schema from a newer tldraw, naming the sequence', () => {
    const newer = schema()
    newer.sequences['com.tldraw.shape.note'] = 99
    newer.sequences['com.example.shape.sticker'] = 1
    const prepared = prepareBoard([PAGE, note('a', 'x')], newer)
    expect(prepared).toMatchObject({ ok: false, newerSchema: true })
    if (prepared.ok) return
    expect(prepared.problems.map((p) => p.path)).toEqual(['schema.sequences.com.tldraw.shape.note', 'schema.sequences.com.example.shape.sticker'])
    expect(prepared.problems[0]!.message).toMatch(/newer than this server's tldraw knows \(13\)/)
  })

  it('names the record and the field that is wrong', () => {
    const bad = note('bad', 'x') as unknown as { props: Record<string, unknown> }
    bad.props.color = 'purplish'
    const noX = note('nox', 'y') as unknown as Record<string, unknown>
    delete noX.x
    const prepared = prepareBoard([PAGE, note('good', 'ok'), bad as unknown as BoardRecord, noX], schema())
    expect(prepared.ok).toBe(false)
    if (prepared.ok) return
    expect(prepared.problems).toEqual([
      { path: 'records[2] (shape:bad).props.color', message: expect.stringMatching(/Expected "black" .* got purplish/) },
      { path: 'records[3] (shape:nox).x', message: expect.stringMatching(/number/) },
    ])
  })

  it('refuses records that are not board records: junk, session types, wrong id prefix, duplicates, orphans', () => {
    const cases: Array<[unknown[], RegExp]> = [
      [[42], /records\[0\]: a record must be an object/],
      [[{ id: 5, typeName: 'shape' }], /string id and typeName/],
      [[{ id: 'instance:x', typeName: 'instance' }], /"instance" is not a board record type/],
      [[{ ...PAGE, id: 'shape:page' }], /must start with "page:"/],
      [[PAGE, PAGE], /records\[1\] \(page:page\)\.id: duplicate id \(also records\[0\]\)/],
      [[note('lonely', 'x')], /parentId: no page or shape page:page in the file/],
    ]
    for (const [records, message] of cases) {
      const prepared = prepareBoard(records, schema())
      expect(prepared.ok).toBe(false)
      if (!prepared.ok) expect(prepared.problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(message)
    }
  })

  it('lists at most 20 problems', () => {
    const records = [PAGE, ...Array.from({ length: 50 }, (_, i) => ({ ...note(`n${i}`, 'x'), x: 'nope' }))]
    const prepared = prepareBoard(records, schema())
    expect(prepared.ok ? 0 : prepared.problems.length).toBe(20)
  })
})

describe('writeBoardRecords (V9)', () => {
  const docWith = (records: BoardRecord[]) => {
    const doc = new Y.Doc()
    const kv = new YKeyValue<unknown>(doc.getArray(RECORDS_ARRAY))
    doc.transact(() => {
      for (const r of records) kv.set(r.id, r)
      doc.getMap(META_MAP).set(SCHEMA_KEY, serverSerializedSchema())
    })
    return { doc, kv }
  }

  it('makes the doc equal the target in one transaction, touching only records that differ', () => {
    const { doc, kv } = docWith([PAGE, note('keep', 'k'), note('change', 'old'), note('gone', 'g')])
    const target = [PAGE, note('keep', 'k'), note('change', 'new'), note('added', 'a')]
    const changes: string[] = []
    kv.on('change', (c: Map<string, { action: string }>) => changes.push(...[...c].map(([id, v]) => `${v.action} ${id}`)))
    let updates = 0
    doc.on('update', () => updates++)
    let counts: unknown
    doc.transact(() => {
      counts = writeBoardRecords(doc, target, serverSerializedSchema())
    })
    expect(counts).toEqual({ removed: 1, added: 1, updated: 1 })
    expect(updates).toBe(1)
    expect(changes.sort()).toEqual(['add shape:added', 'delete shape:gone', 'update shape:change'])
    const read = readBoardContent(doc)
    expect(read.records.map((r) => canonicalJson(r)).sort()).toEqual(target.map((r) => canonicalJson(r)).sort())
    // a second write of the same target changes nothing at all
    doc.transact(() => writeBoardRecords(doc, target, serverSerializedSchema()))
    expect(updates).toBe(1)
  })

  it('reads copies: changing what was read never changes the doc (V2); junk entries and duplicates are handled', () => {
    const { doc } = docWith([PAGE, note('a', 'x')])
    doc.getArray(RECORDS_ARRAY).push(['junk', { key: 'shape:a', val: { ...note('a', 'newer') } }, { key: 'k', val: { id: 'other', typeName: 'shape' } }])
    const read = readBoardContent(doc)
    expect(read.skipped).toBe(2)
    const a = read.records.find((r) => r.id === 'shape:a') as unknown as { props: { richText: unknown } }
    expect(a.props.richText).toEqual((note('a', 'newer') as unknown as { props: { richText: unknown } }).props.richText)
    ;(a.props as Record<string, unknown>).richText = 'mutated'
    expect(JSON.stringify(readBoardContent(doc).records)).not.toContain('mutated')
    doc.transact(() => writeBoardRecords(doc, [PAGE, note('a', 'x')], null))
    expect(doc.getArray(RECORDS_ARRAY).length).toBe(2)
  })
})
