import { z } from 'zod'
import { DEFAULT_SYNC_LIMITS as SYNC, type SyncLimits } from './sync/limits.ts'
import { parseTrustProxy, type TrustProxy } from './http/clientAddress.ts'
import { MIN_STAFF_TOKEN_LENGTH } from './http/staffToken.ts'

const intFromEnv = (fallback: number, min: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback
      const n = Number(v)
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: 'custom', message: `must be an integer >= ${min}, got "${v}"` })
        return z.NEVER
      }
      return n
    })

/** An optional integer: unset or empty → null. */
const optionalIntFromEnv = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return null
      const n = Number(v)
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}, got "${v}"` })
        return z.NEVER
      }
      return n
    })

const booleanFromEnv = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim().toLowerCase() ?? ''
      if (s === '') return fallback
      if (['true', '1', 'yes', 'on'].includes(s)) return true
      if (['false', '0', 'no', 'off'].includes(s)) return false
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${v}"` })
      return z.NEVER
    })

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))

const envSchema = z.object({
  PORT: intFromEnv(8080, 0),
  HOST: z.string().optional().default('0.0.0.0'),
  DATA_DIR: z.string().optional().default('./data'),
  CLIENT_DIR: z.string().optional().default('./dist/client'),
  PUBLIC_URL: optionalString.refine((v) => v === null || URL.canParse(v), 'must be an absolute URL'),
  TLDRAW_LICENSE_KEY: optionalString,
  ADMIN_TOKEN: optionalString.refine(
    (v) => v === null || v.length >= MIN_STAFF_TOKEN_LENGTH,
    `must be at least ${MIN_STAFF_TOKEN_LENGTH} characters (a short token can be guessed; e.g. \`openssl rand -base64 32\`), or unset to let Tavolo generate one in DATA_DIR`,
  ),
  TRUST_PROXY: z
    .string()
    .optional()
    .default('loopback')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v)
      if (parsed === null) {
        ctx.addIssue({ code: 'custom', message: `must be none, or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDR subnets; got "${v}"` })
        return z.NEVER
      }
      return parsed
    }),
  ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '')),
  MAX_CONNECTIONS_PER_KEY: intFromEnv(300, 1),
  MAX_CONNECTIONS_PER_ADDRESS: intFromEnv(200, 1),
  MEETINGS_PER_MINUTE: intFromEnv(30, 1),
  AUTH_FAILURE_LIMIT: intFromEnv(10, 1),
  AUTH_FAILURE_WINDOW_MS: intFromEnv(60_000, 1000),
  ROOM_GRACE_MS: intFromEnv(30_000, 0),
  MAX_MESSAGE_BYTES: intFromEnv(4 * 1024 * 1024, 1024),
  MAX_UPDATE_STRUCTS: intFromEnv(SYNC.maxUpdateStructs, 1),
  MAX_BOARD_BYTES: intFromEnv(SYNC.maxBoardBytes, 1024),
  MAX_BUFFERED_BYTES: intFromEnv(SYNC.maxBufferedBytes, 1024),
  MAX_AWARENESS_STATE_BYTES: intFromEnv(SYNC.maxAwarenessStateBytes, 256),
  MAX_AWARENESS_IDS_PER_CONNECTION: intFromEnv(SYNC.maxAwarenessIdsPerConnection, 1),
  MAX_AWARENESS_STATES_PER_ROOM: intFromEnv(SYNC.maxAwarenessStatesPerRoom, 1),
  MAX_AWARENESS_ROOM_BYTES: intFromEnv(SYNC.maxAwarenessRoomBytes, 1024),
  AWARENESS_ID_RESERVATION_MS: intFromEnv(SYNC.awarenessIdReservationMs, 0),
  RATE_LIMIT_MESSAGES: intFromEnv(2_000, 1),
  RATE_LIMIT_WINDOW_MS: intFromEnv(10_000, 100),
  PING_INTERVAL_MS: intFromEnv(30_000, 100),
  COMPACT_AFTER_UPDATES: intFromEnv(500, 1),
  WORKER_THREADS: optionalIntFromEnv(1, 64),
  HEAVY_REQUESTS_PER_SERVER: intFromEnv(8, 1),
  HEAVY_REQUESTS_PER_MEETING: intFromEnv(4, 1),
  METRICS_PORT: optionalIntFromEnv(0, 65535),
  METRICS_HOST: z.string().optional().default('127.0.0.1'),
  RETAIN_DAYS: optionalIntFromEnv(1, 36500),
  DEMO: booleanFromEnv(true),
  DATABASE_URL: optionalString.refine(
    (v) => v === null || (/^postgres(ql)?:\/\//.test(v) && URL.canParse(v)),
    'must be a postgres:// or postgresql:// URL (unset: SQLite in DATA_DIR)',
  ),
  REDIS_URL: optionalString.refine(
    (v) => v === null || (/^rediss?:\/\//.test(v) && URL.canParse(v)),
    'must be a redis:// or rediss:// URL (unset: instances talk through PostgreSQL LISTEN/NOTIFY)',
  ),
  CLUSTER_SWEEP_MS: intFromEnv(1000, 50),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  LOG_FORMAT: z.enum(['auto', 'text', 'json']).optional().default('auto'),
})

