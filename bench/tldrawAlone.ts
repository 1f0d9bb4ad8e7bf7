import type { Browser } from 'playwright-core'
import type { Editor } from 'tldraw'
import type {} from '../client/src/board/testHook.ts'
import { benchNoteShapes } from './noteShapes.ts'
import type { BoardRef } from './boards.ts'
import { boardPageUrl, personContext, waitForEditor } from './browser.ts'

/**
 * The reference for the big-board open: what tldraw needs to take `count` notes and paint them, with no page load, no
 * network and no Yjs decoding. The notes go straight into the editor of our board page, already open on an empty
 * board, as remote changes (as the bridge would put them), and the clock stops once a frame after them has painted. tldraw then
 * has to compute every note's geometry (culling and hit-testing need all of them) and mount what is on screen.
 */
export async function measureTldrawAlone(browser: Browser, httpUrl: string, emptyBoard: BoardRef, count: number): Promise<number> {
  const context = await personContext(browser, 'Reference')
  try {
    const page = await context.newPage()
    await page.goto(boardPageUrl(httpUrl, emptyBoard))
    await waitForEditor(page)
    return await page.evaluate(async (notes) => {
      const editor = window.__tavolo?.editor
      if (editor === undefined) throw new Error('no editor')
      const n = notes.length
      const started = performance.now()
      // Remote changes: the bridge does not send them to the server and they stay out of the undo history.
      editor.store.mergeRemoteChanges(() => editor.createShapes(notes as unknown as Parameters<Editor['createShapes']>[0]))
      // What the canvas asks of every shape before it can paint (its culling reads every note's bounds).
      editor.getCulledShapes()
      // React mounts the shape containers in its own task: wait for them, then for the frame that paints them.
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (document.querySelectorAll('.tl-shape').length < n) requestAnimationFrame(check)
          else requestAnimationFrame(() => setTimeout(resolve, 0))
        }
        check()
      })
      return performance.now() - started
    }, benchNoteShapes(count, 'alone'))
  } finally {
    await context.close()
  }
}
