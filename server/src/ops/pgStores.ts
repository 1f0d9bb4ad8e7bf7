import type { BoardId } from '../../../shared/src/boardId.ts'
import { createPgDemoStore } from '../demo/pgDemoStore.ts'
import type { DemoStore } from '../demo/demoStore.ts'
import { createPgPrivateCardStore } from '../facilitation/pgPrivateCardStore.ts'
import type { PrivateCardStore } from '../facilitation/PrivateCardStore.ts'
import { createPgVoteStore } from '../facilitation/pgVoteStore.ts'
import type { VoteStore } from '../facilitation/VoteStore.ts'
import { createPgMeetingStore } from '../meetings/pgMeetingStore.ts'
import type { MeetingStore } from '../meetings/meetingStore.ts'
import { createPgProcessStore } from '../processes/pgProcessStore.ts'
import type { ProcessStore } from '../processes/ProcessStore.ts'
import type { DocStore } from '../store/DocStore.ts'
import type { ErasedMeetings } from '../store/meetingErasure.ts'
import type { UpdateMerger } from '../store/mergeUpdates.ts'
import { openPgPool, type PgPool } from '../store/pg/pgDatabase.ts'
import { createPgDocStore } from '../store/pg/pgDocStore.ts'
import { createPgErasedMeetings } from '../store/pg/pgErasedMeetings.ts'
import { createPgVersionStore } from '../versions/pgVersionStore.ts'
import type { VersionStore } from '../versions/VersionStore.ts'

/** Every store of a Tavolo server on one PostgreSQL database (DATABASE_URL), and what main.ts needs of the database. */
export interface PgStores {
  pool: PgPool
  docStore: DocStore
  meetings: MeetingStore
  versions: VersionStore
  demo: DemoStore
  votes: VoteStore
  privateCards: PrivateCardStore
  processes: ProcessStore
  erased: ErasedMeetings
  /** The readiness probe's answer: the last ping of the database succeeded (synchronous, as /readyz needs). */
  isReady(): boolean
  /** Stops the pings and ends the pool, after the stores' last writes (close the doc store first). */
  close(): Promise<void>
}

/** How often the readiness probe pings PostgreSQL; a failed ping makes /readyz answer 503 until one succeeds. */
const READY_PING_MS = 5_000

/**
 * Opens the pool, brings every store's tables to their latest version (each component under the migration lock, so
 * instances starting together migrate once) and builds the stores. Rejects when the database cannot be reached or a
 * migration fails: the server does not start half-migrated.
 */
export async function openPgStores(
  url: string,
  options: { merger?: UpdateMerger; onBadRow?: (boardId: BoardId, count: number) => void; poolSize?: number } = {},
): Promise<PgStores> {
  const pool = openPgPool(url, { max: options.poolSize ?? 10 })
  try {
    const stores = {
      docStore: createPgDocStore(pool, { merger: options.merger, onBadRow: options.onBadRow }),
      meetings: createPgMeetingStore(pool),
      versions: createPgVersionStore(pool),
      demo: createPgDemoStore(pool),
      votes: createPgVoteStore(pool),
      privateCards: createPgPrivateCardStore(pool),
      processes: createPgProcessStore(pool),
      erased: createPgErasedMeetings(pool),
    }
    // each store migrates at its first use: one small read each makes that happen now, and fail here
    await Promise.all([
      stores.meetings.get('' as Parameters<MeetingStore['get']>[0]),
      stores.versions.pendingRestores(),
      stores.demo.made(),
      stores.votes.meetingIds(),
      stores.privateCards.meetingIds(),
      stores.processes.get(''),
      stores.docStore.load('' as BoardId),
      stores.erased.has(''),
    ])
    let ready = true
    const ping = setInterval(() => {
      pool.query('SELECT 1').then(
        () => (ready = true),
        () => (ready = false),
      )
    }, READY_PING_MS)
    ping.unref()
    return {
      pool,
      ...stores,
      isReady: () => ready,
      async close() {
        clearInterval(ping)
        await pool.end()
      },
    }
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
}
