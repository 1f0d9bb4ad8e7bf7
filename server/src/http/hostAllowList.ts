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
