import type { ReactNode } from 'react'
import type { TLAnyOverlayUtilConstructor, TldrawOptions, TLComponents, TLUiOverrides } from 'tldraw'

/**
 * What a page built on the board (a meeting board, the projector) adds to it. Pass stable values (module constants
 * or memoised): tldraw re-renders its UI when components or overrides change identity.
 */
export interface BoardExtras {
  /** Rendered inside tldraw's tree (useEditor() works there), above the canvas. */
  inEditor?: ReactNode
  /** tldraw UI slots, merged over the board's own (SharePanel is the status strip). */
  components?: TLComponents
  overrides?: TLUiOverrides
  /** tldraw overlay utils replacing the defaults of the same type (the projector hides collaborators' selections). */
  overlayUtils?: readonly TLAnyOverlayUtilConstructor[]
  /** tldraw options merged over the board's (e.g. facilitators may select locked shapes). */
  options?: Partial<TldrawOptions>
  /** No tldraw UI at all (projector). */
  hideUi?: boolean
  /** A device, not a person (projector): its own tldraw user id instead of the person's (see tldrawIdentity.ts). */
  deviceUserId?: string
}
