import { DefaultMainMenu, DefaultMainMenuContent, TldrawUiMenuGroup, TldrawUiMenuItem, useEditor } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { boardTextOpen } from './boardTextState.ts'

/** tldraw's main menu with "Testo della lavagna" at the top, for every role (viewers too). */
export function MapsMainMenu() {
  const t = useT()
  const editor = useEditor()
  return (
    <DefaultMainMenu>
      <TldrawUiMenuGroup id="tavolo-board-text">
        <TldrawUiMenuItem id="tavolo-board-text" label={t('maps.text.open')} icon="text" onSelect={() => {
            boardTextOpen(editor).set(true)
          }}
        />
      </TldrawUiMenuGroup>
      <DefaultMainMenuContent />
    </DefaultMainMenu>
  )
}
