import type { Browser } from 'playwright-core'
import { seedBoardThroughEditor } from './boardLoad.ts'
import { openBoard } from './boards.ts'
import { bundleSizes } from './clientBuild.ts'
import { waitForQuiet } from './machineLoad.ts'
import { PHONE_CPU_SLOWDOWN, buildPlainTldraw, measurePhoneOpen, participantUrl, plainUrl, servePlain, tempDir, type PhoneOpen } from './phoneOpen.ts'
import { markdownTable, type Report } from './report.ts'
import type { ServerHandle } from './serverProcess.ts'
import { fmt, median, ratio } from './stats.ts'

export interface PhoneSuiteOptions {
  browser: Browser
  server: ServerHandle
  quick: boolean
  /** Our built client's JS + CSS, gzip (from the bundle table). */
  bundleGzipBytes: number
}

const kb = (bytes: number): string => fmt(bytes / 1024, 0)

/** Issue 13 part 3: ours through a participant link vs plain tldraw, both on a 4× throttled CPU at 390×844. */
export async function phoneSuite(report: Report, { browser, server, quick, bundleGzipBytes }: PhoneSuiteOptions): Promise<void> {
  const notes = quick ? 50 : 300
  const rounds = quick ? 1 : 3
  const plainBuild = tempDir('tavolo-bench-plain-')
  try {
    await buildPlainTldraw(plainBuild.dir)
    const plainSizes = bundleSizes(plainBuild.dir)
    const plainGzip = plainSizes.code.reduce((s, f) => s + f.gzipBytes, 0)
    const plain = await servePlain(plainBuild.dir)
    try {
      const board = await openBoard(server, 'phone-open')
      await seedBoardThroughEditor(browser, server.httpUrl, server.syncUrl, board, notes)
      const ours: PhoneOpen[] = []
      const reference: PhoneOpen[] = []
      for (let round = 0; round < rounds; round++) {
        await waitForQuiet()
        ours.push(await measurePhoneOpen(browser, participantUrl(server.httpUrl, board), notes, round === 0))
        reference.push(await measurePhoneOpen(browser, plainUrl(plain.url, notes), notes, false))
      }
      const rows = ours.map((o, i) => {
        const p = reference[i]!
        return [String(i + 1), fmt(o.shownMs, 0), fmt(p.shownMs, 0), ratio(o.shownMs, p.shownMs), fmt(o.firstPaintMs, 0), fmt(p.firstPaintMs, 0), kb(o.bytesBeforeFirstPaint), kb(p.bytesBeforeFirstPaint), kb(o.bytesBeforeShown), kb(p.bytesBeforeShown), `${o.requestsBeforeShown} / ${p.requestsBeforeShown}`]
      })
      const mOurs = median(ours.map((o) => o.shownMs))
      const mPlain = median(reference.map((p) => p.shownMs))
      const waterfall = ours[0]?.waterfall ?? []
      report.section(
        `Phone open: a ${notes}-note board through a participant link vs plain tldraw creating the same notes, CPU ${PHONE_CPU_SLOWDOWN}× slower, 390×844 (${rounds} rounds)`,
        markdownTable(
          ['round', 'ours: every note shown ms', 'plain tldraw ms', 'ours/plain', 'ours first paint ms', 'plain first paint ms', 'ours KB before first paint', 'plain KB before first paint', 'ours KB before shown', 'plain KB before shown', 'requests before shown (ours / plain)'],
          rows,
        ) +
          `\n\nMedian: ours ${fmt(mOurs, 0)} ms, plain tldraw ${fmt(mPlain, 0)} ms (${ratio(mOurs, mPlain)}). Bytes are what the network` +
          ` delivered (encoded, as served: both servers send the .br files written at build time). Bundles, JS + CSS gzip: ours ${kb(bundleGzipBytes)} KB, plain tldraw ${kb(plainGzip)} KB.` +
          '\n\nWaterfall of ours, round 1 (ms from navigation start; requests by path, hashes cut):\n\n' +
          markdownTable(['what', 'start ms', 'end ms'], waterfall.map((w) => [w.what, fmt(w.startMs, 0), fmt(w.endMs, 0)])),
      )
      report.target(
        `phone: ${notes}-note board shown ≤ 1.1× plain tldraw (CPU ${PHONE_CPU_SLOWDOWN}×)`,
        mOurs <= 1.1 * mPlain ? 'PASS' : 'FAIL',
        `${fmt(mOurs, 0)} ms vs ${fmt(mPlain, 0)} ms = ${ratio(mOurs, mPlain)}`,
      )
      const oursBytes = median(ours.map((o) => o.bytesBeforeFirstPaint))
      const plainBytes = median(reference.map((p) => p.bytesBeforeFirstPaint))
      report.target(
        "phone: bytes before first paint ≤ plain tldraw's + 10%",
        oursBytes <= 1.1 * plainBytes ? 'PASS' : 'FAIL',
        `${kb(oursBytes)} KB vs ${kb(plainBytes)} KB = ${ratio(oursBytes, plainBytes)}`,
      )
    } finally {
      await plain.close()
    }
  } finally {
    plainBuild.remove()
  }
}
