/**
 * The sync server's limits on what one message, one connection and one board may cost (SPEC R9, R12, R13), with
 * their defaults. Each default is sized from a measured real board (SPEC.md, "Limits"); config.ts exposes them as
 * environment variables.
 */
export interface SyncLimits {
  /** R9: structs (items, GC, skips) plus delete ranges in one update. */
  maxUpdateStructs: number
  /** R10: element copies Yjs may make merging one update's adjacent ContentAny/ContentJSON items (quadratic). */
  maxMergeWork: number
  /** R10: element copies Yjs may make splitting the doc's long items where one update cuts them. */
  maxSplitWork: number
  /**
   * R10: weighted work one connection may cause per rate-limit window: 16 per merge copy, 1 per split copy, 100 per
   * struct, 1 per byte.
   */
  maxWorkPerWindow: number
  /** R9: encoded size a board may reach; an update that would pass it is refused. */
  maxBoardBytes: number
  /** R13: unsent bytes a connection may have queued before the server stops sending to it and closes it. */
  maxBufferedBytes: number
  /** R12: UTF-8 bytes of one awareness state's JSON. */
  maxAwarenessStateBytes: number
  /** R12: awareness client ids one connection may speak for. */
  maxAwarenessIdsPerConnection: number
  /** R12: awareness states a room holds at once. */
  maxAwarenessStatesPerRoom: number
  /** R12: total bytes of the awareness states a room holds at once (what every joiner is sent). */
  maxAwarenessRoomBytes: number
  /** R7: how long a released awareness id stays reserved for the credential that held it. */
  awarenessIdReservationMs: number
}

/**
 * Measured on a 2,000-note board written by 20 people one note at a time, each note then moved once and 10% deleted
 * (1,800 notes left; tests/unit/roomLimits.test.ts builds it and checks it passes with a wide margin). Its full
 * state, the largest legitimate update (a fresh client's sync step 2, or a client re-uploading a board the server
 * lost), is 0.73 MB in 421 structs when everyone syncs every 100 notes, and 0.84 MB in 1,567 structs with 1,202
 * element copies of merging when they sync every 20 notes with longer texts. A paste of 2,000 notes is one 0.9 MB
 * update of one struct. Against that, 5,000 chained one-element items (60 KB) cost Yjs 0.3 s and 10,000 (120 KB)
 * 1.6 s (finding 1); one 100,000-element item cut by 20,000 deletes (172 KB) 25 s.
 */
export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  // ~30× the measured board: a board written by many more people, in smaller steps, still syncs in one update.
  maxUpdateStructs: 50_000,
  // ~200× the measured board, ~5 ms of merging; 5,000 chained items (the stall of finding 1) need 12.5 M.
  maxMergeWork: 250_000,
  // Deleting 1,000 of 2,000 notes held in one item is 2 M (20 ms); one item of 100,000 elements cut by 20,000
  // deletes (172 KB of updates) would be 2 G, a 25 s stall.
  maxSplitWork: 4_000_000,
  // About half a second of work per connection per 10 s window at worst; re-uploading the measured board is 1 M.
  maxWorkPerWindow: 40_000_000,
  // The full four-map board with 500 cards (the seed meeting's maps plus 500 notes, 614 records) is 0.30 MB encoded,
  // the seed demo board 0.05 MB: 4 MiB is ~13× the full board (about 7,500 cards' records; a participant's page
  // holds at most 3,000 shapes) or a few photos (tldraw keeps pasted images in the board as data URLs, up to ~2 MB
  // each: client/src/board/limits.ts). Was 64 MiB, then 8 MiB: a board filled with notes to 8 MiB (19,358) is a
  // Yjs doc whose major GC pauses alone held the event loop 110-169 ms while it loaded; at 4 MiB (9,679 notes) every
  // step of bench/eventLoop.ts stays under 100 ms (issue 17 finding 3).
  maxBoardBytes: 4 * 1024 * 1024,
  // A joiner's full state is always sent (the check is made before each send); this bounds what queues behind it.
  maxBufferedBytes: 8 * 1024 * 1024,
  // tldraw presence holds the selected shape ids: selecting 3,000 shapes is ~90 KB.
  maxAwarenessStateBytes: 128 * 1024,
  // A browser speaks for one id; a reloaded tab may briefly hold its old and new one.
  maxAwarenessIdsPerConnection: 4,
  // A large workshop is a few hundred people, each with one id.
  maxAwarenessStatesPerRoom: 1_000,
  // A typical state is ~1 KB: 1,000 people with a fair selection each.
  maxAwarenessRoomBytes: 8 * 1024 * 1024,
  // Covers a network blip and a reload (y-websocket reconnects within seconds; the ping timeout is 30-60 s).
  awarenessIdReservationMs: 60_000,
}

/**
 * R7: how far an awareness clock may move ahead of the room's last known clock for that id, `elapsedMs` after that
 * id's last update. y-protocols bumps the clock once per local state change; our client publishes presence at most
 * every 33 ms (30/s) and renews it every 15 s, so 100/s of elapsed time is three times what an honest client can
 * reach while away, and 1,000 covers bursts. A jump of 2^32 (taking an id "forever") needs 500 days.
 */
export function maxAwarenessClockJump(elapsedMs: number): number {
  return 1_000 + Math.ceil(Math.max(0, elapsedMs) / 10)
}
