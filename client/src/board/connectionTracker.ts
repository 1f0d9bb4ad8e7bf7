import { atom, type Signal } from 'tldraw'
import type * as Y from 'yjs'

/**
 * What the person sees about the connection (ConnectionStatus.tsx renders it):
 * - connecting: never synced yet in this visit, trying;
 * - connected: socket open and synced with the server;
 * - reconnecting: was synced, the socket dropped less than `offlineAfterMs` ago, retrying;
 * - offline: the browser says it is offline, or the server has been unreachable for `offlineAfterMs`;
 * - closed: the server refused this connection for good (close code in `closeCode`); no more retries.
 * `unsent` counts local document updates made while not connected-and-synced (they are in IndexedDB);
 * it returns to 0 when the provider syncs again, because the y-websocket sync exchange sends the server
 * everything it lacks (sync step 2) on the same ordered socket before it marks the provider synced.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed'

export interface ConnectionState {
  status: ConnectionStatus
  unsent: number
  closeCode: number | null
}

/** The part of y-websocket's WebsocketProvider the tracker uses (a fake in unit tests). */
export interface ProviderLike {
  wsconnected: boolean
  synced: boolean
  on(event: 'status', fn: (e: { status: string }) => void): void
  on(event: 'sync', fn: (synced: boolean) => void): void
  on(event: 'closed', fn: (e: { code: number; reason: string }) => void): void
  off(event: 'status', fn: (e: { status: string }) => void): void
  off(event: 'sync', fn: (synced: boolean) => void): void
  off(event: 'closed', fn: (e: { code: number; reason: string }) => void): void
}

export interface BrowserNetwork {
  isOnline(): boolean
  subscribe(onChange: () => void): () => void
}

export interface ConnectionTrackerOptions {
  provider: ProviderLike
  doc: Y.Doc
  /** True for the origins of this person's own edits (the bridge's origin). */
  isLocalOrigin(origin: unknown): boolean
  network: BrowserNetwork
  /** Where the unsent count survives a reload (e.g. localStorage under a per-board key). */
  unsentStore?: { load(): number; save(n: number): void }
  offlineAfterMs?: number
}

export interface ConnectionTracker {
  readonly $state: Signal<ConnectionState>
  dispose(): void
}

export function createConnectionTracker(options: ConnectionTrackerOptions): ConnectionTracker {
  const { provider, doc, isLocalOrigin, network, unsentStore, offlineAfterMs = 5000 } = options
  let unsent = unsentStore?.load() ?? 0
  let closeCode: number | null = null
  let everSynced = false
  let downSince: number | null = Date.now()
  let timer: ReturnType<typeof setTimeout> | null = null
  const $state = atom<ConnectionState>('connection', { status: 'connecting', unsent, closeCode })

  const isUp = () => provider.wsconnected && provider.synced

  function recompute() {
    if (isUp()) {
      downSince = null
    } else if (downSince === null) {
      downSince = Date.now()
    }
    if (timer) clearTimeout(timer)
    timer = null
    let status: ConnectionStatus
    if (closeCode !== null) status = 'closed'
    else if (isUp()) status = 'connected'
    else if (!network.isOnline()) status = 'offline'
    else if (downSince !== null && Date.now() - downSince >= offlineAfterMs) status = 'offline'
    else {
      status = everSynced ? 'reconnecting' : 'connecting'
      const wait = offlineAfterMs - (Date.now() - (downSince ?? Date.now()))
      timer = setTimeout(recompute, Math.max(0, wait) + 10)
    }
    const prev = $state.get()
    if (prev.status !== status || prev.unsent !== unsent || prev.closeCode !== closeCode) {
      $state.set({ status, unsent, closeCode })
    }
  }

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (!isLocalOrigin(origin) || isUp()) return
    unsent++
    unsentStore?.save(unsent)
    recompute()
  }
  const onSync = (synced: boolean) => {
    if (synced) {
      everSynced = true
      unsent = 0
      unsentStore?.save(0)
    }
    recompute()
  }
  const onStatus = () => recompute()
  const onClosed = (e: { code: number }) => {
    closeCode = e.code
    recompute()
  }

  doc.on('update', onUpdate)
  provider.on('sync', onSync)
  provider.on('status', onStatus)
  provider.on('closed', onClosed)
  const stopNetwork = network.subscribe(recompute)
  recompute()

  return {
    $state,
    dispose() {
      if (timer) clearTimeout(timer)
      doc.off('update', onUpdate)
      provider.off('sync', onSync)
      provider.off('status', onStatus)
      provider.off('closed', onClosed)
      stopNetwork()
    },
  }
}

/** The browser's own idea of being online (navigator.onLine + online/offline events). */
export function browserNetwork(): BrowserNetwork {
  return {
    isOnline: () => navigator.onLine !== false,
    subscribe(onChange) {
      window.addEventListener('online', onChange)
      window.addEventListener('offline', onChange)
      return () => {
        window.removeEventListener('online', onChange)
        window.removeEventListener('offline', onChange)
      }
    },
  }
}

/** Keeps the unsent count of one board in localStorage so a reload while offline still shows it. */
export function localUnsentStore(storage: Storage | null, boardId: string) {
  const key = `tavolo.unsent.${boardId}`
  return {
    load: () => {
      const n = Number(storage?.getItem(key) ?? 0)
      return Number.isInteger(n) && n > 0 ? n : 0
    },
    save: (n: number) => {
      try {
        if (n === 0) storage?.removeItem(key)
        else storage?.setItem(key, String(n))
      } catch {
        // not fatal
      }
    },
  }
}
