import type { Editor } from 'tldraw'

declare global {
  interface Window {
    /** The editor of a read-only version view, while one is mounted (e2e tests read it, as `__tavolo` on the live board). */
    __tavoloVersion?: { editor: Editor }
  }
}

/** Sets `window.__tavoloVersion`; the returned function clears it if it is still this editor's. */
export function exposeVersionEditor(editor: Editor): () => void {
  const handle = { editor }
  window.__tavoloVersion = handle
  return () => {
    if (window.__tavoloVersion === handle) delete window.__tavoloVersion
  }
}
