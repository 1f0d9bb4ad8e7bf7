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
  type Editor,
  type TLShapeId,
} from 'tldraw'
import { isTavoloLocked } from '../../../shared/src/locks.ts'
import { useT } from '../i18n/useT.ts'
import { findFreePlace, type Box } from '../maps/freePlace.ts'

/** tldraw's note at scale 1 (NOTE_SIZE in tldraw 5.4.2). */
const NOTE_PX = 200

/**
 * Adds a card (a tldraw note) where the person looks, whatever tool was in hand: the tool goes back to selection,
 * the note goes in the middle of the view (or the free spot nearest to it, clear of the cards there), into the map
 * frame under it (so it means that map's place), selected with its text open for typing. One undoable step.
 */
export function addCardInView(editor: Editor): TLShapeId | null {
  editor.setCurrentTool('select')
  const view = editor.getViewportPageBounds()
  const occupied: Box[] = []
  for (const id of editor.getCurrentPageShapeIds()) {
    const shape = editor.getShape(id)
    if (!shape || shape.type === 'frame' || shape.type === 'arrow' || isTavoloLocked(shape)) continue
    const b = editor.getShapePageBounds(id)
    if (b && b.collides(view)) occupied.push({ x: b.x, y: b.y, w: b.w, h: b.h })
  }
  const at = findFreePlace({ w: NOTE_PX, h: NOTE_PX }, { x: view.x, y: view.y, w: view.w, h: view.h }, occupied, 24)
  const centre = { x: at.x + NOTE_PX / 2, y: at.y + NOTE_PX / 2 }
  const frame = editor
    .getCurrentPageShapesSorted()
    .filter((s) => s.type === 'frame' && editor.getShapePageBounds(s)?.containsPoint(centre))
    .at(-1)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('add card')
  editor.run(() => {
    editor.createShape({ id, type: 'note', x: at.x, y: at.y })
    if (frame) editor.reparentShapes([id], frame.id)
    editor.select(id)
  })
  if (!editor.getShape(id)) return null
  startEditingShapeWithRichText(editor, id)
  return id
}

/**
 * A participant's toolbar (issue 19 item 4): a large "Aggiungi carta" that always adds a card, then the few tools a
 * participant needs in a fixed order, the note among the first (tldraw's full toolbar swaps the last used tool into
 * a slot, so the note's place became a line or a rectangle). Viewers get tldraw's own (read-only) toolbar.
 */
export function ParticipantToolbar() {
  const t = useT()
  const editor = useEditor()
  return (
    <div className="tavolo-participant-toolbar">
      <button type="button" className="tavolo-add-card" onClick={() => addCardInView(editor)} data-testid="add-card">
        <span aria-hidden="true" className="tavolo-add-card-plus">+</span> {t('addCard.label')}
      </button>
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
