import { statSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { RequestHandler } from 'express'

/** A built asset's name: no folder, nothing to climb out of the directory with. */
const ASSET_NAME = /^\/[A-Za-z0-9][A-Za-z0-9._-]*$/
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const

/**
 * Serves `<file>.br` or `<file>.gz` (written beside the hashed assets at build time, client/build/precompressAssets.ts)
 * with `Content-Encoding` when the browser accepts it; anything else falls through to express.static. The type is
 * the original file's, and `Vary: Accept-Encoding` tells caches the answer depends on that header.
 */
export function precompressedAssets(dir: string, options: { maxAge: string; immutable: boolean }): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !ASSET_NAME.test(req.path)) return next()
    // Ours in our order (br is smaller): browsers list their encodings at equal weight, in no meaningful order.
    const accepted = req.acceptsEncodings()
    const encoding = ENCODINGS.find((e) => accepted.includes(e.name))
    if (!encoding) return next()
    const file = join(dir, req.path.slice(1))
    if (!isFile(file + encoding.suffix)) return next()
    res.vary('Accept-Encoding')
    res.type(extname(file))
    res.setHeader('Content-Encoding', encoding.name)
    res.sendFile(file + encoding.suffix, { maxAge: options.maxAge, immutable: options.immutable, dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) next(error)
    })
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
