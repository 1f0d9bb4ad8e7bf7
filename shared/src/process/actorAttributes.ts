/**
 * The optional attributes of an actor card (issue 22, process SPEC PR8): the values practitioners track over a process
 * (engagement now and wanted, IAP2 level), declared in the actor template's `attributes` (data, not code) and stored
 * in the card's `meta.tavoloActor` as `{ [attributeId]: optionId }`. Readers are forgiving: an unknown attribute or
 * value is ignored, never an error. Pure.
 */
import type { ActorsTemplate } from '../maps/templateSchema.ts'

export const ACTOR_META_KEY = 'tavoloActor'

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The attributes a card sets that its template declares, with values the template knows. */
export function actorAttributesOf(record: unknown, template: ActorsTemplate): Record<string, string> {
  const meta = isObject(record) && isObject(record.meta) ? record.meta[ACTOR_META_KEY] : undefined
  if (!isObject(meta)) return {}
  const out: Record<string, string> = {}
  for (const a of template.attributes ?? []) {
    const value = meta[a.id]
    if (typeof value === 'string' && a.options.some((o) => o.id === value)) out[a.id] = value
  }
  return out
}

/** A card's `meta` with one attribute set (a value) or cleared (null); other keys untouched. */
export function metaWithActorAttribute(meta: unknown, attributeId: string, value: string | null): Record<string, unknown> {
  const base = isObject(meta) ? { ...meta } : {}
  const current = isObject(base[ACTOR_META_KEY]) ? { ...(base[ACTOR_META_KEY] as Record<string, unknown>) } : {}
  if (value === null) delete current[attributeId]
  else current[attributeId] = value
  if (Object.keys(current).length === 0) delete base[ACTOR_META_KEY]
  else base[ACTOR_META_KEY] = current
  return base
}

/**
 * PR9: how many values the engagement reached is below the one wanted (0 = reached or above); null when the template
 * declares no gap or the card sets one of the two.
 */
export function engagementGap(attributes: Record<string, string>, template: ActorsTemplate): { now: string; wanted: string; levels: number } | null {
  const gap = template.engagementGap
  if (gap === undefined) return null
  const now = attributes[gap.now]
  const wanted = attributes[gap.wanted]
  const options = template.attributes?.find((a) => a.id === gap.now)?.options
  if (now === undefined || wanted === undefined || options === undefined) return null
  const at = (id: string) => options.findIndex((o) => o.id === id)
  return { now, wanted, levels: Math.max(0, at(wanted) - at(now)) }
}
