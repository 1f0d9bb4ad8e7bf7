import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/**
 * A board's state as a list of updates that can be applied one at a time, each within a bounded cost, so that loading
 * a big board into its room never holds the event loop for the whole board (sync SPEC R18).
 *
 * Each chunk is causally closed together with the chunks before it: every struct's dependencies (the previous struct
 * of its client, its origin, its right origin, its parent item) are in the same chunk or an earlier one. So applying
 * the chunks in order never leaves Yjs holding pending structs (which it re-merges with every later update: that is
 * quadratic). The order is a depth-first walk that places every struct after its dependencies. A struct longer than
 * `maxLength` (one paste of thousands of records is one struct) is cut into pieces in consecutive chunks, the way Yjs
 * splits an item: each piece's origin is the last element of the piece before it. The delete set (and anything still
 * pending in the doc) comes last, in an update of its own.
 */
export interface ChunkBounds {
  /** Close a chunk once it holds this many structs... */
  maxStructs: number
  /** ...or this many elements (a struct holding a paste of many records counts each). */
  maxLength: number
}

/**
 * About 5-8 ms of Y.applyUpdate per chunk for tldraw note records on this 2-core machine: 1,000 took 20-35 ms in
 * bench/eventLoop.ts's load, more than the 15 ms slice R18 aims at.
 */
export const DEFAULT_CHUNK_BOUNDS: ChunkBounds = { maxStructs: 250, maxLength: 250 }

type Struct = Y.Item | Y.GC

const EMPTY_UPDATE_LENGTH = 2 // no clients, empty delete set

/** The doc's state (what `Y.encodeStateAsUpdate(doc)` holds) as causally ordered chunks. */
export function stateChunks(doc: Y.Doc, bounds: ChunkBounds = DEFAULT_CHUNK_BOUNDS): Uint8Array[] {
  const clients = doc.store.clients as Map<number, Struct[]>
  const placed = new Map<number, number>() // client → how many of its structs are placed
  const chunks: Uint8Array[] = []
  let current: Struct[] = []
  let currentLength = 0

  const flush = () => {
    if (current.length === 0) return
    chunks.push(encodeStructs(current))
    current = []
    currentLength = 0
  }
  /** The index of the struct of `client` holding `clock`, or -1 when the doc does not have it (a pending dependency). */
  const indexOf = (client: number, clock: number): number => {
    const structs = clients.get(client)
    if (structs === undefined) return -1
    let lo = 0
    let hi = structs.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = structs[mid]!
      if (clock < s.id.clock) hi = mid - 1
      else if (clock >= s.id.clock + s.length) lo = mid + 1
      else return mid
    }
    return -1
  }
  const dependencies = (s: Struct): Array<[number, number]> => {
    const deps: Array<[number, number]> = []
    if (s instanceof Y.Item) {
      for (const id of [s.origin, s.rightOrigin]) if (id !== null) deps.push([id.client, indexOf(id.client, id.clock)])
      const parent = s.parent
      if (parent instanceof Y.AbstractType && parent._item !== null) deps.push([parent._item.id.client, indexOf(parent._item.id.client, parent._item.id.clock)])
    }
    return deps.filter(([, index]) => index >= 0)
  }
  /** Places every struct of `client` up to `index`, each after its dependencies (explicit stack: chains are long). */
  const place = (client: number, index: number) => {
    const stack: Array<[number, number]> = [[client, index]]
    while (stack.length > 0) {
      const [c, i] = stack[stack.length - 1]!
      const done = placed.get(c) ?? 0
      if (i < done) {
        stack.pop()
        continue
      }
      // the client's structs before i first, then this struct's dependencies
      if (i > done) {
        stack.push([c, done])
        continue
      }
      const s = clients.get(c)![i]!
      const missing = dependencies(s).filter(([dc, di]) => di >= (placed.get(dc) ?? 0))
      if (missing.length > 0) {
        stack.push(...missing)
        continue
      }
      stack.pop()
      placed.set(c, i + 1)
      if (s.length > bounds.maxLength && s instanceof Y.Item) {
        flush()
        for (let start = 0; start < s.length; start += bounds.maxLength) {
          current.push(pieceOf(s, start, Math.min(s.length, start + bounds.maxLength)))
          flush()
        }
        continue
      }
      current.push(s)
      currentLength += s.length
      if (current.length >= bounds.maxStructs || currentLength >= bounds.maxLength) flush()
    }
  }
  for (const [client, structs] of clients) if (structs.length > 0) place(client, structs.length - 1)
  flush()
  // The delete set (and structs or deletions still waiting for a dependency): everything the state vector has not.
  const rest = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))
  if (rest.length > EMPTY_UPDATE_LENGTH || chunks.length === 0) chunks.push(rest)
  return chunks
}

/** Elements [start, end) of `item` as an item of their own, as Yjs's splitItem would make it (the doc is not changed). */
function pieceOf(item: Y.Item, start: number, end: number): Y.Item {
  if (start === 0 && end === item.length) return item
  const content = item.content.copy()
  const fromStart = start === 0 ? content : content.splice(start)
  if (end < item.length) fromStart.splice(end - start)
  const origin = start === 0 ? item.origin : Y.createID(item.id.client, item.id.clock + start - 1)
  return new Y.Item(Y.createID(item.id.client, item.id.clock + start), null, origin, null, item.rightOrigin, item.parent, item.parentSub, fromStart)
}

/** A v1 update holding `structs` (each client's ascending and contiguous) and an empty delete set. */
function encodeStructs(structs: readonly Struct[]): Uint8Array {
  const byClient = new Map<number, Struct[]>()
  for (const s of structs) {
    const list = byClient.get(s.id.client)
    if (list === undefined) byClient.set(s.id.client, [s])
    else list.push(s)
  }
  const encoder = new Y.UpdateEncoderV1()
  const rest = encoder.restEncoder
  encoding.writeVarUint(rest, byClient.size)
  for (const [client, list] of byClient) {
    encoding.writeVarUint(rest, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(rest, list[0]!.id.clock)
    for (const s of list) s.write(encoder, 0)
  }
  encoding.writeVarUint(rest, 0) // delete set: none here (the last chunk carries it)
  return encoder.toUint8Array()
}

/**
 * How a compacted state is stored in one log row: a count, then each chunk with its length (lib0 var-uint framing).
 * The row is marked as framed by the store (a column), never guessed from the bytes.
 */
export function frameChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, chunks.length)
  for (const chunk of chunks) encoding.writeVarUint8Array(encoder, chunk)
  return encoding.toUint8Array(encoder)
}

/** The chunks of a framed row; throws on bytes that are not a framing (the loader skips and reports that row). */
export function unframeChunks(framed: Uint8Array): Uint8Array[] {
  const decoder = decoding.createDecoder(framed)
  const count = decoding.readVarUint(decoder)
  if (count > framed.length) throw new Error('not a framed state: impossible chunk count')
  const chunks: Uint8Array[] = []
  for (let i = 0; i < count; i++) chunks.push(decoding.readVarUint8Array(decoder))
  if (decoding.hasContent(decoder)) throw new Error('not a framed state: trailing bytes')
  return chunks
}
