import { describe, expect, test } from 'vitest'
import {
  chooseParticipantAddress,
  hostOfOrigin,
  isLoopbackHost,
  originFor,
  reachableHosts,
  shareableLink,
  type NetworkInterfaceList,
} from '../../shared/src/network/participantAddress.ts'

const loopbackOnly: NetworkInterfaceList = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ],
}
const laptop: NetworkInterfaceList = {
  ...loopbackOnly,
  docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
  wlan0: [
    { address: '192.168.1.23', family: 'IPv4', internal: false },
    { address: 'fe80::1c2f:aa:1', family: 'IPv6', internal: false },
    { address: 'fd00::23', family: 'IPv6', internal: false },
  ],
  eth0: [{ address: '10.0.0.5', family: 4, internal: false }],
}

describe('the server\'s reachable addresses', () => {
  test('none but loopback: nothing to offer (the banner says "solo questo computer")', () => {
    expect(reachableHosts(loopbackOnly, '0.0.0.0')).toEqual([])
    expect(reachableHosts({}, '0.0.0.0')).toEqual([])
  })

  test('several interfaces: Wi-Fi ranges first, container bridges last, IPv4 only on 0.0.0.0', () => {
    expect(reachableHosts(laptop, '0.0.0.0')).toEqual(['192.168.1.23', '10.0.0.5', '172.17.0.1'])
  })

  test('dual stack (::) adds IPv6 addresses, never link-local ones', () => {
    expect(reachableHosts(laptop, '::')).toEqual(['192.168.1.23', '10.0.0.5', 'fd00::23', '172.17.0.1'])
  })

  test('listening on loopback: no other device can reach it; on one address: that one', () => {
    expect(reachableHosts(laptop, '127.0.0.1')).toEqual([])
    expect(reachableHosts(laptop, 'localhost')).toEqual([])
    expect(reachableHosts(laptop, '10.0.0.5')).toEqual(['10.0.0.5'])
  })

  test('origins bracket IPv6 and leave out the default port', () => {
    expect(originFor('192.0.2.10', 8080)).toBe('http://192.0.2.10:8080')
    expect(originFor('fd00::2', 8080)).toBe('http://[fd00::2]:8080')
    expect(originFor('tavolo.lan', 80)).toBe('http://tavolo.lan')
  })

  test('loopback hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true)
    }
    for (const host of ['192.168.1.2', 'tavolo.comune.example.it', '::', '127.example.org']) {
      expect(isLoopbackHost(host), host).toBe(false)
    }
  })
})

describe('chooseParticipantAddress (rules A1–A4)', () => {
  const lan = ['http://192.168.1.23:8080', 'http://10.0.0.5:8080']

  test('A1: PUBLIC_URL wins, whatever the page and the interfaces', () => {
    expect(chooseParticipantAddress({ publicUrl: 'https://tavolo.example.org/', pageOrigin: 'http://localhost:8080', lanOrigins: lan })).toEqual({
      kind: 'public',
      base: 'https://tavolo.example.org',
    })
  })

  test('A2: a page opened on a LAN address keeps its own origin', () => {
    expect(chooseParticipantAddress({ publicUrl: null, pageOrigin: 'http://192.168.1.23:8080', lanOrigins: lan })).toEqual({
      kind: 'page',
      base: 'http://192.168.1.23:8080',
    })
  })

  test('A3: a loopback page uses the first LAN address, or the one the facilitator picked', () => {
    expect(chooseParticipantAddress({ publicUrl: null, pageOrigin: 'http://127.0.0.1:8080', lanOrigins: lan })).toEqual({
      kind: 'lan',
      base: 'http://192.168.1.23:8080',
      options: lan,
      pageOrigin: 'http://127.0.0.1:8080',
    })
    const picked = chooseParticipantAddress({ publicUrl: null, pageOrigin: 'http://localhost:8080', lanOrigins: lan, picked: lan[1] })
    expect(picked.base).toBe('http://10.0.0.5:8080')
  })

  test('A3: a pick the server no longer offers (new Wi-Fi) falls back to the first address', () => {
    const stale = chooseParticipantAddress({ publicUrl: null, pageOrigin: 'http://localhost:8080', lanOrigins: lan, picked: 'http://172.20.0.9:8080' })
    expect(stale.base).toBe('http://192.168.1.23:8080')
  })

  test('A4: a loopback page and no LAN address: this computer only', () => {
    expect(chooseParticipantAddress({ publicUrl: null, pageOrigin: 'http://localhost:8080', lanOrigins: [] })).toEqual({
      kind: 'thisComputerOnly',
      base: 'http://localhost:8080',
    })
  })

  test('shareable links: paths go under the base, absolute links (PUBLIC_URL) stay', () => {
    expect(shareableLink('/board/m1#k=abc', 'http://192.168.1.23:8080')).toBe('http://192.168.1.23:8080/board/m1#k=abc')
    expect(shareableLink('https://tavolo.example.org/board/m1#k=abc', 'http://192.168.1.23:8080')).toBe(
      'https://tavolo.example.org/board/m1#k=abc',
    )
  })
})

test('hostOfOrigin reads the host of an origin without the URL class (shared code has no DOM)', () => {
  expect(hostOfOrigin('http://127.0.0.1:8080')).toBe('127.0.0.1')
  expect(hostOfOrigin('http://[::1]:8080')).toBe('[::1]')
  expect(hostOfOrigin('https://tavolo.example.org')).toBe('tavolo.example.org')
  expect(hostOfOrigin('not an origin')).toBe(null)
})
