import type { Editor } from 'tldraw'
import type { BoardSession } from './boardSession.ts'

/**
 * `window.__tavolo = { editor, session }` while a board is mounted. Always on, on purpose: the e2e tests and the
 * benchmark read state through it (they still create and type through the real UI), and it is a handy console
 * hook for operators. It exposes nothing the page does not already hold (the key is in the URL fragment anyway).
 */
export interface TavoloDebugHandle {
  editor: Editor
  session: BoardSession
}

declare global {
  interface Window {
    __tavolo?: TavoloDebugHandle
  }
}

export function exposeBoardForTests(editor: Editor, session: BoardSession): () => void {
  const handle: TavoloDebugHandle = { editor, session }
  window.__tavolo = handle
  return () => {
    if (window.__tavolo === handle) delete window.__tavolo
  }
}
