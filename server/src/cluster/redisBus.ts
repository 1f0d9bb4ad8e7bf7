import { Redis } from 'ioredis'
import type { Logger } from '../log.ts'
import type { ClusterBus } from './clusterBus.ts'
import { decodeClusterBundle, encodeClusterBundle, encodeClusterMessage, type ClusterMessage } from './clusterMessages.ts'

/**
 * The cluster bus on Redis pub/sub (REDIS_URL, cluster SPEC C1): one connection publishes, one subscribes (Redis
 * wants a connection of its own for that). Nothing is queued while Redis is away (a publish then fails and the
 * message is lost: the others catch up from the store, C6); after a reconnection the subscriber says so (C6).
 */
export function createRedisBus(options: { url: string; channel: string; logger: Logger }): ClusterBus & { ready: Promise<void> } {
  const { channel, logger } = options
  const handlers: Array<(message: ClusterMessage) => void> = []
  const resumers: Array<() => void> = []
  const publisher = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true })
  const subscriber = new Redis(options.url, { lazyConnect: true })
  publisher.on('error', () => {})
  subscriber.on('error', (error: unknown) => logger.debug({ err: error }, 'cluster bus (Redis) error'))
  let outbox: Uint8Array[] = []
  let readyOnce = false
  subscriber.on('ready', () => {
    if (!readyOnce) {
      readyOnce = true
      return
    }
    logger.info('the cluster bus (Redis) listens again')
    for (const resume of resumers) resume()
  })
  subscriber.on('messageBuffer', (from: Buffer, payload: Buffer) => {
    if (from.toString() !== channel) return
    let messages: ClusterMessage[]
    try {
      const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
      messages = decodeClusterBundle(bytes, (error) => logger.warn({ err: error }, 'dropped a cluster message that cannot be read'))
    } catch (error) {
      logger.warn({ err: error }, 'dropped a cluster publication that cannot be read')
      return
    }
    for (const message of messages) for (const handler of handlers) handler(message)
  })
  const ready = (async () => {
    await Promise.all([publisher.connect(), subscriber.connect()])
    await subscriber.subscribe(channel)
  })()
  return {
    ready,
    publish(message) {
      if (publisher.status !== 'ready') return
      // a turn's messages in one publication (clusterMessages.ts, bundles)
      outbox.push(encodeClusterMessage(message))
      if (outbox.length > 1) return
      setImmediate(() => {
        const bundle = encodeClusterBundle(outbox)
        outbox = []
        publisher.publish(channel, Buffer.from(bundle)).catch((error: unknown) => {
          logger.debug({ err: error }, 'cluster messages were lost (Redis publish failed); the others catch up from the store')
        })
      })
    },
    onMessage(handler) {
      handlers.push(handler)
    },
    onResumed(handler) {
      resumers.push(handler)
    },
    async close() {
      await ready.catch(() => {})
      subscriber.disconnect()
      await publisher.quit().catch(() => publisher.disconnect())
    },
  }
}
