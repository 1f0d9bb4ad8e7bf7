// `npm run migrate-to-postgres [-- --from DIR --to URL]`: copies a SQLite DATA_DIR into an empty PostgreSQL database
// and verifies the copy (server/src/ops/migrateToPostgres.ts). Reads DATA_DIR and DATABASE_URL like the server
// (validated by the server's own config parser); the flags override them.
import { parseArgs } from 'node:util'
import { parseConfig } from '../server/src/config.ts'
import { MigrationRefused, migrateToPostgres } from '../server/src/ops/migrateToPostgres.ts'

const USAGE =
  'Usage: DATA_DIR=./data DATABASE_URL=postgres://user@host/db npm run migrate-to-postgres\n' +
  '   or: npm run migrate-to-postgres -- --from ./data --to postgres://user@host/db\n' +
  'Stop the server first. The PostgreSQL database must be empty (a new database, or one no Tavolo has used).'

let flags: { from?: string; to?: string }
try {
  flags = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true, allowPositionals: false }).values
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`)
  process.exit(2)
}
let config
try {
  config = parseConfig({ ...process.env, ...(flags.from === undefined ? {} : { DATA_DIR: flags.from }), ...(flags.to === undefined ? {} : { DATABASE_URL: flags.to }) })
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`)
  process.exit(2)
}
if (config.databaseUrl === null) {
  console.error(`No PostgreSQL database named: set DATABASE_URL or pass --to.\n${USAGE}`)
  process.exit(2)
}

const target = new URL(config.databaseUrl)
// the host and database only: the URL may carry a password
console.log(`Migrating ${config.dataDir} to PostgreSQL ${target.host}/${target.pathname.slice(1)}`)
try {
  const { report, verification, durationMs } = await migrateToPostgres({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    progress: (line) => console.log(`  ${line}`),
  })
  const rows = verification.map((row) => [
    row.kind,
    String(report.copied[row.kind]),
    String(row.source.count),
    String(row.target.count),
    row.source.hash.slice(0, 12),
    row.target.hash.slice(0, 12),
    row.ok ? 'ok' : 'MISMATCH',
  ])
  const header = ['kind', 'copied', 'source', 'target', 'source sha256', 'target sha256', '']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()
  console.log(`\n${line(header)}\n${rows.map(line).join('\n')}\n`)
  for (const s of report.skipped) console.log(`SKIPPED ${s.kind} ${s.what}: ${s.why}`)
  for (const b of report.badBoardRows) console.log(`UNREADABLE board ${b.boardId}: ${b.rows} stored update(s) Yjs cannot decode, left out (the server skips them too)`)
  if (report.erasedLeftovers.length > 0) {
    console.log(`Not copied: what was left in the source of ${report.erasedLeftovers.length} erased meeting(s) (their tombstones were copied).`)
  }
  const failed = verification.filter((row) => !row.ok)
  const seconds = (durationMs / 1000).toFixed(1)
  if (failed.length > 0) {
    console.error(`Verification FAILED for ${failed.map((r) => r.kind).join(', ')} (${seconds} s). Do not switch to PostgreSQL; keep DATA_DIR.`)
    process.exit(3)
  }
  if (report.skipped.length > 0 || report.badBoardRows.length > 0) {
    console.error(`Copied and verified in ${seconds} s, but with unreadable rows left out (listed above): check them before switching.`)
    process.exit(3)
  }
  console.log(`Copied and verified in ${seconds} s. Start Tavolo with DATABASE_URL set; keep DATA_DIR (it holds the staff token) and a backup of it.`)
} catch (error) {
  if (error instanceof MigrationRefused) console.error(`Migration refused: ${error.message}`)
  else {
    console.error(
      `Migration failed: ${(error as Error).stack ?? String(error)}\n` +
        'The PostgreSQL database may hold part of the copy: drop it and create it empty again before the next run. DATA_DIR keeps everything.',
    )
  }
  process.exit(1)
}
