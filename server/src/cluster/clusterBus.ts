import type { ClusterMessage } from './clusterMessages.ts'

/**
 * How Tavolo instances reach each other (cluster SPEC C1): an existing engine's publish/subscribe, Redis pub/sub
 * (redisBus.ts) or PostgreSQL LISTEN/NOTIFY (pgNotifyBus.ts). Delivery is best effort on both: a message may be lost
 * (a dropped connection, NOTIFY's size limit), never altered; what a lost message would have carried is recovered from
 * the database (C2, C6).
 */
export interface ClusterBus {
  /** Sends to every other instance; never throws (a message that cannot be sent is lost, and recovered by C6). */
  publish(message: ClusterMessage): void
  /** Receives the other instances' messages (and possibly this one's own: the receiver ignores those). */
  onMessage(handler: (message: ClusterMessage) => void): void
  /** Told when the bus was disconnected and is listening again: messages may have been missed meanwhile (C6). */
  onResumed(handler: () => void): void
  close(): Promise<void>
}

/** What the rooms of one instance need to work beside others (cluster SPEC): the bus, this instance's name, C6's period. */
export interface ClusterLink {
  bus: ClusterBus
  /** This instance's name on the bus (unique per process). */
  instanceId: string
  /** C6: how often the loaded boards' last rows are compared with the store's. */
  sweepMs: number
}

/**
 * Buses of several instances in one process, for tests: every published message reaches the others' handlers on a
 * later turn, as `deliver` turns it (null: lost, as on a lossy engine).
 */
export function createMemoryBusHub(options: { deliver?: (message: ClusterMessage) => ClusterMessage | null } = {}) {
  const handlers = new Set<(message: ClusterMessage) => void>()
  const resumers = new Set<() => void>()
  return {
    bus(): ClusterBus {
      const mine = new Set<(message: ClusterMessage) => void>()
      let closed = false
      return {
        publish(sent) {
          const message = options.deliver === undefined ? sent : options.deliver(sent)
          if (closed || message === null) return
          setImmediate(() => {
            for (const handler of handlers) if (!mine.has(handler)) handler(message)
          })
        },
        onMessage(handler) {
          mine.add(handler)
          handlers.add(handler)
        },
        onResumed(handler) {
          resumers.add(handler)
        },
        async close() {
          closed = true
          for (const handler of mine) handlers.delete(handler)
        },
      }
    },
    /** Tells every bus it was reconnected (what an engine's reconnection does). */
    resumeAll(): void {
      for (const resume of resumers) resume()
    },
  }
}
