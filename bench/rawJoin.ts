import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

const MESSAGE_SYNC = 0
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1

// An empty document's state vector is a single zero: "I have nothing, send everything".
const EMPTY_STATE_VECTOR = new Uint8Array([0])

function syncStep1(): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP_1)
  encoding.writeVarUint8Array(encoder, EMPTY_STATE_VECTOR)
  return encoding.toUint8Array(encoder)
}

function isSyncStep2(data: Uint8Array): boolean {
  const decoder = decoding.createDecoder(data)
  return decoding.readVarUint(decoder) === MESSAGE_SYNC && decoding.readVarUint(decoder) === SYNC_STEP_2
}

export interface RawJoin {
  /** Milliseconds from creating the socket to the full state (sync step 2) arriving. */
  ms: number
  bytes: number
}

/**
 * A protocol-level joiner that never decodes the Yjs update: it isolates the server's share of a join,
 * which the stock provider hides behind the client's own cost of applying a large update.
 */
export function rawJoin(url: string, timeoutMs = 60_000): Promise<RawJoin> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = new WebSocket(url)
    socket.binaryType = 'nodebuffer'
    const timer = setTimeout(() => {
      socket.terminate()
      reject(new Error(`no sync step 2 from ${url} in ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('open', () => socket.send(syncStep1()))
    socket.on('message', (data: Buffer) => {
      if (!isSyncStep2(data)) return
      clearTimeout(timer)
      const result = { ms: performance.now() - started, bytes: data.byteLength }
      socket.close()
      resolve(result)
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}
