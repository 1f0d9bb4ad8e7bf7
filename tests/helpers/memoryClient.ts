/**
 * An in-memory y-websocket client for unit tests of Room/RoomManager: speaks the same protocol as the real
 * WebsocketProvider (sync step 1 on open, step 2 in reply to the server's step 1, updates, awareness) over a
 * RoomSocket, with no network. Frames in both directions are delivered asynchronously (microtasks), like a socket.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Role } from '../../shared/src/roles.ts'
import type { RoomConnectionHandle } from '../../server/src/sync/Room.ts'
import type { ConnectionInfo, RoomSocket } from '../../server/src/sync/RoomSocket.ts'

export interface MemoryClient {
  doc: Y.Doc
  awareness: awarenessProtocol.Awareness
  info: ConnectionInfo
  /** How many frames this client has sent to the server so far (replies included). */
  readonly sentCount: number
  /** Frames received from the server, in order. */
  received: Uint8Array[]
  /** True once a sync step 2 from the server was applied. */
  readonly synced: boolean
  /** Set when the server closed this connection. */
  readonly closed: { code: number; reason: string } | null
  /** Sends raw bytes to the server as one frame. */
  sendRaw(frame: Uint8Array): void
  /** The transport goes away (as if the browser tab closed). */
  disconnect(): void
  destroy(): void
}

let nextId = 0

/** Something a memory client can connect through (a Room or a RoomManager bound to a board). */
export type Connect = (socket: RoomSocket, info: ConnectionInfo) => RoomConnectionHandle

export interface MemoryClientOptions {
  role?: Role
  credential?: string
  /** Do not send sync step 1 and awareness on open (for raw-protocol tests). */
  silent?: boolean
  /** Called for every frame the server sends, before the client processes it. */
  onFrame?: (frame: Uint8Array) => void
}

export function connectMemoryClient(connect: Connect, options: MemoryClientOptions = {}): MemoryClient {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  const info: ConnectionInfo = {
    connectionId: `mem-${++nextId}`,
    role: options.role ?? 'participant',
    credential: options.credential ?? 'test',
  }
  const received: Uint8Array[] = []
  let synced = false
  let closed: { code: number; reason: string } | null = null
  let open = true
  let handle: RoomConnectionHandle | null = null
  const pendingToServer: Uint8Array[] = []

  let sentCount = 0
  const toServer = (frame: Uint8Array) => {
    if (!open) return
    sentCount++
    queueMicrotask(() => {
      if (!open) return
      if (handle === null) pendingToServer.push(frame)
      else handle.receive(frame)
    })
  }

  const process = (frame: Uint8Array) => {
    received.push(frame)
    options.onFrame?.(frame)
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    if (type === 0) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 0)
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, 'server')
      if (syncType === syncProtocol.messageYjsSyncStep2) synced = true
      if (encoding.length(encoder) > 1) toServer(encoding.toUint8Array(encoder))
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'server')
    }
  }

  const socket: RoomSocket = {
    send(data) {
      if (!open) return
      const copy = data.slice()
      queueMicrotask(() => {
        if (open) process(copy)
      })
    },
    close(code, reason) {
      if (!open) return
      open = false
      closed = { code, reason }
    },
    get isOpen() {
      return open
    },
  }

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === 'server') return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.writeUpdate(encoder, update)
    toServer(encoding.toUint8Array(encoder))
  }
  const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === 'server') return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]))
    toServer(encoding.toUint8Array(encoder))
  }
  doc.on('update', onUpdate)
  awareness.on('update', onAwareness)

  handle = connect(socket, info)
  for (const frame of pendingToServer.splice(0)) handle.receive(frame)
  if (!options.silent) {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    syncProtocol.writeSyncStep1(encoder, doc)
    toServer(encoding.toUint8Array(encoder))
  }

  const client: MemoryClient = {
    doc,
    awareness,
    info,
    received,
    get synced() {
      return synced
    },
    get sentCount() {
      return sentCount
    },
    get closed() {
      return closed
    },
    sendRaw(frame) {
      toServer(frame)
    },
    disconnect() {
      if (!open) return
      open = false
      handle?.transportClosed(1001, 'client left')
    },
    destroy() {
      client.disconnect()
      doc.off('update', onUpdate)
      awareness.off('update', onAwareness)
      awareness.destroy()
      doc.destroy()
    },
  }
  return client
}
