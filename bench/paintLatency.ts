import type { Browser, Page } from 'playwright-core'
import type { TLShapeId } from 'tldraw'
import type {} from '../client/src/board/testHook.ts'
import type { BoardRef } from './boards.ts'
import { boardPageUrl, personContext, waitForEditor } from './browser.ts'
import { sleep } from './clients.ts'

const SHAPE_ID = 'shape:paintbench'

export interface PaintResult {
  latenciesMs: number[]
  warmup: number
}

function richText(text: string): unknown {
  return { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }
}

/** In page B: resolves, with a wall-clock time, once the note shows `text` and a frame containing it has painted. */
async function arm(page: Page, text: string): Promise<void> {
  await page.evaluate(
    ([id, expected]) => {
      const shown = (): boolean => document.querySelector(`[data-shape-id="${id}"]`)?.textContent?.includes(expected) === true
      const seen = new Promise<number>((resolve) => {
        const done = (): void => {
          requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now()), 0))
        }
        if (shown()) {
          done()
          return
        }
        const observer = new MutationObserver(() => {
          if (!shown()) return
          observer.disconnect()
          done()
        })
        observer.observe(document.body, { subtree: true, childList: true, characterData: true })
      })
      Object.assign(window, { __benchSeen: seen })
    },
    [SHAPE_ID, text] as const,
  )
}

async function edit(page: Page, text: string): Promise<number> {
  return page.evaluate(
    ([id, rich]) => {
      const editor = window.__tavolo?.editor
      if (editor === undefined) throw new Error('no editor on page A')
      const sent = performance.timeOrigin + performance.now()
      editor.updateShape({ id: id as TLShapeId, type: 'note', props: { richText: rich as never } })
      return sent
    },
    [SHAPE_ID, richText(text)] as const,
  )
}

/**
 * Page A edits a note's text through the editor; page B, another person's browser, notes when the text is painted.
 * Both times are performance.timeOrigin + now(), wall-clock based, so they compare across the two pages.
 */
export async function measurePaintLatency(browser: Browser, httpUrl: string, board: BoardRef, edits: number, warmup = 5): Promise<PaintResult> {
  const contextA = await personContext(browser, 'Anna')
  const contextB = await personContext(browser, 'Bruno')
  try {
    const [a, b] = await Promise.all([contextA.newPage(), contextB.newPage()])
    if (a === undefined || b === undefined) throw new Error('no pages')
    await Promise.all([a.goto(boardPageUrl(httpUrl, board)), b.goto(boardPageUrl(httpUrl, board))])
    await Promise.all([waitForEditor(a), waitForEditor(b)])
    await a.evaluate(
      ([id, rich]) => {
        window.__tavolo?.editor.createShape({ id: id as TLShapeId, type: 'note', x: 200, y: 200, props: { richText: rich as never } })
      },
      [SHAPE_ID, richText('start')] as const,
    )
    await b.waitForSelector(`[data-shape-id="${SHAPE_ID}"]`, { timeout: 15_000 })

    const latenciesMs: number[] = []
    for (let i = 0; i < warmup + edits; i++) {
      const text = `edit ${i} ${Math.random().toString(36).slice(2, 8)}`
      await arm(b, text)
      const sent = await edit(a, text)
      const seen = await b.evaluate(() => (window as unknown as { __benchSeen: Promise<number> }).__benchSeen)
      if (i >= warmup) latenciesMs.push(seen - sent)
      // People do not retype a note 20 times a second; spacing keeps each sample independent of the last.
      await sleep(100)
    }
    return { latenciesMs, warmup }
  } finally {
    await contextA.close()
    await contextB.close()
  }
}
