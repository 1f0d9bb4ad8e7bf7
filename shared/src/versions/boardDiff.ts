/**
 * The shape-level diff of two boards given as plain tldraw records (server/src/versions/SPEC.md V8): shapes added,
 * removed, changed (which properties; old and new text) and moved (page positions), plus the other records that
 * changed. Pure: the server answers `GET .../diff` with it and a client can run it on the records it holds.
 */
import { plainTextOfShape } from '../board/richText.ts'
import { jsonEqual } from './canonicalJson.ts'
import type { BoardDiff, DiffOtherRecord, DiffShape, DiffShapeChange, DiffShapeMove, PagePoint } from './versionSchemas.ts'

/** A record as the diff reads it: any object; only `id`, `typeName` and the shape fields below are looked at. */
export type PlainRecord = { id: string; typeName: string } & Record<string, unknown>

/**
 * A board given as the JSON text of each record, by id: the diff compares texts first and parses only the records
 * that differ (and the parents it needs for their positions), so two stored 10,000-record versions compare without
 * parsing 20,000 records. Equal texts mean equal records; different texts are compared after parsing.
 */
export type BoardTexts = ReadonlyMap<string, string>

/** Either form of a board, read by id; records are parsed from text at most once. */
interface DiffBoard {
  ids(): Iterable<string>
  has(id: string): boolean
  text(id: string): string | undefined
  get(id: string): PlainRecord | undefined
}

function boardOf(input: Iterable<PlainRecord> | BoardTexts): DiffBoard {
  if (input instanceof Map) {
    const texts = input as BoardTexts
    const parsed = new Map<string, PlainRecord>()
    return {
      ids: () => texts.keys(),
      has: (id) => texts.has(id),
      text: (id) => texts.get(id),
      get(id) {
        let record = parsed.get(id)
        if (record === undefined) {
          const text = texts.get(id)
          if (text === undefined) return undefined
          record = JSON.parse(text) as PlainRecord
          parsed.set(id, record)
        }
        return record
      },
    }
  }
  const byId = new Map<string, PlainRecord>()
  for (const record of input as Iterable<PlainRecord>) byId.set(record.id, record)
  return { ids: () => byId.keys(), has: (id) => byId.has(id), text: () => undefined, get: (id) => byId.get(id) }
}

/** Fields that place a shape rather than change it: compared through the page position and the parent. */
const PLACEMENT_FIELDS = new Set(['x', 'y', 'parentId'])
/** Position differences below this (page units) are rounding, not a move. */
const MOVE_EPSILON = 0.01

interface Placement {
  at: PagePoint
  rotation: number
  pageId: string | null
}

const num = (value: unknown, fallback = 0): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)

/** Page-space placement of every shape of a board, composed through parent frames and groups (rotation included). */
function placements(byId: { get(id: string): PlainRecord | undefined }): (id: string) => Placement {
  const cache = new Map<string, Placement>()
  const visiting = new Set<string>()
  const place = (id: string): Placement => {
    const cached = cache.get(id)
    if (cached !== undefined) return cached
    const record = byId.get(id)
    let result: Placement
    if (record === undefined || record.typeName !== 'shape') {
      result = { at: { x: 0, y: 0 }, rotation: 0, pageId: record?.typeName === 'page' ? id : null }
    } else if (visiting.has(id)) {
      // a parent cycle (a corrupt board): place the shape as if its parent were the page
      result = { at: { x: num(record.x), y: num(record.y) }, rotation: num(record.rotation), pageId: null }
    } else {
      visiting.add(id)
      const parentId = typeof record.parentId === 'string' ? record.parentId : ''
      const parent = place(parentId)
      visiting.delete(id)
      const x = num(record.x)
      const y = num(record.y)
      const cos = Math.cos(parent.rotation)
      const sin = Math.sin(parent.rotation)
      result = {
        at: { x: parent.at.x + x * cos - y * sin, y: parent.at.y + x * sin + y * cos },
        rotation: parent.rotation + num(record.rotation),
        pageId: parent.pageId,
      }
    }
    cache.set(id, result)
    return result
  }
  return place
}

function sizeOf(record: PlainRecord): DiffShape['size'] {
  const props = record.props as { w?: unknown; h?: unknown } | undefined
  if (props === undefined || typeof props !== 'object' || props === null) return null
  return typeof props.w === 'number' && typeof props.h === 'number' ? { w: props.w, h: props.h } : null
}

function describeShape(record: PlainRecord, place: (id: string) => Placement): DiffShape {
  const placement = place(record.id)
  const round = (n: number) => Math.round(n * 100) / 100
  return {
    id: record.id,
    type: typeof record.type === 'string' ? record.type : 'unknown',
    text: plainTextOfShape(record),
    pageId: placement.pageId,
    at: { x: round(placement.at.x), y: round(placement.at.y) },
    size: sizeOf(record),
  }
}

