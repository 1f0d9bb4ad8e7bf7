import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The file a running server keeps in DATA_DIR: its process id. Restore refuses to run while it names a live process. */
export const PID_FILE = 'tavolo.pid'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user: still a running server.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid of the server running on this data dir, or null (no pid file, or one left by a crashed server). */
export function runningServerPid(dataDir: string): number | null {
  let text: string
  try {
    text = readFileSync(join(dataDir, PID_FILE), 'utf8')
  } catch {
    return null
  }
  const pid = Number.parseInt(text.trim(), 10)
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
  return isAlive(pid) ? pid : null
}

/**
 * Marks the data dir as in use by this process; throws when another live server already uses it (two servers on one
 * database would both append, and a restore under a running server would be overwritten by its next write).
 * Returns the function that removes the mark (on a clean stop; a crash leaves a stale file, which is ignored).
 */
export function claimDataDir(dataDir: string): () => void {
  const other = runningServerPid(dataDir)
  if (other !== null) {
    throw new Error(
      `Another Tavolo server (pid ${other}) is using DATA_DIR ${dataDir}. Stop it first, or, if no such server runs, ` +
        `delete ${join(dataDir, PID_FILE)}.`,
    )
  }
  const file = join(dataDir, PID_FILE)
  writeFileSync(file, `${process.pid}\n`)
  return () => {
    if (runningServerPid(dataDir) === null) rmSync(file, { force: true })
  }
}
