import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export type ServerKind = 'ours' | 'reference'

export interface ServerOptions {
  /** Reuse a data directory (cold load); a fresh temporary one otherwise. Ignored by the reference. */
  dataDir?: string
  /** Extra environment for our server, e.g. ROOM_GRACE_MS. */
  env?: Record<string, string>
  /** Start with the inspector on a loopback port, for heap readings after a forced GC. */
  inspect?: boolean
}

/** Extra node flags for every server of the run, e.g. ['--cpu-prof', '--cpu-prof-dir=prof'] to see where CPU goes. */
let extraNodeArgs: readonly string[] = []
export function setServerNodeArgs(args: readonly string[]): void {
  extraNodeArgs = args
}
export function serverNodeArgs(): readonly string[] {
  return extraNodeArgs
}

export interface ProcStats {
  cpuSeconds: number
  rssKb: number
  peakRssKb: number
}

export interface ServerHandle {
  kind: ServerKind
  pid: number
  /** The serverUrl a y-websocket provider takes; the room name is appended by the provider. */
  syncUrl: string
  httpUrl: string
  /** ADMIN_TOKEN given to our server, so the bench can create meetings (boards) through the staff API. */
  adminToken: string
  dataDir: string | null
  /** The inspector's WebSocket URL when started with `inspect`. */
  inspectorUrl: string | null
  /** Milliseconds from spawn to the server saying it listens. */
  startMs: number
  stats(): ProcStats
  /** SIGTERM and wait for exit; resolves with the exit code (null when killed by a signal). */
  stop(): Promise<number | null>
}

const READY_TIMEOUT_MS = 30_000

// Servers outlive an interrupted bench unless told: kill whatever is still running when this process ends.
const liveChildren = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
const STOP_TIMEOUT_MS = 15_000

// Read once: /proc reports CPU time in clock ticks, whose length the kernel decides.
export const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

const repoRoot = process.cwd()

/** Reads CPU seconds and memory of a live process from /proc, so the numbers cover the server alone. */
export function readProcStats(pid: number): ProcStats {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)
    return m?.[1] === undefined ? 0 : Number(m[1])
  }
  return { cpuSeconds: (utime + stime) / clockTicks, rssKb: kb('VmRSS'), peakRssKb: kb('VmHWM') }
}

/** A free loopback port (for servers that need one fixed before they start: nginx's upstreams, the reference). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Keeps the last lines of a stream: the pipe must be drained or a chatty server blocks on write. */
function drain(child: ChildProcess, tail: string[], onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line)
      if (tail.length > 40) tail.shift()
      onLine(line)
    })
  }
}

function parseListeningPort(line: string): number | null {
  if (!line.startsWith('{')) return null
  try {
    const parsed: unknown = JSON.parse(line)
    if (typeof parsed !== 'object' || parsed === null) return null
    const { msg, port } = parsed as { msg?: unknown; port?: unknown }
    return msg === 'listening' && typeof port === 'number' ? port : null
  } catch {
    return null
  }
}

export async function startServer(kind: ServerKind, options: ServerOptions = {}): Promise<ServerHandle> {
  const ownsDataDir = kind === 'ours' && options.dataDir === undefined
  const dataDir = kind === 'ours' ? (options.dataDir ?? mkdtempSync(join(tmpdir(), 'tavolo-bench-'))) : null
  const fixedPort = kind === 'reference' ? await freePort() : 0
  const adminToken = randomBytes(18).toString('base64url')
  const env: Record<string, string> =
    kind === 'ours'
      ? {
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir ?? '',
          LOG_LEVEL: 'info',
          ADMIN_TOKEN: adminToken, DEMO: 'false',
          // Every bench client comes from 127.0.0.1 and the bench creates hundreds of boards: lift the quotas that
          // are there for hostile clients, not for this load.
          MEETINGS_PER_MINUTE: '1000000',
          MAX_CONNECTIONS_PER_ADDRESS: '1000000',
          MAX_CONNECTIONS_PER_KEY: '1000000',
          ...options.env,
        }
      : { HOST: '127.0.0.1', PORT: String(fixedPort) }
  // `node --import tsx` rather than the tsx binary: the binary forks a second node, and /proc would measure the wrong pid.
  const args = [
    ...extraNodeArgs,
    ...(options.inspect === true ? ['--inspect=127.0.0.1:0'] : []),
    ...(kind === 'ours' ? ['--import', 'tsx', 'server/src/main.ts'] : ['node_modules/@y/websocket-server/src/server.js']),
  ]
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  liveChildren.add(child)
  let stopping = false
  const tail: string[] = []
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      liveChildren.delete(child)
      // A server dying mid-scenario shows up in the bench as refused connections; say why where it happened.
      if (!stopping) console.error(`${kind} server exited on its own (code ${code}, signal ${signal}):\n${tail.join('\n')}`)
      resolve(code)
    }),
  )

  let inspectorUrl: string | null = null
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server not ready in ${READY_TIMEOUT_MS} ms:\n${tail.join('\n')}`)), READY_TIMEOUT_MS)
    drain(child, tail, (line) => {
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(line)
      if (inspector?.[1] !== undefined) inspectorUrl = inspector[1]
      const port = kind === 'ours' ? parseListeningPort(line) : line.includes('running at') ? fixedPort : null
      if (port !== null) {
        clearTimeout(timer)
        resolve(port)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${kind} server exited with ${code} before listening:\n${tail.join('\n')}`))
    })
  })
  const startMs = performance.now() - started
  const pid = child.pid
  if (pid === undefined) throw new Error(`${kind} server has no pid`)

  return {
    kind,
    pid,
    syncUrl: kind === 'ours' ? `ws://127.0.0.1:${port}/sync` : `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    adminToken,
    dataDir,
    inspectorUrl,
    startMs,
    stats: () => readProcStats(pid),
    async stop() {
      stopping = true
      let code: number | null
      if (child.exitCode !== null || child.signalCode !== null) code = child.exitCode
      else {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
        code = await exited
        clearTimeout(timer)
      }
      // Also after a server that died by itself: its temporary data must not pile up in /tmp.
      if (ownsDataDir && dataDir !== null) rmSync(dataDir, { recursive: true, force: true })
      return code
    },
  }
}
