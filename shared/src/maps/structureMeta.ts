/**
 * Who may write a map's structure (maps SPEC MP10, MP11). Pure: the server's lock guard applies it, extraction and
 * the board's badges read structure through `isMapStructure` / `mapFrameMeta`, which trust only locked records.
 *
 * Structure meta is `meta.tavoloMapPart` on any shape (a map's drawing: its cells, rings, labels, question) and
 * `meta.tavoloMap` on a frame (what makes a frame a map). A participant's `meta.tavoloMap` on a card (its meaning:
 * facet, category, instrument...) is not structure: participants set it (client/src/maps/meaningOverride.ts).
 */
import type { ChangeAuthor, RecordChange, RecordJson } from '../locks.ts'
import { jsonEqual } from '../versions/canonicalJson.ts'
import { MAP_META_KEY, MAP_PART_META_KEY } from './instantiate.ts'

function isObject(value: unknown): value is RecordJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The structure meta of a record, by meta key (absent keys are left out). */
function structureOf(record: unknown): RecordJson {
  if (!isObject(record) || !isObject(record.meta)) return {}
  const out: RecordJson = {}
  if (record.meta[MAP_PART_META_KEY] !== undefined) out[MAP_PART_META_KEY] = record.meta[MAP_PART_META_KEY]
  if (record.type === 'frame' && record.meta[MAP_META_KEY] !== undefined) out[MAP_META_KEY] = record.meta[MAP_META_KEY]
  return out
}

/** The record with its structure meta replaced by `structure` (keys of MP10 only; others untouched). */
function withStructure(record: RecordJson, structure: RecordJson): RecordJson {
  const meta: RecordJson = isObject(record.meta) ? { ...record.meta } : {}
  delete meta[MAP_PART_META_KEY]
  if (record.type === 'frame') delete meta[MAP_META_KEY]
  return { ...record, meta: { ...meta, ...structure } }
}

export interface StructureCorrection {
  rule: 'MP10'
  /** What the record must be: the participant's change with the structure meta it had before (none for a new one). */
  value: RecordJson
}

/**
 * MP10: a participant (or any role that is not the facilitator's) neither creates a record carrying structure meta
 * nor adds, changes or removes structure meta on an existing one. The change itself stands; only its structure meta
 * is put back as it was (removed from a new record, e.g. a participant's paste of a whole map: its copy becomes plain
 * shapes). Returns the corrections by record id.
 */
export function judgeMapStructure(author: ChangeAuthor, changes: ReadonlyMap<string, RecordChange>): Map<string, StructureCorrection> {
  const corrections = new Map<string, StructureCorrection>()
  if (author === 'server' || author === 'facilitator') return corrections
  for (const [id, change] of changes) {
    if (change.action === 'delete' || !isObject(change.newValue)) continue
    const before = change.action === 'update' ? structureOf(change.oldValue) : {}
    if (jsonEqual(structureOf(change.newValue), before)) continue
    corrections.set(id, { rule: 'MP10', value: withStructure(change.newValue, before) })
  }
  return corrections
}

/** MP10 on top of another correction's value (the lock guard's L6 strip of a new record). */
export function withoutNewStructure(record: RecordJson): RecordJson {
  return withStructure(record, {})
}
