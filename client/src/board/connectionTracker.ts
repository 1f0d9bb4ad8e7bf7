import { atom, type Signal } from 'tldraw'

/**
 * What the person sees about the connection (ConnectionStatus.tsx renders it):
 * - connecting: never synced yet in this visit, trying;
 * - connected: socket open and synced with the server;
 * - reconnecting: was synced, the socket dropped less than `offlineAfterMs` ago, retrying;
 * - offline: the browser says it is offline, or the server has been unreachable for `offlineAfterMs`;
 * - closed: the server refused this connection for good (close code in `closeCode`); no more retries.
 * `unsent` counts the board items (records) this person changed while not connected-and-synced — a number a
 * person understands ("1 elemento"), unlike Yjs updates (one per keystroke). The changes themselves are in
 * IndexedDB. It returns to 0 when the provider syncs again: on (re)connect y-websocket answers the server's
 * sync step 1 with everything the server lacks (sync step 2), on the same ordered socket, before it marks itself
 * synced. (This is "sent", not "acknowledged": y-websocket has no acks; a server that dies right then loses it
 * only if it had not stored it, and the client resends its full state on the next connect anyway.)
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
  network: BrowserNetwork
  /** Where the ids of unsent items survive a reload (e.g. localStorage under a per-board key). */
  unsentStore?: { load(): string[]; save(ids: string[]): void }
  offlineAfterMs?: number
  /** The terminal close code the provider already received before the tracker existed (board SPEC S8). */
  closedWith?: number | null
}

export interface ConnectionTracker {
  readonly $state: Signal<ConnectionState>
  /** The bridge reports the record ids of every local change here. */
  noteLocalChange(recordIds: string[]): void
  dispose(): void
}

export function createConnectionTracker(options: ConnectionTrackerOptions): ConnectionTracker {
  const { provider, network, unsentStore, offlineAfterMs = 5000 } = options
  const unsentIds = new Set(unsentStore?.load() ?? [])
  let closeCode: number | null = options.closedWith ?? null
  let everSynced = false
  let downSince: number | null = Date.now()
  let timer: ReturnType<typeof setTimeout> | null = null
  const $state = atom<ConnectionState>('connection', { status: 'connecting', unsent: unsentIds.size, closeCode })

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
    const unsent = unsentIds.size
    if (prev.status !== status || prev.unsent !== unsent || prev.closeCode !== closeCode) {
      $state.set({ status, unsent, closeCode })
    }
  }

  function noteLocalChange(recordIds: string[]) {
    if (isUp() || recordIds.length === 0) return
    for (const id of recordIds) unsentIds.add(id)
    unsentStore?.save([...unsentIds])
    recompute()
  }
  const onSync = (synced: boolean) => {
    if (synced) {
      everSynced = true
      unsentIds.clear()
      unsentStore?.save([])
    }
    recompute()
  }
  const onStatus = () => recompute()
  const onClosed = (e: { code: number }) => {
    closeCode = e.code
    recompute()
  }

  provider.on('sync', onSync)
  provider.on('status', onStatus)
  provider.on('closed', onClosed)
  const stopNetwork = network.subscribe(recompute)
  // A provider opened before the tracker (S8) may have synced already: its 'sync' event is gone.
  if (provider.synced) onSync(true)
  else recompute()

  return {
    $state,
    noteLocalChange,
    dispose() {
      if (timer) clearTimeout(timer)
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

/** Keeps the ids of unsent items of one board in localStorage so a reload while offline still shows them. */
export function localUnsentStore(storage: Storage | null, boardId: string) {
  const key = `tavolo.unsent.${boardId}`
  return {
    load: (): string[] => {
      try {
        const ids: unknown = JSON.parse(storage?.getItem(key) ?? '[]')
        return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').slice(0, 10_000) : []
      } catch {
        return []
      }
    },
    save: (ids: string[]) => {
      try {
        if (ids.length === 0) storage?.removeItem(key)
        else storage?.setItem(key, JSON.stringify(ids.slice(0, 10_000)))
      } catch {
        // not fatal
      }
    },
  }
}
