import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { networkInterfaces as osNetworkInterfaces } from 'node:os'
import { join, resolve } from 'node:path'
import express from 'express'
import type { AccessPolicy } from './access/accessPolicy.ts'
import type { Config } from './config.ts'
import { originFor, reachableHosts, type NetworkInterfaceList } from '../../shared/src/network/participantAddress.ts'
import { pathOnly, type Logger } from './log.ts'
import { metricsRoute, staffTokenOnly, type ServerMonitoring } from './ops/prometheus.ts'
import type { DocStore } from './store/DocStore.ts'
import type { BoardStateWork } from './store/mergeUpdates.ts'
import type { DocGuard, PresenceObserver, UpdateJudge } from './sync/Room.ts'
import { RoomManager, type RoomManagerOptions } from './sync/RoomManager.ts'
import { createSyncEndpoint } from './sync/syncEndpoint.ts'
import { clientAddressOf, createProxyTrust, quotaKeyOf } from './http/clientAddress.ts'
import { createHostAllowList, createOriginAllowList, MISDIRECTED_MESSAGE } from './http/hostAllowList.ts'
import { RAW_SECURITY_HEADERS, securityHeaders } from './http/securityHeaders.ts'
import { precompressedAssets } from './http/precompressed.ts'
import { createSchemaGuard } from './board/schemaGuard.ts'
import { createBoardUpdateJudge } from './board/boardUpdateJudge.ts'
import { serverSerializedSchema } from './board/tldrawSchema.ts'

export interface TavoloServerOptions {
  config: Config
  logger: Logger
  docStore: DocStore
  /** Sync SPEC R19: where big boards' sync answers are encoded (main.ts: the merge worker thread). */
  boardWork?: BoardStateWork
  /** Several instances on one PostgreSQL database (cluster SPEC): the bus between them. */
  cluster?: RoomManagerOptions['cluster']
  accessPolicy: AccessPolicy
  /** Read once from package.json by main.ts; '0.0.0-dev' when not given. */
  version?: string
  /** Mounts extra routes (REST API of meetings, versions...) before the static client handler. */
  mountRoutes?: (app: express.Express) => void
  docGuards?: readonly DocGuard[]
  /**
   * R17: what an editor's update may insert. Default: the board judge (server/src/board/boardUpdateJudge.ts) on every
   * board. Only tests of the generic sync layer, whose docs are not boards, pass their own (or none).
   */
  updateJudges?: readonly UpdateJudge[]
  /** See Room's presenceObservers: the report's count of named participants. */
  presenceObservers?: readonly PresenceObserver[]
  /** Window for merging awareness (presence) changes into one message per connection; default 40 ms. */
  awarenessBatchMs?: number
  /** Prometheus metrics (server/src/ops/prometheus.ts); served at GET /metrics unless `metricsOnOwnPort`. */
  monitoring?: ServerMonitoring
  /** main.ts serves /metrics on METRICS_PORT instead of the main port. */
  metricsOnOwnPort?: boolean
  /** `/readyz`: whether the server can serve (main.ts: the database answers a query). Default: always. */
  isReady?: () => boolean
  /** The staff token (ADMIN_TOKEN, or the one generated in DATA_DIR): guards GET /metrics on the main port. */
  staffToken?: string
  /**
   * The staff check of GET /metrics, shared with the REST routes (main.ts: the meetings feature's, so wrong tokens
   * there count toward the same per-address budget, Q3). Default: the staff token alone.
   */
  metricsAccess?: (req: express.Request) => void
  /**
   * What listen() reads, once, to find the LAN addresses: default `os.networkInterfaces()` and `config.host`. Tests
   * inject a list (a documentation address) and the host a LAN server listens on, while really listening on loopback.
   */
  network?: { interfaces: () => NetworkInterfaceList; listenHost: string }
  /** See RoomManagerOptions.onBeforeIdleUnload (sync SPEC R15): the automatic session-end version. */
  onBeforeIdleUnload?: RoomManagerOptions['onBeforeIdleUnload']
}

