/**
 * DNS rebinding: a page on attacker.example whose name is made to resolve to this server's address would reach it
 * as same-origin, with `Host: attacker.example`. When PUBLIC_URL is set we know the names the server is reached by,
 * so every other Host is refused (HTTP 421). Loopback names (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`) stay
 * allowed on any port: health checks and a reverse proxy on the same machine use them, and a browser only sends
 * such a Host to a page that is itself on this machine, which rebinding cannot fake.
 */

/** The host name of a Host header value, lowercased, without port and IPv6 brackets; null when unreadable. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (hostHeader === undefined || hostHeader === '') return null
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  } catch {
    return null
  }
}

export function isLoopbackHostName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name)
}

/**
 * The allow-list for a configuration: null (every Host accepted) without PUBLIC_URL; otherwise a predicate that
 * accepts PUBLIC_URL's host name, each of `extraHosts` (ALLOWED_HOSTS) and the loopback names.
 */
export function createHostAllowList(publicUrl: string | null, extraHosts: readonly string[]): ((hostHeader: string | undefined) => boolean) | null {
  if (publicUrl === null) return null
  const allowed = new Set<string>()
  const own = hostNameOf(new URL(publicUrl).host)
  if (own !== null) allowed.add(own)
  for (const extra of extraHosts) {
    const name = hostNameOf(extra)
    if (name !== null) allowed.add(name)
  }
  return (hostHeader) => {
    const name = hostNameOf(hostHeader)
    return name !== null && (allowed.has(name) || isLoopbackHostName(name))
  }
}

export const MISDIRECTED_MESSAGE = 'this server does not answer for that host name (Host is not PUBLIC_URL\'s host nor one of ALLOWED_HOSTS)'

/**
 * Cross-site WebSocket hijacking: a page on another site may open a WebSocket to this server (browsers send no CORS
 * preflight for it), with a key it was given or found. With PUBLIC_URL set, an upgrade whose `Origin` is not
 * PUBLIC_URL's origin, a host of ALLOWED_HOSTS (any scheme and port) or a loopback name is refused. A request without
 * `Origin` is allowed: browsers always send one on WebSocket upgrades, so its absence means a non-browser client
 * (y-websocket in Node, a script), which no other site can drive. Null without PUBLIC_URL: every Origin accepted (a
 * LAN workshop is reached by whatever address the laptop has).
 */
export function createOriginAllowList(publicUrl: string | null, extraHosts: readonly string[]): ((originHeader: string | undefined) => boolean) | null {
  if (publicUrl === null) return null
  const ownOrigin = new URL(publicUrl).origin
  const hosts = new Set<string>()
  for (const extra of extraHosts) {
    const name = hostNameOf(extra)
    if (name !== null) hosts.add(name)
  }
  return (originHeader) => {
    if (originHeader === undefined) return true
    let origin: URL
    try {
      origin = new URL(originHeader)
    } catch {
      return false // 'null' (a sandboxed or file: page) and anything unreadable
    }
    if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return false
    if (origin.origin === ownOrigin) return true
    const name = hostNameOf(origin.host)
    return name !== null && (hosts.has(name) || isLoopbackHostName(name))
  }
}

export const FOREIGN_ORIGIN_MESSAGE = 'this board does not accept connections from pages of another site (Origin is not PUBLIC_URL\'s origin nor one of ALLOWED_HOSTS)'
