import { useEditor, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import type { BoardIndex } from '../../../shared/src/maps/index.ts'
import { getTemplate } from '../../../shared/src/maps/templates.ts'
import { actorAttributesOf, metaWithActorAttribute } from '../../../shared/src/process/actorAttributes.ts'
import { useLocale, useT } from '../i18n/useT.ts'

/** Sets or clears (null) one actor attribute in `meta.tavoloActor` (shared/src/process/SPEC.md PR8), one undoable step. */
function setActorAttribute(editor: Editor, shapeId: TLShapeId, attributeId: string, value: string | null): void {
  const shape = editor.getShape(shapeId)
  if (!shape) return
  const meta = metaWithActorAttribute(shape.meta, attributeId, value)
  editor.markHistoryStoppingPoint('set actor attribute')
  editor.run(() => editor.store.put([{ ...shape, meta } as TLShape]))
}

/**
 * The attributes an actor template declares (engagement now and wanted, IAP2 level: data in the template, not code),
 * one select each, "Non indicato" first. Tracked across the meetings of a process (the process page's gaps).
 */
export function ActorAttributeFields({ shapeId, index, testIdPrefix }: { shapeId: TLShapeId; index: BoardIndex; testIdPrefix: string }) {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const meaning = index.meaning(shapeId)
  const template = meaning?.kind === 'actors' ? getTemplate(meaning.templateId) : null
  if (template?.kind !== 'actors' || (template.attributes ?? []).length === 0) return null
  const values = actorAttributesOf(index.byId.get(shapeId), template)
  return (
    <>
      {(template.attributes ?? []).map((a) => (
        <label key={a.id} className="tavolo-card-meaning-field">
          <span>{a.label[locale]}</span>
          <select
            value={values[a.id] ?? ''}
            onChange={(e) => setActorAttribute(editor, shapeId, a.id, e.target.value === '' ? null : e.target.value)}
            data-testid={`${testIdPrefix}-attr-${a.id}`}
          >
            <option value="">{t('process.attribute.unset')}</option>
            {a.options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label[locale]}
              </option>
            ))}
          </select>
        </label>
      ))}
    </>
  )
}
