/**
 * Dot-voting (issue 20 benchmark): on the seed board's issue map, ballots from 100 voters sent at once (each a PUT
 * with the participant key, answered only once durable in SQLite), and the reveal until every connected stock
 * y-websocket client has the totals in its document. Our server only, as a child process (server/src/main.ts); the
 * staff token acts as the facilitator; times are wall clock from this process, HTTP on 127.0.0.1 included.
 * Targets: every ballot answered within 200 ms at p99; the reveal visible on every client within 1 s.
 */
import { YKeyValue } from 'y-utility/y-keyvalue'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../shared/src/boardDocument.ts'
import { FRAME_VOTES_META_KEY, votableCards } from '../shared/src/facilitation/voteRecords.ts'
import { buildSeedBoard } from '../server/src/demo/seedBoard.ts'
import { serverSerializedSchema } from '../server/src/board/tldrawSchema.ts'
import { openBoard } from './boards.ts'
import { connectClient, destroyAll, type BenchClient } from './clients.ts'
import { waitForQuiet } from './machineLoad.ts'
import { markdownTable, type Report } from './report.ts'
import { startServer, type ServerHandle } from './serverProcess.ts'
import { fmt, median, percentile } from './stats.ts'

const ISSUES = 'shape:demo-issues'
const VOTERS = 100

async function call(server: ServerHandle, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text) }
}

function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs
    const tick = () => {
      if (predicate()) return resolve()
      if (Date.now() > deadline) return reject(new Error(`bench: ${what} not reached in ${timeoutMs} ms`))
      setImmediate(tick)
    }
    tick()
  })
}

type Records = YKeyValue<{ meta?: Record<string, unknown> }>

/** True when a client's records hold the revealed totals of `voteId` on the issue map's frame. */
function hasTotals(records: Records, voteId: string): boolean {
  const votes = records.get(ISSUES)?.meta?.[FRAME_VOTES_META_KEY]
  return Array.isArray(votes) && votes.some((v) => (v as { id?: unknown }).id === voteId)
}

export async function runVotesBench(report: Report, options: { quick: boolean }): Promise<void> {
  const rounds = options.quick ? 1 : 5
  const watchers = options.quick ? 5 : 30
  await waitForQuiet(options.quick ? 2_000 : 60_000)
  const server = await startServer('ours')
  const clients: BenchClient[] = []
  try {
    const board = await openBoard(server, 'votes')
    const participantKey = board.params.k ?? ''
    const seed = buildSeedBoard('final')
    const writer = connectClient(server.syncUrl, board)
    clients.push(writer)
    await writer.synced
    const kv = new YKeyValue<unknown>(writer.doc.getArray(RECORDS_ARRAY))
    writer.doc.transact(() => {
      for (const record of seed) kv.set(record.id as string, record)
      writer.doc.getMap(META_MAP).set(SCHEMA_KEY, serverSerializedSchema())
    })
    const cards = votableCards(seed, ISSUES)!.map((c) => c.id)
    for (let i = 0; i < watchers; i++) clients.push(connectClient(server.syncUrl, board))
    await Promise.all(clients.map((c) => c.synced))
    const views: Records[] = clients.map((c) => new YKeyValue(c.doc.getArray(RECORDS_ARRAY)))
    await until(() => views.every((v) => v.has(ISSUES)), 30_000, 'the seed board on every client')

    const ballotMs: number[] = []
    const floorMs: number[] = []
    const revealMs: number[] = []
    for (let round = 0; round < rounds; round++) {
      // The floor: the same burst of 100 requests on the same fresh connections' path, to a route that does no work
      // (GET /api/time). What the ballots take beyond it is authentication, validation and the durable commit.
      await Promise.all(
        Array.from({ length: VOTERS }, async () => {
          const t0 = performance.now()
          const res = await fetch(`${server.httpUrl}/api/time`)
          await res.text()
          floorMs.push(performance.now() - t0)
        }),
      )
      const started = await call(server, server.adminToken, 'POST', `/api/meetings/${board.room}/votes`, { frameId: ISSUES, votesPerVoter: 3 })
      if (started.status !== 201) throw new Error(`bench: starting a vote failed: ${started.status} ${JSON.stringify(started.body)}`)
      const voteId = (started.body as { vote: { id: string } }).vote.id
      const answers = await Promise.all(
        Array.from({ length: VOTERS }, async (_, v) => {
          const t0 = performance.now()
          const res = await call(server, participantKey, 'PUT', `/api/meetings/${board.room}/votes/${voteId}/ballots/bench-voter-${String(v).padStart(8, '0')}-${round}`, {
            cardIds: [cards[v % cards.length], cards[(v * 7) % cards.length], cards[0]],
          })
          ballotMs.push(performance.now() - t0)
          return res.status
        }),
      )
      if (answers.some((s) => s !== 200)) throw new Error(`bench: ballots refused: ${answers.filter((s) => s !== 200).length}`)
      const t0 = performance.now()
      const revealed = await call(server, server.adminToken, 'POST', `/api/meetings/${board.room}/votes/${voteId}/reveal`)
      if (revealed.status !== 200) throw new Error(`bench: reveal failed: ${revealed.status}`)
      await until(() => views.every((v) => hasTotals(v, voteId)), 10_000, 'the totals on every client')
      revealMs.push(performance.now() - t0)
    }
    const p99 = percentile(ballotMs, 99)
    const worstReveal = Math.max(...revealMs)
    report.section(
      'Dot-voting: 100 ballots at once, reveal to every client',
      markdownTable(
        ['Measure', 'Median', 'p99', 'Max', 'Samples'],
        [
          ['Ballot PUT (ms)', fmt(median(ballotMs)), fmt(p99), fmt(Math.max(...ballotMs)), String(ballotMs.length)],
          ['Floor: GET /api/time, 100 at once (ms)', fmt(median(floorMs)), fmt(percentile(floorMs, 99)), fmt(Math.max(...floorMs)), String(floorMs.length)],
          [`Reveal until all ${clients.length} clients have the totals (ms)`, fmt(median(revealMs)), '—', fmt(worstReveal), String(revealMs.length)],
        ],
      ),
    )
    report.target('100 ballots at once: p99 ≤ 200 ms', p99 <= 200 ? 'PASS' : 'FAIL', `p99 ${fmt(p99)} ms over ${ballotMs.length} ballots`)
    report.target('Reveal visible on every client ≤ 1 s', worstReveal <= 1000 ? 'PASS' : 'FAIL', `worst ${fmt(worstReveal)} ms, ${clients.length} clients`)
  } finally {
    await destroyAll(clients)
    await server.stop()
  }
}
