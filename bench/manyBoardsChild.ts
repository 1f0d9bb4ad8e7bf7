/**
 * One client process of the many-boards scenario (bench/manyBoards.ts forks several, so the 600 stock clients are
 * spread over processes and cores). It owns whole boards: every client of a board lives in the same process, so
 * relay latency is measured on one clock. Protocol with the parent (IPC):
 *   parent → child  { type: 'setup', ... }      child connects, seeds, answers { type: 'ready' }
 *   parent → child  { type: 'start' }           presence + writers for `durationS`, then drain,
 *   child → parent  { type: 'result', ... }     per board: latencies, closes; then the child exits.
 */
import { boardRecords, noteRecord, onStamps, stampedNote } from './records.ts'
import type { BoardRef } from './boards.ts'
import { connectClient, sleep, startCursors, type BenchClient, type CloseRecord } from './clients.ts'
import { connectLightReader, type LightReader } from './lightReader.ts'

export interface ChildSetup {
  type: 'setup'
  syncUrl: string
  boards: BoardRef[]
  clientsPerBoard: number
  notesPerBoard: number
  presenceHz: number
  writeHz: number
  durationS: number
  /** 'stock': every client a y-websocket provider; 'light': the readers are bench/lightReader.ts (the writer stays stock). */
  readers: 'stock' | 'light'
}

export interface BoardResult {
  room: string
  latenciesMs: number[]
  expected: number
  closes: string[]
}

export type ChildResult = { type: 'result'; boards: BoardResult[]; benchLoopLagMs: number } | { type: 'error'; message: string }

const DRAIN_TIMEOUT_MS = 15_000

function send(message: unknown): void {
  process.send?.(message)
}

/** A board's clients: the writer, and its readers as providers or light readers (whose stamps go to `onStamp`). */
interface BoardClients {
  writer: BenchClient
  stockReaders: BenchClient[]
  lightReaders: LightReader[]
}

async function setupBoard(setup: ChildSetup, board: BoardRef, onStamp: (seq: number) => void): Promise<BoardClients> {
  const stock = setup.readers === 'stock' ? setup.clientsPerBoard : 1
  const clients = Array.from({ length: stock }, () => connectClient(setup.syncUrl, board, 120_000))
  await Promise.all(clients.map((c) => c.synced))
  const writer = clients[0]!
  const records = boardRecords(writer.doc)
  if (records.map.size < setup.notesPerBoard) {
    // 50 notes per transaction: a facilitator pasting a block, not one unrealistically large frame.
    for (let start = 0; start < setup.notesPerBoard; start += 50) {
      writer.doc.transact(() => {
        for (let i = start; i < Math.min(setup.notesPerBoard, start + 50); i++) {
          const note = noteRecord(i)
          records.set(note.id, note)
        }
      })
    }
  }
  const expectedLength = setup.notesPerBoard
  const deadline = Date.now() + 120_000
  while (clients.some((c) => c.doc.getArray('records').length < expectedLength)) {
    if (Date.now() > deadline) throw new Error(`board ${board.room}: clients did not receive the seeded notes`)
    await sleep(50)
  }
  // light readers join the seeded board (their sync step 2 holds the notes; they never decode it)
  const lightReaders = setup.readers === 'light' ? Array.from({ length: setup.clientsPerBoard - 1 }, () => connectLightReader(setup.syncUrl, board, onStamp, 120_000)) : []
  await Promise.all(lightReaders.map((r) => r.synced))
  return { writer, stockReaders: clients.slice(1), lightReaders }
}

async function run(setup: ChildSetup): Promise<void> {
  const boards = new Map<string, BoardClients>()
  const results = new Map<string, BoardResult>()
  const sentAt = new Map<string, number[]>()
  for (const board of setup.boards) {
    const latencies: number[] = []
    const sent: number[] = []
    sentAt.set(board.room, sent)
    results.set(board.room, { room: board.room, latenciesMs: latencies, expected: 0, closes: [] })
    const onStamp = (seq: number) => {
      const t = sent[seq]
      if (t !== undefined) latencies.push(performance.now() - t)
    }
    const clients = await setupBoard(setup, board, onStamp)
    for (const reader of clients.stockReaders) onStamps(reader.doc, onStamp)
    boards.set(board.room, clients)
  }
  send({ type: 'ready' })
  await new Promise<void>((resolve) => process.once('message', () => resolve()))

  const stockClients = [...boards.values()].flatMap((b) => [b.writer, ...b.stockReaders])
  const lightReaders = [...boards.values()].flatMap((b) => b.lightReaders)

  let lagMax = 0
  let last = performance.now()
  const lagTimer = setInterval(() => {
    const now = performance.now()
    lagMax = Math.max(lagMax, now - last - 100)
    last = now
  }, 100)

  stockClients.forEach((client, i) => client.provider.awareness.setLocalStateField('user', { name: `bench-${i}` }))
  const presence = startCursors(
    [
      ...stockClients.map((client) => (x: number, y: number) => client.provider.awareness.setLocalStateField('cursor', { x, y })),
      ...lightReaders.map((reader) => (x: number, y: number) => reader.setCursor(x, y)),
    ],
    setup.presenceHz,
  )
  const edits = Math.round(setup.durationS * setup.writeHz)
  const start = performance.now()
  // The writers of all boards are spread over the write period, so the server sees a steady stream.
  const writers = [...boards].map(([room, clients], b) => ({ room, writer: clients.writer, offsetMs: (b * 1000) / setup.writeHz / boards.size }))
  // one view of the records per writer (a YKeyValue reads the whole array when it is made)
  const writerRecords = new Map(writers.map(({ writer }) => [writer, boardRecords(writer.doc)]))
  for (let seq = 0; seq < edits; seq++) {
    for (const { room, writer, offsetMs } of writers) {
      const due = start + (seq * 1000) / setup.writeHz + offsetMs
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      const note = stampedNote(seq, setup.notesPerBoard)
      sentAt.get(room)![seq] = performance.now()
      // A realistic edit: a note moves, its stamp in the same record.
      writerRecords.get(writer)!.set(note.id, note)
    }
  }
  const expectedPerBoard = edits * (setup.clientsPerBoard - 1)
  for (const r of results.values()) r.expected = expectedPerBoard
  const deadline = performance.now() + DRAIN_TIMEOUT_MS
  while ([...results.values()].some((r) => r.latenciesMs.length < r.expected) && performance.now() < deadline) await sleep(50)
  presence.stop()
  clearInterval(lagTimer)
  const described = (close: CloseRecord) => `${close.code} ${close.reason}`.trim()
  for (const [room, clients] of boards) {
    results.get(room)!.closes = [clients.writer, ...clients.stockReaders, ...clients.lightReaders].flatMap((c) => c.closes.map(described))
  }
  send({ type: 'result', boards: [...results.values()], benchLoopLagMs: lagMax } satisfies ChildResult)
  for (const client of [...stockClients, ...lightReaders]) client.destroy()
}

process.once('message', (message: ChildSetup) => {
  run(message).then(
    () => setTimeout(() => process.exit(0), 200),
    (error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies ChildResult)
      setTimeout(() => process.exit(1), 200)
    },
  )
})
