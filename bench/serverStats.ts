/**
 * Boards loaded and open board connections of our server, read from `GET /metrics` with the staff token: /healthz
 * tells anyone only that the process answers (issue 17), the counts are for monitoring.
 */
export interface ServerStats {
  roomsLoaded: number
  connections: number
}

/** The counts, or null when /metrics does not answer with them (another server, no token). */
export async function readServerStats(httpUrl: string, adminToken: string): Promise<ServerStats | null> {
  try {
    const response = await fetch(`${httpUrl}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })
    if (!response.ok) return null
    const text = await response.text()
    const loaded = /^tavolo_boards_loaded (\S+)$/m.exec(text)
    if (loaded === null) return null
    let connections = 0
    for (const match of text.matchAll(/^tavolo_connections\{[^}]*\} (\S+)$/gm)) connections += Number(match[1])
    return { roomsLoaded: Number(loaded[1]), connections }
  } catch {
    return null
  }
}

/** A histogram of our server's /metrics: its sum, count and cumulative buckets (upper bound in seconds → count). */
export interface MetricHistogram {
  sum: number
  count: number
  buckets: ReadonlyArray<readonly [number, number]>
}

/** One histogram of /metrics (staff token), or null when the server does not tell it. */
export async function readHistogram(httpUrl: string, adminToken: string, name: string): Promise<MetricHistogram | null> {
  try {
    const response = await fetch(`${httpUrl}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })
    if (!response.ok) return null
    const text = await response.text()
    const value = (suffix: string): number | null => {
      const m = new RegExp(`^${name}_${suffix}\\s+(\\S+)$`, 'm').exec(text)
      return m?.[1] === undefined ? null : Number(m[1])
    }
    const sum = value('sum')
    const count = value('count')
    if (sum === null || count === null) return null
    const buckets: Array<readonly [number, number]> = []
    for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}\\s+(\\S+)$`, 'gm'))) {
      buckets.push([m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])])
    }
    return { sum, count, buckets }
  } catch {
    return null
  }
}

/** The observations between two readings of one histogram: mean, and the bucket bound under which `p`% fall. */
export function histogramWindow(before: MetricHistogram | null, after: MetricHistogram | null, p: number): { count: number; meanMs: number; pBoundMs: number } | null {
  if (after === null) return null
  const count = after.count - (before?.count ?? 0)
  if (count <= 0) return { count: 0, meanMs: Number.NaN, pBoundMs: Number.NaN }
  const meanMs = (1000 * (after.sum - (before?.sum ?? 0))) / count
  const earlier = new Map(before?.buckets ?? [])
  const wanted = (p / 100) * count
  const bound = after.buckets.find(([le, n]) => n - (earlier.get(le) ?? 0) >= wanted)?.[0] ?? Number.POSITIVE_INFINITY
  return { count, meanMs, pBoundMs: 1000 * bound }
}
