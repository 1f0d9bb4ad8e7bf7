// `npm run restore -- <file>`: replaces the database in DATA_DIR with a backup, with the server stopped
// (server/src/ops/backup.ts). The file is checked before anything is replaced; the previous database is kept aside.
import { parseConfig } from '../server/src/config.ts'
import { BackupRefused, restoreDatabase } from '../server/src/ops/backup.ts'

const source = process.argv[2]
if (source === undefined || process.argv.length > 3) {
  console.error('Usage: npm run restore -- <backup file>      (stop the server first)')
  process.exit(2)
}
const { dataDir } = parseConfig(process.env)
try {
  const result = restoreDatabase(dataDir, source)
  console.log(`Restored ${source} into ${dataDir} (${result.meetings} meetings).`)
  console.log(result.previous === null ? 'There was no database before.' : `The previous database was kept as ${result.previous}.`)
  console.log('Start the server again (npm start, or systemctl start tavolo).')
} catch (error) {
  console.error(error instanceof BackupRefused ? `Restore refused, nothing was changed: ${error.message}` : `Restore failed: ${(error as Error).message}`)
  process.exit(1)
}
