/**
 * Versions (issue 9 benchmark): on a 10,000-record board, the time to save a version, list 100 versions, diff two
 * versions and restore one until a connected stock y-websocket client has it; and the bytes a version of a
 * 2,000-note board takes in SQLite against its JSON. Our server only, as a child process (server/src/main.ts), with
 * the admin token as the facilitator; times are wall clock from this process, HTTP on 127.0.0.1 included.
 */
import { YKeyValue } from 'y-utility/y-keyvalue'
import { RECORDS_ARRAY } from '../shared/src/boardDocument.ts'
import { openBoard, type BoardRef } from './boards.ts'
import { connectClient, type BenchClient } from './clients.ts'
import { waitForQuiet } from './machineLoad.ts'
import { noteRecord } from './records.ts'
import { markdownTable, type Report } from './report.ts'
import { startServer, type ServerHandle } from './serverProcess.ts'
import { fmt, median, percentile } from './stats.ts'

const PAGE = { id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} }
const DOCUMENT = { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} }

async function call(server: ServerHandle, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; bytes: number }> {
  const res = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text), bytes: text.length }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now()
  const value = await work()
  return { ms: performance.now() - start, value }
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

/** Writes a board of `notes` notes (+ page and document) through a client, in chunks, and waits for the server. */
async function seed(server: ServerHandle, client: BenchClient, board: BoardRef, notes: number): Promise<YKeyValue<unknown>> {
  const kv = new YKeyValue<unknown>(client.doc.getArray(RECORDS_ARRAY))
  client.doc.transact(() => {
    kv.set(DOCUMENT.id, DOCUMENT)
    kv.set(PAGE.id, PAGE)
  })
  for (let start = 0; start < notes; start += 500) {
    client.doc.transact(() => {
      for (let i = start; i < Math.min(notes, start + 500); i++) kv.set(noteRecord(i).id, noteRecord(i))
    })
  }
  await waitForServerCount(server, board, notes + 2)
  return kv
}

async function waitForServerCount(server: ServerHandle, board: BoardRef, count: number): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const live = await call(server, 'GET', `/api/meetings/${board.room}/export`)
    if ((live.body as { records: unknown[] }).records.length === count) return
    if (Date.now() > deadline) throw new Error('bench: the server did not get the seeded board')
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** What the SQLite row of a version holds, records and their outline (not exposed over HTTP): read with a read-only handle of our own. */
async function storedBytesOf(server: ServerHandle, meetingId: string, number: number): Promise<number> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(`${server.dataDir}/tavolo.sqlite`, { readonly: true, fileMustExist: true })
  try {
    const row = db
      .prepare('SELECT length(records) + coalesce(length(records_outline), 0) AS bytes FROM versions WHERE meeting_id = ? AND number = ?')
      .get(meetingId, number) as { bytes: number }
    return row.bytes
  } finally {
    db.close()
  }
}

/** Changes `n` notes' text (a realistic edit between two versions). */
function editNotes(client: BenchClient, kv: YKeyValue<unknown>, n: number, round: number, notes: number): void {
  client.doc.transact(() => {
    for (let i = 0; i < n; i++) {
      const note = noteRecord((i * 37 + round) % notes)
      note.props.richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `round ${round} #${i}` }] }] }
      kv.set(note.id, note)
    }
  })
}

