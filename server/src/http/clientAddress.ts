import { BlockList, isIP } from 'node:net'
import type { IncomingMessage } from 'node:http'

/**
 * Which peers may tell us the client's address through `X-Forwarded-For` (TRUST_PROXY): named ranges as Express
 * spells them (`loopback`, `linklocal`, `uniquelocal`), addresses and CIDR subnets; or nobody.
 *
 * Not `proxy-addr` (Express's own, installed with it): it would take the same lines, and its walk returns a hop that
 * is not an address as the client's address, where this one stops at the last address it could check; it also
 * leaves `::ffff:a.b.c.d` as it came, where the per-address quotas need one spelling per client.
 */
export type TrustProxy = readonly string[]

const NAMED_RANGES: Record<string, ReadonlyArray<[string, number, 'ipv4' | 'ipv6']>> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
}

/**
 * Parses TRUST_PROXY: `false`/`none`/empty → trust nobody; otherwise a comma-separated list of named ranges,
 * addresses and CIDR subnets. Returns null when an entry is none of these (config refuses it with a message).
 */
export function parseTrustProxy(value: string): TrustProxy | null {
  const trimmed = value.trim().toLowerCase()
  if (trimmed === '' || trimmed === 'false' || trimmed === 'none') return []
  const entries = trimmed.split(',').map((e) => e.trim()).filter((e) => e !== '')
  for (const entry of entries) {
    if (entry in NAMED_RANGES) continue
    const [address, bits, extra] = entry.split('/')
    if (extra !== undefined || address === undefined || isIP(address) === 0) return null
    if (bits !== undefined) {
      const max = isIP(address) === 4 ? 32 : 128
      const n = Number(bits)
      if (!/^\d+$/.test(bits) || n > max) return null
    }
  }
  return entries
}

/** IPv4 peers of a dual-stack socket appear as `::ffff:a.b.c.d`: compare them as IPv4. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? mapped[1]! : address
}

/** Answers "may this peer speak for the client?" for a TRUST_PROXY list. Express's `trust proxy` takes the same function. */
export function createProxyTrust(trust: TrustProxy): (address: string) => boolean {
  if (trust.length === 0) return () => false
  const list = new BlockList()
  for (const entry of trust) {
    const named = NAMED_RANGES[entry]
    if (named) {
      for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type)
      continue
    }
    const [address, bits] = entry.split('/') as [string, string | undefined]
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return (address) => {
    const plain = normaliseAddress(address)
    const kind = isIP(plain)
    if (kind === 0) return false
    return list.check(plain, kind === 4 ? 'ipv4' : 'ipv6')
  }
}

/**
 * The address of the client behind a request: the socket's peer, or, while that peer is a trusted proxy, the
 * next address to the left in `X-Forwarded-For` (the same walk Express does for `req.ip`). The key of every
 * per-client quota: a client cannot pick it unless we trust the hop that tells us.
 */
export function clientAddressOf(request: Pick<IncomingMessage, 'headers' | 'socket'>, isTrusted: (address: string) => boolean): string {
  let address = normaliseAddress(request.socket.remoteAddress ?? 'unknown')
  const header = request.headers['x-forwarded-for']
  if (header === undefined || !isTrusted(address)) return address
  const hops = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')
  while (hops.length > 0 && isTrusted(address)) {
    const next = normaliseAddress(hops.pop()!)
    if (isIP(next) === 0) break
    address = next
  }
  return address
}

/**
 * The key of the per-address quotas: an IPv4 address as it is, an IPv6 address by its /64 network (one home or one
 * phone gets a whole /64, so counting single IPv6 addresses would let one client pick a fresh one at every request).
 */
export function quotaKeyOf(address: string): string {
  const plain = normaliseAddress(address)
  if (isIP(plain) !== 6) return plain
  const [head = '', tail = ''] = plain.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  // An embedded IPv4 tail (a.b.c.d) takes two groups; it only ever sits in the last 64 bits we drop.
  const rightGroups = right.flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]))
  const groups = plain.includes('::') ? [...left, ...Array<string>(8 - left.length - rightGroups.length).fill('0'), ...rightGroups] : left
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`
}
