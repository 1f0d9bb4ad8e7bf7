import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { judgeSchema, judgeSchemaChange, type SerializedSchemaV2 } from '../../shared/src/boardSchema.ts'

const known = createTLSchema().serialize() as SerializedSchemaV2
const withNote = (version: unknown) => ({ ...known, sequences: { ...known.sequences, 'com.tldraw.shape.note': version } })

describe('which meta.schema values the server recognises (shared/src/boardSchema.ts)', () => {
  it("S2: the server's own schema, and an older one, are recognised", () => {
    expect(judgeSchema(known, known)).toEqual({ ok: true, schema: known })
    expect(judgeSchema(withNote(1), known).ok).toBe(true)
  })

  it('S1: anything but a version-2 serialized schema is refused', () => {
    for (const value of [null, 'schema', 42, [], { schemaVersion: 1, storeVersion: 4, recordVersions: {} }, { sequences: known.sequences }]) {
      expect(judgeSchema(value, known).ok).toBe(false)
    }
    expect(judgeSchema({ ...known, extra: true }, known)).toEqual({ ok: false, reason: 'unexpected fields' })
  })

  it('S2: a newer version, a version that is no whole number, and an unknown sequence are refused', () => {
    expect(judgeSchema(withNote(999), known)).toMatchObject({ ok: false, reason: expect.stringContaining('newer') })
    for (const v of [-1, 1.5, '3', null]) expect(judgeSchema(withNote(v), known).ok).toBe(false)
    const unknown = { ...known, sequences: { ...known.sequences, 'com.example.shape.evil': 1 } }
    expect(judgeSchema(unknown, known)).toMatchObject({ ok: false, reason: 'unknown sequence com.example.shape.evil' })
  })

  it('S3: a schema that leaves a known sequence out is refused, unless that sequence is allowed to be missing', () => {
    const { 'com.tldraw.shape.note': _omitted, ...rest } = known.sequences
    const partial = { schemaVersion: 2, sequences: rest }
    expect(judgeSchema(partial, known)).toEqual({ ok: false, reason: 'sequence com.tldraw.shape.note is missing' })
    expect(judgeSchema(partial, known, { allowMissing: ['com.tldraw.shape.note'] }).ok).toBe(true)
    expect(judgeSchema({ schemaVersion: 2, sequences: {} }, known).ok).toBe(false)
  })

  it('S4: a schema with too many sequences is refused before looking at each', () => {
    const sequences = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s${i}`, 0]))
    expect(judgeSchema({ schemaVersion: 2, sequences }, known)).toEqual({ ok: false, reason: 'too many sequences' })
  })
})

describe('S5: a board schema never goes backwards (judgeSchemaChange)', () => {
  const known = createTLSchema().serialize() as SerializedSchemaV2
  const zero: SerializedSchemaV2 = { schemaVersion: 2, sequences: Object.fromEntries(Object.keys(known.sequences).map((k) => [k, 0])) }
  it('accepts the same or newer versions, and anything over no schema', () => {
    expect(judgeSchemaChange(known, known, known).ok).toBe(true)
    expect(judgeSchemaChange(zero, known, known).ok).toBe(true)
    expect(judgeSchemaChange(undefined, zero, known).ok).toBe(true)
    expect(judgeSchemaChange('not a schema', zero, known).ok).toBe(true)
  })
  it('refuses lowering a sequence or dropping one; sequences unknown to the server in the current value do not count', () => {
    expect(judgeSchemaChange(known, zero, known)).toMatchObject({ ok: false, reason: expect.stringContaining('would go back') })
    const { ['com.tldraw.shape.note']: _note, ...rest } = known.sequences
    expect(judgeSchemaChange(known, { schemaVersion: 2, sequences: rest }, known)).toMatchObject({ ok: false, reason: expect.stringContaining('dropped') })
    const withForeign = { schemaVersion: 2, sequences: { ...known.sequences, 'com.example.unknown': 5 } }
    expect(judgeSchemaChange(withForeign, known, known).ok).toBe(true)
  })
})
