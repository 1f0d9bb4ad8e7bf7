/**
 * Test helpers for anything that needs a real Tavolo server (integration, meetings, e2e, bench).
 *
 *   const server = await startTestServer({ config: { roomGraceMs: 200 } })
 *   const a = connectClient(server.wsUrl, 'board-1')
 *   await a.whenSynced()
 *   ...
 *   await destroyClients(); await server.close()
 *
 * The server runs in-process on port 0 with a fresh temp DATA_DIR and SQLite file (unless you pass a store) and a
 * silent logger (LOG_LEVEL=debug in the environment of the test run turns logs on for debugging).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type express from 'express'
import { afterEach } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { openAccessPolicy, type AccessPolicy } from '../../server/src/access/accessPolicy.ts'
import { createTavoloServer, type TavoloServer, type TavoloServerOptions } from '../../server/src/app.ts'
import { parseConfig, type Config } from '../../server/src/config.ts'
import { createLogger, createSilentLogger, type Logger } from '../../server/src/log.ts'
import type { DocStore } from '../../server/src/store/DocStore.ts'
import { openSqliteDatabase, type SqliteDatabase } from '../../server/src/store/sqliteDatabase.ts'
import { createSqliteDocStore } from '../../server/src/store/sqliteDocStore.ts'
import { createWorkerMerger } from '../../server/src/store/mergeUpdates.ts'
import { createWorkerAppender } from '../../server/src/store/workerAppender.ts'
import type { DocGuard, UpdateJudge } from '../../server/src/sync/Room.ts'
import { waitFor } from './waitFor.ts'

export interface StartTestServerOptions {
  /** Overrides of the parsed default config (port is forced to 0 unless given, host to 127.0.0.1). */
  config?: Partial<Config>
  /** Reuse a data dir (restart tests). Default: a fresh temp dir, removed by close() unless `keepDataDir`. */
  dataDir?: string
  keepDataDir?: boolean
  /** A ready store; default: SQLite in dataDir/tavolo.sqlite. */
  docStore?: DocStore
  /**
   * The default store's appends and compaction merges in worker threads, as main.ts wires them (tests that time the
   * event loop); default: on the calling thread.
   */
  storeWorkers?: boolean
  /** Called with the SQLite handle (when the default store is used) to build the policy/routes of other features. */
  setup?: (ctx: { db: SqliteDatabase | null; config: Config; docStore: DocStore }) => {
    accessPolicy?: AccessPolicy
    mountRoutes?: (app: express.Express) => void
    docGuards?: DocGuard[]
    onBeforeIdleUnload?: TavoloServerOptions['onBeforeIdleUnload']
    presenceObservers?: TavoloServerOptions['presenceObservers']
    metricsAccess?: TavoloServerOptions['metricsAccess']
  } | void
  accessPolicy?: AccessPolicy
  mountRoutes?: (app: express.Express) => void
  docGuards?: DocGuard[]
  /**
   * See TavoloServerOptions.updateJudges (sync SPEC R17). Default here: none, because the tests of the generic sync
   * layer write docs that are not boards (a map 'm', a text 't'); 'board' keeps the server's default, the board judge
   * of production (startMeetingTestServer).
   */
  updateJudges?: UpdateJudge[] | 'board'
  logger?: Logger
  /** See TavoloServerOptions.awarenessBatchMs (default 40 ms). */
  awarenessBatchMs?: number
  /** See TavoloServerOptions: Prometheus metrics and the readiness check. */
  monitoring?: TavoloServerOptions['monitoring']
  isReady?: TavoloServerOptions['isReady']
  /** See TavoloServerOptions.network (default: this machine's interfaces, and the test server's loopback host). */
  network?: TavoloServerOptions['network']
}

export interface TestServer {
  port: number
  /** http://127.0.0.1:port */
  httpUrl: string
  /** ws://127.0.0.1:port/sync: the serverUrl of a WebsocketProvider (room name = board id). */
  wsUrl: string
  server: TavoloServer
  config: Config
  dataDir: string
  /** The SQLite handle of the default store (null when a store was given). */
  db: SqliteDatabase | null
  docStore: DocStore
  /** Closes the server (flushing rooms), the store and the database; removes the temp dir unless kept. */
  close(): Promise<void>
}

