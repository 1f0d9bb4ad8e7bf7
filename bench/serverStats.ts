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
