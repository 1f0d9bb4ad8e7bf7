import { execFileSync } from 'node:child_process'
import { availableParallelism, cpus, totalmem } from 'node:os'

function quiet(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unknown'
  }
}

/** The facts a reader needs to compare these numbers with theirs. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const chromium = quiet('/usr/bin/chromium', ['--version']).split('\n').find((l) => l.startsWith('Chromium')) ?? 'unknown'
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Commit: ${quiet('git', ['rev-parse', '--short', 'HEAD'])}`,
    `- CPU: ${availableParallelism()} × ${cpu}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node: ${process.version}; ${chromium}`,
  ].join('\n')
}
