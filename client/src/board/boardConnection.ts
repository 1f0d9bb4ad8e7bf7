import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { CloseCode, isTerminalCloseCode } from '../../../shared/src/closeCodes.ts'

/**
 * The part of an open board that does not depend on the person's role: the Y.Doc, its IndexedDB cache and the sync
 * socket. It needs only the board id and the key of the URL, so it is opened as soon as the route is known (S8),
 * while the page's code, the configuration and the meeting's details are still on their way; the session
 * (boardSession.ts) adds what the role decides (the bridge's read-only mode, presence) once it is known.
 *
 * This module must not import tldraw: it is part of the small boot chunk that starts before tldraw is evaluated.
 */
export interface BoardConnectionOptions {
  boardId: BoardId
  /** The access key from the URL fragment (`#k=`), sent as the `k` query parameter of the socket. */
  accessKey: string | null
  /** e.g. `ws://host/sync`; the provider appends `/<boardId>?k=…`. */
  syncUrl: string
  /** Off in environments without IndexedDB. */
  useIndexedDb?: boolean
}

export interface BoardConnection {
  readonly boardId: BoardId
  readonly accessKey: string | null
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  /** IndexedDB has loaded (or failed: then the board needs the server). */
  localCopyLoaded(): boolean
  /** The provider has synced with the server at least once. */
  everSynced(): boolean
  /** The terminal close code the server sent (S3), if it already did: a session adopting the connection late needs it. */
  terminalCloseCode(): number | null
  /** Called whenever localCopyLoaded or everSynced may have changed. Returns the unsubscribe. */
  onProgress(listener: () => void): () => void
  dispose(): void
}

export function syncUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

export function openBoardConnection({ boardId, accessKey, syncUrl, useIndexedDb = true }: BoardConnectionOptions): BoardConnection {
  const doc = new Y.Doc()
  const listeners = new Set<() => void>()
  const progress = () => {
    for (const listener of [...listeners]) listener()
  }
  let idbLoaded = !useIndexedDb
  let synced = false
  let closeCode: number | null = null
  let disposed = false

  const indexedDb = useIndexedDb ? new IndexeddbPersistence(`tavolo-board-${boardId}`, doc) : null
  const provider = new WebsocketProvider(syncUrl, boardId, doc, {
    params: accessKey ? { k: accessKey } : {},
    shouldReconnect: (event) => !isTerminalCloseCode(event.code),
    // S4: a browser that starts offline does not try; the session reconnects on 'online'.
    connect: typeof navigator === 'undefined' || navigator.onLine !== false,
  })

  indexedDb?.whenSynced.then(
    () => {
      idbLoaded = true
      if (!disposed) progress()
    },
    (error: unknown) => {
      console.warn('[tavolo] local cache (IndexedDB) unavailable; the board needs the server', error)
      idbLoaded = true
      if (!disposed) progress()
    },
  )
  const onSync = (isSynced: boolean) => {
    if (!isSynced || synced) return
    synced = true
    progress()
  }
  provider.on('sync', onSync)
  const onClosed = (event: { code: number }) => {
    closeCode = event.code
  }
  provider.on('closed', onClosed)

  // The meeting was erased (4410 while connected; 4404 for a device that comes back after the erase, e.g. a phone
  // reopening the link days later): its board must not survive in this browser either (GDPR art. 17). Edits made here
  // since the last sync go too; they belonged to the erased meeting.
  const onClose = (event: CloseEvent | null) => {
    if (event?.code !== CloseCode.MEETING_DELETED && event?.code !== CloseCode.NOT_FOUND) return
    indexedDb?.clearData().catch((error: unknown) => console.warn('[tavolo] could not erase the local copy', error))
  }
  provider.on('connection-close', onClose)

  // S6: when the socket closes, y-websocket drops the other people's awareness states but y-protocols keeps their
  // clocks, so after a reconnect the server's greeting (same clocks, for people who did not move meanwhile) would be
  // ignored, and they would stay invisible (cursors, participant count, the presenter the projector follows) until
  // their next awareness change, up to 30 s later. Forgetting the clocks of the people we no longer see lets the
  // greeting in.
  //
  // S9: the other half. The server and everyone else keep our clock when our socket closes (they drop our state,
  // not its clock), and y-websocket re-sends our state with that same clock on reconnect, which they all ignore: we
  // would stay invisible (a presenting facilitator unfollowed by the projector) until y-protocols renews the state,
  // 15-18 s later. Renewing it as we connect gives it the next clock, which everyone takes.
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'disconnected' && status !== 'connected') return
    const awareness = provider.awareness
    for (const clientId of [...awareness.meta.keys()]) {
      if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId)
    }
    const own = awareness.getLocalState()
    if (status === 'connected' && own !== null) awareness.setLocalState(own)
  }
  provider.on('status', onStatus)

  return {
    boardId,
    accessKey,
    doc,
    provider,
    localCopyLoaded: () => idbLoaded,
    everSynced: () => synced,
    terminalCloseCode: () => closeCode,
    onProgress(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose() {
      if (disposed) return
      disposed = true
      listeners.clear()
      provider.off('sync', onSync)
      provider.off('closed', onClosed)
      provider.off('connection-close', onClose)
      provider.off('status', onStatus)
      provider.destroy()
      void indexedDb?.destroy()
      doc.destroy()
    },
  }
}

/**
 * The connection opened at boot for the page's own route (S8), waiting for its session. One at most: the page
 * opens one board. A session takes it if it is for the same board and key, else opens its own.
 */
let early: BoardConnection | null = null

export function openBoardEarly(options: BoardConnectionOptions): void {
  early?.dispose()
  early = openBoardConnection(options)
}

/** The early connection for this board and key, handed over once (the caller owns it then), or null. */
export function takeEarlyBoard(boardId: BoardId, accessKey: string | null): BoardConnection | null {
  const connection = early
  if (!connection || connection.boardId !== boardId || connection.accessKey !== accessKey) return null
  early = null
  return connection
}

/** Closes the early connection if nobody took it (the key was refused, or the person left the page first). */
export function dropEarlyBoard(): void {
  early?.dispose()
  early = null
}
