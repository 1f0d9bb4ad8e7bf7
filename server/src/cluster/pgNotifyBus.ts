import pg from 'pg'
import type { Logger } from '../log.ts'
import type { PgPool } from '../store/pg/pgDatabase.ts'
import type { ClusterBus } from './clusterBus.ts'
import { asDoorbell, bundledSize, decodeClusterBundle, encodeClusterBundle, encodeClusterMessage, type ClusterMessage } from './clusterMessages.ts'

/** NOTIFY's payload limit is 8,000 bytes; base64 (NOTIFY carries text) makes 4 of every 3 bytes. */
const MAX_PAYLOAD_CHARS = 7_900
/** The bytes of a bundle (its count prefix included) whose base64 fits MAX_PAYLOAD_CHARS. */
const MAX_BUNDLE_BYTES = Math.floor(MAX_PAYLOAD_CHARS / 4) * 3 - 5
const RECONNECT_MS = [250, 500, 1_000, 2_000, 5_000]

/**
 * The cluster bus on PostgreSQL's LISTEN/NOTIFY (cluster SPEC C1): no other service than the database itself. One
 * dedicated connection listens (reconnecting after a loss, then saying so: C6); publishing goes through the pool, the
 * messages of one event-loop turn in one statement. A message over NOTIFY's limit goes as a doorbell (updates: the
 * receivers read them from the store) or not at all (awareness: clients renew their state every 15 s).
 */
export function createPgNotifyBus(options: {
  url: string
  pool: PgPool
  channel: string
  searchPath?: string
  logger: Logger
}): ClusterBus & { ready: Promise<void> } {
  const { pool, channel, logger } = options
  const handlers: Array<(message: ClusterMessage) => void> = []
  const resumers: Array<() => void> = []
  /** This turn's messages, encoded, each fitting a bundle alone. */
  let outbox: Uint8Array[] = []
  let closed = false
  let listener: pg.Client | null = null
  let attempts = 0
  let reconnectTimer: NodeJS.Timeout | null = null
  let sending: Promise<unknown> = Promise.resolve()

  /** The message encoded, or its doorbell when it would not fit a notification (updates), or null (awareness). */
  const encodedOf = (message: ClusterMessage): Uint8Array | null => {
    const encoded = encodeClusterMessage(message)
    if (bundledSize(encoded) <= MAX_BUNDLE_BYTES) return encoded
    const doorbell = asDoorbell(message)
    return doorbell === null ? null : encodeClusterMessage(doorbell)
  }

  /** The turn's messages in as few notifications as fit (usually one). */
  const payloadsOf = (messages: Uint8Array[]): string[] => {
    const payloads: string[] = []
    let bundle: Uint8Array[] = []
    let bytes = 0
    for (const message of messages) {
      const size = bundledSize(message)
      if (bytes + size > MAX_BUNDLE_BYTES && bundle.length > 0) {
        payloads.push(Buffer.from(encodeClusterBundle(bundle)).toString('base64'))
        bundle = []
        bytes = 0
      }
      bundle.push(message)
      bytes += size
    }
    if (bundle.length > 0) payloads.push(Buffer.from(encodeClusterBundle(bundle)).toString('base64'))
    return payloads
  }

  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: options.url, ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }) })
    client.on('error', () => {}) // reported by 'end' below
    client.on('notification', (notification) => {
      if (notification.channel !== channel || notification.payload === undefined) return
      let messages: ClusterMessage[]
      try {
        messages = decodeClusterBundle(Buffer.from(notification.payload, 'base64'), (error) => logger.warn({ err: error }, 'dropped a cluster message that cannot be read'))
      } catch (error) {
        logger.warn({ err: error }, 'dropped a cluster notification that cannot be read')
        return
      }
      for (const message of messages) for (const handler of handlers) handler(message)
    })
    client.on('end', () => {
      if (listener !== client) return
      listener = null
      if (!closed) {
        logger.warn('the cluster bus (PostgreSQL LISTEN) lost its connection: reconnecting')
        scheduleReconnect()
      }
    })
    await client.connect()
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
    if (closed) {
      await client.end().catch(() => {})
      return
    }
    listener = client
  }

  const scheduleReconnect = () => {
    if (closed || reconnectTimer !== null) return
    const delay = RECONNECT_MS[Math.min(attempts, RECONNECT_MS.length - 1)]!
    attempts++
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null
      listen().then(
        () => {
          attempts = 0
          logger.info('the cluster bus listens again')
          for (const resume of resumers) resume()
        },
        (error: unknown) => {
          logger.warn({ err: error }, 'the cluster bus could not reconnect')
          scheduleReconnect()
        },
      )
    }, delay)
    reconnectTimer.unref()
  }

  const flush = () => {
    const payloads = payloadsOf(outbox)
    outbox = []
    sending = pool
      .query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n', [channel, payloads])
      .catch((error: unknown) => logger.warn({ err: error, notifications: payloads.length }, 'cluster messages lost (NOTIFY failed); the others catch up from the store'))
  }

  const started = listen()
  return {
    /** Resolves once the first LISTEN is in place (rejects when the database cannot be reached). */
    ready: started,
    publish(message) {
      if (closed) return
      const encoded = encodedOf(message)
      if (encoded === null) return
      outbox.push(encoded)
      if (outbox.length === 1) setImmediate(flush)
    },
    onMessage(handler) {
      handlers.push(handler)
    },
    onResumed(handler) {
      resumers.push(handler)
    },
    async close() {
      closed = true
      if (reconnectTimer !== null) clearTimeout(reconnectTimer)
      await started.catch(() => {})
      await sending
      const client = listener
      listener = null
      await client?.end().catch(() => {})
    },
  }
}