export async function runVersionsBench(report: Report, options: { quick: boolean }): Promise<void> {
  const quick = options.quick
  const notes = quick ? 1_998 : 9_998
  const quiet = await waitForQuiet(quick ? 2_000 : 90_000)
  const server = await startServer('ours')
  const clients: BenchClient[] = []
  try {
    const board = await openBoard(server, 'versions')
    const writer = connectClient(server.syncUrl, board)
    clients.push(writer)
    await writer.synced
    const kv = await seed(server, writer, board, notes)
    const base = `/api/meetings/${board.room}`

    // save: each time after a change of 50 notes, so that a new version is made
    const saves: number[] = []
    for (let round = 0; round < (quick ? 3 : 7); round++) {
      if (round > 0) {
        editNotes(writer, kv, 50, round, notes)
        await until(() => writer.provider.synced, 10_000, 'writer synced')
        // the server has the edit once its live board differs from the latest version
        const latest = (await call(server, 'GET', `${base}/versions`)).body as { versions: Array<{ contentHash: string }> }
        for (let tries = 0; ; tries++) {
          const diff = await call(server, 'GET', `${base}/versions/${latest.versions.length}/diff/live`)
          if ((diff.body as { diff: { summary: { changed: number } } }).diff.summary.changed >= 50) break
          if (tries > 200) throw new Error('bench: the edit did not reach the server')
          await new Promise((r) => setTimeout(r, 20))
        }
      }
      const saved = await timed(() => call(server, 'POST', `${base}/versions`, { label: `bench ${round}` }))
      if (saved.value.status !== 201) throw new Error(`bench: save answered ${saved.value.status}`)
      saves.push(saved.ms)
    }
    const saveMs = median(saves.slice(1))

    // bytes per version of this board, and of a 2,000-note board
    const stored = (await call(server, 'GET', `${base}/versions/1`)).body as { version: { records: unknown[] } }
    const jsonBytes = Buffer.byteLength(JSON.stringify(stored.version.records), 'utf8')

    // list: fill to 100 versions (a small change each), then list
    const existing = saves.length
    for (let round = existing; round < 100; round++) {
      writer.doc.transact(() => kv.set(`shape:marker`, { ...noteRecord(9_999), id: 'shape:marker', x: round }))
      for (let tries = 0; ; tries++) {
        const saved = await call(server, 'POST', `${base}/versions`, { label: `fill ${round}` })
        if (saved.status === 201) break
        if (tries > 500) throw new Error('bench: could not fill 100 versions')
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    const lists: number[] = []
    let listBytes = 0
    for (let i = 0; i < 20; i++) {
      const listed = await timed(() => call(server, 'GET', `${base}/versions`))
      listBytes = listed.value.bytes
      if ((listed.value.body as { total: number }).total < 100) throw new Error('bench: fewer than 100 versions')
      lists.push(listed.ms)
    }

    // diff: versions never read before (parsed from SQLite: the cold case), then version 1 against version 2 (50 notes
    // changed) again and again (the second and later reads of the same pair), and version 1 against the live board
    const colds: number[] = []
    for (let k = 10; k <= 70; k += 10) colds.push((await timed(() => call(server, 'GET', `${base}/versions/${k}/diff/${k + 1}`))).ms)
    const diffs: number[] = []
    for (let i = 0; i < 7; i++) diffs.push((await timed(() => call(server, 'GET', `${base}/versions/1/diff/2`))).ms)
    const diffLive = median(await Promise.all([0, 1, 2].map(async () => (await timed(() => call(server, 'GET', `${base}/versions/1/diff/live`))).ms)))

    // restore: until a connected client (not the writer) has the restored board
    const watcher = connectClient(server.syncUrl, board)
    clients.push(watcher)
    await watcher.synced
    const watched = new YKeyValue<unknown>(watcher.doc.getArray(RECORDS_ARRAY))
    const restores: number[] = []
    for (let i = 0; i < (quick ? 2 : 4); i++) {
      const k = i % 2 === 0 ? 1 : 2
      const start = performance.now()
      const answer = call(server, 'POST', `${base}/versions/${k}/restore`)
      // version 1 has no marker note; version 2 has round 1's texts
      const expectText = k === 2 ? 'round 1 #0' : 'Idea 1'
      const probeId = noteRecord(1).id
      await until(() => {
        const v = watched.get(probeId) as { props?: { richText?: { content?: Array<{ content?: Array<{ text?: string }> }> } } } | undefined
        const text = v?.props?.richText?.content?.[0]?.content?.[0]?.text
        return text === expectText && !watched.has('shape:marker')
      }, 10_000, `restore of version ${k} seen by the client`)
      restores.push(performance.now() - start)
      if ((await answer).status !== 200) throw new Error('bench: restore failed')
    }
    const restoreMs = median(restores)

    const rows = [
      ['save a version (10,000 records, 50 notes changed)', fmt(saveMs), fmt(percentile(saves.slice(1), 100)), String(saves.length - 1)],
      ['list 100 versions', fmt(median(lists)), fmt(percentile(lists, 100)), `${lists.length} (${fmt(listBytes / 1024, 0)} KiB answer)`],
      ['diff two versions read for the first time', fmt(median(colds)), fmt(percentile(colds, 100)), String(colds.length)],
      ['diff version 1 → 2 again (same pair, read again)', fmt(median(diffs)), fmt(percentile(diffs, 100)), String(diffs.length)],
      ['diff version 1 → live', fmt(diffLive), '', '3'],
      ['restore, until a connected client has it', fmt(restoreMs), fmt(percentile(restores, 100)), String(restores.length)],
    ]
    const storedBytes = await storedBytesOf(server, board.room, 1)

    // a 2,000-note board of its own
    const small = await openBoard(server, 'versions-2000')
    const smallWriter = connectClient(server.syncUrl, small)
    clients.push(smallWriter)
    await smallWriter.synced
    await seed(server, smallWriter, small, 2_000)
    const smallSave = await call(server, 'POST', `/api/meetings/${small.room}/versions`, { label: '2000' })
    if (smallSave.status !== 201) throw new Error('bench: 2,000-note save failed')
    const smallJson = Buffer.byteLength(
      JSON.stringify(((await call(server, 'GET', `/api/meetings/${small.room}/versions/1`)).body as { version: { records: unknown[] } }).version.records),
      'utf8',
    )
    const smallStored = await storedBytesOf(server, small.room, 1)

    const sizes = markdownTable(
      ['board', 'records JSON', 'stored (brotli)', 'ratio'],
      [
        [`${notes + 2} records`, `${fmt(jsonBytes / 1024, 0)} KiB`, `${fmt(storedBytes / 1024, 0)} KiB`, `${fmt(storedBytes / jsonBytes, 3)}×`],
        ['2,000 notes (+2)', `${fmt(smallJson / 1024, 0)} KiB`, `${fmt(smallStored / 1024, 0)} KiB`, `${fmt(smallStored / smallJson, 3)}×`],
      ],
    )
    report.section(
      `Versions (${notes + 2}-record board${quick ? ', --quick' : ''})`,
      `${markdownTable(['operation', 'median ms', 'max ms', 'runs'], rows)}\n\n${sizes}\n\nOther processes used ${fmt(quiet.otherCores, 2)} cores just before. ` +
        'Times are wall clock in the bench process (HTTP on loopback; the restore includes the client decoding the update).',
    )
    const verdict = (ok: boolean) => (quick ? 'NOT MEASURED' : ok ? 'PASS' : 'FAIL')
    report.target('versions: save a 10,000-record board ≤ 200 ms', verdict(saveMs <= 200), `${fmt(saveMs)} ms median`)
    report.target('versions: list 100 versions ≤ 50 ms', verdict(median(lists) <= 50), `${fmt(median(lists))} ms median`)
    report.target('versions: diff two versions ≤ 100 ms', verdict(median(colds) <= 100), `${fmt(median(colds))} ms median read for the first time, ${fmt(median(diffs))} ms for a pair read again`)
    report.target('versions: restore seen by a connected client ≤ 1 s', verdict(restoreMs <= 1000), `${fmt(restoreMs)} ms median`)
    report.target('versions: a 2,000-note version ≤ 0.5× its JSON', smallStored <= 0.5 * smallJson ? 'PASS' : 'FAIL', `${fmt(smallStored / smallJson, 3)}×`)
  } finally {
    for (const client of clients) client.destroy()
    await server.stop()
  }
}
