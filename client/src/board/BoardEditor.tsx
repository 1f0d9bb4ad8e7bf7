import { useMemo } from 'react'
import { DefaultSharePanel, Tldraw, createTLCurrentUser, type Editor, type TLComponents } from 'tldraw'
import type { BoardExtras } from './boardExtras.ts'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { useServerConfig } from '../config/ServerConfigContext.tsx'
import { usePreferencesStore } from '../identity/PreferencesContext.tsx'
import { setTldrawUserPreferences, tldrawUserPreferences } from '../identity/tldrawIdentity.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { boardBindingUtils, boardShapeUtils } from './boardStore.ts'
import { BoardFullNotice } from './BoardFullNotice.tsx'
import { TextLimitNotice } from './TextLimitNotice.tsx'
import { useBoardSessionContext } from './BoardSessionContext.tsx'
import { ConnectionStatus } from './ConnectionStatus.tsx'
import { InvalidRecordsNotice } from './InvalidRecordsNotice.tsx'
import { LazyShapeWrapper } from './LazyShapeWrapper.tsx'
import { NameControl } from './NameControl.tsx'
import { ParticipantCount } from './ParticipantCount.tsx'
import { exposeBoardForTests } from './testHook.ts'
import { MAX_ASSET_BYTES, MAX_IMAGE_DIMENSION, MAX_SHAPES_PER_PAGE } from './limits.ts'

// Fonts, icons and translations served from our own origin (stack notes): no request leaves the app's origin.
const assetUrls = getAssetUrlsByImport()

/** Our status strip lives in tldraw's top-right "share" slot, next to tldraw's own people menu. */
function BoardSharePanel() {
  return (
    <div className="tavolo-share-zone">
      <ConnectionStatus />
      <ParticipantCount />
      <InvalidRecordsNotice />
      <NameControl />
      <LanguageSwitcher />
      <DefaultSharePanel />
      <BoardFullNotice />
      <TextLimitNotice />
    </div>
  )
}
const defaultComponents: TLComponents = { SharePanel: BoardSharePanel, ShapeWrapper: LazyShapeWrapper }
const options = { maxShapesPerPage: MAX_SHAPES_PER_PAGE }

/** The tldraw editor over the session's store, in the person's language, with our licence key. */
export function BoardEditor({ extras }: { extras?: BoardExtras }) {
  const session = useBoardSessionContext()
  const config = useServerConfig()
  const preferences = usePreferencesStore()
  const deviceUserId = extras?.deviceUserId
  const user = useMemo(
    () =>
      createTLCurrentUser({
        userPreferences: tldrawUserPreferences(preferences, deviceUserId),
        setUserPreferences: (next) => setTldrawUserPreferences(preferences, next),
      }),
    [preferences, deviceUserId],
  )
  const extraComponents = extras?.components
  const components = useMemo(() => ({ ...defaultComponents, ...extraComponents }), [extraComponents])
  const extraOptions = extras?.options
  const editorOptions = useMemo(() => ({ ...options, ...extraOptions }), [extraOptions])
  const onMount = (editor: Editor) => {
    if (!canEditBoard(session.role)) editor.updateInstanceState({ isReadonly: true })
    return exposeBoardForTests(editor, session)
  }
  return (
    <Tldraw
      store={session.store}
      shapeUtils={boardShapeUtils}
      bindingUtils={boardBindingUtils}
      user={user}
      licenseKey={config.tldrawLicenseKey ?? undefined}
      assetUrls={assetUrls}
      maxImageDimension={MAX_IMAGE_DIMENSION}
      maxAssetSize={MAX_ASSET_BYTES}
      options={editorOptions}
      components={components}
      overrides={extras?.overrides}
      overlayUtils={extras?.overlayUtils}
      hideUi={extras?.hideUi}
      onMount={onMount}
    >
      {extras?.inEditor}
    </Tldraw>
  )
}
