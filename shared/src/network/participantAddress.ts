/**
 * Which address other people's devices should open. Pure: the server passes in what `os.networkInterfaces()` said at
 * start, the browser passes in the page's own URL; both sides share these rules (unit tests:
 * tests/unit/participantAddress.test.ts).
 *
 *  A1. With PUBLIC_URL set, links are built under it and nothing else is offered (the server lists no LAN address).
 *  A2. A page opened on a host that is not loopback (a LAN address, a host name) was reachable by this device:
 *      links use the page's own origin.
 *  A3. A page opened on loopback (localhost, 127.x, ::1) would hand out links that mean "the phone itself": links use
 *      the server's LAN address instead (the facilitator may pick another when there are several).
 *  A4. Loopback page and no LAN address: the page's origin is kept, and the share panel warns that the links work on
 *      this computer only.
 */

/** The part of Node's `os.NetworkInterfaceInfo` these rules read (declared here: shared code has no Node types). */
export interface InterfaceAddress {
  address: string
  /** 'IPv4' / 'IPv6' (Node 18+); 4 / 6 on some older Node versions. */
  family: string | number
  internal: boolean
}
export type NetworkInterfaceList = Record<string, readonly InterfaceAddress[] | undefined>

/** True for localhost, *.localhost, 127.0.0.0/8 and ::1 (brackets allowed): a host that means "this device". */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

const isIpv4 = (a: InterfaceAddress) => a.family === 'IPv4' || a.family === 4
const isIpv6 = (a: InterfaceAddress) => a.family === 'IPv6' || a.family === 6

// Interfaces of containers, VMs and VPNs: reachable from this computer, almost never from a phone in the room.
const VIRTUAL_INTERFACE = /^(docker|br-|veth|virbr|vmnet|vboxnet|lxc|lxd|podman|cni|flannel|tun|tap|utun|wg|zt)/i

/** Lower is more likely what a phone on the same Wi-Fi can reach. */
function rank(name: string, address: InterfaceAddress): number {
  let score: number
  const a = address.address
  if (isIpv4(address)) {
    if (a.startsWith('192.168.')) score = 0
    else if (a.startsWith('10.')) score = 1
    else if (/^172\.(1[6-9]|2\d|3[01])\./.test(a)) score = 2
    else if (a.startsWith('169.254.')) score = 8 // self-assigned: no DHCP answered
    else score = 3
  } else {
    score = 5
  }
  return VIRTUAL_INTERFACE.test(name) ? score + 10 : score
}

/**
 * The addresses of this server that other devices can reach, best first (home/office Wi-Fi ranges before others,
 * virtual interfaces last), without duplicates. `listenHost` is the HOST the server listens on: loopback means no
 * other device can reach it; one specific address means that one; `0.0.0.0` means every IPv4 address; `::` (dual
 * stack) adds IPv6 ones. IPv6 link-local addresses (fe80::) are left out: a link needs a zone id no phone can type.
 */
export function reachableHosts(interfaces: NetworkInterfaceList, listenHost: string): string[] {
  if (isLoopbackHost(listenHost)) return []
  const anyIpv4 = listenHost === '0.0.0.0'
  const anyIp = listenHost === '::' || listenHost === '' || listenHost === '[::]'
  if (!anyIpv4 && !anyIp) return [listenHost.replace(/^\[|\]$/g, '')]
  const found: Array<{ host: string; score: number; order: number }> = []
  let order = 0
  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.internal || isLoopbackHost(address.address)) continue
      if (isIpv6(address) && (!anyIp || /^fe80:/i.test(address.address))) continue
      if (!isIpv4(address) && !isIpv6(address)) continue
      found.push({ host: address.address, score: rank(name, address), order: order++ })
    }
  }
  found.sort((x, y) => x.score - y.score || x.order - y.order)
  return [...new Set(found.map((f) => f.host))]
}

/** `http://192.168.1.5:8080`, `http://[fd00::2]:8080`; the default port of the protocol is left out. */
export function originFor(host: string, port: number, protocol: 'http:' | 'https:' = 'http:'): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const defaultPort = protocol === 'https:' ? 443 : 80
  return `${protocol}//${bracketed}${port === defaultPort ? '' : `:${port}`}`
}

export type ParticipantAddress =
  /** A1: PUBLIC_URL (links already carry it). */
  | { kind: 'public'; base: string }
  /** A2: the page's own origin, which this device reached. */
  | { kind: 'page'; base: string }
  /** A3: the page is on loopback; `base` is one of `options` (the server's LAN addresses). */
  | { kind: 'lan'; base: string; options: string[]; pageOrigin: string }
  /** A4: loopback page, no LAN address: links work on this computer only. */
  | { kind: 'thisComputerOnly'; base: string }

/**
 * The base participants' links are built on (rules A1–A4 above). `picked` is the facilitator's earlier choice among
 * the LAN addresses; it is used only while the server still offers it.
 */
export function chooseParticipantAddress(input: {
  publicUrl: string | null
  pageOrigin: string
  lanOrigins: readonly string[]
  picked?: string | null
}): ParticipantAddress {
  if (input.publicUrl !== null) return { kind: 'public', base: input.publicUrl.replace(/\/+$/, '') }
  const pageHost = hostOfOrigin(input.pageOrigin)
  if (pageHost === null || !isLoopbackHost(pageHost)) return { kind: 'page', base: input.pageOrigin }
  const options = [...new Set(input.lanOrigins)]
  if (options.length === 0) return { kind: 'thisComputerOnly', base: input.pageOrigin }
  const base = input.picked && options.includes(input.picked) ? input.picked : options[0]!
  return { kind: 'lan', base, options, pageOrigin: input.pageOrigin }
}

/** `http://[::1]:8080` → `[::1]`, `http://localhost:8080` → `localhost`; null when it is not an origin. */
export function hostOfOrigin(origin: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(origin)
  return match && match[1] ? match[1] : null
}

/**
 * A link to hand to another device: an absolute link (the server built it under PUBLIC_URL) stays as it is; a path
 * (`/board/…#k=…`) is put under `base`.
 */
export function shareableLink(link: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return link
  return `${base.replace(/\/+$/, '')}${link.startsWith('/') ? '' : '/'}${link}`
}
