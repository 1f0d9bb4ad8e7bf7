import { z } from 'zod'

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
  ADMIN_TOKEN: optionalString,
  ROOM_GRACE_MS: intFromEnv(30_000, 0),
  MAX_MESSAGE_BYTES: intFromEnv(16 * 1024 * 1024, 1024),
  RATE_LIMIT_MESSAGES: intFromEnv(2_000, 1),
  RATE_LIMIT_WINDOW_MS: intFromEnv(10_000, 100),
  PING_INTERVAL_MS: intFromEnv(30_000, 100),
  COMPACT_AFTER_UPDATES: intFromEnv(500, 1),
  DEMO: booleanFromEnv(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
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
  roomGraceMs: number
  maxMessageBytes: number
  rateLimitMessages: number
  rateLimitWindowMs: number
  pingIntervalMs: number
  compactAfterUpdates: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Create the demo meeting (the seed workshop) on a database that never had one. */
  demo: boolean
}

/** Parses an environment-like object into a Config; throws an Error listing every invalid variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    clientDir: e.CLIENT_DIR,
    publicUrl: e.PUBLIC_URL,
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY,
    adminToken: e.ADMIN_TOKEN,
    roomGraceMs: e.ROOM_GRACE_MS,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    rateLimitMessages: e.RATE_LIMIT_MESSAGES,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    pingIntervalMs: e.PING_INTERVAL_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO,
  }
}
