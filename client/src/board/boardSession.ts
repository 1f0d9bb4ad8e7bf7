import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import { atom, computed, type Signal, type TLStore, type TLUser } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { CloseCode, isTerminalCloseCode } from '../../../shared/src/closeCodes.ts'
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

/**
 * One open board: Y.Doc + IndexedDB cache + y-websocket provider + tldraw store + bridge + presence.
 * Created by useBoardSession (one per mounted board page), never at module level; dispose() undoes everything.
 *
 * Readiness (S1): the store is filled and the editor may mount when either
 *   - IndexedDB has loaded a non-empty local copy (offline start works), or
 *   - IndexedDB has loaded AND the provider has synced with the server.
 * S2: an empty board is seeded only in the second case, when the synced Y.Doc is still empty, so a client that
 *   has not heard from the server never seeds (two clients never seed two different boards).
 * S3: a terminal close code (shared/src/closeCodes.ts) stops reconnecting; $connection shows `closed`.
 * S4: when the browser reports it is offline, the socket is closed at once (navigator 'offline' event) and
 *   reopened on 'online'; otherwise y-websocket's own backoff reconnects.
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

export function syncUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

export function createBoardSession(options: BoardSessionOptions): BoardSession {
  const { boardId, accessKey, role, syncUrl, firstPageName, $user, storage, useIndexedDb = true } = options
  const doc = new Y.Doc()
  const $ready = atom('board ready', false)
  const $invalidRecords = atom('invalid records', 0)
  const $schemaMismatches = atom('schema mismatches', 0)
  let bridge: YjsBridge | null = null
  let idbLoaded = !useIndexedDb
  let providerSynced = false
  let disposed = false

  const indexedDb = useIndexedDb ? new IndexeddbPersistence(`tavolo-board-${boardId}`, doc) : null
  const provider = new WebsocketProvider(syncUrl, boardId, doc, {
    params: accessKey ? { k: accessKey } : {},
    shouldReconnect: (event) => !isTerminalCloseCode(event.code),
  })
  const connection: ConnectionTracker = createConnectionTracker({
    provider,
    network: browserNetwork(),
    unsentStore: localUnsentStore(storage, boardId),
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
    const hasLocalCopy = idbLoaded && !isBoardDocEmpty(doc)
    if (!hasLocalCopy && !(idbLoaded && providerSynced)) return
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

  indexedDb?.whenSynced.then(
    () => {
      idbLoaded = true
      maybeStart()
    },
    (error: unknown) => {
      console.warn('[tavolo] local cache (IndexedDB) unavailable; the board needs the server', error)
      idbLoaded = true
      maybeStart()
    },
  )
  const onSync = (synced: boolean) => {
    providerSynced = providerSynced || synced
    maybeStart()
  }
  provider.on('sync', onSync)

  // The meeting was erased (4410): its board must not survive in this browser either (GDPR art. 17). Edits made here
  // since the last sync go too; they belonged to the erased meeting.
  const onClose = (event: CloseEvent | null) => {
    if (event?.code !== CloseCode.MEETING_DELETED) return
    indexedDb?.clearData().catch((error: unknown) => console.warn('[tavolo] could not erase the local copy', error))
  }
  provider.on('connection-close', onClose)

  // S6: when the socket closes, y-websocket drops the other people's awareness states but y-protocols keeps their
  // clocks, so after a reconnect the server's greeting (same clocks, for people who did not move meanwhile) would be
  // ignored, and they would stay invisible (cursors, participant count, the presenter the projector follows) until
  // their next awareness change, up to 30 s later. Forgetting the clocks of the people we no longer see lets the
  // greeting in.
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'disconnected' && status !== 'connected') return
    const awareness = provider.awareness
    for (const clientId of [...awareness.meta.keys()]) {
      if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId)
    }
  }
  provider.on('status', onStatus)

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
      provider.off('sync', onSync)
      provider.off('connection-close', onClose)
      provider.off('status', onStatus)
      stopPresence()
      connection.dispose()
      bridge?.dispose()
      provider.destroy()
      void indexedDb?.destroy()
      doc.destroy()
    },
  }
}
