import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { measureBoardLoad, seedBoardThroughEditor, type LoadRound } from './boardLoad.ts'
import { openBoard } from './boards.ts'
import { launchChromium } from './browser.ts'
import { buildClient, bundleSizes } from './clientBuild.ts'
import { waitForQuiet } from './machineLoad.ts'
import { measurePaintLatency } from './paintLatency.ts'
import { phoneSuite } from './phoneSuite.ts'
import { markdownTable, type Report } from './report.ts'
import { measureTldrawAlone } from './tldrawAlone.ts'
import { startServer } from './serverProcess.ts'
import { fmt, median, percentile } from './stats.ts'

export interface BrowserSuiteOptions {
  quick: boolean
  /** Only the phone open (npm run bench -- phone). */
  phoneOnly?: boolean
}

const kb = (bytes: number): string => fmt(bytes / 1024, 1)

export async function runBrowserSuite(report: Report, options: BrowserSuiteOptions): Promise<void> {
  const notes = options.quick ? 200 : 2000
  const rounds = options.quick ? 1 : 3
  const edits = options.quick ? 20 : 100
  const outDir = mkdtempSync(join(tmpdir(), 'tavolo-bench-client-'))
  try {
    await buildClient(outDir)
    const sizes = bundleSizes(outDir)
    const gzipTotal = sizes.code.reduce((sum, f) => sum + f.gzipBytes, 0)
    report.section(
      'Browser: built bundle (vite production build of client/)',
      markdownTable(
        ['file', 'bytes KB', 'gzip KB'],
        [
          ...sizes.code.map((f) => [f.file, kb(f.bytes), kb(f.gzipBytes)]),
          ['**JS + CSS total**', kb(sizes.code.reduce((sum, f) => sum + f.bytes, 0)), `**${kb(gzipTotal)}**`],
          [`fonts (${sizes.fonts.count} files, already compressed)`, kb(sizes.fonts.bytes), ''],
          [`other assets (${sizes.other.count} files: translations, icons)`, kb(sizes.other.bytes), ''],
        ],
      ),
    )

    const server = await startServer('ours', { env: { CLIENT_DIR: outDir } })
    const browser = await launchChromium()
    try {
      await phoneSuite(report, { browser, server, quick: options.quick, bundleGzipBytes: gzipTotal })
      if (options.phoneOnly === true) return
      const loadBoard = await openBoard(server, 'browser-load')
      await seedBoardThroughEditor(browser, server.httpUrl, server.syncUrl, loadBoard, notes)
      const emptyBoard = await openBoard(server, 'browser-empty')
      const loads: LoadRound[] = []
      const alone: number[] = []
      const loadQuiet: number[] = []
      for (let round = 0; round < rounds; round++) {
        loadQuiet.push((await waitForQuiet()).otherCores)
        loads.push(await measureBoardLoad(browser, server.httpUrl, loadBoard, notes))
        alone.push(await measureTldrawAlone(browser, server.httpUrl, emptyBoard, notes))
      }
      report.section(
        `Browser: cold open of a ${notes}-note board (fresh context: no HTTP cache, no IndexedDB)`,
        markdownTable(
          ['round', 'full state received ms', 'editor mounted ms', 'ready ms', 'interactive ms', 'blocking after ready ms', 'notes in store', '.tl-shape elements', 'tldraw alone ms', 'other cores before'],
          loads.map((l, i) => [
            String(i + 1),
            fmt(l.stateReceivedMs, 0),
            fmt(l.editorMountedMs, 0),
            fmt(l.readyMs, 0),
            fmt(l.interactiveMs, 0),
            fmt(l.blockingAfterReadyMs, 0),
            String(l.shapesInStore),
            String(l.shapeElements),
            fmt(alone[i] ?? Number.NaN, 0),
            fmt(loadQuiet[i] ?? Number.NaN, 2),
          ]),
        ) +
          '\n\nFrom navigation start. "Full state received": the first WebSocket frame over 10 KB (sync step 2) has arrived.' +
          ' "Editor mounted": the client\'s test hook `window.__tavolo` appears. "Ready": the editor is mounted with every note in its store and one frame has been painted' +
          ' after that. "Interactive": the end of the last long task (>50 ms) that starts before ready + 3 s, i.e. from when' +
          ' input is handled without delay. Notes were created through the editor of another page, so the records are' +
          " exactly what the client writes; the default camera is the client's own. \"tldraw alone\" is the reference run:" +
          ' the same notes put as remote changes into the editor of our board page, already open on an empty board, until a' +
          ' frame has painted them: no page load, no network, no Yjs decoding; what tldraw needs to take that many notes.',
      )
      const interactive = median(loads.map((l) => l.interactiveMs))
      report.target(
        `${notes}-note board interactive < 3 s`,
        interactive < 3000 ? 'PASS' : 'FAIL',
        `median ${fmt(interactive / 1000, 2)} s (ready ${fmt(median(loads.map((l) => l.readyMs)) / 1000, 2)} s); tldraw alone needs ${fmt(median(alone) / 1000, 2)} s`,
      )

      const paintBoard = await openBoard(server, 'browser-paint')
      const quiet = await waitForQuiet()
      const paint = await measurePaintLatency(browser, server.httpUrl, paintBoard, edits)
      const p50 = percentile(paint.latenciesMs, 50)
      const p95 = percentile(paint.latenciesMs, 95)
      report.section(
        `Browser: edit on page A painted on page B (${edits} edits after ${paint.warmup} warm-up)`,
        markdownTable(
          ['p50 ms', 'p95 ms', 'max ms', 'min ms', 'other cores before'],
          [[fmt(p50), fmt(p95), fmt(percentile(paint.latenciesMs, 100)), fmt(percentile(paint.latenciesMs, 0)), fmt(quiet.otherCores, 2)]],
        ) +
          '\n\nA sets the text of a note through `editor.updateShape` (the client bridge sends it on its next frame); B, a' +
          ' separate browser context on the same board, resolves when a MutationObserver sees the text in the note and the' +
          ' following frame has run. Both ends read performance.timeOrigin + performance.now(). One note on the board;' +
          ' 100 ms between edits.',
      )
      report.target('A→B paint p95 < 100 ms', p95 < 100 ? 'PASS' : 'FAIL', `p95 ${fmt(p95)} ms, p50 ${fmt(p50)} ms`)
    } finally {
      await browser.close()
      await server.stop()
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}
