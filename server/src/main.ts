// Entry point: the only module that reads process.env. Wiring only.
import { join } from 'node:path'
import { createTavoloServer, isLicenseRequired } from './app.ts'
import { parseConfig } from './config.ts'
import { resolveStaffToken, staffLink } from './http/staffToken.ts'
import { createLogger } from './log.ts'
import { readPackageVersion } from './ops/packageVersion.ts'
import { lockDataDir } from './ops/dataDirLock.ts'
import { createMeetingEraser } from './ops/meetingEraser.ts'
import { createPrometheusMonitoring, startMetricsServer } from './ops/prometheus.ts'
import { startRetention } from './ops/retention.ts'
import { announceStart } from './startBanner.ts'
import { ensureDemoMeeting } from './demo/demoMeeting.ts'
import { mapTemplates } from '../../shared/src/maps/templates.ts'
import { buildMeetingLinks } from '../../shared/src/meetings/meetingLinks.ts'
import { createReadinessCheck, openSqliteDatabase, reclaimFreePages } from './store/sqliteDatabase.ts'
import { createWorkerMerger } from './store/mergeUpdates.ts'
import { createSqliteDocStore } from './store/sqliteDocStore.ts'
import { createSqliteErasedMeetings } from './store/sqliteErasedMeetings.ts'
import { createWorkerAppender } from './store/workerAppender.ts'
import { createSqliteMeetingStore } from './meetings/sqliteMeetingStore.ts'
import { createSqliteVersionStore } from './versions/sqliteVersionStore.ts'
import { createSqliteDemoStore } from './demo/sqliteDemoStore.ts'
import { createAttendanceTracker } from './reports/attendance.ts'
import { createTavoloFeatures } from './tavoloFeatures.ts'
import { createWorkerPool, defaultWorkerCount } from './work/workerPool.ts'
import { openPgStores } from './ops/pgStores.ts'
import { openClusterBus } from './cluster/openClusterBus.ts'
import { privateCardsPerMeetingStore, votesPerMeetingStore } from './facilitation/facilitationFeature.ts'
import { createSqlitePrivateCardStore } from './facilitation/sqlitePrivateCardStore.ts'
import { createWorkerBallotWriter } from './facilitation/ballotWriter.ts'
import { createSqliteVoteStore } from './facilitation/sqliteVoteStore.ts'
import { createSqliteProcessStore } from './processes/sqliteProcessStore.ts'
import { RESTORE_IN_FLIGHT_MS } from './versions/versionRestore.ts'

// A broken map template file stops the server here, with the file and field named (browsers validate lazily).
mapTemplates()
const config = parseConfig(process.env, { isTerminal: process.stdout.isTTY === true })
const logger = createLogger(config)
const version = readPackageVersion(import.meta.url)

if (isLicenseRequired(config.publicUrl) && config.tldrawLicenseKey === null) {
  logger.warn(
    { publicUrl: config.publicUrl },
    'TLDRAW_LICENSE_KEY is not set but PUBLIC_URL is an https production origin: tldraw will hide the board about 5 s ' +
      'after it opens. Get a key at https://tldraw.dev (hobby, trial or commercial) and start Tavolo with ' +
      'TLDRAW_LICENSE_KEY=<key>.',
  )
}

// Before the database is opened: a second server on the same data dir refuses to start, and restore refuses while this
// one runs. The kernel releases the lock when this process ends, however it ends (ops/dataDirLock.ts).
// The DATA_DIR lock stays with PostgreSQL too: DATA_DIR holds the generated staff token.
const dataDirLock = lockDataDir(config.dataDir)
const monitoring = createPrometheusMonitoring({ version, rooms: () => server.rooms.stats() })
// Compaction merges and big boards' sync answers run in a worker thread, off the event loop (with SQLite, durable
// appends (fsync) too).
const merger = createWorkerMerger()
const onBadRow = (boardId: string, count: number) => logger.warn({ boardId, count }, 'compaction skipped stored updates Yjs cannot read')

