/**
 * Runs the real server entry point (server/src/main.ts) as a child process, as in production, and reads its port
 * from the 'listening' log line (PORT=0). For crash tests and benchmarks.
 *
 *   const child = await spawnServer({ dataDir })
 *   ... child.wsUrl ...
 *   child.kill('SIGKILL'); await child.exited
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { TEST_STAFF_TOKEN } from './staffToken.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ChildServer {
  port: number
  httpUrl: string
  wsUrl: string
  process: ChildProcess
  /** Every JSON log line parsed so far. */
  logs: Array<Record<string, unknown>>
  /** Resolves with the exit code (or the signal name) once the process ended. */
  exited: Promise<number | string>
  kill(signal?: NodeJS.Signals): void
}

export interface SpawnServerOptions {
  dataDir: string
  /**
   * Extra environment variables (strings), e.g. { ROOM_GRACE_MS: '200' }. ADMIN_TOKEN defaults to TEST_STAFF_TOKEN and DEMO to false;
   * `ADMIN_TOKEN: ''` starts the server without one (it then generates its staff token in DATA_DIR).
   */
  env?: Record<string, string>
  /** Node options before the entry point, e.g. ['--import', './preload.mjs'] (test-only preloads). */
  nodeArgs?: string[]
  startTimeoutMs?: number
}

export async function spawnServer(options: SpawnServerOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: options.dataDir,
      ADMIN_TOKEN: TEST_STAFF_TOKEN,
      // The demo meeting only where a test asks for it (tests/integration/demo.test.ts): others count meetings and rooms.
      DEMO: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Array<Record<string, unknown>> = []
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1))
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not log 'listening' in time. stderr:\n${stderr}`))
    }, options.startTimeoutMs ?? 20_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        return
      }
      logs.push(entry)
      if (entry.msg === 'listening' && typeof entry.port === 'number') {
        clearTimeout(timer)
        resolve(entry.port)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening. stderr:\n${stderr}`))
    })
  })
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    process: child,
    logs,
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
  }
}
