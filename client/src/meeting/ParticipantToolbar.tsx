import {
  ArrowToolbarItem,
  DefaultToolbar,
  DrawToolbarItem,
  EraserToolbarItem,
  HandToolbarItem,
  NoteToolbarItem,
  SelectToolbarItem,
  TextToolbarItem,
  createShapeId,
  startEditingShapeWithRichText,
  useEditor,
  useValue,
  type Editor,
  type TLShapeId,
} from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useFacilitationDoc } from '../facilitation/useFacilitationDoc.ts'
import { useT } from '../i18n/useT.ts'
import { mapCells, type MapCell } from '../../../shared/src/maps/cellPlacement.ts'
import { currentPageMapIndex } from '../maps/boardMeanings.ts'
import { findFreePlace, type Box } from '../maps/freePlace.ts'
import { addCardInCell } from '../maps/outlineCardEdits.ts'

/** tldraw's note at scale 1 (NOTE_SIZE in tldraw 5.4.2). */
const NOTE_PX = 200

/**
 * The cell of a map the person looks at: on the topmost map frame under the view's centre, the cell holding the
 * centre, else the cell in view nearest to it (maps MP12 cells; ring maps and the architecture have none).
 */
function cellInView(editor: Editor): { frameId: TLShapeId; cell: MapCell } | null {
  const board = currentPageMapIndex(editor)
  if (!board) return null
  const view = editor.getViewportPageBounds()
  for (const frame of [...board.index.frames].reverse()) {
    const id = frame.id as TLShapeId
    if (!editor.getShapePageBounds(id)?.containsPoint(view.center)) continue
    const cells = mapCells(frame.template)
    if (cells.length === 0) return null
    const c = editor.getPointInShapeSpace(id, view.center)
    const a = editor.getPointInShapeSpace(id, { x: view.minX, y: view.minY })
    const b = editor.getPointInShapeSpace(id, { x: view.maxX, y: view.maxY })
    const seen = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) }
    const visible = cells.filter(({ rect: r }) => r.x < seen.x + seen.w && seen.x < r.x + r.w && r.y < seen.y + seen.h && seen.y < r.y + r.h)
    const holding = visible.find(({ rect: r }) => c.x >= r.x && c.x < r.x + r.w && c.y >= r.y && c.y < r.y + r.h)
    const distance = ({ rect: r }: MapCell) => Math.hypot(r.x + r.w / 2 - c.x, r.y + r.h / 2 - c.y)
    const cell = holding ?? visible.sort((p, q) => distance(p) - distance(q))[0]
    return cell ? { frameId: id, cell } : null
  }
  return null
}

/**
 * Adds a card (a tldraw note) where the person looks, whatever tool was in hand: the tool goes back to selection;
 * on a map with cells the card goes in the cell in view (as the board as text puts one: clear of the others, at the
 * cards' scale, room made in a full cell, maps MP12/MP14); elsewhere in the middle of the view (or the free spot
 * nearest to it, clear of what is there), into the frame under it. Selected with its text open for typing.
 */
export function addCardInView(editor: Editor): TLShapeId | null {
  editor.setCurrentTool('select')
  const target = cellInView(editor)
  let id: TLShapeId
  if (target) {
    id = addCardInCell(editor, target.frameId, target.cell, '')
  } else {
    const view = editor.getViewportPageBounds()
    const occupied: Box[] = []
    for (const shapeId of editor.getCurrentPageShapeIds()) {
      const shape = editor.getShape(shapeId)
      if (!shape || shape.type === 'frame' || shape.type === 'arrow' || isTavoloLocked(shape)) continue
      const b = editor.getShapePageBounds(shapeId)
      if (b && b.collides(view)) occupied.push({ x: b.x, y: b.y, w: b.w, h: b.h })
    }
    const at = findFreePlace({ w: NOTE_PX, h: NOTE_PX }, { x: view.x, y: view.y, w: view.w, h: view.h }, occupied, 24)
    const centre = { x: at.x + NOTE_PX / 2, y: at.y + NOTE_PX / 2 }
    const frame = editor
      .getCurrentPageShapesSorted()
      .filter((s) => s.type === 'frame' && editor.getShapePageBounds(s)?.containsPoint(centre))
      .at(-1)
    id = createShapeId()
    editor.markHistoryStoppingPoint('add card')
    editor.run(() => {
      editor.createShape({ id, type: 'note', x: at.x, y: at.y })
      if (frame) editor.reparentShapes([id], frame.id)
    })
  }
  if (!editor.getShape(id)) return null
  editor.select(id)
  startEditingShapeWithRichText(editor, id)
  return id
}

/** The private round's own box (PrivateRoundPanel), brought into view and focused: private cards are written there. */
function focusPrivateCard(): void {
  const box = document.querySelector<HTMLTextAreaElement>('[data-testid=private-text]')
  box?.scrollIntoView({ block: 'nearest' })
  box?.focus()
}

/**
 * A participant's toolbar (issue 19 item 4): a large "Aggiungi carta" that always adds a card, then the few tools a
 * participant needs in a fixed order, the note among the first (tldraw's full toolbar swaps the last used tool into
 * a slot, so the note's place became a line or a rectangle). Viewers get tldraw's own (read-only) toolbar.
 */
export function ParticipantToolbar() {
  const t = useT()
  const editor = useEditor()
  // a closed session (versions SPEC SE2) makes the board read-only: nothing to add, only looking around
  const readonly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  // during "Scrittura individuale" a card must not go on the board for all to see: the big button is the private one
  const privateRound = useFacilitationDoc(useBoardSessionContext().doc).privateRound
  const writingPrivately = privateRound !== null && privateRound.state === 'open'
  if (readonly) {
    return (
      <div className="tavolo-participant-toolbar">
        <DefaultToolbar>
          <SelectToolbarItem />
          <HandToolbarItem />
        </DefaultToolbar>
      </div>
    )
  }
  return (
    <div className="tavolo-participant-toolbar">
      {writingPrivately ? (
        <button type="button" className="tavolo-add-card tavolo-add-card-private" onClick={focusPrivateCard} data-testid="add-card" data-private="true">
          <span aria-hidden="true" className="tavolo-add-card-plus">+</span> {t('addCard.private')}
        </button>
      ) : (
        <button type="button" className="tavolo-add-card" onClick={() => addCardInView(editor)} data-testid="add-card">
          <span aria-hidden="true" className="tavolo-add-card-plus">+</span> {t('addCard.label')}
        </button>
      )}
      <DefaultToolbar maxItems={7}>
        <SelectToolbarItem />
        <HandToolbarItem />
        <NoteToolbarItem />
        <ArrowToolbarItem />
        <DrawToolbarItem />
        <TextToolbarItem />
        <EraserToolbarItem />
      </DefaultToolbar>
    </div>
  )
}
