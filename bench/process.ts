/**
 * Processes (issue 22 benchmark): the history and report of a process of 10 meetings with 500 cards each (the seed's
 * four maps, cards spread over the actor, issue and programme cells; each meeting continues the one before: card ids
 * kept, 10% of the cards moved, 5% edited, 5% gone, 5% new), measured two ways:
 * - pure, in this process: processHistory + processStory + the HTML report (the heaviest format);
 * - as the endpoint runs it: the `processReport` job of the board worker pool, with the boards handed over as the
 *   stores keep them (record texts), while this thread's event-loop delay is monitored (the main thread must stay free).
 * Target: ≤ 300 ms, and nothing blocks the event loop more than 100 ms (the hostile-input issue's limit).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { processHistory, type ProcessMeetingBoard } from '../shared/src/process/processHistory.ts'
import { processStory } from '../shared/src/process/processStory.ts'
import { renderProcessReport } from '../shared/src/process/processReport.ts'
import { createWorkerPool } from '../server/src/work/workerPool.ts'
import { bigBoard, laterBoard } from './reports.ts'
import { startLoadMeter, waitForQuiet } from './machineLoad.ts'
import { markdownTable, type Report } from './report.ts'
import { fmt, median } from './stats.ts'

type Rec = Record<string, unknown>

const SCHEMA = { schemaVersion: 2, sequences: {} }
const PROCESS = { id: 'bench', title: 'Opificio di Comunità', description: null, decidimUrl: null }

/** Ten boards of one process: each the one before, changed as laterBoard changes a board (ids kept). */
export function processBoards(meetings: number, cards: number): Rec[][] {
  const boards: Rec[][] = [bigBoard(cards)]
  for (let k = 1; k < meetings; k++) {
    // laterBoard renames its new cards "-new"; a suffix per meeting keeps them apart
    const next = laterBoard(boards[k - 1]!, cards).map((r) => (String(r.id).endsWith('-new') ? { ...r, id: `${String(r.id)}${k}` } : r))
    boards.push(next)
  }
  return boards
}

function meetingOf(k: number, records: Rec[]): ProcessMeetingBoard {
  return {
    meeting: { id: `m${k}`, title: `Incontro ${k + 1}`, startsAt: `2026-0${(k % 9) + 1}-01T10:00:00+02:00`, createdAt: `2026-01-0${(k % 9) + 1}T00:00:00Z` },
    version: { number: 3, total: 3, label: 'Fine incontro' },
    records,
  }
}

export async function runProcessBench(report: Report, options: { quick: boolean }): Promise<void> {
  const meetings = 10
  const cards = options.quick ? 100 : 500
  const runs = options.quick ? 3 : 15
  const boards = processBoards(meetings, cards)
  const records = boards.reduce((s, b) => s + b.length, 0)
  const quiet = await waitForQuiet(options.quick ? 2_000 : 90_000)
  const meter = startLoadMeter(() => 0)

  // pure, on this thread
  const pure = () => {
    const history = processHistory(boards.map((b, k) => meetingOf(k, b)))
    return renderProcessReport(processStory(PROCESS, history, 'it', '2026-01-01T00:00:00Z'), 'html')
  }
  for (let i = 0; i < 3; i++) pure()
  const pureSamples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    pure()
    pureSamples.push(performance.now() - start)
  }
  const htmlBytes = pure().body.length

  // the endpoint's way: the worker pool, the main thread watched
  const work = createWorkerPool({ size: 1 })
  await work.ready()
  const sources = boards.map((b, k) => {
    const { records: _records, ...rest } = meetingOf(k, b)
    return { ...rest, source: { ndjson: b.map((r) => JSON.stringify(r)).join('\n'), outlineText: null, schema: SCHEMA } }
  })
  const job = (format: 'html' | 'json') =>
    work.run('processReport', { boards: sources, notSame: [], process: PROCESS, format, locale: 'it', generatedAt: '2026-01-01T00:00:00Z' })
  for (let i = 0; i < 3; i++) await job('html')
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const poolSamples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await job(i % 2 === 0 ? 'html' : 'json')
    poolSamples.push(performance.now() - start)
  }
  loop.disable()
  await work.close()
  const loopMaxMs = loop.max / 1e6
  const otherCores = meter.stop()

  report.section(
    'Processes (issue 22)',
    [
      `A process of ${meetings} meetings, each board the seed's four maps with ${cards} cards over their cells (${records} records in all), ` +
        'each meeting continuing the one before (ids kept; 10% moved, 5% edited, 5% gone, 5% new). ' +
        `Medians of ${runs} runs after 3 warm-ups.`,
      '',
      markdownTable(
        ['how', 'median ms', 'max ms'],
        [
          ['history + story + HTML report, this thread', fmt(median(pureSamples)), fmt(Math.max(...pureSamples))],
          ['`processReport` job in the worker pool (record texts in, bytes out; html and json)', fmt(median(poolSamples)), fmt(Math.max(...poolSamples))],
        ],
      ),
      '',
      `HTML report: ${htmlBytes} bytes. Main thread's event-loop delay during the pool runs: max ${fmt(loopMaxMs)} ms. ` +
        `Other processes used ${fmt(quiet.otherCores, 2)} cores just before and ${fmt(otherCores, 2)} during the measurements.`,
    ].join('\n'),
  )
  const verdict = (ok: boolean) => (options.quick ? 'NOT MEASURED' : ok ? 'PASS' : 'FAIL') as 'PASS' | 'FAIL' | 'NOT MEASURED'
  report.target(
    `process: history + report of ${meetings} meetings × ${cards} cards ≤ 300 ms, off the event loop`,
    verdict(median(poolSamples) <= 300 && loopMaxMs <= 100),
    `${fmt(median(poolSamples))} ms median in the worker pool (${fmt(median(pureSamples))} ms pure); event loop max delay ${fmt(loopMaxMs)} ms`,
  )
}
