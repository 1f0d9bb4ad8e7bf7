import { useEffect, useRef, useState } from 'react'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { createShapeId, startEditingShapeWithRichText, toRichText, useEditor, useValue, type TLFrameShape, type TLShapeId } from 'tldraw'
import { MAP_META_KEY, instrumentSlot, type ArchitectureTemplate, type Rect } from '../../../shared/src/maps/index.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useLocale, useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'

interface ArchitectureFrame {
  id: TLShapeId
  template: ArchitectureTemplate
  /** Screen position (in the editor) of the button: the bottom-left of the part of the frame in view. */
  x: number
  y: number
}

/**
 * Screen space the button must avoid: tldraw's toolbar along the bottom (two rows on a phone) and the facilitator
 * bar on the left when it is open. Bottom-left, because the top carries tldraw's menus, the meeting header and the
 * style panel, and the architecture's first node spans the top of the map.
 */
const BUTTON_PX = 44
function bottomBandPx(screenWidth: number): number {
  return screenWidth < 600 ? 160 : 110
}
function obscuredLeftPx(editor: ReturnType<typeof useEditor>): number {
  const bar = document.querySelector('.tavolo-lead-bar:not(.tavolo-lead-bar-closed)')?.getBoundingClientRect()
  return bar ? bar.right - editor.getViewportScreenBounds().x : 0
}

/** The operative-architecture frames in view, for the "Aggiungi strumento" button on each. */
function architectureFramesInView(editor: ReturnType<typeof useEditor>): ArchitectureFrame[] {
  const board = currentPageMapIndex(editor)
  if (!board) return []
  const viewport = editor.getViewportPageBounds()
  const out: ArchitectureFrame[] = []
  for (const frame of board.index.frames) {
    if (frame.template.kind !== 'architecture') continue
    const bounds = editor.getShapePageBounds(frame.id as TLShapeId)
    if (!bounds || !viewport.collides(bounds)) continue
    const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
    const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
    const screen = editor.getViewportScreenBounds()
    const x = Math.max(topLeft.x, obscuredLeftPx(editor)) + 8
    const y = Math.min(bottomRight.y, screen.h - bottomBandPx(screen.w)) - BUTTON_PX - 8
    // Only while there is room for it inside the frame.
    if (bottomRight.x - x < 160 || y < topLeft.y + 8) continue
    out.push({ id: frame.id as TLShapeId, template: frame.template, x, y })
  }
  return out
}

/**
 * Adds a typed instrument node to an operative-architecture map in a slot of the architecture's own layout (maps
 * MP15: the size of its ordinary nodes, on its rows, clear of the others), then opens its text so the person names
 * it. When the map is full the slot is in a new row below and the frame grows to hold it, if the person may change
 * the frame (`mayGrow`: a facilitator; a participant's change to the locked frame would be put back). The view
 * moves to the node when it is out of sight. The type goes in `meta.tavoloMap.nodeType` (what the report and the
 * badges read). One undoable step.
 */
export function addInstrumentNode(editor: ReturnType<typeof useEditor>, frameId: TLShapeId, template: ArchitectureTemplate, nodeType: string, mayGrow = false): TLShapeId | null {
  const frame = editor.getShape(frameId)
  const frameBounds = editor.getShapePageBounds(frameId)
  if (!frame || frame.type !== 'frame' || !frameBounds) return null
  const frameH = (frame as TLFrameShape).props.h
  const toFrame = editor.getShapePageTransform(frameId).clone().invert()
  const occupied: Rect[] = []
  for (const childId of editor.getSortedChildIdsForParent(frameId)) {
    const child = editor.getShape(childId)
    const b = editor.getShapePageBounds(childId)
    // The hint line and other structure may be overlapped, and arrows run between nodes; cards and nodes may not.
    if (!child || !b || child.type === 'arrow' || typeof child.meta.tavoloMapPart === 'string') continue
    const tl = toFrame.applyToPoint({ x: b.minX, y: b.minY })
    occupied.push({ x: tl.x, y: tl.y, w: b.w, h: b.h })
  }
  const slot = instrumentSlot(template, occupied, frameH, mayGrow ? Infinity : frameH)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('add instrument')
  editor.run(() => {
    if (slot.frameHeight > frameH) editor.updateShape<TLFrameShape>({ id: frameId, type: 'frame', props: { h: slot.frameHeight } })
    editor.createShape({
      id,
      type: 'geo',
      parentId: frameId,
      x: slot.rect.x,
      y: slot.rect.y,
      props: { geo: 'rectangle', w: slot.rect.w, h: slot.rect.h, fill: 'semi', color: 'light-blue', size: 'l', richText: toRichText('') },
      meta: { [MAP_META_KEY]: { nodeType } },
    })
    editor.select(id)
  })
  if (!editor.getShape(id)) return null
  const bounds = editor.getShapePageBounds(id)
  if (bounds && !editor.getViewportPageBounds().contains(bounds)) editor.centerOnPoint(bounds.center, { animation: { duration: 200 } })
  startEditingShapeWithRichText(editor, id)
  return id
}

