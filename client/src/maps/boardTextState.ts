import { atom, type Atom, type Editor } from 'tldraw'

/**
 * Whether the "Testo della lavagna" panel is open, one flag per editor: the skip link, the main menu, the
 * facilitator bar and the panel itself all read and write it. Kept per editor (a WeakMap), not per module, so two
 * boards in one page (tests) never share it and nothing outlives its editor.
 */
const openFlags = new WeakMap<Editor, Atom<boolean>>()

export function boardTextOpen(editor: Editor): Atom<boolean> {
  let flag = openFlags.get(editor)
  if (!flag) {
    flag = atom('board text open', false)
    openFlags.set(editor, flag)
  }
  return flag
}
