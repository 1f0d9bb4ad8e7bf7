import type { Editor, TLShape, TLUiOverrides } from 'tldraw'
import { isTavoloLocked, withTavoloLock } from '../../../shared/src/locks.ts'

/**
 * Tavolo locks in the editor (rules L1..L9 in shared/src/locks.ts; the server's lock guard enforces them).
 * The facilitator locks or unlocks the selection; tldraw's `isLocked` set alongside makes every editor refuse to
 * move it. Facilitators' editors have tldraw's `selectLockedShapes` on: a selection rectangle (and a click on most
 * shapes; a click on a locked note enters tldraw's text editing state instead) selects locked shapes, which still
 * cannot be moved; then "Sblocca". "Sblocca tutto" unlocks the whole page. Participants cannot select locked shapes.
 */
export function selectionLockState(editor: Editor): 'none' | 'locked' | 'unlocked' {
  const shapes = editor.getSelectedShapes()
  if (shapes.length === 0) return 'none'
  return shapes.every((s) => isTavoloLocked(s)) ? 'locked' : 'unlocked'
}

/**
 * Writes whole records: tldraw's updateShapes merges `meta`, so it could never remove `meta.tavoloLocked`.
 * A store.put from the editor is a user change like any other (history, Yjs bridge).
 */
function putLocked(editor: Editor, shapes: TLShape[], lock: boolean): void {
  editor.store.put(shapes.map((s) => withTavoloLock(s as unknown as Record<string, unknown>, lock) as unknown as TLShape))
}

/** Locks the selection for participants, or unlocks it when all of it is locked. Returns the new state. */
export function toggleSelectionLock(editor: Editor): 'locked' | 'unlocked' | 'none' {
  const shapes: TLShape[] = editor.getSelectedShapes()
  if (shapes.length === 0) return 'none'
  const lock = !shapes.every((s) => isTavoloLocked(s))
  editor.run(() => {
    putLocked(editor, shapes, lock)
    if (lock) editor.selectNone()
  })
  return lock ? 'locked' : 'unlocked'
}

/** Tavolo-locked shapes on the current page. */
export function lockedShapesOnPage(editor: Editor): TLShape[] {
  return editor.getCurrentPageShapes().filter((s) => isTavoloLocked(s))
}

/** Unlocks every Tavolo-locked shape of the current page. */
export function unlockAllOnPage(editor: Editor): void {
  const shapes = lockedShapesOnPage(editor)
  if (shapes.length === 0) return
  editor.run(() => putLocked(editor, shapes, false))
}

/** A window event: a participant tried to change a Tavolo-locked shape (LockedChangeExplainer says why it failed). */
export const LOCKED_ATTEMPT_EVENT = 'tavolo:locked-attempt'

/**
 * Participants: tldraw's own lock toggle (menu item and Shift+L) keeps working on ordinary shapes (L1) but does
 * nothing on a Tavolo-locked one, which they may not unlock (the server would revert it anyway: L3).
 */
export const participantLockOverrides: TLUiOverrides = {
  actions(editor, actions) {
    const original = actions['toggle-lock']
    if (!original) return actions
    return {
      ...actions,
      'toggle-lock': {
        ...original,
        onSelect(source) {
          if (editor.getSelectedShapes().some((s) => isTavoloLocked(s))) {
            window.dispatchEvent(new Event(LOCKED_ATTEMPT_EVENT))
            return
          }
          return original.onSelect(source)
        },
      },
    }
  },
}
