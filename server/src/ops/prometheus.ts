import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type express from 'express'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { ApiErrorStatus } from '../../../shared/src/meetings/apiError.ts'
import { ApiError } from '../http/apiError.ts'
import { bearerToken, secretMatches } from '../meetings/meetingKeys.ts'
import type { RoomStats } from '../sync/RoomManager.ts'
import type { SyncMetrics } from '../sync/syncMetrics.ts'

/** Everything the server reports to Prometheus, on a registry of its own (several servers may share a process in tests). */
export interface ServerMonitoring {
  /** Handed to the rooms and the sync endpoint. */
  sync: SyncMetrics
  /** Handed to the append worker (createWorkerAppender's onCommit). */
  onCommit(appends: number, commitMs: number): void
  /** First express middleware: counts every request by method, route pattern and status. */
  httpMiddleware: express.RequestHandler
  /** The exposition: text format 0.0.4. */
  render(): Promise<{ contentType: string; body: string }>
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The route a request matched, as its pattern (`/api/meetings/:id`), never the raw path: ids, keys or anything else a
 * client puts in a URL must not become a label (nor make one label per URL).
 */
export function routeLabel(req: express.Request): string {
  const route = (req as { route?: { path?: unknown } }).route
  if (route !== undefined && typeof route.path === 'string') {
    // Routers here declare full paths (`/api/meetings/:id`); a router mounted under a prefix declares relative ones.
    // req.baseUrl is where the router now runs, which for an error handler is its mount path.
    return route.path.startsWith(req.baseUrl) ? route.path : `${req.baseUrl}${route.path}`
  }
  if (req.path.startsWith('/assets/')) return '/assets/*'
  if (req.path.startsWith('/api/')) return '/api/* (no route)'
  return '(client or static)'
}

export function createPrometheusMonitoring(options: { rooms: () => RoomStats; version: string }): ServerMonitoring {
  const register = new Registry()
  collectDefaultMetrics({ register })
  new Gauge({ name: 'tavolo_build_info', help: 'Tavolo version (value 1)', labelNames: ['version'], registers: [register] }).set(
    { version: options.version },
    1,
  )
  new Gauge({
    name: 'tavolo_boards_loaded',
    help: 'Boards currently loaded in memory (with connections, or within ROOM_GRACE_MS of the last one)',
    registers: [register],
    collect() {
      this.set(options.rooms().roomsLoaded)
    },
  })
  const connections = new Gauge({ name: 'tavolo_connections', help: 'Open board connections by role', labelNames: ['role'], registers: [register] })
  const opened = new Counter({ name: 'tavolo_connections_opened_total', help: 'Board connections opened, by role', labelNames: ['role'], registers: [register] })
  const closes = new Counter({
    name: 'tavolo_connection_closes_total',
    help: 'Board connections closed or refused, by WebSocket close code (README: WebSocket close codes)',
    labelNames: ['code'],
    registers: [register],
  })
  const updates = new Counter({ name: 'tavolo_updates_relayed_total', help: 'Document updates made durable and relayed', registers: [register] })
  const bytes = new Counter({ name: 'tavolo_relayed_update_bytes_total', help: 'Bytes of the document updates relayed (once per update, not per recipient)', registers: [register] })
  const append = new Histogram({
    name: 'tavolo_append_duration_seconds',
    help: 'Time a room waits for a batch of updates to be durable before relaying it (group commit + fsync)',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [register],
  })
  const commit = new Histogram({
    name: 'tavolo_commit_duration_seconds',
    help: 'Duration of one append transaction in the append worker, its fsync included',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [register],
  })
  const batch = new Histogram({
    name: 'tavolo_group_commit_appends',
    help: 'Room batches committed together in one transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [register],
  })
  const awareness = new Counter({ name: 'tavolo_awareness_messages_total', help: 'Presence (awareness) messages received from clients', registers: [register] })
  const requests = new Counter({
    name: 'tavolo_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [register],
  })
  const requestSeconds = new Histogram({
    name: 'tavolo_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [register],
  })

  return {
    sync: {
      connectionOpened(role) {
        connections.inc({ role })
        opened.inc({ role })
      },
      connectionClosed(role, code) {
        connections.dec({ role })
        closes.inc({ code: String(code) })
      },
      connectionRefused(code) {
        closes.inc({ code: String(code) })
      },
      updatesRelayed(count, size) {
        updates.inc(count)
        bytes.inc(size)
      },
      appendSeconds(seconds) {
        append.observe(seconds)
      },
      awarenessReceived() {
        awareness.inc()
      },
    },
    onCommit(appends, commitMs) {
      batch.observe(appends)
      commit.observe(commitMs / 1000)
    },
    httpMiddleware(req, res, next) {
      const started = performance.now()
      res.once('finish', () => {
        const method = METHODS.has(req.method) ? req.method : 'OTHER'
        const route = routeLabel(req)
        requests.inc({ method, route, status: String(res.statusCode) })
        requestSeconds.observe({ method, route }, (performance.now() - started) / 1000)
      })
      next()
    },
    async render() {
      return { contentType: register.contentType, body: await register.metrics() }
    },
  }
}

/** What `GET /metrics` on the main port asks of a caller: nothing (`null`), or a staff check that throws ApiError. */
export type MetricsAccess = ((req: express.Request) => void) | null

export const METRICS_NEED_STAFF = 'GET /metrics needs the staff token (Authorization: Bearer <staff token>)'

/** The staff check of a server without the meetings feature (tests): the token, with no throttle to share. */
export function staffTokenOnly(adminToken: string): (req: express.Request) => void {
  return (req) => {
    const token = bearerToken(req.headers.authorization)
    if (token === null || !secretMatches(token, adminToken)) throw new ApiError('unauthorized', METRICS_NEED_STAFF)
  }
}

/**
 * `GET /metrics` on the main port: with the staff token (`Authorization: Bearer <token>`: ADMIN_TOKEN, or the token
 * generated in DATA_DIR), like the staff list of meetings, and through the same check (meetings SPEC Q3: wrong tokens
 * here count toward the address's budget, and a throttled address gets 429). Only a server built without a staff
 * token (tests) leaves it open.
 */
export function metricsRoute(monitoring: ServerMonitoring, access: MetricsAccess): express.RequestHandler {
  return (req, res, next) => {
    try {
      access?.(req)
    } catch (error) {
      if (!(error instanceof ApiError)) return next(error)
      if (error.code === 'unauthorized') res.set('WWW-Authenticate', 'Bearer')
      if (error.retryAfter !== undefined) res.set('Retry-After', String(error.retryAfter))
      res.status(ApiErrorStatus[error.code]).json({ error: { code: error.code, message: error.message } })
      return
    }
    monitoring.render().then(({ contentType, body }) => res.set('Cache-Control', 'no-store').type(contentType).send(body), next)
  }
}

/**
 * `METRICS_PORT`: /metrics alone on a port of its own (default host 127.0.0.1), without a token, for a Prometheus that
 * scrapes over an internal network. Everything else on that port is 404.
 */
export function startMetricsServer(monitoring: ServerMonitoring, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n')
      return
    }
    monitoring.render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    )
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve({ server, port: (server.address() as AddressInfo).port })
    })
  })
}
