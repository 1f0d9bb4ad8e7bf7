import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** What is worth compressing: text. Fonts (woff2) and images are compressed already. */
const COMPRESSIBLE = /\.(?:js|css|json|svg|html|txt)$/

/**
 * Writes `<file>.br` and `<file>.gz` beside every text file of the built `assets/` folder, once, at build time, for
 * the server's static handler to send with `Content-Encoding` (server/src/http/precompressed.ts): a phone then
 * downloads ~0.6 MB of JavaScript instead of 2.3 MB (issue 13 part 3), and the server compresses nothing per request.
 */
export function precompressAssets(): Plugin {
  let outDir = ''
  return {
    name: 'tavolo-precompress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    writeBundle() {
      const assets = join(outDir, 'assets')
      for (const name of readdirSync(assets)) {
        if (!COMPRESSIBLE.test(name)) continue
        const file = join(assets, name)
        const content = readFileSync(file)
        if (content.length < 1024) continue
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }))
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }))
      }
    },
  }
}
