/** HTTP surface of createTavoloServer: health, client config, API errors, static client and SPA fallback. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isLicenseRequired } from '../../server/src/app.ts'
import { connectClient, startTestServersClosedAfterEach } from '../helpers/testServer.ts'

const start = startTestServersClosedAfterEach()

describe('GET /healthz', () => {
  it('reports status, version and uptime to anyone, and not how many boards and connections the server holds', async () => {
    const s = await start()
    const a = connectClient(s.wsUrl, 'b1')
    await a.whenSynced()
    const health = await (await fetch(`${s.httpUrl}/healthz`)).json()
    expect(Object.keys(health).sort()).toEqual(['status', 'uptimeSeconds', 'version'])
    expect(health).toMatchObject({ status: 'ok', version: 'test' })
    expect(typeof health.uptimeSeconds).toBe('number')
  })
})

describe('GET /api/config', () => {
  it('gives the client what it needs to start', async () => {
    const s = await start({ config: { publicUrl: 'https://tavolo.comune.example.it', tldrawLicenseKey: 'tldraw-key', retainDays: 90 } })
    const res = await fetch(`${s.httpUrl}/api/config`)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(await res.json()).toEqual({
      version: 'test',
      tldrawLicenseKey: 'tldraw-key',
      publicUrl: 'https://tavolo.comune.example.it',
      licenseRequired: true,
      retainDays: 90,
      participantOrigins: [],
    })
  })

  it('says no license is required in development', async () => {
    const s = await start()
    expect(await (await fetch(`${s.httpUrl}/api/config`)).json()).toEqual({
      version: 'test',
      tldrawLicenseKey: null,
      publicUrl: null,
      licenseRequired: false,
      retainDays: null,
      participantOrigins: [],
    })
  })

  // participantAddress.ts A3: the LAN addresses found at start, with the real port, for the share links.
  const lanLaptop = {
    interfaces: () => ({
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
      wlan0: [{ address: '192.0.2.10', family: 'IPv4', internal: false }],
    }),
    listenHost: '0.0.0.0',
  }

  it('lists the addresses other devices can open, found once at start', async () => {
    let reads = 0
    const s = await start({ network: { ...lanLaptop, interfaces: () => (reads++, lanLaptop.interfaces()) } })
    const config = await (await fetch(`${s.httpUrl}/api/config`)).json()
    expect(config.participantOrigins).toEqual([`http://192.0.2.10:${s.port}`, `http://172.17.0.1:${s.port}`])
    await fetch(`${s.httpUrl}/api/config`)
    expect(reads).toBe(1)
  })

  it('lists no LAN address when PUBLIC_URL is set (a public server does not publish them)', async () => {
    const s = await start({ network: lanLaptop, config: { publicUrl: 'https://tavolo.comune.example.it' } })
    expect((await (await fetch(`${s.httpUrl}/api/config`)).json()).participantOrigins).toEqual([])
  })

  it('licenseRequired: https on a non-loopback host only', () => {
    expect(isLicenseRequired(null)).toBe(false)
    expect(isLicenseRequired('http://tavolo.example.it')).toBe(false)
    expect(isLicenseRequired('https://localhost:8443')).toBe(false)
    expect(isLicenseRequired('https://127.0.0.1')).toBe(false)
    expect(isLicenseRequired('https://[::1]:8443')).toBe(false)
    expect(isLicenseRequired('https://tavolo.example.it')).toBe(true)
  })
})

describe('errors and routes', () => {
  it('unknown /api paths get a JSON 404 in the house format', async () => {
    const s = await start()
    const res = await fetch(`${s.httpUrl}/api/nothing/here?k=secret`)
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(body.error.code).toBe('not_found')
    expect(body.error.message).not.toContain('secret')
  })

  it('mountRoutes run before the static handler, and thrown errors become JSON 500s', async () => {
    const s = await start({
      mountRoutes: (app) => {
        app.get('/api/ping', (_req, res) => {
          res.json({ pong: true })
        })
        app.get('/api/boom', () => {
          throw new Error('kaboom')
        })
      },
    })
    expect(await (await fetch(`${s.httpUrl}/api/ping`)).json()).toEqual({ pong: true })
    const boom = await fetch(`${s.httpUrl}/api/boom`)
    expect(boom.status).toBe(500)
    expect(await boom.json()).toEqual({ error: { code: 'internal_error', message: 'internal server error' } })
  })

  it('without a built client, pages answer 503 saying how to build it', async () => {
    const s = await start()
    const res = await fetch(`${s.httpUrl}/meeting/abc`)
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('npm run build:client')
  })

  it('serves the built client: hashed assets cached for a year, index.html never cached, SPA fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tavolo-client-'))
    mkdirSync(join(dir, 'assets'), { recursive: true })
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Tavolo</title>')
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)')
    const t = await start({ config: { clientDir: dir } })
    const asset = await fetch(`${t.httpUrl}/assets/app-abc123.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000/)
    expect(asset.headers.get('cache-control')).toMatch(/immutable/)
    const page = await fetch(`${t.httpUrl}/meeting/abc`)
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(await page.text()).toContain('<title>Tavolo</title>')
    expect((await fetch(`${t.httpUrl}/index.html`)).headers.get('cache-control')).toBe('no-cache')
    const root = await fetch(`${t.httpUrl}/`)
    expect(root.status).toBe(200)
    expect(root.headers.get('cache-control')).toBe('no-cache')
    expect((await fetch(`${t.httpUrl}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${t.httpUrl}/sync/b1`)).status).toBe(404)
    expect((await fetch(`${t.httpUrl}/api/x`)).headers.get('content-type')).toMatch(/json/)
    rmSync(dir, { recursive: true, force: true })
  })
})
