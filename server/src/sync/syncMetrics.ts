import type { Role } from '../../../shared/src/roles.ts'

/**
 * What the sync core reports for monitoring. Injected (RoomManager → Room → RoomPersistence) with a no-op default, so
 * the room logic stays free of any metrics library (the Prometheus implementation is server/src/ops/prometheus.ts).
 * Labels are closed vocabularies (roles, close codes): never a board id, a key or anything a client sent.
 */
export interface SyncMetrics {
  connectionOpened(role: Role): void
  connectionClosed(role: Role, code: number): void
  /** A connection refused before it reached a room (unknown meeting, wrong key...). */
  connectionRefused(code: number): void
  /** One committed batch of doc updates was relayed: how many updates, how many bytes each recipient got in total. */
  updatesRelayed(updates: number, bytes: number): void
  /** How long a room waited for its batch to become durable (store append: the commit and its fsync). */
  appendSeconds(seconds: number): void
  /** One awareness (presence) message received from a client. */
  awarenessReceived(): void
}

export const noSyncMetrics: SyncMetrics = {
  connectionOpened() {},
  connectionClosed() {},
  connectionRefused() {},
  updatesRelayed() {},
  appendSeconds() {},
  awarenessReceived() {},
}
