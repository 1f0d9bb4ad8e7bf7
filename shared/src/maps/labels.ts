/** Labels of the ids a card's meaning is made of, in the wanted language. */
import type { Locale, MapTemplate, TemplateOption } from './templateSchema.ts'

export type MeaningField = 'facet' | 'category' | 'level' | 'phase' | 'row' | 'nodeType' | 'instrument'

export function optionsOf(t: MapTemplate, field: MeaningField): readonly TemplateOption[] {
  switch (t.kind) {
    case 'issues':
      return field === 'facet' ? t.facets : []
    case 'actors':
      return field === 'category' ? t.categories : field === 'level' ? t.levels : []
    case 'architecture':
      return field === 'nodeType' ? t.nodeTypes : field === 'instrument' ? t.instruments : []
    case 'programme':
      return field === 'phase' ? t.phases : field === 'row' ? t.rows : []
  }
}

/** The label of `id` for `field` in the template, or null when the template has no such option. */
export function optionLabel(t: MapTemplate, field: MeaningField, id: string | null, locale: Locale): string | null {
  if (id === null) return null
  return optionsOf(t, field).find((o) => o.id === id)?.label[locale] ?? null
}
