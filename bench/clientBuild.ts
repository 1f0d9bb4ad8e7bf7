import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * Builds the client into `outDir` (not dist/client, which belongs to the build of whoever runs `npm start`), so the
 * measured bundle is exactly the current source.
 */
export async function buildClient(outDir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'client/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`client build failed (${code}):\n${output.slice(-3000)}`)
}

export interface BundleFile {
  file: string
  bytes: number
  gzipBytes: number
}

export interface BundleSizes {
  code: BundleFile[]
  fonts: { count: number; bytes: number }
  other: { count: number; bytes: number }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** JS and CSS with their gzip size (what a browser downloads); fonts are already compressed, so raw bytes. */
export function bundleSizes(outDir: string): BundleSizes {
  const sizes: BundleSizes = { code: [], fonts: { count: 0, bytes: 0 }, other: { count: 0, bytes: 0 } }
  for (const path of walk(join(outDir, 'assets'))) {
    // The precompressed copies the server sends (client/build/precompressAssets.ts) are not more files.
    if (/\.(br|gz)$/.test(path)) continue
    const bytes = statSync(path).size
    if (/\.(js|css)$/.test(path)) {
      sizes.code.push({ file: relative(outDir, path), bytes, gzipBytes: gzipSync(readFileSync(path)).byteLength })
    } else if (/\.(woff2?|ttf|otf)$/.test(path)) {
      sizes.fonts.count++
      sizes.fonts.bytes += bytes
    } else {
      sizes.other.count++
      sizes.other.bytes += bytes
    }
  }
  return sizes
}
