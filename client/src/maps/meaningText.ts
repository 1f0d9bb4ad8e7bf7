import { optionLabel, type CardMeaning, type MeaningField } from '../../../shared/src/maps/index.ts'
import type { Locale, MapTemplate } from '../../../shared/src/maps/templateSchema.ts'

/** The fields a card's meaning is made of on each kind of map, in reading order. */
export function fieldsOf(kind: CardMeaning['kind']): MeaningField[] {
  switch (kind) {
    case 'issues':
      return ['facet']
    case 'actors':
      return ['category', 'level']
    case 'architecture':
      return ['nodeType']
    case 'programme':
      return ['phase', 'row']
  }
}

/** The id a meaning holds for a field (null: the position says nothing and no override is set). */
export function valueOf(meaning: CardMeaning, field: MeaningField): string | null {
  const m = meaning as unknown as Record<string, unknown>
  const v = m[field]
  return typeof v === 'string' ? v : null
}

/**
 * ["Reti solidali attive", "Nucleo fondativo"]: the labels of what the card means (empty when it means nothing).
 * Phases are numbered as on the map ("Fase 2 · Mappatura…"): `phaseWord` is "Fase" or "Phase".
 */
export function meaningLabels(template: MapTemplate, meaning: CardMeaning, locale: Locale, phaseWord: string): string[] {
  const out: string[] = []
  for (const field of fieldsOf(meaning.kind)) {
    const id = valueOf(meaning, field)
    const label = optionLabel(template, field, id, locale)
    if (label === null) continue
    const phaseNumber = field === 'phase' && template.kind === 'programme' ? template.phases.findIndex((p) => p.id === id) + 1 : 0
    out.push(phaseNumber > 0 ? `${phaseWord} ${phaseNumber} · ${label}` : label)
  }
  return out
}

/**
 * The lines of a card's badge: short enough to sit under a card. A programme card reads "Fase 2 · Obiettivi" (the
 * phase's full name is in the column header right above it, and in the badge's accessible label); the other maps
 * give one line per field.
 */
export function badgeLines(template: MapTemplate, meaning: CardMeaning, locale: Locale, phaseWord: string): string[] {
  if (meaning.kind !== 'programme' || template.kind !== 'programme') return meaningLabels(template, meaning, locale, phaseWord)
  const n = template.phases.findIndex((p) => p.id === meaning.phase) + 1
  const row = optionLabel(template, 'row', meaning.row, locale)
  const parts = [n > 0 ? `${phaseWord} ${n}` : null, row].filter((x): x is string => x !== null)
  return parts.length === 0 ? [] : [parts.join(' · ')]
}
