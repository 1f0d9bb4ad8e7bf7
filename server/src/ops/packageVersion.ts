import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The version in Tavolo's package.json, found by walking up from `moduleUrl`: the server runs from server/src (tsx, in
 * development and tests) and from dist/node/server/src (the production build), at different depths.
 */
export function readPackageVersion(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
      if (json.name === 'tavolo' && typeof json.version === 'string') return json.version
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Tavolo's package.json not found above ${fileURLToPath(moduleUrl)}`)
    dir = parent
  }
}
