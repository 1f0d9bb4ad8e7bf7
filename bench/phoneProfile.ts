/**
 * The phone open (issue 13 part 3) under a profiler: both apps built with source maps, the 300-note board seeded,
 * then for each round one throttled open of ours and one of plain tldraw (CPU 4x, 390x844), each written as a
 * DevTools CPU profile (`ours<N>.cpuprofile`, `plain<N>.cpuprofile`; open them in DevTools' Performance panel, or
 * map their frames to sources with the `.map` files next to the built assets in OUTDIR/ours-build, plain-build).
 * What bench/README.md says about where the phone open's time goes was read from these.
 *
 *   node --import tsx bench/phoneProfile.ts OUTDIR [rounds] [measure]
 *
 * `measure`: no profiler, only the times (the profiler's sampling slows both apps down). PROFILE_INTERVAL_US sets the
 * sampling interval (default 1000); TRACE=1 writes a DevTools trace (`*.trace.json`) instead of a profile;
 * REUSE_BUILD=1 keeps a build of ours already in OUTDIR/ours-build (plain tldraw's is always kept once built).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seedBoardThroughEditor } from './boardLoad.ts'
import { openBoard } from './boards.ts'
import { launchChromium, personContext } from './browser.ts'
import { PHONE_CPU_SLOWDOWN, PHONE_VIEWPORT, participantUrl, plainUrl, servePlain } from './phoneOpen.ts'
import { startServer } from './serverProcess.ts'
import type { Browser } from 'playwright-core'

async function vite(config: string, outDir: string): Promise<void> {
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--sourcemap', '--logLevel', 'warn'], { stdio: 'inherit' })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`build failed ${code}`)
}

async function profileOpen(browser: Browser, url: string, notes: number, file: string | null): Promise<number> {
  const context = await personContext(browser, 'Telefono', { viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  try {
    await context.addInitScript((n: number) => {
      const shown = new Promise<number>((resolve) => {
        const check = (): void => {
          if (document.querySelectorAll('.tl-shape').length < n) return void requestAnimationFrame(check)
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))
        }
        check()
      })
      Object.assign(window, { __phoneShown: shown })
    }, notes)
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU_SLOWDOWN })
    const tracing = process.env.TRACE === '1' && file !== null
    if (tracing) await browser.startTracing(page, { path: file.replace('.cpuprofile', '.trace.json'), categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'] })
    else if (file !== null) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: Number(process.env.PROFILE_INTERVAL_US ?? '1000') })
      await cdp.send('Profiler.start')
    }
    await page.goto(url)
    const shownMs = await page.evaluate(() => (window as unknown as { __phoneShown: Promise<number> }).__phoneShown)
    if (tracing) await browser.stopTracing()
    else if (file !== null) {
      const { profile } = await cdp.send('Profiler.stop')
      writeFileSync(file, JSON.stringify(profile))
    }
    return shownMs
  } finally {
    await context.close()
  }
}

async function main(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  const notes = 300
  const ours = join(outDir, 'ours-build')
  const plainDir = join(outDir, 'plain-build')
  if (process.env.REUSE_BUILD !== '1' || !existsSync(join(ours, 'index.html'))) await vite('client/vite.config.ts', ours)
  if (!existsSync(join(plainDir, 'index.html'))) await vite('bench/plainTldraw/vite.config.ts', plainDir)
  const server = await startServer('ours', { env: { CLIENT_DIR: ours } })
  const plain = await servePlain(plainDir)
  const browser = await launchChromium()
  try {
    const board = await openBoard(server, 'phone-profile')
    await seedBoardThroughEditor(browser, server.httpUrl, server.syncUrl, board, notes)
    const rounds = Number(process.argv[3] ?? '1')
    const profiling = process.argv[4] !== 'measure'
    const o: number[] = []
    const pl: number[] = []
    for (let r = 0; r < rounds; r++) {
      o.push(await profileOpen(browser, participantUrl(server.httpUrl, board), notes, profiling ? join(outDir, `ours${r}.cpuprofile`) : null))
      pl.push(await profileOpen(browser, plainUrl(plain.url, notes), notes, profiling ? join(outDir, `plain${r}.cpuprofile`) : null))
      console.log('ours', o.at(-1)?.toFixed(0), 'plain', pl.at(-1)?.toFixed(0), ((o.at(-1) ?? 0) / (pl.at(-1) ?? 1)).toFixed(3))
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0
    console.log('median ours', med(o).toFixed(0), 'plain', med(pl).toFixed(0), (med(o) / med(pl)).toFixed(3), 'median of ratios', med(o.map((x, i) => x / (pl[i] ?? 1))).toFixed(3))
  } finally {
    await browser.close()
    await plain.close()
    await server.stop()
  }
}

main(process.argv[2] ?? 'phone-profile').then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1) })
