import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { parseBoardId, type BoardId } from '../../../shared/src/boardId.ts'

/**
 * What Tavolo instances sharing one database tell each other about the boards they hold (cluster SPEC C3-C6). Every
 * message names the instance that sent it (an instance ignores its own) and one board.
 */
export type ClusterMessage =
  /** C3: updates committed at `firstSeq`, `firstSeq + 1`, …; `updates` null is a doorbell: read them from the store. */
  | { kind: 'updates'; instance: string; boardId: BoardId; firstSeq: number; count: number; updates: Uint8Array[] | null }
  /** C4: awareness changes made by this instance's connections (a y-protocols awareness update). */
  | { kind: 'awareness'; instance: string; boardId: BoardId; update: Uint8Array }
  /** C4: an instance that just loaded the board asks the others for their connections' awareness states. */
  | { kind: 'awareness-query'; instance: string; boardId: BoardId }
  /** C5: close the board's connections opened with this credential (a rotated key). */
  | { kind: 'close-credential'; instance: string; boardId: BoardId; credential: string; code: number; reason: string }
  /** C5: close every connection of the board and drop its room without writing it (an erased meeting). */
  | { kind: 'discard'; instance: string; boardId: BoardId; code: number; reason: string }

const KINDS = ['updates', 'awareness', 'awareness-query', 'close-credential', 'discard'] as const

export function encodeClusterMessage(message: ClusterMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind))
  encoding.writeVarString(encoder, message.instance)
  encoding.writeVarString(encoder, message.boardId)
  switch (message.kind) {
    case 'updates':
      encoding.writeVarUint(encoder, message.firstSeq)
      encoding.writeVarUint(encoder, message.count)
      encoding.writeVarUint(encoder, message.updates === null ? 0 : 1)
      for (const update of message.updates ?? []) encoding.writeVarUint8Array(encoder, update)
      break
    case 'awareness':
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'awareness-query':
      break
    case 'close-credential':
      encoding.writeVarString(encoder, message.credential)
      encoding.writeVarUint(encoder, message.code)
      encoding.writeVarString(encoder, message.reason)
      break
    case 'discard':
      encoding.writeVarUint(encoder, message.code)
      encoding.writeVarString(encoder, message.reason)
      break
  }
  return encoding.toUint8Array(encoder)
}

/** Decodes a message another instance published; throws on anything else (the bus logs and drops it). */
export function decodeClusterMessage(bytes: Uint8Array): ClusterMessage {
  const decoder = decoding.createDecoder(bytes)
  const kind = KINDS[decoding.readVarUint(decoder)]
  const instance = decoding.readVarString(decoder)
  const boardId = parseBoardId(decoding.readVarString(decoder))
  if (boardId === null) throw new Error('not a board id in a cluster message')
  let message: ClusterMessage
  switch (kind) {
    case 'updates': {
      const firstSeq = decoding.readVarUint(decoder)
      const count = decoding.readVarUint(decoder)
      const carried = decoding.readVarUint(decoder) === 1
      // a carried update takes at least one byte, a doorbell names at least one row
      if (count === 0 || (carried && count > decoder.arr.length - decoder.pos)) throw new Error('a row count the cluster message cannot hold')
      const updates = carried ? Array.from({ length: count }, () => decoding.readVarUint8Array(decoder)) : null
      message = { kind, instance, boardId, firstSeq, count, updates }
      break
    }
    case 'awareness':
      message = { kind, instance, boardId, update: decoding.readVarUint8Array(decoder) }
      break
    case 'awareness-query':
      message = { kind, instance, boardId }
      break
    case 'close-credential':
      message = { kind, instance, boardId, credential: decoding.readVarString(decoder), code: closeCode(decoder), reason: decoding.readVarString(decoder) }
      break
    case 'discard':
      message = { kind, instance, boardId, code: closeCode(decoder), reason: decoding.readVarString(decoder) }
      break
    default:
      throw new Error('unknown cluster message kind')
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes in a cluster message')
  return message
}

/** A close code another instance asks for: only the application's own range (4000-4999), never a protocol code. */
function closeCode(decoder: decoding.Decoder): number {
  const code = decoding.readVarUint(decoder)
  if (code < 4000 || code > 4999) throw new Error('a close code outside 4000-4999 in a cluster message')
  return code
}

/**
 * One payload of the bus (a NOTIFY, a Redis publish) carries the messages of one event-loop turn, encoded (a turn that
 * commits several boards' batches, or flushes several rooms' presence, makes one notification rather than one each).
 * Aligning every room's presence window on one clock would make that one per window, but it put every room's frames in
 * one turn and doubled the relay p99 in the cluster bench: not done.
 */
export function encodeClusterBundle(messages: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messages.length)
  for (const message of messages) encoding.writeVarUint8Array(encoder, message)
  return encoding.toUint8Array(encoder)
}

/** Bytes a message adds to a bundle (its length prefix included). */
export function bundledSize(message: Uint8Array): number {
  let prefix = 1
  for (let n = message.length; n >= 0x80; n = Math.floor(n / 0x80)) prefix++
  return prefix + message.length
}

/**
 * The messages of a bundle; a message that cannot be read is left out (`onBad` is told), a bundle whose framing
 * cannot be read throws (the bus logs and drops it whole).
 */
export function decodeClusterBundle(bytes: Uint8Array, onBad: (error: unknown) => void): ClusterMessage[] {
  const decoder = decoding.createDecoder(bytes)
  const count = decoding.readVarUint(decoder)
  if (count > bytes.length) throw new Error('a message count the cluster bundle cannot hold')
  const parts = Array.from({ length: count }, () => decoding.readVarUint8Array(decoder))
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes in a cluster bundle')
  const messages: ClusterMessage[] = []
  for (const part of parts) {
    try {
      messages.push(decodeClusterMessage(part))
    } catch (error) {
      onBad(error)
    }
  }
  return messages
}

/** The same message without the updates it carries: a doorbell, for a bus that cannot carry them (C3). */
export function asDoorbell(message: ClusterMessage): ClusterMessage | null {
  return message.kind === 'updates' ? { ...message, updates: null } : null
}