/** Every setting of the server, typed. Built once in main.ts and passed down; no other module reads the environment. */
export interface Config {
  port: number
  host: string
  dataDir: string
  clientDir: string
  publicUrl: string | null
  tldrawLicenseKey: string | null
  adminToken: string | null
  /** Peers whose X-Forwarded-For names the client (per-client quotas); default loopback, [] = nobody. */
  trustProxy: TrustProxy
  /** Host names accepted besides PUBLIC_URL's (and loopback) when PUBLIC_URL is set. */
  allowedHosts: string[]
  maxConnectionsPerKey: number
  maxConnectionsPerAddress: number
  meetingsPerMinute: number
  /** Wrong staff tokens or keys a client address may present per window before it gets 429. */
  authFailureLimit: number
  authFailureWindowMs: number
  roomGraceMs: number
  maxMessageBytes: number
  /** The sync server's limits on updates, boards, send buffers and awareness (server/src/sync/limits.ts). */
  syncLimits: SyncLimits
  rateLimitMessages: number
  rateLimitWindowMs: number
  pingIntervalMs: number
  compactAfterUpdates: number
  /** Threads of the board worker pool (server/src/work/workerPool.ts); null: one per core beyond the first, at least 1. */
  workerThreads: number | null
  /** Heavy requests (save, restore, diff, report, export, version read, import) in flight at once; more get 429. */
  heavyRequestsPerServer: number
  heavyRequestsPerMeeting: number
  /** Serve /metrics on this port (without a token) instead of the main port; null: main port, staff token. */
  metricsPort: number | null
  metricsHost: string
  /** Delete meetings whose last activity is older than this many days; null: keep them until deleted by hand. */
  retainDays: number | null
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** `text`: a start banner and readable lines (a person at a terminal); `json`: pino JSON lines (operators). */
  logFormat: 'text' | 'json'
  /** Create the demo meeting (the seed workshop) on a database that never had one. */
  demo: boolean
  /** PostgreSQL for every store (issue 23); null: SQLite in DATA_DIR (the default). */
  databaseUrl: string | null
  /** With PostgreSQL: Redis pub/sub between instances instead of LISTEN/NOTIFY (cluster SPEC C1). */
  redisUrl: string | null
  /** With PostgreSQL: how often loaded boards are compared with the database, for messages lost between instances (C6). */
  clusterSweepMs: number
}

/**
 * Parses an environment-like object into a Config; throws an Error listing every invalid variable.
 * `LOG_FORMAT=auto` (the default) means text when stdout is a terminal (`npm start`), JSON otherwise (a service).
 */
export function parseConfig(env: Record<string, string | undefined>, stdout: { isTerminal: boolean } = { isTerminal: false }): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (e.REDIS_URL !== null && e.DATABASE_URL === null) {
    throw new Error('Invalid configuration:\n  REDIS_URL: several instances need a shared database: set DATABASE_URL too (or unset REDIS_URL)')
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    clientDir: e.CLIENT_DIR,
    publicUrl: e.PUBLIC_URL,
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY,
    adminToken: e.ADMIN_TOKEN,
    trustProxy: e.TRUST_PROXY,
    allowedHosts: e.ALLOWED_HOSTS,
    maxConnectionsPerKey: e.MAX_CONNECTIONS_PER_KEY,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    meetingsPerMinute: e.MEETINGS_PER_MINUTE,
    authFailureLimit: e.AUTH_FAILURE_LIMIT,
    authFailureWindowMs: e.AUTH_FAILURE_WINDOW_MS,
    roomGraceMs: e.ROOM_GRACE_MS,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    syncLimits: {
      maxUpdateStructs: e.MAX_UPDATE_STRUCTS,
      maxMergeWork: SYNC.maxMergeWork,
      maxSplitWork: SYNC.maxSplitWork,
      maxWorkPerWindow: SYNC.maxWorkPerWindow,
      maxBoardBytes: e.MAX_BOARD_BYTES,
      maxBufferedBytes: e.MAX_BUFFERED_BYTES,
      maxAwarenessStateBytes: e.MAX_AWARENESS_STATE_BYTES,
      maxAwarenessIdsPerConnection: e.MAX_AWARENESS_IDS_PER_CONNECTION,
      maxAwarenessStatesPerRoom: e.MAX_AWARENESS_STATES_PER_ROOM,
      maxAwarenessRoomBytes: e.MAX_AWARENESS_ROOM_BYTES,
      awarenessIdReservationMs: e.AWARENESS_ID_RESERVATION_MS,
    },
    rateLimitMessages: e.RATE_LIMIT_MESSAGES,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    pingIntervalMs: e.PING_INTERVAL_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    workerThreads: e.WORKER_THREADS,
    heavyRequestsPerServer: e.HEAVY_REQUESTS_PER_SERVER,
    heavyRequestsPerMeeting: e.HEAVY_REQUESTS_PER_MEETING,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    retainDays: e.RETAIN_DAYS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT === 'auto' ? (stdout.isTerminal ? 'text' : 'json') : e.LOG_FORMAT,
    demo: e.DEMO,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    clusterSweepMs: e.CLUSTER_SWEEP_MS,
  }
}
