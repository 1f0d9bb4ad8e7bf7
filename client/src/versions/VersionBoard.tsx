import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { Tldraw, createTLCurrentUser, type Editor, type TLComponents, type TLStore } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { boardBindingUtils, boardShapeUtils } from '../board/boardStore.ts'
import { MAX_SHAPES_PER_PAGE } from '../board/limits.ts'
import { useServerConfig } from '../config/ServerConfigContext.tsx'
import { usePreferencesStore } from '../identity/PreferencesContext.tsx'
import { setTldrawUserPreferences, tldrawUserPreferences } from '../identity/tldrawIdentity.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { exposeVersionEditor } from './versionTestHook.ts'
import './versions.css'

const assetUrls = getAssetUrlsByImport()

/** What the page around a read-only board puts in tldraw's slots (they are module constants: tldraw wants stable ones). */
interface VersionChrome {
  banner: ReactNode
  overlay: ReactNode
}
const VersionChromeContext = createContext<VersionChrome>({ banner: null, overlay: null })

function BannerSlot() {
  return <>{useContext(VersionChromeContext).banner}</>
}
function OverlaySlot() {
  return <>{useContext(VersionChromeContext).overlay}</>
}
function LanguageSlot() {
  return (
    <div className="tavolo-share-zone">
      <LanguageSwitcher />
    </div>
  )
}
const components: TLComponents = { TopPanel: BannerSlot, SharePanel: LanguageSlot, InFrontOfTheCanvas: OverlaySlot }
const options = { maxShapesPerPage: MAX_SHAPES_PER_PAGE }

/**
 * A saved version (or a comparison) in the same tldraw board UI as the live board, read only. Its store is its own:
 * no Y.Doc, no provider, no awareness, no IndexedDB, so nothing here can reach the live board or the people on it.
 */
export function VersionBoard({
  store,
  banner,
  overlay,
  side,
  onMount,
}: {
  store: TLStore
  banner: ReactNode
  overlay?: ReactNode
  /**
   * The side panel: inside tldraw's React tree (useEditor works), but drawn in a column of its own beside the canvas
   * (on a phone, over it as a sheet): a panel over the canvas covered the board's right part, such as the next
   * column header of a map fitted beside it (issue 19).
   */
  side?: ReactNode
  onMount?(editor: Editor): void
}) {
  const config = useServerConfig()
  const preferences = usePreferencesStore()
  const user = useMemo(
    () =>
      createTLCurrentUser({
        userPreferences: tldrawUserPreferences(preferences),
        setUserPreferences: (next) => setTldrawUserPreferences(preferences, next),
      }),
    [preferences],
  )
  const chrome = useMemo(() => ({ banner, overlay: overlay ?? null }), [banner, overlay])
  const [sideHost, setSideHost] = useState<HTMLDivElement | null>(null)
  return (
    <VersionChromeContext.Provider value={chrome}>
      <div className="tavolo-version-page">
        <div className="tavolo-board tavolo-version-board" data-testid="version-board">
          <Tldraw
            store={store}
            shapeUtils={boardShapeUtils}
            bindingUtils={boardBindingUtils}
            user={user}
            licenseKey={config.tldrawLicenseKey ?? undefined}
            assetUrls={assetUrls}
            options={options}
            components={components}
            onMount={(editor) => {
              editor.updateInstanceState({ isReadonly: true })
              editor.zoomToFit({ animation: { duration: 0 } })
              onMount?.(editor)
              return exposeVersionEditor(editor)
            }}
          >
            {side !== undefined && sideHost !== null ? createPortal(side, sideHost) : null}
          </Tldraw>
        </div>
        {side !== undefined ? <div className="tavolo-version-side-host" ref={setSideHost} /> : null}
      </div>
    </VersionChromeContext.Provider>
  )
}
