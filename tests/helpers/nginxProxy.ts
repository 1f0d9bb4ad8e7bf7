import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { waitFor } from './waitFor.ts'

export const NGINX = '/usr/sbin/nginx'
export const hasNginx = existsSync(NGINX)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

export interface Proxy {
  httpPort: number
  httpsPort: number
  accessLog: string
  stop(): Promise<void>
}

/** deploy/nginx.conf with this machine's ports and paths, inside a minimal nginx.conf, running in the foreground. */
/**
 * deploy/nginx.conf with this machine's ports and paths, inside a minimal nginx.conf, running in the foreground, in
 * front of one Tavolo server or several (its `upstream` block gets one `server` line per port, as the README's
 * "Several instances" says). Only the host-specific values are substituted.
 */
export async function startNginx(upstreamPorts: readonly number[], options: { proxyReadTimeout?: string; serverParameters?: string } = {}): Promise<Proxy> {
  const cleanups: Array<() => Promise<void> | void> = []
  const dir = mkdtempSync(join(tmpdir(), 'tavolo-nginx-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {
    stdio: 'ignore',
  })
  const [httpPort, httpsPort] = [await freePort(), await freePort()]
  const accessLog = join(dir, 'access.log')
  const site = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8')
  const substitutions: Array<[string, string]> = [
    [
      'server 127.0.0.1:8080;',
      upstreamPorts
        .map((port) => `server 127.0.0.1:${port}${options.serverParameters === undefined ? '' : ` ${options.serverParameters}`};`)
        .join('\n    '),
    ],
    ['    listen [::]:80;\n', ''],
    ['    listen [::]:443 ssl http2;\n', ''],
    ['listen 80;', `listen 127.0.0.1:${httpPort};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`],
    ['/etc/letsencrypt/live/tavolo.comune.example.it/fullchain.pem', join(dir, 'cert.pem')],
    ['/etc/letsencrypt/live/tavolo.comune.example.it/privkey.pem', join(dir, 'key.pem')],
    ['proxy_read_timeout 120s;', `proxy_read_timeout ${options.proxyReadTimeout ?? '120s'};`],
  ]
  let adapted = site.replaceAll('/var/log/nginx/tavolo.access.log', accessLog)
  for (const [from, to] of substitutions) {
    expect(adapted.includes(from), `deploy/nginx.conf no longer contains "${from.trim()}"`).toBe(true)
    adapted = adapted.replace(from, to)
  }
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp))
  const conf = join(dir, 'nginx.conf')
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} info;\n` +
      'events { worker_connections 256; }\n' +
      `http {\n  client_body_temp_path ${join(dir, 'body')};\n  proxy_temp_path ${join(dir, 'proxy')};\n` +
      `  fastcgi_temp_path ${join(dir, 'fastcgi')};\n  uwsgi_temp_path ${join(dir, 'uwsgi')};\n  scgi_temp_path ${join(dir, 'scgi')};\n` +
      `  access_log off;\n${adapted}\n}\n`,
  )
  execFileSync(NGINX, ['-t', '-p', dir, '-c', conf], { stdio: 'pipe' })
  const nginx: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()))
  cleanups.push(async () => {
    nginx.kill('SIGTERM')
    await exited
  })
  await waitFor(async () => (await httpGet(`http://127.0.0.1:${httpPort}/`).catch(() => null)) !== null, 10_000, 'nginx listening')
  return {
    httpPort,
    httpsPort,
    accessLog,
    async stop() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    },
  }
}

export function httpGet(url: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, location: res.headers.location })
    }).once('error', reject)
  })
}


/**
 * A stock y-websocket provider over wss through the proxy (the certificate is the test's own), with the board's
 * records and the close codes it saw. The caller destroys it.
 */
export function connectThroughProxy(port: number, boardId: string, key: string, options: { maxBackoffTime?: number } = {}) {
  class TestCaWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { rejectUnauthorized: false })
    }
  }
  const doc = new Y.Doc()
  const records = new YKeyValue<Record<string, unknown>>(doc.getArray(RECORDS_ARRAY))
  const provider = new WebsocketProvider(`wss://localhost:${port}/sync`, boardId, doc, {
    WebSocketPolyfill: TestCaWebSocket as unknown as typeof globalThis.WebSocket,
    params: { k: key },
    disableBc: true,
    ...options,
  })
  const closes: number[] = []
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event !== null) closes.push(event.code)
  })
  return { doc, records, provider, closes }
}
export type ProxyClient = ReturnType<typeof connectThroughProxy>
