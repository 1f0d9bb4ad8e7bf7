// What `npm run build` records and `npm start` checks: the package version and a hash of every source the build reads.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const STAMP_FILE = join(ROOT, 'dist', 'build-stamp.json')
/** The compiled server entry point (tsconfig.build.json). */
export const SERVER_ENTRY = join(ROOT, 'dist', 'node', 'server', 'src', 'main.js')

const SOURCES = [
  'client/index.html',
  'client/public',
  'client/src',
  'client/vite.config.ts',
  'client/tsconfig.json',
  'server/src',
  'shared/src',
  'scripts/backup.ts',
  'scripts/restore.ts',
  'scripts/migrateToPostgres.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
]

function* filesUnder(path) {
  if (!existsSync(path)) return
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) yield* filesUnder(join(path, name))
  } else {
    yield path
  }
}

/** sha256 over the relative path and content of every source file, in a fixed order (about 20 ms here). */
export function sourceHash() {
  const hash = createHash('sha256')
  for (const source of SOURCES) {
    for (const file of filesUnder(join(ROOT, source))) {
      hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0')
    }
  }
  return hash.digest('hex')
}

export function packageVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
}

/** Why the build cannot be used as it is, or null when it matches the sources. */
export function staleReason() {
  if (!existsSync(STAMP_FILE) || !existsSync(SERVER_ENTRY) || !existsSync(join(ROOT, 'dist', 'client', 'index.html'))) {
    return 'there is no build yet'
  }
  let stamp
  try {
    stamp = JSON.parse(readFileSync(STAMP_FILE, 'utf8'))
  } catch {
    return 'the build stamp is unreadable'
  }
  if (stamp.version !== packageVersion()) return `the build is of version ${stamp.version}, the sources are ${packageVersion()}`
  if (stamp.sourceHash !== sourceHash()) return 'the sources changed since the last build'
  return null
}
