import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { get, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { precompressedAssets } from '../../server/src/http/precompressed.ts'

// Issue 13 part 3: the built JS/CSS go to phones compressed (the .br/.gz written at build time), never changed.
const script = 'export const board = "' + 'tavolo '.repeat(2000) + '"\n'
let dir: string
let server: Server
let base: string

function fetchRaw(path: string, acceptEncoding?: string): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }
    get(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tavolo-precompressed-'))
  writeFileSync(join(dir, 'app-abc.js'), script)
  writeFileSync(join(dir, 'app-abc.js.br'), brotliCompressSync(script))
  writeFileSync(join(dir, 'app-abc.js.gz'), gzipSync(script))
  writeFileSync(join(dir, 'only-plain.css'), 'body{}')
  const app = express()
  app.use('/assets', precompressedAssets(dir, { immutable: true, maxAge: '365d' }))
  app.use('/assets', express.static(dir))
  server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(dir, { recursive: true, force: true })
})

describe('precompressed assets', () => {
  test('a browser that accepts br gets the .br bytes, typed as the original, immutable, varying on Accept-Encoding', async () => {
    const { res, body } = await fetchRaw('/assets/app-abc.js', 'gzip, deflate, br, zstd')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/)
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i)
    expect(res.headers['cache-control']).toMatch(/immutable/)
    expect(body.length).toBeLessThan(script.length / 10)
    expect(brotliDecompressSync(body).toString()).toBe(script)
  })

  test('gzip only: the .gz; no encoding accepted: the file as it is', async () => {
    const gz = await fetchRaw('/assets/app-abc.js', 'gzip')
    expect(gz.res.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(script)
    const plain = await fetchRaw('/assets/app-abc.js', 'identity')
    expect(plain.res.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(script)
  })

  test('a file without a compressed copy, or a path that is not a plain asset name, falls through to express.static', async () => {
    const css = await fetchRaw('/assets/only-plain.css', 'br')
    expect(css.res.statusCode).toBe(200)
    expect(css.res.headers['content-encoding']).toBeUndefined()
    expect(css.body.toString()).toBe('body{}')
    const climbing = await fetchRaw('/assets/..%2Fapp-abc.js', 'br')
    expect(climbing.res.headers['content-encoding']).toBeUndefined()
  })
})