/** SQLite in DATA_DIR (the default): one database file, its appends and ballots committed by worker threads. */
function openSqliteStores() {
  const dbFile = join(config.dataDir, 'tavolo.sqlite')
  const db = openSqliteDatabase(dbFile)
  // Ballots are committed in a worker thread: a hundred voters pressing at once must not hold the event loop for their fsyncs.
  const ballotWriter = createWorkerBallotWriter(dbFile)
  return {
    docStore: createSqliteDocStore(db, { merger, appender: createWorkerAppender(dbFile, { onCommit: monitoring.onCommit }), onBadRow }),
    meetings: createSqliteMeetingStore(db),
    versions: createSqliteVersionStore(db),
    demo: createSqliteDemoStore(db),
    votes: createSqliteVoteStore(db, { ballots: ballotWriter }),
    privateCards: createSqlitePrivateCardStore(db),
    processes: createSqliteProcessStore(db),
    erased: createSqliteErasedMeetings(db),
    isReady: createReadinessCheck(db),
    pool: null,
    reclaimSpace: async () => reclaimFreePages(db),
    close: async () => {
      await ballotWriter.close()
      db.close()
    },
  }
}

/**
 * PostgreSQL (DATABASE_URL, issue 23): every store on one pool, tables migrated before the server listens. Freed space
 * is PostgreSQL's own (autovacuum): an erase reclaims nothing here itself.
 */
async function openPostgresStores(url: string) {
  const pg = await openPgStores(url, { merger, onBadRow })
  return { ...pg, reclaimSpace: async () => 0 }
}

const stores = config.databaseUrl === null ? openSqliteStores() : await openPostgresStores(config.databaseUrl)
const { docStore, votes, privateCards, processes } = stores
// the host and database only: the URL may carry a password
if (config.databaseUrl !== null) {
  const url = new URL(config.databaseUrl)
  logger.info({ host: url.host, database: url.pathname.slice(1) }, 'storage: PostgreSQL')
}
// Several instances on one database (cluster SPEC): they tell each other about boards through LISTEN/NOTIFY, or Redis.
const cluster =
  config.databaseUrl === null || stores.pool === null
    ? undefined
    : await openClusterBus({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl, pool: stores.pool, sweepMs: config.clusterSweepMs, logger })
if (cluster !== undefined && config.adminToken === null) {
  logger.warn(
    'ADMIN_TOKEN is not set: this instance generates its own staff token in DATA_DIR, so a staff link works on this instance ' +
      'only. With several instances on this database, give every instance the same ADMIN_TOKEN (README: "Several instances").',
  )
}
const attendance = createAttendanceTracker()
const eraser = createMeetingEraser({
  erased: stores.erased,
  meetings: stores.meetings,
  // Every store that keeps something per meeting (meetings SPEC E1): a new one is one more entry here.
  stores: [attendance, votesPerMeetingStore(votes), privateCardsPerMeetingStore(privateCards), stores.versions, stores.demo, docStore],
  rooms: () => server.rooms,
  reclaimSpace: stores.reclaimSpace,
  logger,
})
const staff = resolveStaffToken(config.adminToken, config.dataDir)
// Hashing, diffs, reports, exports and imports of big boards run in a pool of worker threads, off the event loop.
const work = createWorkerPool({ size: config.workerThreads ?? defaultWorkerCount() })
const meetings = createTavoloFeatures({
  stores: { docStore, meetings: stores.meetings, versions: stores.versions, attendance, votes, privateCards, processes },
  eraser,
  config,
  staffToken: staff.token,
  logger,
  rooms: () => server.rooms,
  work,
})
const { accessPolicy, mountRoutes, docGuards, onBeforeIdleUnload, presenceObservers } = meetings
const server = createTavoloServer({
  config,
  logger,
  docStore,
  boardWork: merger,
  cluster,
  version,
  accessPolicy,
  mountRoutes,
  docGuards,
  onBeforeIdleUnload,
  presenceObservers,
  monitoring,
  staffToken: staff.token,
  metricsAccess: meetings.metricsAccess,
  metricsOnOwnPort: config.metricsPort !== null,
  isReady: stores.isReady,
})

