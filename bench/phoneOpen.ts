/**
 * Participants on phones (issue 13, part 3): a board opened through a participant link on a throttled CPU (4×, a
 * mid-range phone) at 390×844, against plain tldraw creating the same notes itself, in the same run. Times from
 * navigation start to "every note has its shape element, and a frame has painted after that"; also the bytes the
 * page downloaded before its first paint and before that moment, and, for ours, the waterfall of one open.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import { precompressedAssets } from '../server/src/http/precompressed.ts'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { BoardRef } from './boards.ts'
import { boardPageUrl, personContext } from './browser.ts'

export const PHONE_VIEWPORT = { width: 390, height: 844 }
export const PHONE_CPU_SLOWDOWN = 4

export interface PhoneOpen {
  shownMs: number
  firstPaintMs: number
  bytesBeforeFirstPaint: number
  bytesBeforeShown: number
  requestsBeforeShown: number
  /** Ours only: what happened when, in milliseconds from navigation start. */
  waterfall: { what: string; startMs: number; endMs: number }[]
}

/** Builds the plain tldraw reference app (bench/plainTldraw) into `outDir`. */
export async function buildPlainTldraw(outDir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'bench/plainTldraw/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`plain tldraw build failed (${code}):\n${output.slice(-3000)}`)
}

/** Serves a built app on loopback like our server serves ours: precompressed assets (br/gzip), then express.static. */
export async function servePlain(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express()
  app.use('/assets', precompressedAssets(join(dir, 'assets'), { immutable: true, maxAge: '365d' }))
  app.use(express.static(dir))
  const server: Server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** Page script: resolves once `n` shape elements exist and a frame has painted them; records the phases of ours. */
function installProbe(n: number): void {
  const marks: { what: string; startMs: number; endMs: number }[] = []
  const NativeWebSocket = window.WebSocket
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      const created = performance.now()
      this.addEventListener('open', () => marks.push({ what: 'WebSocket open', startMs: created, endMs: performance.now() }))
      let big = false
      this.addEventListener('message', (event: MessageEvent) => {
        const size = event.data instanceof ArrayBuffer ? event.data.byteLength : event.data instanceof Blob ? event.data.size : 0
        if (!big && size > 10_000) {
          big = true
          marks.push({ what: 'board state received', startMs: created, endMs: performance.now() })
        }
      })
    }
  }
  const shown = new Promise<number>((resolve) => {
    let editorSeen = false
    const check = (): void => {
      const w = window as unknown as { __tavolo?: unknown; __plainEditor?: unknown }
      if (!editorSeen && (w.__tavolo !== undefined || w.__plainEditor !== undefined)) {
        editorSeen = true
        marks.push({ what: 'editor mounted', startMs: 0, endMs: performance.now() })
      }
      if (document.querySelectorAll('.tl-shape').length < n) {
        requestAnimationFrame(check)
        return
      }
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))
    }
    check()
  })
  Object.assign(window, { __phoneShown: shown, __phoneMarks: marks })
}

async function openThrottled(context: BrowserContext): Promise<{ page: Page; bytes: () => { at: number; bytes: number }[] }> {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU_SLOWDOWN })
  await cdp.send('Network.enable')
  const finished: { at: number; bytes: number }[] = []
  let wallOrigin = Number.NaN
  cdp.on('Network.requestWillBeSent', (event) => {
    // The first request is the navigation: its wall time is the page's time origin, closely enough.
    if (Number.isNaN(wallOrigin)) wallOrigin = event.timestamp
  })
  cdp.on('Network.loadingFinished', (event) => {
    finished.push({ at: (event.timestamp - wallOrigin) * 1000, bytes: event.encodedDataLength })
  })
  return { page, bytes: () => finished }
}

export async function measurePhoneOpen(browser: Browser, url: string, notes: number, withWaterfall: boolean): Promise<PhoneOpen> {
  const context = await personContext(browser, 'Telefono', { viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  try {
    await context.addInitScript(installProbe, notes)
    const { page, bytes } = await openThrottled(context)
    await page.goto(url)
    const shownMs = await page.evaluate(() => (window as unknown as { __phoneShown: Promise<number> }).__phoneShown)
    const result = await page.evaluate(() => {
      const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')
      const resources = performance
        .getEntriesByType('resource')
        .map((e) => e as PerformanceResourceTiming)
        .map((e) => ({ what: new URL(e.name).pathname.replace(/\/assets\/([^-]+)-[A-Za-z0-9_-]{8}\./, '/assets/$1.'), startMs: e.startTime, endMs: e.responseEnd }))
      const marks = (window as unknown as { __phoneMarks: { what: string; startMs: number; endMs: number }[] }).__phoneMarks
      return { firstPaintMs: paint?.startTime ?? Number.NaN, resources, marks }
    })
    const loads = bytes()
    const before = (t: number) => loads.filter((l) => l.at <= t)
    const waterfall = withWaterfall
      ? [...result.resources, ...result.marks, { what: 'every note shown', startMs: 0, endMs: shownMs }].sort((a, b) => a.endMs - b.endMs)
      : []
    return {
      shownMs,
      firstPaintMs: result.firstPaintMs,
      bytesBeforeFirstPaint: before(result.firstPaintMs).reduce((s, l) => s + l.bytes, 0),
      bytesBeforeShown: before(shownMs).reduce((s, l) => s + l.bytes, 0),
      requestsBeforeShown: before(shownMs).length,
      waterfall,
    }
  } finally {
    await context.close()
  }
}

export function participantUrl(httpUrl: string, board: BoardRef): string {
  return boardPageUrl(httpUrl, board)
}

export function plainUrl(baseUrl: string, notes: number): string {
  return `${baseUrl}/?notes=${notes}`
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
