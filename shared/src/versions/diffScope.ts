/**
 * Which records a diff of two boards needs (server/src/versions/SPEC.md V8): the records whose JSON text differs,
 * and the few unchanged ones that decide how those read. Everything else is equal on both sides and says nothing, so
 * the diffs run on these records alone and give the same answer as on the whole boards:
 * - the shape diff (boardDiff.ts) needs the differing records and their ancestors (page positions, page id);
 * - the diff in the words of the maps (maps/semanticDiff.ts) also needs every shape under a differing shape (its
 *   place moved with it), every arrow bound to an affected record with all its bindings and their shapes (a relation
 *   and its names, maps MP7), every frame (which map a card on the page falls in, MP4), and the ancestors of all of
 *   them. When a frame itself, or a shape holding one, differs, any card may have changed map: then it needs the
 *   whole boards.
 * Works on outlines (recordOutline.ts) and texts, never parses a record. Pure.
 */
import type { RecordOutline } from './recordOutline.ts'

/** One side of a diff: `texts[i]` is the JSON text of the record outlined by `outline[i]`. */
export interface DiffSide {
  outline: readonly RecordOutline[]
  texts: readonly string[]
}

export interface DiffScope {
  /** The texts by id the shape diff needs, of each side (diffBoards takes them as they are). */
  shapes: { from: Map<string, string>; to: Map<string, string> }
  /** Positions (in `outline`/`texts`) of the records the semantic diff needs, of each side; null: all of them. */
  semantic: { from: number[]; to: number[] } | null
  /** Ids of the records that differ (added, removed or changed). */
  differing: ReadonlySet<string>
}

/** Chains longer than this are corrupt (a parent cycle): the walk stops, as the diffs' own walks do. */
const MAX_DEPTH = 64

interface IndexedSide {
  side: DiffSide
  at: Map<string, number>
  /** Lazily built: children by parent id, bindings by the ids they bind. */
  children?: Map<string, string[]>
  bindings?: Map<string, number[]>
}

function indexed(side: DiffSide): IndexedSide {
  const at = new Map<string, number>()
  side.outline.forEach((o, i) => at.set(o.id, i))
  return { side, at }
}

function outlineIn(s: IndexedSide, id: string): RecordOutline | undefined {
  const i = s.at.get(id)
  return i === undefined ? undefined : s.side.outline[i]
}

function childrenIn(s: IndexedSide): Map<string, string[]> {
  if (s.children === undefined) {
    s.children = new Map()
    for (const o of s.side.outline) {
      if (o.parentId === null) continue
      const list = s.children.get(o.parentId)
      if (list === undefined) s.children.set(o.parentId, [o.id])
      else list.push(o.id)
    }
  }
  return s.children
}

/** Bindings (positions) by the id of each record they name, arrow or shape. */
function bindingsIn(s: IndexedSide): Map<string, number[]> {
  if (s.bindings === undefined) {
    s.bindings = new Map()
    s.side.outline.forEach((o, i) => {
      for (const end of [o.fromId, o.toId]) {
        if (end === null) continue
        const list = s.bindings!.get(end)
        if (list === undefined) s.bindings!.set(end, [i])
        else list.push(i)
      }
    })
  }
  return s.bindings
}

/** Adds the records `id` hangs from; `shapesOnly`: only the shapes among them (a page places nothing). */
function addAncestors(s: IndexedSide, id: string, into: Set<string>, shapesOnly = false): void {
  let parent = outlineIn(s, id)?.parentId ?? null
  for (let depth = 0; parent !== null && depth < MAX_DEPTH; depth++) {
    const o = outlineIn(s, parent)
    if (o === undefined || (shapesOnly && !isShape(o))) return
    into.add(parent)
    parent = o.parentId
  }
}

const isShape = (o: RecordOutline | undefined) => o?.typeName === 'shape'
const isFrame = (o: RecordOutline | undefined) => isShape(o) && o?.type === 'frame'

/** What to diff of `from` → `to`. */
export function diffScope(from: DiffSide, to: DiffSide): DiffScope {
  const a = indexed(from)
  const b = indexed(to)
  const sides = [a, b]
  const differing = new Set<string>()
  from.outline.forEach((o, i) => {
    const j = b.at.get(o.id)
    if (j === undefined || to.texts[j] !== from.texts[i]) differing.add(o.id)
  })
  for (const o of to.outline) if (!a.at.has(o.id)) differing.add(o.id)

  const shapeIds = new Set(differing)
  for (const id of differing) for (const s of sides) addAncestors(s, id, shapeIds)
  const textsOf = (s: IndexedSide) => {
    const texts = new Map<string, string>()
    for (const id of shapeIds) {
      const i = s.at.get(id)
      if (i !== undefined) texts.set(id, s.side.texts[i]!)
    }
    return texts
  }
  return { shapes: { from: textsOf(a), to: textsOf(b) }, semantic: semanticScope(sides, differing), differing }
}

function semanticScope(sides: IndexedSide[], differing: ReadonlySet<string>): DiffScope['semantic'] {
  // every frame and the shapes that hold it: if any of them differs, cards anywhere may have changed map
  const frames = new Set<string>()
  for (const s of sides) {
    for (const o of s.side.outline) {
      if (!isFrame(o)) continue
      frames.add(o.id)
      addAncestors(s, o.id, frames, true)
    }
  }
  for (const id of differing) if (frames.has(id)) return null

  // affected: what differs, and every shape under a differing shape (its page position moved with it)
  const affected = new Set(differing)
  const stack = [...differing].filter((id) => sides.some((s) => isShape(outlineIn(s, id))))
  while (stack.length > 0) {
    const id = stack.pop()!
    for (const s of sides) {
      for (const child of childrenIn(s).get(id) ?? []) {
        if (affected.has(child)) continue
        affected.add(child)
        stack.push(child)
      }
    }
  }

  const needed = new Set([...affected, ...frames])
  // each arrow an affected record takes part in (as the arrow, a binding or a bound shape), with all its bindings and
  // the shapes they bind: the relation's ends and names are read from them
  const arrows = new Set<string>()
  for (const id of affected) {
    for (const s of sides) {
      const o = outlineIn(s, id)
      if (o?.typeName === 'binding' && o.fromId !== null) arrows.add(o.fromId)
      if (isShape(o)) {
        if (o?.type === 'arrow') arrows.add(id)
        for (const i of bindingsIn(s).get(id) ?? []) {
          const fromId = s.side.outline[i]!.fromId
          if (fromId !== null) arrows.add(fromId)
        }
      }
    }
  }
  for (const arrow of arrows) {
    needed.add(arrow)
    for (const s of sides) {
      for (const i of bindingsIn(s).get(arrow) ?? []) {
        const binding = s.side.outline[i]!
        if (binding.fromId !== arrow) continue
        needed.add(binding.id)
        if (binding.toId !== null) needed.add(binding.toId)
      }
    }
  }
  for (const id of [...needed]) for (const s of sides) addAncestors(s, id, needed)

  const positions = (s: IndexedSide) => {
    const out: number[] = []
    for (const id of needed) {
      const i = s.at.get(id)
      if (i !== undefined) out.push(i)
    }
    // the boards' own order: the semantic diff lists ties in it
    return out.sort((x, y) => x - y)
  }
  return { from: positions(sides[0]!), to: positions(sides[1]!) }
}
