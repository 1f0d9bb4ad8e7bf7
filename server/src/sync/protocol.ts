/**
 * The y-websocket wire protocol, decoded strictly at the edge. Every frame is one message:
 *   [messageType varUint] payload
 *   0 sync:      [0 step1][varUint8Array stateVector] | [1 step2][varUint8Array update] | [2 update][varUint8Array update]
 *   1 awareness: [varUint8Array awarenessUpdate]
 *   3 query-awareness: (no payload)
 * Anything else (auth messages, unknown types, truncated varints, trailing bytes, updates or state vectors that Yjs
 * cannot decode, awareness entries that are not JSON) is a ProtocolError, closed with 4400 by the room.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'query-awareness' }

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The parsed state; null means "this client left". */
  state: unknown
}

/** A frame that is not a valid y-websocket message. `reason` is short and safe to send as a close reason. */
export class ProtocolError extends Error {
  readonly reason: string
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options)
    this.name = 'ProtocolError'
    this.reason = reason
  }
}

function read<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (cause) {
    throw new ProtocolError(`malformed ${what}`, { cause })
  }
}

/** Checks that Yjs can decode a v1 update (structs and delete set) without applying it. */
export function assertDecodableUpdate(update: Uint8Array): void {
  read('update', () => Y.decodeUpdate(update))
}

function decodeAwareness(payload: Uint8Array): AwarenessEntry[] {
  return read('awareness update', () => {
    const decoder = decoding.createDecoder(payload)
    const count = decoding.readVarUint(decoder)
    const entries: AwarenessEntry[] = []
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state: unknown = JSON.parse(decoding.readVarString(decoder))
      entries.push({ clientId, clock, state })
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
    return entries
  })
}

/** Decodes and validates one client frame; throws ProtocolError when it is not a valid message. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame)
  const messageType = read('message type', () => decoding.readVarUint(decoder))
  let message: ClientMessage
  switch (messageType) {
    case MESSAGE_SYNC: {
      const syncType = read('sync message type', () => decoding.readVarUint(decoder))
      const payload = read('sync payload', () => decoding.readVarUint8Array(decoder))
      if (syncType === SYNC_STEP1) {
        read('state vector', () => {
          const d = decoding.createDecoder(payload)
          const count = decoding.readVarUint(d)
          for (let i = 0; i < count * 2; i++) decoding.readVarUint(d)
          if (decoding.hasContent(d)) throw new Error('trailing bytes')
        })
        message = { type: 'sync-step1', stateVector: payload }
      } else if (syncType === SYNC_STEP2 || syncType === SYNC_UPDATE) {
        assertDecodableUpdate(payload)
        message = { type: syncType === SYNC_STEP2 ? 'sync-step2' : 'update', update: payload }
      } else {
        throw new ProtocolError(`unknown sync message type ${syncType}`)
      }
      break
    }
    case MESSAGE_AWARENESS: {
      const payload = read('awareness payload', () => decoding.readVarUint8Array(decoder))
      message = { type: 'awareness', update: payload, entries: decodeAwareness(payload) }
      break
    }
    case MESSAGE_QUERY_AWARENESS:
      message = { type: 'query-awareness' }
      break
    default:
      throw new ProtocolError(`unknown message type ${messageType}`)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message')
  return message
}

/** Frames a payload behind its message type varUints: [type…][varUint8Array payload]. */
function frame(types: readonly number[], payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const type of types) encoding.writeVarUint(encoder, type)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** [sync][step1][state vector] */
export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => frame([MESSAGE_SYNC, SYNC_STEP1], stateVector)

/** [sync][step2][update] */
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => frame([MESSAGE_SYNC, SYNC_STEP2], update)

/** [sync][update][update] */
export const encodeUpdateMessage = (update: Uint8Array): Uint8Array => frame([MESSAGE_SYNC, SYNC_UPDATE], update)

/** [awareness][awareness update] */
export const encodeAwarenessMessage = (awarenessUpdate: Uint8Array): Uint8Array =>
  frame([MESSAGE_AWARENESS], awarenessUpdate)

/** True when a state vector says "I have nothing" (a fresh client), so the full cached state can be sent as is. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0
}