/**
 * Where the type menu opens: above the button or below it, whichever has more room, never past the window's edges
 * (it scrolls inside when even that is too little; `MENU_MARGIN_PX` from each edge).
 */
const MENU_MARGIN_PX = 8
const MENU_WIDTH_PX = 300
function menuPlacement(f: ArchitectureFrame, screen: { w: number; h: number }): { above: boolean; maxHeight: number; shiftX: number } {
  const above = f.y - MENU_MARGIN_PX
  const below = screen.h - (f.y + BUTTON_PX) - MENU_MARGIN_PX
  const width = Math.min(MENU_WIDTH_PX, screen.w - 24)
  const shiftX = Math.min(0, screen.w - MENU_MARGIN_PX - (f.x + width)) - Math.min(0, f.x - MENU_MARGIN_PX)
  return { above: above >= below, maxHeight: Math.max(120, Math.max(above, below) - 6), shiftX }
}

/**
 * "Aggiungi strumento" at the bottom-left of every operative-architecture map in view (anyone who edits). The menu
 * of types stays in the window, its first type takes the focus, and Esc closes it with the focus back on the button.
 */
export function InstrumentAdder() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const { role } = useBoardSessionContext()
  const [openFor, setOpenFor] = useState<TLShapeId | null>(null)
  const buttons = useRef(new Map<TLShapeId, HTMLButtonElement>())
  const firstType = useRef<HTMLButtonElement | null>(null)
  const frames = useValue('architecture frames in view', () => architectureFramesInView(editor), [editor])
  const screen = useValue('viewport size', () => editor.getViewportScreenBounds(), [editor])
  useEffect(() => {
    if (openFor === null) return
    firstType.current?.focus()
    // Before tldraw's own Escape (which would leave the menu open and hold the key as pressed): capture, on the window.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      e.preventDefault()
      setOpenFor(null)
      buttons.current.get(openFor)?.focus()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [openFor])
  if (!canEditBoard(role)) return null
  return (
    <>
      {frames.map((f) => {
        const open = openFor === f.id
        const place = open ? menuPlacement(f, screen) : null
        return (
          <div
            key={f.id}
            className={`tavolo-instrument-adder${place && !place.above ? ' tavolo-instrument-adder-below' : ''}`}
            style={{ transform: `translate(${Math.round(f.x)}px, ${Math.round(f.y)}px)` }}
            data-testid="instrument-adder"
          >
            <button
              type="button"
              className="tavolo-instrument-adder-button"
              aria-expanded={open}
              ref={(el) => {
                if (el) buttons.current.set(f.id, el)
                else buttons.current.delete(f.id)
              }}
              onClick={() => setOpenFor(open ? null : f.id)}
              data-testid="instrument-add"
            >
              + {t('maps.instrument.add')}
            </button>
            {place && (
              <div
                className="tavolo-instrument-adder-menu"
                role="group"
                aria-label={t('maps.instrument.choose')}
                style={{ maxHeight: `${Math.round(place.maxHeight)}px`, transform: place.shiftX !== 0 ? `translateX(${Math.round(place.shiftX)}px)` : undefined }}
                data-testid="instrument-menu"
              >
                <p className="tavolo-instrument-adder-title">{t('maps.instrument.choose')}</p>
                {f.template.nodeTypes.map((type, i) => (
                  <button
                    key={type.id}
                    ref={i === 0 ? firstType : undefined}
                    type="button"
                    className="tavolo-instrument-adder-type"
                    onClick={() => {
                      setOpenFor(null)
                      addInstrumentNode(editor, f.id, f.template, type.id, role === 'facilitator')
                    }}
                    data-testid={`instrument-type-${type.id}`}
                  >
                    {type.label[locale]}
                  </button>
                ))}
                <p className="tavolo-instrument-adder-hint">{t('maps.instrument.hint')}</p>
              </div>
            )}
          </div>
        )
      })}
    </>
  )
}
