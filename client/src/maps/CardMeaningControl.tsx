import { useEffect, useId, useRef, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import type { BoardIndex } from '../../../shared/src/maps/index.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'
import { MeaningFields } from './MeaningFields.tsx'
import { ActorAttributeFields } from './ActorAttributeFields.tsx'
import { meaningPlacement, type ScreenRect } from './meaningPlacement.ts'

interface Selected {
  id: TLShapeId
  index: BoardIndex
  /** The card on screen (CSS px from the canvas's top-left). */
  card: ScreenRect
}

/** Room the open panel takes (its width and a typical height with two selects; more scroll inside it, maps.css). */
const PANEL = { w: 300, h: 260 }

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
      const tl = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
      const br = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
      return { id, index: board.index, card: { x: tl.x, y: tl.y, w: br.x - tl.x, h: br.y - tl.y } }
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
  // Beside the card, never over it (meaningPlacement.ts): a tap on the card is for typing in it.
  const screen = editor.getViewportScreenBounds()
  const place = meaningPlacement(selected.card, { w: screen.w, h: screen.h }, PANEL)
  const shift = place.side === 'above' ? ' translateY(-100%)' : ''

  return (
    <div
      className={`tavolo-card-meaning tavolo-card-meaning-${place.side}`}
      style={{ transform: `translate(${Math.round(place.x)}px, ${Math.round(place.y)}px)${shift}` }}
      data-testid="card-meaning"
      data-side={place.side}
    >
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
          <ActorAttributeFields shapeId={selected.id} index={selected.index} testIdPrefix="card-meaning" />
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
