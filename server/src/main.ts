// Entry point: the only module that reads process.env. Wiring only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTavoloServer, isLicenseRequired } from './app.ts'
import { parseConfig } from './config.ts'
import { createLogger } from './log.ts'
import { createMeetingsFeature } from './meetings/meetingsFeature.ts'
import { ensureDemoMeeting } from './demo/demoMeeting.ts'
import { buildMeetingLinks } from '../../shared/src/meetings/meetingLinks.ts'
import { openSqliteDatabase } from './store/sqliteDatabase.ts'
import { createWorkerMerger } from './store/mergeUpdates.ts'
import { createSqliteDocStore } from './store/sqliteDocStore.ts'
import { createWorkerAppender } from './store/workerAppender.ts'

const config = parseConfig(process.env)
const logger = createLogger(config)
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

if (isLicenseRequired(config.publicUrl) && config.tldrawLicenseKey === null) {
  logger.warn(
    { publicUrl: config.publicUrl },
    'TLDRAW_LICENSE_KEY is not set but PUBLIC_URL is an https production origin: tldraw will hide the board about 5 s ' +
      'after it opens. Get a key at https://tldraw.dev (hobby, trial or commercial) and start Tavolo with ' +
      'TLDRAW_LICENSE_KEY=<key>.',
  )
}

const dbFile = join(config.dataDir, 'tavolo.sqlite')
const db = openSqliteDatabase(dbFile)
// Compaction merges and durable appends (fsync) run in worker threads, off the event loop.
const merger = createWorkerMerger()
const docStore = createSqliteDocStore(db, {
  merger,
  appender: createWorkerAppender(dbFile),
  onBadRow: (boardId, count) => logger.warn({ boardId, count }, 'compaction skipped stored updates Yjs cannot read'),
})
const meetings = createMeetingsFeature({ db, docStore, config, logger, rooms: () => server.rooms })
const { accessPolicy, mountRoutes, docGuards, onBeforeIdleUnload, presenceObservers } = meetings
const server = createTavoloServer({ config, logger, docStore, version, accessPolicy, mountRoutes, docGuards, onBeforeIdleUnload, presenceObservers })
if (config.adminToken === null) {
  logger.warn(
    'ADMIN_TOKEN is not set: anyone who can reach this server can create meetings and list them with their links. ' +
      'Set ADMIN_TOKEN=<secret> to restrict this to staff.',
  )
}

const demo = config.demo
  ? await ensureDemoMeeting({ db, meetings: meetings.store, service: meetings.service, rooms: () => server.rooms, logger })
  : null

const { port } = await server.listen()
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
const baseUrl = config.publicUrl ?? `http://${shownHost}:${port}`
logger.info({ port, url: baseUrl, version, dataDir: config.dataDir }, 'listening')
if (demo !== null) {
  // The one key Tavolo ever logs: the demo's, so that a newcomer can open it (DEMO=false on a real server).
  const link = buildMeetingLinks(config.publicUrl, demo.meetingId, demo.keys).facilitator
  logger.info(
    { facilitatorLink: link.startsWith('http') ? link : `${baseUrl}${link}` },
    'demo meeting "1° incontro della Equipe inter-servizio": open the facilitator link (DEMO=false turns the demo off)',
  )
}

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down')
  try {
    await server.close()
    await docStore.close()
    await merger.close()
    db.close()
    logger.info('stopped')
    process.exit(0)
  } catch (error) {
    logger.fatal({ err: error }, 'shutdown failed')
    process.exit(1)
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
process.on('uncaughtException', (error) => logger.fatal({ err: error }, 'uncaught exception'))
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'))
