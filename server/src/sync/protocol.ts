/**
 * The y-websocket wire protocol, decoded strictly at the edge. Every frame is one message:
 *   [messageType varUint] payload
 *   0 sync:      [0 step1][varUint8Array stateVector] | [1 step2][varUint8Array update] | [2 update][varUint8Array update]
 *   1 awareness: [varUint8Array awarenessUpdate]
 *   3 query-awareness: (no payload)
 * Anything else (auth messages, unknown types, truncated varints, trailing bytes, state vectors that do not decode,
 * awareness states that are not JSON, read when they would change something) is a ProtocolError, closed with 4400
 * by the room. The update inside a sync
 * message is only framed here: the room scans it (updateScan.ts) once it knows the sender may edit (R3, R9).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MAX_VALUE_DEPTH, MessageRefusal, jsonDeeperThan } from './updateScan.ts'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
// 2 is y-protocols' auth message: unused, access is decided once, at the upgrade
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array; entries: ReceivedAwarenessEntry[] }
  | { type: 'query-awareness' }

/**
 * One entry of a client's awareness update as received: its state is still the UTF-8 JSON the client sent, read
 * only when the entry would change something (`parseAwarenessEntry`). Stock y-websocket clients send back every
 * awareness update they receive, so most entries a server gets are echoes it already has; decoding and parsing
 * those (twice: here and in y-protocols) was most of the cost of presence.
 */
export interface ReceivedAwarenessEntry {
  clientId: number
  clock: number
  /** The state's JSON as received (a view into the frame). */
  json: Uint8Array
  /** Bytes of the state's JSON including its length prefix (R12). */
  bytes: number
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The parsed state; null means "this client left". */
  state: unknown
  /** UTF-8 bytes of the state's JSON as received (R12). */
  bytes?: number
  /** The JSON as received, while `state` is what it says (re-encoding then copies it instead of stringifying). */
  json?: Uint8Array
}

/** Bounds checked while decoding, before any JSON is parsed (R12). */
export interface DecodeLimits {
  maxAwarenessStateBytes: number
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

/** Awareness entries with the size of each state checked (R12); states are not decoded yet. */
function decodeAwareness(payload: Uint8Array, limits: DecodeLimits): ReceivedAwarenessEntry[] {
  const decoder = decoding.createDecoder(payload)
  const count = read('awareness update', () => decoding.readVarUint(decoder))
  const entries: ReceivedAwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const entry = read('awareness update', () => {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const start = decoder.pos
      const json = decoding.readVarUint8Array(decoder)
      return { clientId, clock, json, bytes: decoder.pos - start }
    })
    if (entry.bytes > limits.maxAwarenessStateBytes) throw new MessageRefusal('too-large', 'awareness state too large')
    entries.push(entry)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('malformed awareness update')
  return entries
}

const NULL_JSON = [0x6e, 0x75, 0x6c, 0x6c] // "null": what y-protocols writes for a client that left

/** True when the entry says "this client left" (the JSON y-protocols writes for it), without decoding it. */
export function isRemoval(entry: ReceivedAwarenessEntry): boolean {
  const { json } = entry
  return json.length === 4 && json[0] === NULL_JSON[0] && json[1] === NULL_JSON[1] && json[2] === NULL_JSON[2] && json[3] === NULL_JSON[3]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads an entry's state, its nesting checked before it is parsed: a state nested thousands deep parses, but
 * overflows the stack when it is encoded again for the next batch or greeting (finding 5).
 */
export function parseAwarenessEntry(entry: ReceivedAwarenessEntry): AwarenessEntry {
  const text = read('awareness state', () => utf8.decode(entry.json))
  if (jsonDeeperThan(text, MAX_VALUE_DEPTH)) throw new MessageRefusal('too-large', 'awareness state nested too deep')
  const state: unknown = read('awareness state', () => JSON.parse(text))
  return { clientId: entry.clientId, clock: entry.clock, state, bytes: entry.bytes, json: entry.json }
}

/**
 * Decodes and validates one client frame; throws ProtocolError when it is not a valid message and MessageRefusal
 * when an awareness state is over a limit.
 */
export function decodeClientMessage(frame: Uint8Array, limits: DecodeLimits): ClientMessage {
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
        message = { type: syncType === SYNC_STEP2 ? 'sync-step2' : 'update', update: payload }
      } else {
        throw new ProtocolError(`unknown sync message type ${syncType}`)
      }
      break
    }
    case MESSAGE_AWARENESS: {
      const payload = read('awareness payload', () => decoding.readVarUint8Array(decoder))
      message = { type: 'awareness', update: payload, entries: decodeAwareness(payload, limits) }
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

/**
 * A y-protocols awareness update: [count] then [clientId][clock][state JSON] per entry, what `applyAwarenessUpdate`
 * reads. The JSON is given as text, or as the UTF-8 bytes a client sent (copied as they are).
 */
export function encodeAwarenessUpdate(entries: ReadonlyArray<{ clientId: number; clock: number; json: string | Uint8Array }>): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { clientId, clock, json } of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    if (typeof json === 'string') encoding.writeVarString(encoder, json)
    else encoding.writeVarUint8Array(encoder, json)
  }
  return encoding.toUint8Array(encoder)
}

/** [awareness][awareness update] */
export const encodeAwarenessMessage = (awarenessUpdate: Uint8Array): Uint8Array =>
  frame([MESSAGE_AWARENESS], awarenessUpdate)

/** True when a state vector says "I have nothing" (a fresh client), so the full cached state can be sent as is. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0
}
