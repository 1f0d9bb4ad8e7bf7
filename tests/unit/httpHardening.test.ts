/** Pure parts of the HTTP hardening: client address behind proxies, quotas, Host allow-list, staff token, config. */
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { clientAddressOf, createProxyTrust, parseTrustProxy, quotaKeyOf } from '../../server/src/http/clientAddress.ts'
import { createHostAllowList, createOriginAllowList, hostNameOf } from '../../server/src/http/hostAllowList.ts'
import { ConcurrencyCounter, FixedWindowLimiter, retryAfterSeconds } from '../../server/src/http/quotas.ts'
import { contentSecurityPolicy } from '../../server/src/http/securityHeaders.ts'
import { resolveStaffToken, staffLink, STAFF_TOKEN_FILE } from '../../server/src/http/staffToken.ts'
import { parseConfig } from '../../server/src/config.ts'
import { decodeCursor, encodeCursor } from '../../server/src/meetings/meetingsRouter.ts'
import { tokenFromFragment } from '../../client/src/meeting/staffToken.ts'

const req = (remoteAddress: string, xff?: string) => ({
  socket: { remoteAddress } as never,
  headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
})

describe('client address (TRUST_PROXY)', () => {
  it('parses the setting, refusing what is not a range, address or subnet', () => {
    expect(parseTrustProxy('none')).toEqual([])
    expect(parseTrustProxy('false')).toEqual([])
    expect(parseTrustProxy('loopback, 10.0.0.0/8,::1')).toEqual(['loopback', '10.0.0.0/8', '::1'])
    expect(parseTrustProxy('proxy.example')).toBeNull()
    expect(parseTrustProxy('10.0.0.0/33')).toBeNull()
    expect(parseTrustProxy('10.0.0.1/8/1')).toBeNull()
  })

  it('takes X-Forwarded-For only through trusted hops, right to left', () => {
    const loopback = createProxyTrust(['loopback'])
    expect(clientAddressOf(req('127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9')
    expect(clientAddressOf(req('::ffff:127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9')
    // A client-written left part is never reached past an untrusted hop.
    expect(clientAddressOf(req('127.0.0.1', '1.1.1.1, 203.0.113.9'), loopback)).toBe('203.0.113.9')
    expect(clientAddressOf(req('192.168.1.5', '203.0.113.9'), loopback)).toBe('192.168.1.5')
    expect(clientAddressOf(req('127.0.0.1', 'garbage'), loopback)).toBe('127.0.0.1')
    const none = createProxyTrust([])
    expect(clientAddressOf(req('127.0.0.1', '203.0.113.9'), none)).toBe('127.0.0.1')
    const chain = createProxyTrust(['loopback', '10.0.0.0/8'])
    expect(clientAddressOf(req('127.0.0.1', '198.51.100.7, 10.1.2.3'), chain)).toBe('198.51.100.7')
  })
})

describe('quotas', () => {
  it('count IPv4 clients by address and IPv6 clients by their /64', () => {
    expect(quotaKeyOf('203.0.113.9')).toBe('203.0.113.9')
    expect(quotaKeyOf('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(quotaKeyOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(quotaKeyOf('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64')
    expect(quotaKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(quotaKeyOf('::1')).toBe('0:0:0:0::/64')
    expect(quotaKeyOf('fe80::1:2:3:4.5.6.7')).toBe('fe80:0:0:1::/64')
    expect(quotaKeyOf('unknown')).toBe('unknown')
  })

  it('FixedWindowLimiter: the (limit+1)th event in a window waits until the window ends', () => {
    const limiter = new FixedWindowLimiter({ limit: 2, windowMs: 1000 })
    expect(limiter.hit('a', 0)).toBe(0)
    expect(limiter.hit('a', 100)).toBe(0)
    expect(limiter.hit('a', 200)).toBe(800)
    expect(limiter.blockedFor('a', 999)).toBe(1)
    expect(limiter.blockedFor('b', 200)).toBe(0)
    expect(limiter.hit('a', 1000)).toBe(0)
    expect(retryAfterSeconds(1)).toBe(1)
    expect(retryAfterSeconds(1001)).toBe(2)
  })

  it('FixedWindowLimiter stays bounded when keys keep coming', () => {
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 1000, maxKeys: 100 })
    for (let i = 0; i < 10_000; i++) limiter.hit(`k${i}`, 0)
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100)
  })

  it('ConcurrencyCounter takes and gives back slots', () => {
    const counter = new ConcurrencyCounter(2)
    expect(counter.tryAcquire('k')).toBe(true)
    expect(counter.tryAcquire('k')).toBe(true)
    expect(counter.tryAcquire('k')).toBe(false)
    counter.release('k')
    expect(counter.count('k')).toBe(1)
    expect(counter.tryAcquire('k')).toBe(true)
  })
})

describe('Host allow-list', () => {
  it('is off without PUBLIC_URL; with it, accepts its host, ALLOWED_HOSTS and loopback names only', () => {
    expect(createHostAllowList(null, [])).toBeNull()
    const allowed = createHostAllowList('https://Tavolo.Example.it/app', ['tavolo.lan'])!
    for (const host of ['tavolo.example.it', 'tavolo.example.it:443', 'tavolo.example.it.', 'tavolo.lan:8080', 'localhost', 'a.localhost:1', '127.0.0.1:8080', '[::1]:8080']) {
      expect(allowed(host), host).toBe(true)
    }
    for (const host of [undefined, '', 'attacker.example', 'tavolo.example.it.attacker.example', '192.168.1.2', 'localhost.attacker.example']) {
      expect(allowed(host), String(host)).toBe(false)
    }
    expect(hostNameOf('[::1]:80')).toBe('::1')
  })
})

describe('WebSocket Origin allow-list', () => {
  it('is off without PUBLIC_URL; with it, accepts PUBLIC_URL\'s origin, ALLOWED_HOSTS, loopback and no Origin only', () => {
    expect(createOriginAllowList(null, [])).toBeNull()
    const allowed = createOriginAllowList('https://Tavolo.Example.it/app', ['tavolo.lan'])!
    for (const origin of [undefined, 'https://tavolo.example.it', 'https://TAVOLO.example.it:443', 'http://tavolo.lan:8080', 'https://tavolo.lan', 'http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:8080']) {
      expect(allowed(origin), String(origin)).toBe(true)
    }
    for (const origin of ['', 'null', 'http://tavolo.example.it', 'https://tavolo.example.it:8443', 'https://tavolo.example.it.attacker.example', 'https://attacker.example', 'file://', 'chrome-extension://abc', 'http://localhost.attacker.example']) {
      expect(allowed(origin), origin).toBe(false)
    }
  })
})

describe('Content-Security-Policy', () => {
  it('names the page host for WebSockets only when it is a plain host[:port]', () => {
    expect(contentSecurityPolicy('tavolo.example.it:8080')).toContain("connect-src 'self' data: blob: ws://tavolo.example.it:8080 wss://tavolo.example.it:8080;")
    expect(contentSecurityPolicy('a b;c')).toContain("connect-src 'self' data: blob:;")
    expect(contentSecurityPolicy(undefined)).not.toContain('unsafe-eval')
  })
})

describe('staff token (S3)', () => {
  it('ADMIN_TOKEN wins; otherwise generated once (0600) and then read back; a broken file is refused with a message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tavolo-staff-unit-'))
    try {
      expect(resolveStaffToken('from-the-environment-123456', dir)).toEqual({ token: 'from-the-environment-123456', source: 'ADMIN_TOKEN', file: null })
      const made = resolveStaffToken(null, dir)
      expect(made.source).toBe('generated')
      expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const file = join(dir, STAFF_TOKEN_FILE)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      chmodSync(file, 0o644)
      expect(resolveStaffToken(null, dir)).toEqual({ token: made.token, source: 'file', file })
      expect(statSync(file).mode & 0o777).toBe(0o600)
      writeFileSync(file, 'short\n')
      expect(() => resolveStaffToken(null, dir)).toThrow(/delete it/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the staff link carries the token in the fragment, and the client reads it back', () => {
    const link = staffLink('http://192.168.1.20:8080/', 'abc+/=')
    expect(link).toBe('http://192.168.1.20:8080/meetings#token=abc%2B%2F%3D')
    expect(tokenFromFragment(new URL(link).hash)).toBe('abc+/=')
    expect(tokenFromFragment('')).toBeNull()
    expect(tokenFromFragment('#k=participant-key')).toBeNull()
  })
})

describe('config', () => {
  it('refuses a short ADMIN_TOKEN and a bad TRUST_PROXY with messages naming them; documents the defaults', () => {
    expect(() => parseConfig({ ADMIN_TOKEN: 'segreto' })).toThrow(/ADMIN_TOKEN: must be at least 24 characters/)
    expect(() => parseConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: must be none/)
    const defaults = parseConfig({})
    expect(defaults).toMatchObject({
      adminToken: null,
      trustProxy: ['loopback'],
      allowedHosts: [],
      maxConnectionsPerKey: 300,
      maxConnectionsPerAddress: 200,
      meetingsPerMinute: 30,
      authFailureLimit: 10,
      authFailureWindowMs: 60_000,
    })
    expect(parseConfig({ ALLOWED_HOSTS: ' a.example, b.example ' }).allowedHosts).toEqual(['a.example', 'b.example'])
  })

  it('staff list cursors round-trip and anything else is refused', () => {
    expect(decodeCursor(encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', seq: 7 }))).toEqual({ createdAt: '2026-01-01T00:00:00.000Z', seq: 7 })
    for (const bad of ['', 'x', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["a",-1]').toString('base64url')]) expect(decodeCursor(bad)).toBeNull()
  })
})
