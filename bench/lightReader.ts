/**
 * A reader that speaks the y-websocket protocol without a Y.Doc: it syncs, publishes presence and finds the relay
 * benches' stamps (stampedNote) in the raw update frames, but never applies an update or parses another client's
 * presence. The server cannot tell it from a stock provider (the same frames reach it, and it does the same work for
 * them); the clients' own CPU drops to a fraction, so on a machine whose cores the clients share with the servers, the
 * latency they measure is the server's rather than their own queueing (bench/README, "Several instances").
 */
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { BoardRef } from './boards.ts'
import { boardUrl } from './boards.ts'
import type { CloseRecord } from './clients.ts'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1
const SYNC_UPDATE = 2

// The stamp's key as lib0 writes it inside a ContentAny object (a varString), then the value: tag 125 (integer) and a varint.
const STAMP_KEY = Buffer.from([8, ...Buffer.from('benchSeq')])
const ANY_INTEGER = 125

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

// "I have nothing": an empty state vector, and the empty update (no structs, no deletes) that answers the server's step 1.
const STEP_1 = frame((e) => {
  encoding.writeVarUint(e, MESSAGE_SYNC)
  encoding.writeVarUint(e, SYNC_STEP_1)
  encoding.writeVarUint8Array(e, new Uint8Array([0]))
})
const EMPTY_STEP_2 = frame((e) => {
  encoding.writeVarUint(e, MESSAGE_SYNC)
  encoding.writeVarUint(e, SYNC_STEP_2)
  encoding.writeVarUint8Array(e, new Uint8Array([0, 0]))
})

/** Every stamp in an update frame (a server may merge several updates into one frame). */
export function stampsIn(data: Buffer): number[] {
  const stamps: number[] = []
  let at = data.indexOf(STAMP_KEY)
  while (at !== -1) {
    const decoder = decoding.createDecoder(data.subarray(at + STAMP_KEY.length))
    if (decoding.readUint8(decoder) === ANY_INTEGER) stamps.push(decoding.readVarInt(decoder))
    at = data.indexOf(STAMP_KEY, at + STAMP_KEY.length)
  }
  return stamps
}

export interface LightReader {
  /** Resolves at the server's sync step 2 (the board's state, never decoded). */
  synced: Promise<void>
  closes: CloseRecord[]
  /** Publishes this reader's presence (a cursor), as y-protocols' awareness would encode it. */
  setCursor(x: number, y: number): void
  destroy(): void
}

export function connectLightReader(syncUrl: string, board: BoardRef, onStamp: (seq: number) => void, timeoutMs = 60_000): LightReader {
  const socket = new WebSocket(boardUrl(syncUrl, board))
  socket.binaryType = 'nodebuffer'
  const clientId = Math.floor(Math.random() * 0xffffffff) >>> 0
  const name = `light-${clientId}`
  let clock = 0
  let destroyed = false
  const closes: CloseRecord[] = []
  let resolveSynced: () => void = () => undefined
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`room ${board.room}: light reader not synced in ${timeoutMs} ms`)), timeoutMs)
    resolveSynced = () => {
      clearTimeout(timer)
      resolve()
    }
  })
  synced.catch(() => undefined)
  socket.on('open', () => socket.send(STEP_1))
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(data)
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return
    const step = decoding.readVarUint(decoder)
    if (step === SYNC_STEP_1) socket.send(EMPTY_STEP_2)
    else if (step === SYNC_STEP_2) resolveSynced()
    else if (step === SYNC_UPDATE) for (const seq of stampsIn(data)) onStamp(seq)
  })
  socket.on('close', (code, reason) => {
    if (!destroyed) closes.push({ code, reason: reason.toString() })
  })
  socket.on('error', () => undefined)
  return {
    synced,
    closes,
    setCursor(x, y) {
      if (socket.readyState !== WebSocket.OPEN) return
      clock++
      const update = frame((e) => {
        encoding.writeVarUint(e, 1)
        encoding.writeVarUint(e, clientId)
        encoding.writeVarUint(e, clock)
        encoding.writeVarString(e, JSON.stringify({ user: { name }, cursor: { x, y } }))
      })
      socket.send(
        frame((e) => {
          encoding.writeVarUint(e, MESSAGE_AWARENESS)
          encoding.writeVarUint8Array(e, update)
        }),
      )
    },
    destroy() {
      destroyed = true
      socket.close()
    },
  }
}
