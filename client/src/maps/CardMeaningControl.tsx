import { useEffect, useId, useRef, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import type { BoardIndex } from '../../../shared/src/maps/index.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'
import { MeaningFields } from './MeaningFields.tsx'

interface Selected {
  id: TLShapeId
  index: BoardIndex
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
      if (!board || !board.index.meaning(id)) return null
      const bounds = editor.getShapePageBounds(id)
      if (!bounds) return null
      const corner = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
      return { id, index: board.index, x: corner.x, y: corner.y }
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
          <MeaningFields shapeId={selected.id} index={selected.index} testIdPrefix="card-meaning" />
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
