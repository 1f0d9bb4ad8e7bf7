import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { atom, computed, type Signal, type TLStore, type TLUser } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { createYjsBridge, isBoardDocEmpty, type YjsBridge } from './yjsBridge.ts'
import { createBoardStore, seedEmptyBoard } from './boardStore.ts'
import {
  browserNetwork,
  createConnectionTracker,
  localUnsentStore,
  type ConnectionState,
  type ConnectionTracker,
} from './connectionTracker.ts'
import { startPresenceSync } from './presenceSync.ts'
import { openBoardConnection, type BoardConnection } from './boardConnection.ts'

export { syncUrlFor } from './boardConnection.ts'

/**
 * One open board: a connection (Y.Doc + IndexedDB cache + y-websocket provider, boardConnection.ts) + tldraw store
 * + bridge + presence. Created by useBoardSession (one per mounted board page), never at module level; it adopts
 * the connection opened at boot for the page's route when there is one (S8); dispose() undoes everything.
 *
 * Readiness (S1): the store is filled and the editor may mount when either
 *   - IndexedDB has loaded a non-empty local copy (offline start works), or
 *   - IndexedDB has loaded AND the provider has synced with the server.
 * S2: an empty board is seeded only in the second case, when the synced Y.Doc is still empty, so a client that
 *   has not heard from the server never seeds (two clients never seed two different boards).
 * S3: a terminal close code (shared/src/closeCodes.ts) stops reconnecting; $connection shows `closed`.
 * S4: when the browser reports it is offline, the socket is closed at once (navigator 'offline' event) and
 *   reopened on 'online'; otherwise y-websocket's own backoff reconnects.
 * S8: the connection does not wait for the role: it may have loaded IndexedDB, synced, or been closed for good
 *   before the session exists; the session reads where it stands and starts at once if it can.
 */
export interface BoardSessionOptions {
  boardId: BoardId
  /** The access key from the URL fragment (`#k=`), sent as the `k` query parameter of the socket. */
  accessKey: string | null
  role: Role
  /** e.g. `ws://host/sync`; the provider appends `/<boardId>?k=…`. */
  syncUrl: string
  firstPageName: string
  $user: Signal<TLUser>
  storage: Storage | null
  /** Off in environments without IndexedDB. */
  useIndexedDb?: boolean
  /** Opened earlier for this board and key (S8); the session owns it from now on. */
  connection?: BoardConnection
}

export interface BoardSession {
  readonly boardId: BoardId
  readonly role: Role
  readonly doc: Y.Doc
  readonly store: TLStore
  readonly provider: WebsocketProvider
  readonly awareness: Awareness
  readonly $ready: Signal<boolean>
  readonly $connection: Signal<ConnectionState>
  /** How many records from the network were skipped as invalid (shown to the person, detailed in the console). */
  readonly $invalidRecords: Signal<number>
  /** How many records the board's schema did not describe and were read as they are (board SPEC B8). */
  readonly $schemaMismatches: Signal<number>
  /** The bridge once ready (null before): exposes invalid-record counts. */
  getBridge(): YjsBridge | null
  dispose(): void
}

export function createBoardSession(options: BoardSessionOptions): BoardSession {
  const { boardId, accessKey, role, syncUrl, firstPageName, $user, storage, useIndexedDb = true } = options
  const link = options.connection ?? openBoardConnection({ boardId, accessKey, syncUrl, useIndexedDb })
  const { doc, provider } = link
  const $ready = atom('board ready', false)
  const $invalidRecords = atom('invalid records', 0)
  const $schemaMismatches = atom('schema mismatches', 0)
  let bridge: YjsBridge | null = null
  let disposed = false

  const connection: ConnectionTracker = createConnectionTracker({
    provider,
    network: browserNetwork(),
    unsentStore: localUnsentStore(storage, boardId),
    closedWith: link.terminalCloseCode(),
  })
  const $connection = connection.$state
  // Tells tldraw this is a multiplayer store: it then shows collaborator cursors and the people menu.
  const store = createBoardStore({
    collaborationStatus: computed('collaboration status', () =>
      $connection.get().status === 'connected' ? 'online' : 'offline',
    ),
  })

  function maybeStart() {
    if (disposed || bridge) return
    const idbLoaded = link.localCopyLoaded()
    const hasLocalCopy = idbLoaded && !isBoardDocEmpty(doc)
    if (!hasLocalCopy && !(idbLoaded && link.everSynced())) return
    const shouldSeed = isBoardDocEmpty(doc)
    bridge = createYjsBridge({
      store,
      doc,
      readOnly: !canEditBoard(role),
      onLocalChange: (ids) => connection.noteLocalChange(ids),
      onInvalidRecord: ({ id, reason }) => {
        console.warn(`[tavolo] skipped invalid board record ${id}: ${reason}`)
        $invalidRecords.update((n) => n + 1)
      },
      onSchemaMismatch: (id) => {
        console.warn(`[tavolo] the board's schema does not describe record ${id}; read as it is`)
        $schemaMismatches.update((n) => n + 1)
      },
    })
    if (shouldSeed) seedEmptyBoard(store, firstPageName)
    $ready.set(true)
  }

  const stopProgress = link.onProgress(maybeStart)
  maybeStart()

  const onOffline = () => provider.disconnect()
  const onOnline = () => {
    if ($connection.get().closeCode === null) provider.connect()
  }
  window.addEventListener('offline', onOffline)
  window.addEventListener('online', onOnline)
  if (navigator.onLine === false) provider.disconnect()

  const stopPresence = startPresenceSync({ store, awareness: provider.awareness, $user, role })

  return {
    boardId,
    role,
    doc,
    store,
    provider,
    awareness: provider.awareness,
    $ready,
    $connection,
    $invalidRecords,
    $schemaMismatches,
    getBridge: () => bridge,
    dispose() {
      if (disposed) return
      disposed = true
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      stopProgress()
      stopPresence()
      connection.dispose()
      bridge?.dispose()
      link.dispose()
    },
  }
}
