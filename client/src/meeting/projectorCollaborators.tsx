import {
  CollaboratorBrushOverlayUtil,
  CollaboratorHintOverlayUtil,
  CollaboratorScribbleOverlayUtil,
  CollaboratorShapeIndicatorOverlayUtil,
  DefaultCursor,
  useEditor,
  useValue,
  type Editor,
  type TLComponents,
  type TLCursorProps,
} from 'tldraw'

/**
 * On the projector, participants' cursors, selections, brushes and scribbles are hidden unless the presenting
 * facilitator turns them on (a dozen moving arrows on the wall distract from what is presented). The switch travels
 * in the presenter's awareness (`projectorCursors`, read by the projector) and lands in the projector's own instance
 * state, session scope, never the document: tldraw's collaborator layers below read it reactively.
 */
export const PROJECTOR_CURSORS_FIELD = 'projectorCursors'
const META_KEY = 'tavoloShowCollaborators'

export function readProjectorCursors(state: Record<string, unknown> | undefined): boolean {
  return state?.[PROJECTOR_CURSORS_FIELD] === true
}

export function showsCollaborators(editor: Editor): boolean {
  return editor.getInstanceState().meta[META_KEY] === true
}

export function setShowsCollaborators(editor: Editor, show: boolean): void {
  if (showsCollaborators(editor) === show) return
  editor.updateInstanceState({ meta: { ...editor.getInstanceState().meta, [META_KEY]: show } })
}

// Same static `type` as tldraw's defaults, so these replace them (tldraw merges overlay utils by type).
class ProjectorBrush extends CollaboratorBrushOverlayUtil {
  override isActive() {
    return showsCollaborators(this.editor) && super.isActive()
  }
}
class ProjectorHint extends CollaboratorHintOverlayUtil {
  override isActive() {
    return showsCollaborators(this.editor) && super.isActive()
  }
}
class ProjectorScribble extends CollaboratorScribbleOverlayUtil {
  override isActive() {
    return showsCollaborators(this.editor) && super.isActive()
  }
}
class ProjectorSelection extends CollaboratorShapeIndicatorOverlayUtil {
  override isActive() {
    return showsCollaborators(this.editor) && super.isActive()
  }
}
export const projectorOverlayUtils = [ProjectorBrush, ProjectorHint, ProjectorScribble, ProjectorSelection]

function ProjectorCursor(props: TLCursorProps) {
  const editor = useEditor()
  const show = useValue('projector shows cursors', () => showsCollaborators(editor), [editor])
  return show ? <DefaultCursor {...props} /> : null
}
export const projectorComponents: TLComponents = { CollaboratorCursor: ProjectorCursor }
