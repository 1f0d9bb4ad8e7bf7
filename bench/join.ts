import { spawn } from 'node:child_process'
import * as Y from 'yjs'
import { boardUrl, openBoard, type BoardRef } from './boards.ts'
import { startLoadMeter, waitForQuiet } from './machineLoad.ts'
import { connectClient, destroyAll, sleep, type BenchClient } from './clients.ts'
import { rawJoin } from './rawJoin.ts'
import { recordCount, seedNotes } from './records.ts'
import { serverNodeArgs, startServer, type ServerKind } from './serverProcess.ts'
import { median } from './stats.ts'

export interface JoinOptions {
  records: number
  joiners: number
  rounds: number
}

export interface JoinResult {
  kind: ServerKind
  roundsMs: number[]
  medianMs: number
  /** Server CPU over all rounds, seeding excluded. */
  cpuSeconds: number
  peakRssMb: number
  /** Same burst of joiners speaking the protocol without decoding: the server's share of the join. */
  rawRoundsMs: number[]
  rawMedianMs: number
  stateBytes: number
  /**
   * The floor of the provider join in this one process: `joiners` × applying the board's state to a fresh Y.Doc with
   * an update listener (as a provider's doc has), one after the other, whatever server answers (median of the rounds).
   */
  clientDecodeMs: number
  /** Joiners that synced with fewer records than seeded (must be 0). */
  incomplete: number
  /** Cores busy with other processes during the timed rounds. */
  otherCores: number
}

/** Waits until a fresh client sees the whole board: the seed has reached the server, not just left the seeder. */
async function confirmSeeded(syncUrl: string, room: BoardRef, records: number): Promise<void> {
  const checker = connectClient(syncUrl, room)
  try {
    await checker.synced
    const deadline = performance.now() + 30_000
    while (recordCount(checker.doc) < records) {
      if (performance.now() > deadline) throw new Error(`seed not confirmed: ${recordCount(checker.doc)}/${records}`)
      await sleep(50)
    }
  } finally {
    checker.destroy()
  }
}

/** A live board (its seeder stays connected) receives a burst of joiners; timed from the first connect to the last sync. */
export async function runJoin(kind: ServerKind, options: JoinOptions): Promise<JoinResult> {
  const server = await startServer(kind)
  const roundsMs: number[] = []
  let incomplete = 0
  let seeder: BenchClient | null = null
  try {
    const room = await openBoard(server, 'join-board')
    seeder = connectClient(server.syncUrl, room)
    await seeder.synced
    seedNotes(seeder.doc, options.records)
    await confirmSeeded(server.syncUrl, room, options.records)
    await sleep(500)

    await waitForQuiet()
    const otherLoad = startLoadMeter(() => server.stats().cpuSeconds)
    const cpuBefore = server.stats().cpuSeconds
    for (let round = 0; round < options.rounds; round++) {
      const started = performance.now()
      const joiners: BenchClient[] = []
      for (let i = 0; i < options.joiners; i++) joiners.push(connectClient(server.syncUrl, room))
      await Promise.all(joiners.map((j) => j.synced))
      roundsMs.push(performance.now() - started)
      incomplete += joiners.filter((j) => recordCount(j.doc) < options.records).length
      await destroyAll(joiners, 1000)
    }
    const rawRoundsMs: number[] = []
    let stateBytes = 0
    for (let round = 0; round < options.rounds; round++) {
      const started = performance.now()
      const joins = await Promise.all(Array.from({ length: options.joiners }, () => rawJoin(boardUrl(server.syncUrl, room))))
      rawRoundsMs.push(performance.now() - started)
      stateBytes = joins[0]?.bytes ?? 0
      await sleep(1000)
    }
    const stats = server.stats()
    const otherCores = otherLoad.stop()
    const state = Y.encodeStateAsUpdate(seeder.doc)
    const decodeRoundsMs: number[] = []
    for (let round = 0; round < options.rounds; round++) {
      const started = performance.now()
      for (let i = 0; i < options.joiners; i++) {
        const doc = new Y.Doc()
        // A provider listens for its doc's updates, which makes Yjs encode every applied change once more.
        doc.on('update', () => {})
        Y.applyUpdate(doc, state, 'bench')
      }
      decodeRoundsMs.push(performance.now() - started)
    }
    return {
      otherCores,
      kind,
      roundsMs,
      medianMs: median(roundsMs),
      cpuSeconds: stats.cpuSeconds - cpuBefore,
      peakRssMb: stats.peakRssKb / 1024,
      rawRoundsMs,
      rawMedianMs: median(rawRoundsMs),
      stateBytes,
      clientDecodeMs: median(decodeRoundsMs),
      incomplete,
    }
  } finally {
    seeder?.destroy()
    await server.stop()
  }
}

/**
 * runJoin in a bench process of its own. The 50 joiners all decode the board in the bench process, so its heap
 * decides much of the time: run in the main bench process after other scenarios, the same decoding took ~30% longer
 * for whichever server went second. A fresh process per server gives both the same start.
 */
export async function runJoinInFreshProcess(kind: ServerKind, options: JoinOptions): Promise<JoinResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/joinChild.ts', kind, JSON.stringify(options), JSON.stringify(serverNodeArgs())],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const last = output.trim().split('\n').at(-1) ?? ''
  if (code !== 0) throw new Error(`join child for ${kind} exited with ${code}: ${output.slice(-2000)}`)
  return JSON.parse(last) as JoinResult
}
