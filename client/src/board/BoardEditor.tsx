import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { DefaultSharePanel, Tldraw, createTLCurrentUser, type Editor, type TLComponents } from 'tldraw'
import type { BoardExtras } from './boardExtras.ts'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { useServerConfig } from '../config/ServerConfigContext.tsx'
import { usePreferencesStore } from '../identity/PreferencesContext.tsx'
import { setTldrawUserPreferences, tldrawUserPreferences } from '../identity/tldrawIdentity.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useT } from '../i18n/useT.ts'
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

// Phones: the strip's chips would stack into four rows (~210 of 844 px) over the board; there they go behind a menu.
const PHONE_QUERY = '(max-width: 640px)'

function subscribePhone(onChange: () => void): () => void {
  const query = window.matchMedia?.(PHONE_QUERY)
  query?.addEventListener('change', onChange)
  return () => query?.removeEventListener('change', onChange)
}

function usePhoneLayout(): boolean {
  return useSyncExternalStore(subscribePhone, () => window.matchMedia?.(PHONE_QUERY).matches ?? false)
}

/**
 * Our status strip lives in tldraw's top-right "share" slot, next to tldraw's own people menu. On a phone it is one
 * compact row: the connection state (a dot while connected, words when not) and a menu button; the count, the name,
 * the language and the people are in the menu (kept mounted, only hidden, so nothing is lost when it closes).
 * The board's notices (full board, text cut at the limit) are fixed-position overlays mounted once, whatever the
 * layout: a layout that left one out would lose both the notice and what it does (TextLimitNotice bounds the text).
 */
function BoardSharePanel() {
  const phone = usePhoneLayout()
  return (
    <>
      {phone ? <PhoneStatusBar /> : <DesktopStatusStrip />}
      <BoardFullNotice />
      <TextLimitNotice />
    </>
  )
}

function DesktopStatusStrip() {
  return (
    <div className="tavolo-share-zone">
      <ConnectionStatus />
      <ParticipantCount />
      <InvalidRecordsNotice />
      <NameControl />
      <LanguageSwitcher />
      <DefaultSharePanel />
    </div>
  )
}
function PhoneStatusBar() {
  const t = useT()
  const id = useId()
  const [open, setOpen] = useState(false)
  const zone = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false)
    }
    const onPointer = (e: PointerEvent) => {
      if (!(e.target instanceof Node) || !zone.current?.contains(e.target)) setOpen(false)
    }
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onPointer, true)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('pointerdown', onPointer, true)
    }
  }, [open])
  return (
    <div className="tavolo-share-zone tavolo-share-zone-phone" ref={zone} data-testid="phone-status-bar">
      <ConnectionStatus />
      <InvalidRecordsNotice />
      <button
        type="button"
        className="tavolo-chip tavolo-status-menu-button"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        aria-label={t('statusMenu.label')}
        onClick={() => setOpen((o) => !o)}
        data-testid="status-menu-button"
      >
        <span aria-hidden="true">☰</span> {t('statusMenu.open')}
      </button>
      <div id={`${id}-menu`} className="tavolo-status-menu" hidden={!open} data-testid="status-menu">
        <ParticipantCount />
        <NameControl />
        <LanguageSwitcher />
        <DefaultSharePanel />
      </div>
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