export interface TavoloServer {
  app: express.Express
  httpServer: Server
  rooms: RoomManager
  /**
   * Listens on config.host:config.port (0 = any free port) and resolves with the actual port and the origins other
   * devices can open (the LAN addresses found at start; none with PUBLIC_URL, which is then the only address).
   */
  listen(): Promise<{ port: number; participantOrigins: string[] }>
  /** Stops accepting, closes sockets with 1001, flushes and unloads every room, closes the HTTP server. Not the store. */
  close(): Promise<void>
}

/** Sends a JSON error in the house format `{ error: { code, message } }`. */
function sendError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } })
}

/** True when tldraw will require a license key: https on a host that is not loopback. */
export function isLicenseRequired(publicUrl: string | null): boolean {
  if (publicUrl === null) return false
  let url: URL
  try {
    url = new URL(publicUrl)
  } catch {
    return false
  }
  if (url.protocol !== 'https:') return false
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host))
}

/** Builds the HTTP + WebSocket server: Express 5 and `ws` on one port. Nothing listens until `listen()`. */
export function createTavoloServer(options: TavoloServerOptions): TavoloServer {
  const { config, logger, docStore, accessPolicy } = options
  const version = options.version ?? '0.0.0-dev'
  const startedAt = Date.now()
  // Filled by listen(): LAN addresses are offered only without PUBLIC_URL (a public server does not publish them).
  let participantOrigins: string[] = []
  const rooms = new RoomManager({
    store: docStore,
    logger,
    roomGraceMs: config.roomGraceMs,
    // R8: every board, whatever feature serves it, keeps a `meta.schema` the server recognises.
    docGuards: [createSchemaGuard(serverSerializedSchema(), logger), ...(options.docGuards ?? [])],
    // R17: whatever an editor's update would insert is judged before it is applied (issue 17, findings 1 and 7).
    updateJudges: options.updateJudges ?? [createBoardUpdateJudge(serverSerializedSchema())],
    metrics: options.monitoring?.sync,
    work: options.boardWork,
    presenceObservers: options.presenceObservers,
    onBeforeIdleUnload: options.onBeforeIdleUnload,
    cluster: options.cluster,
    limits: {
      ...config.syncLimits,
      maxMessageBytes: config.maxMessageBytes,
      rateLimitMessages: config.rateLimitMessages,
      rateLimitWindowMs: config.rateLimitWindowMs,
      compactAfterUpdates: config.compactAfterUpdates,
      awarenessBatchMs: options.awarenessBatchMs ?? 40,
    },
  })

  const isTrustedProxy = createProxyTrust(config.trustProxy)
  // Per-address connection quotas count IPv6 clients by their /64 (quotaKeyOf).
  const clientAddress = (request: Parameters<typeof clientAddressOf>[0]) => quotaKeyOf(clientAddressOf(request, isTrustedProxy))
  const hostAllowed = createHostAllowList(config.publicUrl, config.allowedHosts)

  const app = express()
  app.disable('x-powered-by')
  // req.ip and our own per-client quotas read X-Forwarded-For through the same TRUST_PROXY rule.
  app.set('trust proxy', (address: string) => isTrustedProxy(address))
  app.use(securityHeaders())
  if (hostAllowed !== null) {
    app.use((req, res, next) => {
      if (hostAllowed(req.headers.host)) return next()
      logger.info({ method: req.method, path: pathOnly(req.originalUrl) }, 'request refused: host not allowed')
      sendError(res, 421, 'misdirected_request', MISDIRECTED_MESSAGE)
    })
  }
  if (options.monitoring) app.use(options.monitoring.httpMiddleware)

  // Liveness for anyone: how many boards and people are on this server is for /metrics (staff token or METRICS_PORT).
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok', version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) })
  })

  // Readiness for orchestrators and load balancers: 503 while the database does not answer or the server is stopping.
  app.get('/readyz', (_req, res) => {
    let ready = false
    try {
      ready = closing === null && (options.isReady?.() ?? true)
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed')
    }
    res.set('Cache-Control', 'no-store').status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' })
  })

  if (options.monitoring && !options.metricsOnOwnPort) {
    const token = options.staffToken ?? config.adminToken
    const access = options.metricsAccess ?? (token === null ? null : staffTokenOnly(token))
    app.get('/metrics', metricsRoute(options.monitoring, access))
  }

  app.get('/api/config', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      version,
      tldrawLicenseKey: config.tldrawLicenseKey,
      publicUrl: config.publicUrl,
      licenseRequired: isLicenseRequired(config.publicUrl),
      retainDays: config.retainDays,
      participantOrigins,
    })
  })

  options.mountRoutes?.(app)

  app.use('/api', (req, res) => {
    sendError(res, 404, 'not_found', `no API route ${req.method} ${pathOnly(req.originalUrl)}`)
  })

  const clientDir = resolve(config.clientDir)
  const indexHtml = join(clientDir, 'index.html')
  app.use('/assets', precompressedAssets(join(clientDir, 'assets'), { immutable: true, maxAge: '365d' }))
  app.use(
    '/assets',
    express.static(join(clientDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
  )
  app.use(
    express.static(clientDir, {
      index: false,
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache')
      },
    }),
  )
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    if (/^\/(api|sync|healthz|readyz|metrics)(\/|$)/.test(req.path) || req.path.startsWith('/assets/')) return next()
    if (!existsSync(indexHtml)) {
      res
        .status(503)
        .type('text/plain')
        .send(`The web client is not built (no ${indexHtml}). Run \`npm run build:client\` (or \`npm start\`).\n`)
      return
    }
    res.set('Cache-Control', 'no-cache').sendFile(indexHtml)
  })

  app.use((req, res) => {
    sendError(res, 404, 'not_found', `nothing at ${req.method} ${pathOnly(req.originalUrl)}`)
  })

  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status =
      typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500
    if (status >= 500) logger.error({ err: error, method: req.method, path: pathOnly(req.originalUrl) }, 'request failed')
    else logger.info({ status, method: req.method, path: pathOnly(req.originalUrl) }, 'request refused')
    if (res.headersSent) return
    sendError(
      res,
      status,
      status >= 500 ? 'internal_error' : 'bad_request',
      status >= 500 ? 'internal server error' : error instanceof Error ? error.message : 'bad request',
    )
  })

  const httpServer = createServer(app)
  const sync = createSyncEndpoint({
    rooms,
    accessPolicy,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    pingIntervalMs: config.pingIntervalMs,
    hostAllowed,
    originAllowed: createOriginAllowList(config.publicUrl, config.allowedHosts),
    clientAddress,
    maxConnectionsPerKey: config.maxConnectionsPerKey,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    metrics: options.monitoring?.sync,
  })
  httpServer.on('upgrade', (request, socket, head) => sync.handleUpgrade(request, socket, head))
  httpServer.on('clientError', (error, socket) => {
    logger.debug({ err: error.message }, 'http client error')
    if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\n${RAW_SECURITY_HEADERS}\r\n`)
    else socket.destroy()
  })

  let closing: Promise<void> | null = null

  return {
    app,
    httpServer,
    rooms,
    listen() {
      return new Promise((resolvePort, reject) => {
        const onError = (error: Error) => reject(error)
        httpServer.once('error', onError)
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', onError)
          const { port } = httpServer.address() as AddressInfo
          const network = options.network ?? { interfaces: osNetworkInterfaces, listenHost: config.host }
          const interfaces = config.publicUrl === null ? network.interfaces() : {}
          participantOrigins = reachableHosts(interfaces, network.listenHost).map((host) => originFor(host, port))
          resolvePort({ port, participantOrigins })
        })
      })
    },
    close() {
      closing ??= (async () => {
        sync.close()
        const wasListening = httpServer.listening
        const httpClosed = new Promise<void>((done) => httpServer.close(() => done()))
        await rooms.shutdown()
        await sync.terminateAll(1000)
        httpServer.closeAllConnections()
        if (wasListening) await httpClosed
      })()
      return closing
    },
  }
}
