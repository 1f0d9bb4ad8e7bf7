/**
 * Boards for process tests: an actor map, a map of issues and the operative architecture, with cards placed by
 * meaning and deterministic ids, so that several "meetings" can share card ids (a continued board) or not (cards
 * written again by hand).
 */
import { arrowRecords, noteRecord, placeRect, slotPosition } from '../../shared/src/maps/cards.ts'
import { instantiateTemplate, type ShapeRecordJson } from '../../shared/src/maps/instantiate.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'
import type { MapTemplate } from '../../shared/src/maps/templateSchema.ts'
import { ACTOR_META_KEY } from '../../shared/src/process/actorAttributes.ts'
import type { ProcessMeetingBoard } from '../../shared/src/process/processHistory.ts'

export interface BoardSpec {
  actors?: Array<{ id: string; text: string; category: string; level: string; attributes?: Record<string, string> }>
  issues?: Array<{ id: string; text: string; facet: string }>
  /** Relations between the architecture's default instruments (by instrument id). */
  relations?: Array<{ id: string; from: string; to: string; text: string }>
}

function template(id: string): MapTemplate {
  const t = getTemplate(id)
  if (t === null) throw new Error(`no template ${id}`)
  return t
}

export function processBoard(spec: BoardSpec): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [
    { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
    { id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} },
  ]
  const frame = (id: string, x: number, index: string): ShapeRecordJson[] => {
    let n = 0
    const frameId = `shape:test-${id}`
    const records = instantiateTemplate(template(id), { x, y: 0, locale: 'it', index, makeId: () => (n++ === 0 ? frameId : `${frameId}-s${n - 1}`) })
    out.push(...records)
    return records
  }
  const slots = new Map<string, number>()
  const card = (mapId: string, id: string, text: string, place: Parameters<typeof placeRect>[1], order: number, meta?: Record<string, unknown>) => {
    const rect = placeRect(template(mapId), place)
    if (rect === null) throw new Error(`no place ${JSON.stringify(place)} on ${mapId}`)
    const key = `${mapId}${JSON.stringify(place)}`
    const slot = slots.get(key) ?? 0
    slots.set(key, slot + 1)
    out.push(noteRecord({ id, parentId: `shape:test-${mapId}`, ...slotPosition(rect, slot, 60), text, order, meta }))
  }
  if (spec.actors !== undefined) {
    frame('actors', 0, 'a2')
    spec.actors.forEach((a, i) =>
      card('actors', a.id, a.text, { category: a.category, level: a.level }, i, a.attributes === undefined ? undefined : { [ACTOR_META_KEY]: a.attributes }),
    )
  }
  if (spec.issues !== undefined) {
    frame('issues', 4000, 'a3')
    spec.issues.forEach((c, i) => card('issues', c.id, c.text, { facet: c.facet }, i))
  }
  if (spec.relations !== undefined) {
    const records = frame('architecture', 8000, 'a4')
    const t = template('architecture')
    if (t.kind !== 'architecture') throw new Error('architecture template')
    const nodeOf = (instrument: string) => {
      const record = records.find((r) => (r.meta.tavoloMap as { instrument?: unknown } | undefined)?.instrument === instrument)
      const rect = t.instruments.find((i) => i.id === instrument)?.rect
      if (record === undefined || rect === undefined) throw new Error(`no instrument ${instrument}`)
      return { id: record.id, rect }
    }
    spec.relations.forEach((r, i) => out.push(...arrowRecords({ id: r.id, parentId: 'shape:test-architecture', from: nodeOf(r.from), to: nodeOf(r.to), text: r.text, order: i })))
  }
  return out
}

/** A meeting of a process test: number k (1-based), its board, its version k of `total`. */
export function meetingBoard(k: number, spec: BoardSpec, version: { number: number; total: number } | null = { number: 1, total: 1 }): ProcessMeetingBoard {
  return {
    meeting: { id: `meeting${k}`, title: `Incontro di prova ${k}`, startsAt: `2026-0${k}-01T10:00:00+02:00`, createdAt: `2026-0${k}-01T08:00:00Z` },
    version: version === null ? null : { ...version, label: `v${version.number}` },
    records: processBoard(spec),
  }
}
