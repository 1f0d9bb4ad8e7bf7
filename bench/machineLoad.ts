import { readFileSync } from 'node:fs'
import { clockTicks } from './serverProcess.ts'
import { sleep } from './clients.ts'

/** CPU seconds all cores spent busy since boot (user, nice, system, irq, softirq, steal), from /proc/stat. */
export function systemBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number)
  return (user + nice + system + irq + softirq + steal) / clockTicks
}

function ownCpuSeconds(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}

/**
 * Measures the cores that processes other than this bench and its server keep busy, over a window:
 * other engineers' test runs on the same machine show up here rather than silently in our numbers.
 */
export function startLoadMeter(serverCpuSeconds: () => number): { stop(): number } {
  const busy0 = systemBusySeconds()
  const own0 = ownCpuSeconds()
  const server0 = serverCpuSeconds()
  const t0 = performance.now()
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000
      const others = systemBusySeconds() - busy0 - (ownCpuSeconds() - own0) - (serverCpuSeconds() - server0)
      return Math.max(0, others / seconds)
    },
  }
}

export interface QuietWait {
  waitedMs: number
  /** Cores busy with other work in the last sample before starting. */
  otherCores: number
}

/** Waits, bounded, until the machine is nearly idle, so one scenario does not run in another's shadow. */
export async function waitForQuiet(maxWaitMs = 90_000, threshold = 0.25): Promise<QuietWait> {
  const started = performance.now()
  for (;;) {
    const meter = startLoadMeter(() => 0)
    await sleep(2000)
    const otherCores = meter.stop()
    const waitedMs = performance.now() - started
    if (otherCores < threshold || waitedMs > maxWaitMs) return { waitedMs, otherCores }
  }
}
