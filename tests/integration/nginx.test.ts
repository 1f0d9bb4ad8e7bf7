/**
 * The README's nginx configuration (deploy/nginx.conf), run for real in front of a Tavolo server: TLS, the WebSocket
 * upgrade on /sync, PUBLIC_URL links, an idle board that outlives proxy_read_timeout thanks to Tavolo's ping (and one
 * that does not without it), the http → https redirect, /metrics kept off, and no key in the access log.
 * Only the host-specific values are substituted (ports, certificate and log paths), and the timeouts are scaled down
 * together (PING_INTERVAL_MS 500 ms vs proxy_read_timeout 2 s, like 30 s vs 120 s in the file).
 * Needs /usr/sbin/nginx and openssl (.ci/run installs nginx-light).
 */
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { afterEach, describe, expect, it } from 'vitest'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import { startMeetingTestServer, type MeetingTestServer } from '../helpers/meetingTestServer.ts'
import { connectThroughProxy as connectViaProxy, freePort, hasNginx, httpGet, startNginx as startProxy, type Proxy } from '../helpers/nginxProxy.ts'
import { waitFor } from '../helpers/waitFor.ts'


const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startNginx(upstreamPort: number): Promise<Proxy> {
  const proxy = await startProxy([upstreamPort], { proxyReadTimeout: '2s' })
  cleanups.push(() => proxy.stop())
  return proxy
}

/** HTTPS with the test's self-signed certificate. */
function https(port: number, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        servername: 'localhost',
        rejectUnauthorized: false,
        headers: {
          host: 'tavolo.comune.example.it',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => {
          let json: unknown = text
          try {
            json = JSON.parse(text)
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, json })
        })
      },
    )
    req.once('error', reject)
    req.end(payload)
  })
}

/** A stock y-websocket provider over wss through the proxy, closed after the test. */
function connectThroughProxy(port: number, boardId: string, key: string) {
  const client = connectViaProxy(port, boardId, key)
  cleanups.push(() => {
    client.provider.destroy()
    client.doc.destroy()
  })
  return client
}

async function startTavolo(pingIntervalMs: number): Promise<MeetingTestServer> {
  const s = await startMeetingTestServer({
    adminToken: 'staff',
    publicUrl: 'https://tavolo.comune.example.it',
    config: { port: await freePort(), pingIntervalMs },
  })
  cleanups.push(() => s.close())
  return s
}

const note = (id: string, text: string) => ({ id, typeName: 'shape', type: 'note', x: 0, y: 0, isLocked: false, meta: {}, props: { text } })

async function createMeetingThrough(proxy: Proxy): Promise<CreateMeetingResponse> {
  const res = await https(proxy.httpsPort, 'POST', '/api/meetings', { title: 'Dietro il proxy' }, 'staff')
  expect(res.status).toBe(201)
  return res.json as CreateMeetingResponse
}

const skipNote = hasNginx ? '' : ' (SKIPPED: /usr/sbin/nginx is not installed here; apt-get install -y nginx-light, as .ci/run does)'

describe.skipIf(!hasNginx)(`deploy/nginx.conf in front of Tavolo${skipNote}`, () => {
  it('TLS, WebSocket upgrade, PUBLIC_URL links, an idle board kept open by the ping, redirect, /metrics off, no key in the log', async () => {
    const tavolo = await startTavolo(500)
    const proxy = await startNginx(tavolo.port)
    const m = await createMeetingThrough(proxy)
    expect(m.links.participant).toMatch(/^https:\/\/tavolo\.comune\.example\.it\/board\//)

    const a = connectThroughProxy(proxy.httpsPort, m.meeting.id, m.keys.facilitator)
    const b = connectThroughProxy(proxy.httpsPort, m.meeting.id, m.keys.participant)
    await waitFor(() => a.provider.synced && b.provider.synced, 10_000, 'synced through nginx')
    b.records.set('shape:1', note('shape:1', 'prima'))
    await waitFor(() => a.records.get('shape:1') !== undefined, 5000, 'relayed through nginx')

    // Idle for 3 x proxy_read_timeout: only Tavolo's pings cross the proxy, and they keep both sockets open.
    await new Promise((resolve) => setTimeout(resolve, 6_500))
    expect(a.closes).toEqual([])
    expect(b.closes).toEqual([])
    b.records.set('shape:2', note('shape:2', 'dopo la pausa'))
    await waitFor(() => a.records.get('shape:2') !== undefined, 5000, 'relayed after the idle time')

    expect(await httpGet(`http://127.0.0.1:${proxy.httpPort}/board/x`)).toMatchObject({ status: 301, location: expect.stringMatching(/^https:\/\//) })
    expect((await https(proxy.httpsPort, 'GET', '/metrics', undefined, 'staff')).status).toBe(403)
    expect((await https(proxy.httpsPort, 'GET', '/healthz')).status).toBe(200)

    // nginx writes a WebSocket's log line when it ends
    a.provider.destroy()
    b.provider.destroy()
    const log = await waitFor(() => {
      const text = readFileSync(proxy.accessLog, 'utf8')
      return text.split(`/sync/${m.meeting.id} `).length > 2 ? text : undefined
    }, 5000, 'both WebSocket lines in the access log')
    expect(log).toContain(`"GET /sync/${m.meeting.id} HTTP/1.1" 101`)
    for (const key of Object.values(m.keys)) expect(log.includes(key), 'a key in the access log').toBe(false)
    expect(log).not.toContain('?k=')
  })

  it('without pings shorter than proxy_read_timeout, nginx cuts an idle board (why the two settings go together)', async () => {
    const tavolo = await startTavolo(60_000)
    const proxy = await startNginx(tavolo.port)
    const m = await createMeetingThrough(proxy)
    const a = connectThroughProxy(proxy.httpsPort, m.meeting.id, m.keys.participant)
    await waitFor(() => a.provider.synced, 10_000, 'synced through nginx')
    await waitFor(() => a.closes.length > 0, 8_000, 'nginx closing the idle connection')
  })
})
