import { useEffect, useId, useRef, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { getTemplate, type CardMeaning, type MeaningField } from '../../../shared/src/maps/index.ts'
import { optionsOf } from '../../../shared/src/maps/labels.ts'
import { meaningInFrame, meaningOverride } from '../../../shared/src/maps/meaning.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import type { MessageKey } from '../i18n/it.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'
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

interface Selected {
  id: TLShapeId
  meaning: CardMeaning
  /** What the position alone says, shown beside "Automatico". */
  fromPosition: CardMeaning
  x: number
  y: number
}

/**
 * "Significato": beside the one selected card on a map, a button that opens a small panel where the card's
 * category and level (facet, phase and row, instrument type) can be chosen by hand, or given back to the position
 * ("Automatico (dalla posizione)"). Hidden while the card is dragged or its text edited.
 */
export function CardMeaningControl() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const { role } = useBoardSessionContext()
  const titleId = useId()
  const [openFor, setOpenFor] = useState<TLShapeId | null>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const selected = useValue(
    'card meaning control',
    (): Selected | null => {
      const ids = editor.getSelectedShapeIds()
      if (ids.length !== 1 || editor.getEditingShapeId() !== null) return null
      if (!editor.isIn('select.idle')) return null
      const id = ids[0]!
      const board = currentPageMapIndex(editor)
      const meaning = board?.index.meaning(id)
      const frame = board?.index.frameOf(id)
      if (!board || !meaning || !frame) return null
      const geometry = board.index.geometry
      const fromPosition = meaningInFrame(frame, geometry.toLocal(frame.id, geometry.center(id)), {})
      const bounds = editor.getShapePageBounds(id)
      if (!bounds) return null
      const corner = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
      return { id, meaning, fromPosition, x: corner.x, y: corner.y }
    },
    [editor],
  )
  const open = selected !== null && openFor === selected.id

  useEffect(() => {
    if (!open) return
    panelRef.current?.querySelector('select')?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      setOpenFor(null)
      buttonRef.current?.focus()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [open])

  if (!selected || !canEditBoard(role)) return null
  const template = getTemplate(selected.meaning.templateId)
  if (!template) return null
  const override = meaningOverride(editor.getShape(selected.id))
  // Beside the card's top-right corner, but never past the right edge of the screen (phones).
  const screenWidth = editor.getViewportScreenBounds().w
  const left = Math.round(Math.max(8, Math.min(selected.x + 8, screenWidth - 308)))
  const top = Math.round(Math.max(8, selected.y))

  return (
    <div className="tavolo-card-meaning" style={{ transform: `translate(${left}px, ${top}px)` }} data-testid="card-meaning">
      <button
        ref={buttonRef}
        type="button"
        className="tavolo-card-meaning-button"
        aria-expanded={open}
        onClick={() => setOpenFor(open ? null : selected.id)}
        data-testid="card-meaning-open"
      >
        ✎ {t('maps.card.edit')}
      </button>
      {open && (
        <div ref={panelRef} className="tavolo-card-meaning-panel" role="dialog" aria-labelledby={titleId} data-testid="card-meaning-panel">
          <p id={titleId} className="tavolo-card-meaning-title">
            {t('maps.card.editFor')}
          </p>
          {fieldsOf(selected.meaning.kind).map((field) => {
            const auto = valueOf(selected.fromPosition, field)
            const autoLabel = optionsOf(template, field).find((o) => o.id === auto)?.label[locale] ?? t('maps.card.outside')
            return (
              <label key={field} className="tavolo-card-meaning-field">
                <span>{t(FIELD_LABEL[field])}</span>
                <select
                  value={(override as Record<string, string | undefined>)[field] ?? ''}
                  onChange={(e) => setMeaningOverride(editor, selected.id, field, e.target.value === '' ? null : e.target.value)}
                  data-testid={`card-meaning-${field}`}
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
          <button
            type="button"
            className="tavolo-card-meaning-close"
            onClick={() => {
              setOpenFor(null)
              buttonRef.current?.focus()
            }}
          >
            {t('maps.card.close')}
          </button>
        </div>
      )}
    </div>
  )
}