/** Names of the fields that differ between two versions of one record: top level, and inside props and meta. */
function changedFields(a: PlainRecord, b: PlainRecord, skip: ReadonlySet<string>): string[] {
  const fields: string[] = []
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of [...keys].sort()) {
    if (skip.has(key) || key === 'id' || key === 'typeName') continue
    const av = a[key]
    const bv = b[key]
    if ((key === 'props' || key === 'meta') && isObject(av) && isObject(bv)) {
      const inner = new Set([...Object.keys(av), ...Object.keys(bv)])
      for (const name of [...inner].sort()) {
        if (!jsonEqual(av[name], bv[name])) fields.push(`${key}.${name}`)
      }
    } else if (!jsonEqual(av, bv)) {
      fields.push(key)
    }
  }
  return fields
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const byPosition = (a: { at: PagePoint; id: string }, b: { at: PagePoint; id: string }) =>
  a.at.y - b.at.y || a.at.x - b.at.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * What changed from board `from` to board `to`. Lists are in reading order (top to bottom, left to right) so that
 * "said in words" they follow the board. A record seen as equal (same canonical JSON) is never reported.
 */
export function diffBoards(from: Iterable<PlainRecord> | BoardTexts, to: Iterable<PlainRecord> | BoardTexts): BoardDiff {
  const a = boardOf(from)
  const b = boardOf(to)
  const placeA = placements(a)
  const placeB = placements(b)
  const added: DiffShape[] = []
  const removed: DiffShape[] = []
  const changed: DiffShapeChange[] = []
  const moved: DiffShapeMove[] = []
  const others: DiffOtherRecord[] = []

  for (const id of a.ids()) {
    const textA = a.text(id)
    if (textA !== undefined && textA === b.text(id)) continue
    const before = a.get(id)!
    const after = b.get(id)
    const isShape = before.typeName === 'shape'
    if (after === undefined) {
      if (isShape) removed.push(describeShape(before, placeA))
      else others.push({ id, typeName: before.typeName, change: 'removed' })
      continue
    }
    if (after.typeName !== 'shape' || !isShape) {
      if (!jsonEqual(before, after)) others.push({ id, typeName: after.typeName, change: 'changed' })
      continue
    }
    if (before === after || jsonEqual(before, after)) continue
    const shapeAfter = describeShape(after, placeB)
    const fields = changedFields(before, after, PLACEMENT_FIELDS)
    if (fields.length > 0) {
      const textBefore = plainTextOfShape(before)
      const textAfter = shapeAfter.text
      changed.push({ shape: shapeAfter, fields, text: textBefore === textAfter ? null : { before: textBefore, after: textAfter } })
    }
    // moved = its own position or parent changed (a frame that moves is one move, not one per card inside it)
    const parentBefore = typeof before.parentId === 'string' ? before.parentId : ''
    const parentAfter = typeof after.parentId === 'string' ? after.parentId : ''
    const reparented = parentBefore !== parentAfter
    const shifted = Math.abs(num(before.x) - num(after.x)) > MOVE_EPSILON || Math.abs(num(before.y) - num(after.y)) > MOVE_EPSILON
    if (reparented || shifted) {
      moved.push({
        shape: shapeAfter,
        from: describeShape(before, placeA).at,
        to: shapeAfter.at,
        parent: reparented ? { before: parentBefore, after: parentAfter } : null,
      })
    }
  }
  for (const id of b.ids()) {
    if (a.has(id)) continue
    const after = b.get(id)!
    if (after.typeName === 'shape') added.push(describeShape(after, placeB))
    else others.push({ id, typeName: after.typeName, change: 'added' })
  }

  added.sort(byPosition)
  removed.sort(byPosition)
  changed.sort((x, y) => byPosition(x.shape, y.shape))
  moved.sort((x, y) => byPosition(x.shape, y.shape))
  others.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
  return {
    added,
    removed,
    changed,
    moved,
    others,
    summary: { added: added.length, removed: removed.length, changed: changed.length, moved: moved.length, others: others.length },
  }
}

/** Shapes on a board, in total and by type: the `counts` of a version. */
export function countShapes(records: Iterable<{ typeName: string; type?: unknown }>): { shapes: number; byType: Record<string, number> } {
  let shapes = 0
  const byType: Record<string, number> = {}
  for (const record of records) {
    if (record.typeName !== 'shape') continue
    shapes++
    const type = typeof record.type === 'string' ? record.type : 'unknown'
    byType[type] = (byType[type] ?? 0) + 1
  }
  return { shapes, byType }
}