export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tavolo-test-'))
  const config: Config = {
    ...parseConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    clientDir: join(dataDir, 'no-client'),
    ...options.config,
  }
  const envLevel = process.env.LOG_LEVEL
  const logger =
    options.logger ?? (envLevel && envLevel !== 'silent' ? createLogger({ logLevel: envLevel as Config['logLevel'] }) : createSilentLogger())
  const db = options.docStore ? null : openSqliteDatabase(join(dataDir, 'tavolo.sqlite'))
  const merger = options.storeWorkers && db ? createWorkerMerger() : null
  const docStore =
    options.docStore ??
    createSqliteDocStore(db!, merger ? { merger, appender: createWorkerAppender(join(dataDir, 'tavolo.sqlite')) } : {})
  const extra = options.setup?.({ db, config, docStore }) ?? {}
  const server = createTavoloServer({
    config,
    logger,
    docStore,
    boardWork: merger ?? undefined,
    version: 'test',
    accessPolicy: extra.accessPolicy ?? options.accessPolicy ?? openAccessPolicy,
    mountRoutes: extra.mountRoutes ?? options.mountRoutes,
    docGuards: extra.docGuards ?? options.docGuards,
    updateJudges: options.updateJudges === 'board' ? undefined : (options.updateJudges ?? []),
    onBeforeIdleUnload: extra.onBeforeIdleUnload,
    presenceObservers: extra.presenceObservers,
    metricsAccess: extra.metricsAccess,
    awarenessBatchMs: options.awarenessBatchMs,
    monitoring: options.monitoring,
    isReady: options.isReady,
    network: options.network,
  })
  const { port } = await server.listen()
  let closed = false
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    server,
    config,
    dataDir,
    db,
    docStore,
    async close() {
      if (closed) return
      closed = true
      await server.close()
      await docStore.close()
      await merger?.close()
      db?.close()
      if (!options.dataDir && !options.keepDataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves once the provider received the server's sync step 2 (first sync, or the next one after a reconnect). */
  whenSynced(timeoutMs?: number): Promise<void>
  /** Resolves with the first close the server sent this client (the provider may reconnect afterwards). */
  whenClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>
  /** Close events received from the server, in order. */
  closes: Array<{ code: number; reason: string }>
  destroy(): void
}

export interface ConnectClientOptions {
  /** URL query parameters, e.g. { k: key }. */
  params?: Record<string, string>
  /** An existing doc (e.g. to reconnect with offline edits). */
  doc?: Y.Doc
  /** Passed to WebsocketProvider; default: connect immediately. */
  connect?: boolean
  /** Reconnect after a 44xx close? Default: y-websocket's rule (no). */
  shouldReconnect?: (event: { code: number }) => boolean
  maxBackoffTime?: number
}

const liveClients = new Set<TestClient>()

/**
 * A real y-websocket WebsocketProvider on `wsUrl` (e.g. TestServer.wsUrl) for one board, using `ws` in Node.
 * BroadcastChannel is disabled: in one process it would let providers sync without the server and hide bugs.
 */
export function connectClient(wsUrl: string, boardId: string, options: ConnectClientOptions = {}): TestClient {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.params ?? {},
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: options.maxBackoffTime ?? 500,
    ...(options.shouldReconnect ? { shouldReconnect: options.shouldReconnect } : {}),
  })
  const closes: Array<{ code: number; reason: string }> = []
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason })
  })
  const client: TestClient = {
    doc,
    provider,
    closes,
    async whenSynced(timeoutMs = 5000) {
      await waitFor(() => provider.synced, timeoutMs, `client of ${boardId} did not sync`)
    },
    async whenClosed(timeoutMs = 5000) {
      return waitFor(() => closes[0], timeoutMs, 'connection not closed')
    },
    destroy() {
      liveClients.delete(client)
      provider.destroy()
      provider.awareness.destroy()
      if (!options.doc) doc.destroy()
    },
  }
  liveClients.add(client)
  return client
}

/** Destroys every client made by connectClient that is still alive (call in afterEach). */
export function destroyClients(): void {
  for (const client of [...liveClients]) client.destroy()
}

/**
 * For a test file: returns `start`, which starts a test server that is closed after each test, once every client
 * made by connectClient has been destroyed.
 */
export function startTestServersClosedAfterEach(): (options?: StartTestServerOptions) => Promise<TestServer> {
  const servers: TestServer[] = []
  afterEach(async () => {
    destroyClients()
    for (const server of servers.splice(0)) await server.close()
  })
  return async (options = {}) => {
    const server = await startTestServer(options)
    servers.push(server)
    return server
  }
}