// An erase the last process did not finish (or a write that raced it) leaves nothing behind (meetings SPEC E6).
await eraser.sweep()
// A restore the last process was killed in the middle of gets its `restored` version, or is dropped when it never
// reached the board (versions SPEC V9), before any client can edit a board again. With several instances a young
// intent may be another instance's restore in flight: those are looked at again every minute once old enough.
const restoreSettling = cluster === undefined ? {} : { olderThanMs: RESTORE_IN_FLIGHT_MS }
await meetings.service.completeInterruptedRestores(restoreSettling)
const restoreSweep =
  cluster === undefined
    ? null
    : setInterval(() => {
        meetings.service.completeInterruptedRestores(restoreSettling).catch((error: unknown) => logger.error({ err: error }, 'settling restores left behind failed'))
      }, 60_000).unref()

const demo = config.demo
  ? await ensureDemoMeeting({ demo: stores.demo, meetings: meetings.store, factory: meetings.factory, service: meetings.service, processes, rooms: () => server.rooms, logger })
  : null

const { port, participantOrigins } = await server.listen()
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
const baseUrl = config.publicUrl ?? `http://${shownHost}:${port}`
// Like a notebook server's tokenised URL: one click to the staff page. Whoever reads these logs can use it. With
// ADMIN_TOKEN the operator knows the token: the plain staff page is named instead.
const staffEntry = staff.source === 'ADMIN_TOKEN' ? null : staffLink(baseUrl, staff.token)
// The one meeting key Tavolo ever logs: the demo's, so that a newcomer can open it (DEMO=false on a real server).
const demoLink = demo === null ? null : absoluteLink(buildMeetingLinks(config.publicUrl, demo.meetingId, demo.keys).facilitator, baseUrl)
if (config.logFormat === 'json') {
  if (staffEntry === null) logger.info({ staffPage: `${baseUrl.replace(/\/+$/, '')}/meetings` }, 'staff page (asks for ADMIN_TOKEN)')
  else {
    logger.info(
      { staffLink: staffEntry, tokenFile: staff.file, created: staff.source === 'generated' },
      'staff link (creating meetings and the list of every meeting need it; the token is kept in DATA_DIR)',
    )
  }
  if (demoLink !== null) {
    logger.info(
      { facilitatorLink: demoLink },
      'demo meeting "1° incontro della Equipe inter-servizio": open the facilitator link (DEMO=false turns the demo off)',
    )
  }
}
const metricsServer =
  config.metricsPort === null ? null : await startMetricsServer(monitoring, config.metricsHost, config.metricsPort)
if (metricsServer !== null) logger.info({ host: config.metricsHost, port: metricsServer.port }, 'metrics listening')
const retention =
  config.retainDays === null ? null : startRetention({ retainDays: config.retainDays, store: meetings.store, eraser, logger })
// Last: tools (and tests) that wait for the 'listening' line have every start line by then.
const startFacts = {
  version,
  port,
  listenHost: config.host,
  publicUrl: config.publicUrl,
  participantOrigins,
  staffLink: staffEntry,
  demoLink,
  dataDir: config.dataDir,
}
announceStart(startFacts, { logFormat: config.logFormat, logger, write: (text) => process.stdout.write(text) })

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down')
  try {
    retention?.stop()
    if (restoreSweep !== null) clearInterval(restoreSweep)
    meetings.facilitation.dispose()
    metricsServer?.server.close()
    await server.close()
    await cluster?.bus.close()
    await docStore.close()
    await stores.close()
    await merger.close()
    await work.close()
    dataDirLock.release()
    logger.info('stopped')
    process.exit(0)
  } catch (error) {
    logger.fatal({ err: error }, 'shutdown failed')
    process.exit(1)
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
// After an uncaught exception the process is in an unknown state: log and end it, and let the supervisor (systemd,
// deploy/tavolo.service) start a fresh one. Everything that was relayed is already durable (SPEC R2).
function die(what: string, error: unknown): never {
  try {
    logger.fatal({ err: error }, `${what}: exiting, the supervisor restarts the server`)
  } finally {
    process.exit(70)
  }
}
process.on('uncaughtException', (error) => die('uncaught exception', error))
process.on('unhandledRejection', (error) => die('unhandled rejection', error))

/** A link as the shared builder makes it (absolute with PUBLIC_URL, else a path) made absolute for the terminal. */
function absoluteLink(link: string, base: string): string {
  return /^https?:\/\//.test(link) ? link : `${base.replace(/\/+$/, '')}${link}`
}
