// `npm start`: runs the built server with plain node. Builds first only when there is no build or it does not match
// the sources (dist/build-stamp.json: package version + hash of the sources), and says so.
// `node scripts/start.mjs backup|restore <file>` and `migrate-to-postgres` run the built scripts the same way.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, SERVER_ENTRY, staleReason } from './buildStamp.mjs'

const ENTRIES = {
  server: SERVER_ENTRY,
  backup: join(ROOT, 'dist', 'node', 'scripts', 'backup.js'),
  restore: join(ROOT, 'dist', 'node', 'scripts', 'restore.js'),
  'migrate-to-postgres': join(ROOT, 'dist', 'node', 'scripts', 'migrateToPostgres.js'),
}
const [, , which = 'server', ...rest] = process.argv
const entry = ENTRIES[which]
if (entry === undefined) {
  console.error(`usage: node scripts/start.mjs [server|backup|restore|migrate-to-postgres] [args]`)
  process.exit(2)
}

const reason = staleReason()
if (reason !== null) {
  if (!existsSync(join(ROOT, 'node_modules', 'vite')) || !existsSync(join(ROOT, 'node_modules', 'typescript'))) {
    console.error(
      `Tavolo cannot start: ${reason}, and the build tools are not installed (npm ci --omit=dev).\n` +
        'Build where the dev dependencies are installed: npm ci && npm run build, then npm ci --omit=dev if you want them gone.',
    )
    process.exit(1)
  }
  console.error(`Building Tavolo first: ${reason} (once; the next start uses this build).`)
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' })
}
// The built entry points read process.argv like their sources: drop the selector.
process.argv = [process.argv[0], entry, ...rest]
await import(pathToFileURL(entry).href)
