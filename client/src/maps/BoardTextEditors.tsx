import { createContext, useContext, useEffect, useId, useRef, useState } from 'react'
import { useEditor, type TLShapeId } from 'tldraw'
import { mapCells, type MapCell } from '../../../shared/src/maps/cellPlacement.ts'
import type { BoardIndex, CardMeaning } from '../../../shared/src/maps/meaning.ts'
import type { Locale, MapTemplate } from '../../../shared/src/maps/templateSchema.ts'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { addCardInCell, deleteCard, hasEditableText, moveCardToCell, setCardText } from './outlineCardEdits.ts'

/**
 * What the board as text needs to let a person contribute: the index (null: they may not edit), a status line for
 * the outcome of their own actions (role="status": said without moving the focus) and the card whose item should
 * take the focus when it appears again (a moved card's item is remounted in its new list).
 */
export interface OutlineEditing {
  index: BoardIndex
  say: (message: string) => void
  /** This person just moved the card: its item takes the focus when it appears again (within a few seconds). */
  markMoved: (cardId: string) => void
  /** True for the item of a card this person moved in the last few seconds. */
  justMoved: (cardId: string) => boolean
}

export const OutlineEditingContext = createContext<OutlineEditing | null>(null)

/** The map a card is listed under (its frame and cells), or none for "Altri contenuti". */
export const OutlineMapContext = createContext<{ frameId: string; template: MapTemplate } | null>(null)

function cellKeyOf(meaning: CardMeaning | null): string {
  if (meaning === null) return ''
  if (meaning.kind === 'issues') return meaning.facet ?? ''
  if (meaning.kind === 'actors') return meaning.category !== null && meaning.level !== null ? `${meaning.category}/${meaning.level}` : ''
  if (meaning.kind === 'programme') return meaning.phase !== null && meaning.row !== null ? `${meaning.phase}/${meaning.row}` : ''
  return ''
}

function cellName(cell: MapCell, locale: Locale): string {
  return cell.label[locale]
}

/** "Aggiungi un attore in «…» – «…»": a cell select, a text field and the button, per map with cells. */
export function AddCardForm({ frameId, template, mapTitle }: { frameId: string; template: MapTemplate; mapTitle: string }) {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const editing = useContext(OutlineEditingContext)
  const cells = mapCells(template)
  const [cellKey, setCellKey] = useState(cells[0]?.key ?? '')
  const [text, setText] = useState('')
  const cellId = useId()
  const textId = useId()
  const textRef = useRef<HTMLInputElement>(null)
  if (editing === null || cells.length === 0) return null
  const cell = cells.find((c) => c.key === cellKey) ?? cells[0]!
  const action = t(template.kind === 'actors' ? 'maps.text.add.actorIn' : 'maps.text.add.cardIn', { cell: cellName(cell, locale) })
  return (
    <form
      className="tavolo-board-text-add"
      // one form per map: each names its map (landmarks with the same name cannot be told apart)
      aria-label={t('maps.text.add.heading', { map: mapTitle })}
      data-testid="board-text-add"
      onSubmit={(e) => {
        e.preventDefault()
        const clean = text.trim()
        if (clean === '') {
          editing.say(t('maps.text.add.needText'))
          textRef.current?.focus()
          return
        }
        addCardInCell(editor, frameId as TLShapeId, cell, clean)
        setText('')
        editing.say(t('maps.text.add.done', { text: clean, cell: cellName(cell, locale) }))
      }}
    >
      <label htmlFor={cellId}>{t('maps.text.add.cell')}</label>
      <select id={cellId} value={cell.key} onChange={(e) => setCellKey(e.target.value)} data-testid="board-text-add-cell">
        {cells.map((c) => (
          <option key={c.key} value={c.key}>
            {cellName(c, locale)}
          </option>
        ))}
      </select>
      <label htmlFor={textId}>{t('maps.text.add.text')}</label>
      <input id={textId} ref={textRef} type="text" value={text} onChange={(e) => setText(e.target.value)} maxLength={500} data-testid="board-text-add-text" />
      <button type="submit" className="tavolo-board-text-action" data-testid="board-text-add-submit">
        {action}
      </button>
    </form>
  )
}

