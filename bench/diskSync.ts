import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep } from './clients.ts'
import { percentile } from './stats.ts'

export interface DiskSyncResult {
  p50Ms: number
  p99Ms: number
  maxMs: number
  samples: number
}

/**
 * The storage floor under our relay latency: one small write + fdatasync, paced like the relay bench's edits, in the
 * directory where the bench's servers keep their data. The file is written in full first, so these are overwrites
 * of allocated blocks: the cheapest durable write this disk offers (SQLite's commit does at least this much).
 */
export async function measureDiskSync(samples: number, hz: number): Promise<DiskSyncResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-bench-fsync-'))
  const fd = openSync(join(dir, 'floor.bin'), 'w+')
  const record = Buffer.alloc(300, 7)
  try {
    writeSync(fd, Buffer.alloc(record.length * samples))
    fdatasyncSync(fd)
    const times: number[] = []
    for (let i = 0; i < samples; i++) {
      await sleep(1000 / hz)
      const started = performance.now()
      writeSync(fd, record, 0, record.length, i * record.length)
      fdatasyncSync(fd)
      times.push(performance.now() - started)
    }
    return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: percentile(times, 100), samples }
  } finally {
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  }
}
