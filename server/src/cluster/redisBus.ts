import { Redis } from 'ioredis'
import type { Logger } from '../log.ts'
import type { ClusterBus } from './clusterBus.ts'
import { decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from './clusterMessages.ts'

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
    let message: ClusterMessage
    try {
      message = decodeClusterMessage(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength))
    } catch (error) {
      logger.warn({ err: error }, 'dropped a cluster message that cannot be read')
      return
    }
    for (const handler of handlers) handler(message)
  })
  const ready = (async () => {
    await Promise.all([publisher.connect(), subscriber.connect()])
    await subscriber.subscribe(channel)
  })()
  return {
    ready,
    publish(message) {
      if (publisher.status !== 'ready') return
      publisher.publish(channel, Buffer.from(encodeClusterMessage(message))).catch((error: unknown) => {
        logger.debug({ err: error }, 'a cluster message was lost (Redis publish failed); the others catch up from the store')
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
