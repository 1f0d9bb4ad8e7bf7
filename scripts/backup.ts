// `npm run backup -- <file>`: an online, consistent copy of the whole database while the server runs
// (server/src/ops/backup.ts). Reads DATA_DIR like the server (default ./data).
import { parseConfig } from '../server/src/config.ts'
import { BackupRefused, backupDatabase } from '../server/src/ops/backup.ts'

const target = process.argv[2]
if (target === undefined || process.argv.length > 3) {
  console.error('Usage: npm run backup -- <file>      e.g. npm run backup -- /var/backups/tavolo-$(date +%F).sqlite')
  process.exit(2)
}
const { dataDir } = parseConfig(process.env)
try {
  const result = await backupDatabase(dataDir, target)
  const mib = (result.bytes / 1024 / 1024).toFixed(1)
  console.log(`Backup written to ${result.file}: ${mib} MiB (${result.bytes} bytes), ${result.meetings} meetings, in ${Math.round(result.durationMs)} ms.`)
  console.log('It holds meeting keys: store it as carefully as the data directory itself.')
} catch (error) {
  console.error(error instanceof BackupRefused ? `Backup refused: ${error.message}` : `Backup failed: ${(error as Error).message}`)
  process.exit(1)
}
