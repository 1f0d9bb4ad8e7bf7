import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openBoard } from './boards.ts'
import { startLoadMeter, waitForQuiet } from './machineLoad.ts'
import { connectClient, sleep } from './clients.ts'
import { recordCount, seedNotes } from './records.ts'
import { startServer } from './serverProcess.ts'
import { median } from './stats.ts'

export interface ColdLoadOptions {
  records: number
  rounds: number
}

export interface ColdLoadResult {
  /** Connect to first sync of a client on a freshly started process, per round. */
  roundsMs: number[]
  medianMs: number
  /** Spawn to "listening", per round: the part of a restart that is not the board. */
  startMs: number[]
  /** Records the first client found, per round (must equal the seed). */
  recordsFound: number[]
  seedExitCode: number | null
  /** Cores busy with other processes during each round. */
  otherCores: number[]
}

/** Only our server: the reference keeps documents in memory, so after a restart it has nothing to load. */
export async function runColdLoad(options: ColdLoadOptions): Promise<ColdLoadResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tavolo-bench-cold-'))
  try {
    const seedServer = await startServer('ours', { dataDir })
    const room = await openBoard(seedServer, 'cold-board')
    const seeder = connectClient(seedServer.syncUrl, room)
    await seeder.synced
    seedNotes(seeder.doc, options.records)
    // A second client seeing every record proves the server applied them; SIGTERM must then persist them.
    const checker = connectClient(seedServer.syncUrl, room)
    await checker.synced
    const deadline = performance.now() + 30_000
    while (recordCount(checker.doc) < options.records && performance.now() < deadline) await sleep(50)
    checker.destroy()
    seeder.destroy()
    await sleep(300)
    const seedExitCode = await seedServer.stop()

    const roundsMs: number[] = []
    const startMs: number[] = []
    const recordsFound: number[] = []
    const otherCores: number[] = []
    for (let round = 0; round < options.rounds; round++) {
      await waitForQuiet()
      const meter = startLoadMeter(() => 0)
      const server = await startServer('ours', { dataDir })
      startMs.push(server.startMs)
      const started = performance.now()
      const client = connectClient(server.syncUrl, room)
      try {
        await client.synced
        roundsMs.push(performance.now() - started)
        recordsFound.push(recordCount(client.doc))
        // The meter counts the server as "other" here: it only flags foreign load, so subtract nothing finer.
        otherCores.push(meter.stop())
      } finally {
        client.destroy()
        await sleep(200)
        await server.stop()
      }
    }
    return { roundsMs, medianMs: median(roundsMs), startMs, recordsFound, seedExitCode, otherCores }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
