/**
 * The server's capability folders import one way only (README "Architecture"): a folder may import from the folders
 * before it in LAYERS, never from one after it. Top-level files (main.ts, app.ts, tavoloFeatures.ts, config.ts,
 * log.ts...) are outside the rule: main.ts wires everything, and config/log are read everywhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SERVER = fileURLToPath(new URL('../../server/src', import.meta.url))

/** Lowest first. */
export const LAYERS = ['threads', 'http', 'store', 'cluster', 'access', 'sync', 'board', 'meetings', 'versions', 'work', 'facilitation', 'reports', 'processes', 'demo', 'ops'] as const

/**
 * Folders that are one layer: `work` runs the versions' pure jobs in worker threads (boardJobs.ts reads boards with
 * versions' helpers) and the versions hand their heavy work to it, so the two import each other by design.
 */
const SAME_LAYER: ReadonlyArray<readonly [string, string]> = [['versions', 'work']]

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mjs)$/.test(name) ? [path] : []
  })
}

/** The server folder a path is in, or null for top-level files and anything outside server/src. */
function folderOf(path: string): string | null {
  const rel = relative(SERVER, path)
  if (rel.startsWith('..')) return null
  const parts = rel.split(sep)
  return parts.length > 1 ? parts[0]! : null
}

describe('server folder layering', () => {
  it('every capability folder is in LAYERS', () => {
    const folders = readdirSync(SERVER).filter((name) => statSync(join(SERVER, name)).isDirectory())
    expect(folders.filter((f) => !(LAYERS as readonly string[]).includes(f))).toEqual([])
  })

  it('no folder imports from a folder above it, nor from a top-level file', () => {
    const wrong: string[] = []
    for (const file of filesUnder(SERVER)) {
      const from = folderOf(file)
      if (from === null) continue
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        const target = resolve(join(file, '..'), match[1]!)
        if (relative(SERVER, target).startsWith('..')) continue
        const to = folderOf(target)
        const rel = relative(SERVER, file)
        if (to === null) {
          // config.ts and log.ts are leaves that every layer may read
          if (!/[/\\](config|log)\.ts$/.test(target)) wrong.push(`${rel} → ${relative(SERVER, target)} (top-level)`)
        } else if (
          LAYERS.indexOf(to as (typeof LAYERS)[number]) > LAYERS.indexOf(from as (typeof LAYERS)[number]) &&
          !SAME_LAYER.some(([a, b]) => (a === from && b === to) || (a === to && b === from))
        ) {
          wrong.push(`${rel} → ${relative(SERVER, target)}`)
        }
      }
    }
    expect(wrong).toEqual([])
  })
})
