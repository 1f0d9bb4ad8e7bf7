import { useEditor, type TLShapeId } from 'tldraw'
import { getTemplate, type BoardIndex, type MeaningField } from '../../../shared/src/maps/index.ts'
import { optionsOf } from '../../../shared/src/maps/labels.ts'
import { meaningInFrame, meaningOverride } from '../../../shared/src/maps/meaning.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { fieldsOf, valueOf } from './meaningText.ts'
import { setMeaningOverride } from './meaningOverride.ts'

const FIELD_LABEL: Record<MeaningField, MessageKey> = {
  facet: 'maps.card.facet',
  category: 'maps.card.category',
  level: 'maps.card.level',
  phase: 'maps.card.phase',
  row: 'maps.card.row',
  nodeType: 'maps.card.nodeType',
  instrument: 'maps.card.nodeType',
}

/**
 * One select per field of a card's meaning on its map ("Categoria", "Livello", ...), "Automatico (dalla
 * posizione): <what the position says>" first. Choosing writes the override; "Automatico" clears it. Shared by the
 * popover beside a selected card and the board as text (the keyboard and screen-reader path).
 */
export function MeaningFields({ shapeId, index, testIdPrefix }: { shapeId: TLShapeId; index: BoardIndex; testIdPrefix: string }) {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const meaning = index.meaning(shapeId)
  const frame = index.frameOf(shapeId)
  const template = meaning ? getTemplate(meaning.templateId) : null
  if (!meaning || !frame || !template) return null
  const geometry = index.geometry
  const fromPosition = meaningInFrame(frame, geometry.toLocal(frame.id, geometry.center(shapeId)), {})
  const override = meaningOverride(index.byId.get(shapeId)) as Record<string, string | undefined>
  return (
    <>
      {fieldsOf(meaning.kind).map((field) => {
        const auto = valueOf(fromPosition, field)
        const autoLabel = optionsOf(template, field).find((o) => o.id === auto)?.label[locale] ?? t('maps.card.outside')
        return (
          <label key={field} className="tavolo-card-meaning-field">
            <span>{t(FIELD_LABEL[field])}</span>
            <select
              value={override[field] ?? ''}
              onChange={(e) => setMeaningOverride(editor, shapeId, field, e.target.value === '' ? null : e.target.value)}
              data-testid={`${testIdPrefix}-${field}`}
            >
              <option value="">
                {t('maps.card.auto')}: {autoLabel}
              </option>
              {optionsOf(template, field).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label[locale]}
                </option>
              ))}
            </select>
          </label>
        )
      })}
    </>
  )
}
