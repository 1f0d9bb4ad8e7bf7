import type { Browser } from 'playwright-core'
import type { Editor } from 'tldraw'
import type {} from '../client/src/board/testHook.ts'
import type { BoardRef } from './boards.ts'
import { boardPageUrl, personContext, waitForEditor } from './browser.ts'
import { connectClient, sleep } from './clients.ts'
import { recordCount } from './records.ts'
import { benchNoteShapes } from './noteShapes.ts'

export interface LoadRound {
  /** Navigation start → the first large WebSocket frame (the board's full state) has arrived. */
  stateReceivedMs: number
  /** Navigation start → the editor is mounted (the client's test hook appears). */
  editorMountedMs: number
  /** Navigation start → editor mounted with every note in the store, and one frame painted after that. */
  readyMs: number
  /** Navigation start → end of the last long task (>50 ms) seen up to 3 s after ready: when input is answered at once. */
  interactiveMs: number
  /** Main-thread time blocked beyond 50 ms per task, from ready to 3 s later. */
  blockingAfterReadyMs: number
  shapesInStore: number
  shapeElements: number
}

interface ProbeResult {
  stateReceived: number
  editorMounted: number
  ready: number
  shapes: number
  elements: number
  longTasks: { start: number; duration: number }[]
}

/**
 * Writes `count` notes through the editor of a first page, so the board holds exactly what a person would have
 * made (valid records, our schema in meta), and waits until the server has them all.
 */
export async function seedBoardThroughEditor(browser: Browser, httpUrl: string, syncUrl: string, board: BoardRef, count: number): Promise<void> {
  const context = await personContext(browser, 'Seeder')
  try {
    const page = await context.newPage()
    await page.goto(boardPageUrl(httpUrl, board))
    await waitForEditor(page)
    await page.evaluate((shapes) => {
      const editor = window.__tavolo?.editor
      if (editor === undefined) throw new Error('no editor')
      // Built from plain objects; the editor validates them as it would any created shape.
      editor.createShapes(shapes as unknown as Parameters<Editor['createShapes']>[0])
    }, benchNoteShapes(count, 'bench'))
    // Page, document and the notes: wait until a separate client sees them on the server.
    const checker = connectClient(syncUrl, board)
    try {
      await checker.synced
      const deadline = performance.now() + 60_000
      while (recordCount(checker.doc) < count + 2) {
        if (performance.now() > deadline) throw new Error(`seeded board incomplete: ${recordCount(checker.doc)} records`)
        await sleep(100)
      }
    } finally {
      checker.destroy()
    }
  } finally {
    await context.close()
  }
}

/** One cold open of the board in a fresh context (no HTTP cache, no IndexedDB copy). */
export async function measureBoardLoad(browser: Browser, httpUrl: string, board: BoardRef, count: number): Promise<LoadRound> {
  const context = await personContext(browser, 'Reader')
  try {
    await context.addInitScript((n) => {
      const longTasks: { start: number; duration: number }[] = []
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration })
      }).observe({ type: 'longtask', buffered: true })
      // Phases, so a slow open says where it is slow: network/server, editor construction, or rendering.
      let stateReceived = Number.NaN
      let editorMounted = Number.NaN
      const NativeWebSocket = window.WebSocket
      window.WebSocket = class extends NativeWebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols)
          this.addEventListener('message', (event: MessageEvent) => {
            const size = event.data instanceof ArrayBuffer ? event.data.byteLength : 0
            if (Number.isNaN(stateReceived) && size > 10_000) stateReceived = performance.now()
          })
        }
      }
      const probe = new Promise<ProbeResult>((resolve) => {
        const check = (): void => {
          const editor = window.__tavolo?.editor
          if (editor !== undefined && Number.isNaN(editorMounted)) editorMounted = performance.now()
          const shapes = editor?.getCurrentPageShapeIds().size ?? 0
          if (shapes < n) {
            requestAnimationFrame(check)
            return
          }
          // The next frame paints what the store now holds; the task after it runs once that frame is done.
          requestAnimationFrame(() =>
            setTimeout(() => {
              const ready = performance.now()
              setTimeout(
                () =>
                  resolve({ stateReceived, editorMounted, ready, shapes, elements: document.querySelectorAll('.tl-shape').length, longTasks }),
                3000,
              )
            }, 0),
          )
        }
        check()
      })
      Object.assign(window, { __benchLoad: probe })
    }, count)
    const page = await context.newPage()
    await page.goto(boardPageUrl(httpUrl, board))
    const result = await page.evaluate(() => (window as unknown as { __benchLoad: Promise<ProbeResult> }).__benchLoad)
    const after = result.longTasks.filter((t) => t.start + t.duration > result.ready && t.start < result.ready + 3000)
    const lastEnd = Math.max(result.ready, ...result.longTasks.filter((t) => t.start < result.ready + 3000).map((t) => t.start + t.duration))
    return {
      stateReceivedMs: result.stateReceived,
      editorMountedMs: result.editorMounted,
      readyMs: result.ready,
      interactiveMs: lastEnd,
      blockingAfterReadyMs: after.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      shapesInStore: result.shapes,
      shapeElements: result.elements,
    }
  } finally {
    await context.close()
  }
}
