import { z } from 'zod'

/** `GET /api/config`, validated at the edge. */
export const serverConfigSchema = z.object({
  version: z.string(),
  tldrawLicenseKey: z.string().min(1).nullable(),
  publicUrl: z.string().nullable(),
  licenseRequired: z.boolean(),
  /** RETAIN_DAYS of the server (null: meetings are kept until deleted); absent in configs cached by older versions. */
  retainDays: z.number().int().positive().nullable().default(null),
  /** The server's LAN origins found at start (participantAddress.ts A3); a config cached by an older server has none. */
  participantOrigins: z.array(z.string().max(200)).max(32).default([]),
})
export type ServerConfig = z.infer<typeof serverConfigSchema>

const CACHE_KEY = 'tavolo.serverConfig.v1'

export type ServerConfigResult =
  | { ok: true; config: ServerConfig; fromCache: boolean }
  | { ok: false; error: string }

/**
 * Fetches the server config. When the server is unreachable, falls back to the last config this browser saw,
 * so a board can still open from the local copy while offline.
 */
export async function loadServerConfig(storage: Storage | null, signal?: AbortSignal): Promise<ServerConfigResult> {
  try {
    const response = await fetch('/api/config', { signal, headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const config = serverConfigSchema.parse(await response.json())
    try {
      storage?.setItem(CACHE_KEY, JSON.stringify(config))
    } catch {
      // not fatal
    }
    return { ok: true, config, fromCache: false }
  } catch (error) {
    if (signal?.aborted) throw error
    try {
      const cached = serverConfigSchema.safeParse(JSON.parse(storage?.getItem(CACHE_KEY) ?? 'null'))
      if (cached.success) return { ok: true, config: cached.data, fromCache: true }
    } catch {
      // fall through
    }
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