/** "Cambia" beside a card: its text, the cell it sits in (a select, not a drag: WCAG 2.5.7), delete. */
export function CardChangeControls({ cardId, text }: { cardId: string; text: string }) {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const editing = useContext(OutlineEditingContext)
  const map = useContext(OutlineMapContext)
  const toggleRef = useRef<HTMLButtonElement>(null)
  // The item of a card just moved by this person comes back in its new list: open, with the focus on its toggle.
  const [wasMoved] = useState(() => editing !== null && editing.justMoved(cardId))
  const [open, setOpen] = useState(wasMoved)
  useEffect(() => {
    if (wasMoved) toggleRef.current?.focus()
  }, [wasMoved])
  const shape = editor.getShape(cardId as TLShapeId)
  const [draft, setDraft] = useState(text)
  const cells = map === null ? [] : mapCells(map.template)
  const current = editing === null ? '' : cellKeyOf(editing.index.meaning(cardId))
  const [target, setTarget] = useState(current)
  const textId = useId()
  const moveId = useId()
  if (editing === null || shape === undefined) return null
  if (isTavoloLocked(shape)) return <span className="tavolo-board-text-muted"> ({t('maps.text.locked')})</span>
  return (
    <>
      <button
        type="button"
        ref={toggleRef}
        className="tavolo-board-text-show"
        aria-expanded={open}
        aria-label={t('maps.text.changeCard', { text })}
        onClick={() => {
          if (!open) {
            setDraft(text)
            setTarget(current)
          }
          setOpen(!open)
        }}
        data-testid="board-text-change"
      >
        {t('maps.text.change')}
      </button>
      {open && (
        <div className="tavolo-board-text-meaning" data-testid="board-text-change-fields">
          {hasEditableText(shape) && (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                setCardText(editor, cardId as TLShapeId, draft.trim())
                editing.say(t('maps.text.edit.saved'))
              }}
            >
              <label htmlFor={textId}>{t('maps.text.edit.text')}</label>{' '}
              <input id={textId} type="text" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={500} data-testid="board-text-edit-text" />{' '}
              <button type="submit" className="tavolo-board-text-action" data-testid="board-text-edit-save">
                {t('maps.text.edit.save')}
              </button>
            </form>
          )}
          {map !== null && cells.length > 0 && (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                const cell = cells.find((c) => c.key === target)
                if (cell === undefined || target === current) return
                editing.markMoved(cardId)
                moveCardToCell(editor, cardId as TLShapeId, map.frameId as TLShapeId, cell)
                editing.say(t('maps.text.edit.moved', { text, cell: cellName(cell, locale) }))
              }}
            >
              <label htmlFor={moveId}>{t('maps.text.edit.moveTo')}</label>{' '}
              <select id={moveId} value={target} onChange={(e) => setTarget(e.target.value)} data-testid="board-text-move-cell">
                {current === '' && <option value="">{t('maps.text.edit.outside')}</option>}
                {cells.map((c) => (
                  <option key={c.key} value={c.key}>
                    {cellName(c, locale)}
                  </option>
                ))}
              </select>{' '}
              <button type="submit" className="tavolo-board-text-action" data-testid="board-text-move">
                {t('maps.text.edit.move')}
              </button>
            </form>
          )}
          <div>
            <button
              type="button"
              className="tavolo-board-text-action"
              onClick={() => {
                deleteCard(editor, cardId as TLShapeId)
                editing.say(t('maps.text.edit.deleted', { text }))
              }}
              data-testid="board-text-delete"
            >
              {t('maps.text.edit.delete')}
            </button>
          </div>
        </div>
      )}
    </>
  )
}
