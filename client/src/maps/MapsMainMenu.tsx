import { DefaultMainMenu, DefaultMainMenuContent, TldrawUiMenuGroup, TldrawUiMenuItem, useEditor } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { boardTextOpen } from './boardTextState.ts'

/** "Testo della lavagna" as a group of tldraw's main menu (also used by the facilitator's menu). */
export function BoardTextMenuGroup() {
  const t = useT()
  const editor = useEditor()
  return (
    <TldrawUiMenuGroup id="tavolo-board-text">
      <TldrawUiMenuItem
        id="tavolo-board-text"
        label={t('maps.text.open')}
        icon="text"
        onSelect={() => {
          boardTextOpen(editor).set(true)
        }}
      />
    </TldrawUiMenuGroup>
  )
}

/** tldraw's main menu with "Testo della lavagna" at the top, for every role (viewers too). */
export function MapsMainMenu() {
  return (
    <DefaultMainMenu>
      <BoardTextMenuGroup />
      <DefaultMainMenuContent />
    </DefaultMainMenu>
  )
}
