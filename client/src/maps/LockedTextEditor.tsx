import { useEffect, useId, useRef, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useT } from '../i18n/useT.ts'
import { editLockedTextsOnDoubleClick, lockedTextOf, writeLockedText } from './lockedTextEdit.ts'

/**
 * Facilitators (maps SPEC MP16): the box in which a map's locked text (central question, header) is edited in place,
 * over the shape, after a double click on it. Enter or «Salva» saves, Shift+Enter adds a line, Esc or «Annulla»
 * cancels (leaving the box does neither: a tap elsewhere on a phone must not save half a sentence).
 */
export function LockedTextEditor() {
  const editor = useEditor()
  const { role } = useBoardSessionContext()
  const [editing, setEditing] = useState<{ id: TLShapeId; text: string } | null>(null)
  useEffect(
    () => (role === 'facilitator' ? editLockedTextsOnDoubleClick(editor, (shape) => setEditing({ id: shape.id, text: lockedTextOf(shape) })) : undefined),
    [editor, role],
  )
  if (editing === null) return null
  return <LockedTextBox key={editing.id} id={editing.id} initial={editing.text} onDone={() => setEditing(null)} />
}

function LockedTextBox({ id, initial, onDone }: { id: TLShapeId; initial: string; onDone(): void }) {
  const t = useT()
  const editor = useEditor()
  const labelId = useId()
  const [text, setText] = useState(initial)
  const [empty, setEmpty] = useState(false)
  const ref = useRef<HTMLTextAreaElement>(null)
  const done = useRef(false)
  // the shape's box on screen, followed while the camera moves
  const box = useValue(
    'locked text box',
    () => {
      const b = editor.getShapePageBounds(id)
      if (!b) return null
      const tl = editor.pageToViewport({ x: b.minX, y: b.minY })
      const br = editor.pageToViewport({ x: b.maxX, y: b.maxY })
      return { left: tl.x, top: tl.y, width: br.x - tl.x, height: br.y - tl.y }
    },
    [editor, id],
  )
  useEffect(() => {
    ref.current?.focus()
    ref.current?.select()
  }, [])
  // Esc cancels even when tldraw's own keyboard handling sees the key first (it takes the focus back to the canvas)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || done.current) return
      e.stopPropagation()
      done.current = true
      onDone()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [onDone])
  const finish = (save: boolean) => {
    if (done.current) return
    if (save && text.trim() === '') {
      setEmpty(true)
      return
    }
    done.current = true
    if (save) writeLockedText(editor, id, text)
    onDone()
  }
  if (box === null) return null
  // centred on the shape, no wider than a comfortable line: a wide question box would run under the side panels
  const width = Math.min(Math.max(280, Math.min(box.width, 640)), window.innerWidth - 16)
  const left = Math.min(Math.max(8, box.left + (box.width - width) / 2), window.innerWidth - width - 8)
  const top = Math.min(Math.max(8, box.top), window.innerHeight - 140)
  return (
    <div className="tavolo-locked-text" style={{ left, top, width }} data-testid="locked-text-editor">
      <label id={labelId} className="tavolo-locked-text-label">
        {t('maps.lockedText.label')}
      </label>
      <textarea
        ref={ref}
        aria-labelledby={labelId}
        aria-invalid={empty}
        value={text}
        rows={Math.min(4, Math.max(2, text.split('\n').length))}
        onChange={(e) => {
          setText(e.target.value)
          setEmpty(false)
        }}
        onKeyDown={(e) => {
          e.stopPropagation()
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault()
            finish(true)
          }
        }}
        data-testid="locked-text-input"
      />
      <p className={empty ? 'tavolo-error' : 'tavolo-locked-text-hint'} role={empty ? 'alert' : undefined}>
        {empty ? t('maps.lockedText.empty') : t('maps.lockedText.hint')}
      </p>
      <div className="tavolo-locked-text-actions">
        <button type="button" className="tavolo-vote-button" onClick={() => finish(false)} data-testid="locked-text-cancel">
          {t('maps.lockedText.cancel')}
        </button>
        <button type="button" className="tavolo-vote-button tavolo-vote-primary" onClick={() => finish(true)} data-testid="locked-text-save">
          {t('maps.lockedText.save')}
        </button>
      </div>
    </div>
  )
}
