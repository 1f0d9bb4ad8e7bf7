import { useState } from 'react'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { createShapeId, startEditingShapeWithRichText, toRichText, useEditor, useValue, type TLShapeId } from 'tldraw'
import { MAP_META_KEY, type ArchitectureTemplate } from '../../../shared/src/maps/index.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useLocale, useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'
import { findFreePlace, type Box } from './freePlace.ts'

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
 * Adds a typed instrument node to an operative-architecture map, where the view shows it and nothing else is,
 * then opens its text so the person names it. The type goes in `meta.tavoloMap.nodeType` (what the report and
 * the badges read). One undoable step.
 */
export function addInstrumentNode(editor: ReturnType<typeof useEditor>, frameId: TLShapeId, template: ArchitectureTemplate, nodeType: string): TLShapeId | null {
  const frameBounds = editor.getShapePageBounds(frameId)
  if (!frameBounds) return null
  const sample = template.instruments[0]?.rect
  const size = { w: sample?.w ?? 360, h: sample?.h ?? 160 }
  const view = editor.getViewportPageBounds()
  const visible = {
    x: Math.max(view.minX, frameBounds.minX),
    y: Math.max(view.minY, frameBounds.minY),
    w: Math.max(1, Math.min(view.maxX, frameBounds.maxX) - Math.max(view.minX, frameBounds.minX)),
    h: Math.max(1, Math.min(view.maxY, frameBounds.maxY) - Math.max(view.minY, frameBounds.minY)),
  }
  const occupied: Box[] = []
  for (const childId of editor.getSortedChildIdsForParent(frameId)) {
    const child = editor.getShape(childId)
    const b = editor.getShapePageBounds(childId)
    // The hint line and other structure may be overlapped; cards and nodes may not.
    if (child && b && typeof child.meta.tavoloMapPart !== 'string') occupied.push({ x: b.x, y: b.y, w: b.w, h: b.h })
  }
  const page = findFreePlace(size, visible, occupied, 40)
  // Keep the node inside the frame, even when the free spot was found beside it.
  const clamped = {
    x: Math.min(Math.max(page.x, frameBounds.minX + 20), frameBounds.maxX - size.w - 20),
    y: Math.min(Math.max(page.y, frameBounds.minY + 60), frameBounds.maxY - size.h - 20),
  }
  const local = editor.getShapePageTransform(frameId).clone().invert().applyToPoint(clamped)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('add instrument')
  editor.run(() => {
    editor.createShape({
      id,
      type: 'geo',
      parentId: frameId,
      x: local.x,
      y: local.y,
      props: { geo: 'rectangle', w: size.w, h: size.h, fill: 'semi', color: 'light-blue', size: 'l', richText: toRichText('') },
      meta: { [MAP_META_KEY]: { nodeType } },
    })
    editor.select(id)
  })
  if (!editor.getShape(id)) return null
  startEditingShapeWithRichText(editor, id)
  return id
}

/** "Aggiungi strumento" at the bottom-left of every operative-architecture map in view (anyone who edits). */
export function InstrumentAdder() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const { role } = useBoardSessionContext()
  const [openFor, setOpenFor] = useState<TLShapeId | null>(null)
  const frames = useValue('architecture frames in view', () => architectureFramesInView(editor), [editor])
  if (!canEditBoard(role)) return null
  return (
    <>
      {frames.map((f) => (
        <div
          key={f.id}
          className="tavolo-instrument-adder"
          style={{ transform: `translate(${Math.round(f.x)}px, ${Math.round(f.y)}px)` }}
          data-testid="instrument-adder"
        >
          <button
            type="button"
            className="tavolo-instrument-adder-button"
            aria-expanded={openFor === f.id}
            onClick={() => setOpenFor(openFor === f.id ? null : f.id)}
            data-testid="instrument-add"
          >
            + {t('maps.instrument.add')}
          </button>
          {openFor === f.id && (
            <div className="tavolo-instrument-adder-menu" role="group" aria-label={t('maps.instrument.choose')}>
              <p className="tavolo-instrument-adder-title">{t('maps.instrument.choose')}</p>
              {f.template.nodeTypes.map((type) => (
                <button
                  key={type.id}
                  type="button"
                  className="tavolo-instrument-adder-type"
                  onClick={() => {
                    setOpenFor(null)
                    addInstrumentNode(editor, f.id, f.template, type.id)
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
      ))}
    </>
  )
}
