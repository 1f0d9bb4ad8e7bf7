/**
 * R9 The shape of a Yjs v1 update, read with lib0 alone before Yjs ever sees it.
 *
 * `Y.decodeUpdate` and `Y.applyUpdate` build objects for every struct (and a whole `Y.Doc` for every sub-document), so
 * they cannot be the place where a hostile update is judged. This scanner walks the same grammar (UpdateDecoderV1:
 * structs per client, then the delete set) without building anything, stops as soon as a limit is passed, and returns
 * what the room needs to decide before applying: how many structs, which clocks the update covers and which it
 * refers to (pending structs, R11), and how much work Yjs's merging of adjacent items will cost (R10).
 *
 * Only a struct Yjs can read passes; what Yjs itself would refuse (unknown content or type refs, truncated varints,
 * trailing bytes) is refused here as malformed. Sub-documents (`ContentDoc`) are refused: boards never use them, and
 * Yjs builds a `Y.Doc` for each one it reads.
 */
import * as decoding from 'lib0/decoding'

/**
 * Why a message is refused before anything of it is applied: `malformed` closes with 4400, `too-large` with 4413,
 * `rate` with 4429 (shared/src/closeCodes.ts).
 */
export class MessageRefusal extends Error {
  constructor(
    readonly kind: 'malformed' | 'too-large' | 'rate',
    readonly reason: string,
  ) {
    super(reason)
    this.name = 'MessageRefusal'
  }
}

export interface UpdateScanLimits {
  /** Structs (items, GC, skips) plus delete ranges one update may hold. */
  maxUpdateStructs: number
  /** Element copies Yjs may make merging adjacent ContentAny/ContentJSON items of the update among themselves. */
  maxMergeWork: number
}

/**
 * Nesting depth of a JSON or `ContentAny` value inside an update. Yjs and lib0 read and write such values
 * recursively: a value nested tens of thousands deep overflows the stack when the board is next encoded (every
 * joiner's sync step 2) even if it was read once. Real records nest well under 20 (tldraw rich text is doc →
 * list → item → paragraph → text → marks; a long nested list adds two levels per indent).
 */
export const MAX_VALUE_DEPTH = 64

/** A run of adjacent mergeable items whose first item may merge into an item already in the doc (see R10). */
export interface DocMergeCandidate {
  client: number
  /** Clock of the run's first item: the doc's item ending at clock − 1 is the one it would merge into. */
  clock: number
  /** Items in the run (each one merge when the doc's item is mergeable). */
  items: number
  /** Elements of the run's first item (copied once more by its own merge into the doc's item). */
  firstLength: number
  /** 'any' or 'json': Yjs merges only items of the same content type. */
  content: 'any' | 'json'
}

export interface UpdateShape {
  structs: number
  deleteRanges: number
  /** Per client: the non-skip clock ranges the update's structs fill, as [start, end) pairs in clock order. */
  segments: Map<number, number[]>
  /** Per client: the state (clock count) the doc must have for every id the update refers to (origins, parents, deletes). */
  needs: Map<number, number>
  /**
   * Element copies for merges among the update's own items (concat copies the growing left array each time); a run
   * that continues an item of the doc costs more, see DocMergeCandidate.
   */
  mergeWork: number
  docMergeCandidates: DocMergeCandidate[]
  /**
   * R10: where the update cuts existing items (Yjs splits an item, copying its content, wherever an origin, right
   * origin or delete range starts or ends inside it).
   */
  cuts: ItemCut[]
}

/** R10: a cut before `clock` of `client`'s items. */
export interface ItemCut {
  client: number
  clock: number
  /**
   * The struct that makes the cut, as its client and the clock it ends at: a struct the doc already has is skipped by
   * Yjs and cuts nothing. Null for a delete range, which is always applied.
   */
  madeBy: { client: number; end: number } | null
}

const BITS5 = 31
const BIT6 = 32
const BIT7 = 64
const BIT8 = 128

const CONTENT_DELETED = 1
const CONTENT_JSON = 2
const CONTENT_BINARY = 3
const CONTENT_STRING = 4
const CONTENT_EMBED = 5
const CONTENT_FORMAT = 6
const CONTENT_TYPE = 7
const CONTENT_ANY = 8
const CONTENT_DOC = 9
const STRUCT_GC = 0
const STRUCT_SKIP = 10

const malformed = (reason: string) => new MessageRefusal('malformed', reason)

function readByte(d: decoding.Decoder): number {
  if (d.pos >= d.arr.length) throw malformed('truncated update')
  return d.arr[d.pos++]!
}

function readUint(d: decoding.Decoder): number {
  try {
    return decoding.readVarUint(d)
  } catch {
    throw malformed('truncated update')
  }
}

function readString(d: decoding.Decoder): string {
  try {
    return decoding.readVarString(d)
  } catch {
    throw malformed('truncated update')
  }
}

function skipBytes(d: decoding.Decoder, n: number): void {
  if (d.pos + n > d.arr.length) throw malformed('truncated update')
  d.pos += n
}

/** Skips a varString without decoding it (lib0 decodes UTF-8 leniently: any bytes read as some string). */
function skipString(d: decoding.Decoder): void {
  skipBytes(d, readUint(d))
}

/** Skips one lib0 `writeAny` value (the grammar of lib0's readAny), refusing nesting deeper than MAX_VALUE_DEPTH. */
function skipAny(d: decoding.Decoder, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw new MessageRefusal('too-large', 'value nested too deep')
  const type = readByte(d)
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return
    case 125: // varInt
      try {
        decoding.readVarInt(d)
      } catch {
        throw malformed('truncated update')
      }
      return
    case 124: // float32
      return skipBytes(d, 4)
    case 123: // float64
    case 122: // bigint64
      return skipBytes(d, 8)
    case 119: // string
      skipString(d)
      return
    case 118: {
      // object: count, then (key, value) pairs
      const n = readUint(d)
      for (let i = 0; i < n; i++) {
        skipString(d)
        skipAny(d, depth + 1)
      }
      return
    }
    case 117: {
      // array
      const n = readUint(d)
      for (let i = 0; i < n; i++) skipAny(d, depth + 1)
      return
    }
    case 116: // Uint8Array
      skipBytes(d, readUint(d))
      return
    default:
      throw malformed('unknown value type in update')
  }
}

const OPENING_BRACKETS = /[[{]/g

/**
 * True when a JSON text nests deeper than `limit`. A value cannot be deeper than its number of opening brackets:
 * counting them with the regex engine first spares the character loop of `jsonDepth` for ordinary values (a tldraw
 * presence state has about ten), which are most of what every awareness message and update carries.
 */
export function jsonDeeperThan(text: string, limit: number): boolean {
  const openings = text.match(OPENING_BRACKETS)?.length ?? 0
  return openings > limit && jsonDepth(text) > limit
}

/** Nesting depth of a JSON text, counted without parsing it (JSON.stringify of a deep value overflows the stack). */
export function jsonDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) max = depth
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return max
}

function checkJson(text: string): void {
  if (jsonDeeperThan(text, MAX_VALUE_DEPTH)) throw new MessageRefusal('too-large', 'value nested too deep')
  if (text === 'undefined') return
  try {
    JSON.parse(text)
  } catch {
    throw malformed('invalid JSON in update')
  }
}

/** Reads an item's content; returns its clock length. `kind` is the content ref (info & 31). */
function readContent(d: decoding.Decoder, kind: number): number {
  switch (kind) {
    case CONTENT_DELETED:
      return readUint(d)
    case CONTENT_JSON: {
      const n = readUint(d)
      for (let i = 0; i < n; i++) checkJson(readString(d))
      return n
    }
    case CONTENT_BINARY:
      skipBytes(d, readUint(d))
      return 1
    case CONTENT_STRING:
      return readString(d).length
    case CONTENT_EMBED:
      checkJson(readString(d))
      return 1
    case CONTENT_FORMAT:
      skipString(d)
      checkJson(readString(d))
      return 1
    case CONTENT_TYPE: {
      const typeRef = readUint(d)
      if (typeRef > 6) throw malformed('unknown type in update')
      // YXmlElement (3) and YXmlHook (5) carry a name
      if (typeRef === 3 || typeRef === 5) skipString(d)
      return 1
    }
    case CONTENT_ANY: {
      const n = readUint(d)
      for (let i = 0; i < n; i++) skipAny(d, 1)
      return n
    }
    case CONTENT_DOC:
      throw malformed('sub-documents are not allowed')
    default:
      throw malformed('unknown content type in update')
  }
}

interface PreviousItem {
  kind: number
  clock: number
  length: number
  rightOriginClient: number
  rightOriginClock: number
}

/**
 * Scans a v1 update and returns its shape; throws MessageRefusal when it is malformed (4400) or over a limit (4413).
 * Work is bounded by the limits: the scan stops at the first struct over `maxUpdateStructs`.
 */
export function scanUpdate(update: Uint8Array, limits: UpdateScanLimits): UpdateShape {
  const d = decoding.createDecoder(update)
  const segments = new Map<number, number[]>()
  const needs = new Map<number, number>()
  const docMergeCandidates: DocMergeCandidate[] = []
  const cuts: ItemCut[] = []
  let structs = 0
  let mergeWork = 0
  const need = (client: number, state: number) => {
    if ((needs.get(client) ?? 0) < state) needs.set(client, state)
  }
  const countStructs = (n: number) => {
    structs += n
    if (structs > limits.maxUpdateStructs) throw new MessageRefusal('too-large', 'too many changes in one update')
  }

  const clients = readUint(d)
  for (let c = 0; c < clients; c++) {
    const count = readUint(d)
    countStructs(count)
    const client = readUint(d)
    if (segments.has(client)) throw malformed('a client appears twice in one update')
    const ranges: number[] = []
    segments.set(client, ranges)
    let clock = readUint(d)
    let previous: PreviousItem | null = null
    // After a skip, the next struct's left neighbour is in the doc (or missing), as for the first struct.
    let afterSkip = true
    // The current run of mergeable items: accumulated elements, Σ of the accumulations, and its doc-merge candidate.
    let runElements = 0
    let candidate: DocMergeCandidate | null = null
    for (let i = 0; i < count; i++) {
      const info = readByte(d)
      const kind = info & BITS5
      let length: number
      let item: PreviousItem | null = null
      if (kind === STRUCT_GC || kind === STRUCT_SKIP) {
        length = readUint(d)
      } else {
        const hasOrigin = (info & BIT8) !== 0
        const hasRightOrigin = (info & BIT7) !== 0
        let originClient = -1
        let originClock = -1
        let rightOriginClient = -1
        let rightOriginClock = -1
        if (hasOrigin) {
          originClient = readUint(d)
          originClock = readUint(d)
          need(originClient, originClock + 1)
        }
        if (hasRightOrigin) {
          rightOriginClient = readUint(d)
          rightOriginClock = readUint(d)
          need(rightOriginClient, rightOriginClock + 1)
        }
        if (!hasOrigin && !hasRightOrigin) {
          // parent: a root type's name, or the id of the item that holds the type
          if (readUint(d) === 1) skipString(d)
          else need(readUint(d), readUint(d) + 1)
          if ((info & BIT6) !== 0) skipString(d)
        }
        length = readContent(d, kind)
        item = { kind, clock, length, rightOriginClient, rightOriginClock }
        if (hasOrigin || hasRightOrigin) {
          const madeBy = { client, end: clock + length }
          if (hasOrigin) cuts.push({ client: originClient, clock: originClock + 1, madeBy })
          if (hasRightOrigin) cuts.push({ client: rightOriginClient, clock: rightOriginClock, madeBy })
        }
        // Yjs merges an item into its left neighbour when it continues it (same client, origin = its last id, same
        // right origin) and both hold ContentAny or ContentJSON, whose merge copies the left array (quadratic).
        const mergeable = kind === CONTENT_ANY || kind === CONTENT_JSON
        const continues = mergeable && hasOrigin && originClient === client && originClock === clock - 1
        if (
          continues &&
          previous !== null &&
          previous.kind === kind &&
          previous.clock + previous.length === clock &&
          previous.rightOriginClient === rightOriginClient &&
          previous.rightOriginClock === rightOriginClock
        ) {
          runElements += length
          mergeWork += runElements
          if (candidate !== null) candidate.items++
          if (mergeWork > limits.maxMergeWork) throw new MessageRefusal('too-large', 'too many chained items in one update')
        } else {
          runElements = length
          candidate = null
          if (continues && afterSkip) {
            candidate = { client, clock, items: 1, firstLength: length, content: kind === CONTENT_ANY ? 'any' : 'json' }
            docMergeCandidates.push(candidate)
          }
        }
      }
      if (length < 1) throw malformed('empty struct in update')
      if (item === null) {
        runElements = 0
        candidate = null
      }
      if (kind !== STRUCT_SKIP) {
        const last = ranges.length - 1
        if (last > 0 && ranges[last] === clock) ranges[last] = clock + length
        else ranges.push(clock, clock + length)
      }
      previous = item
      afterSkip = kind === STRUCT_SKIP
      clock += length
    }
  }

  let deleteRanges = 0
  const deleteClients = readUint(d)
  for (let c = 0; c < deleteClients; c++) {
    const client = readUint(d)
    const n = readUint(d)
    countStructs(n)
    deleteRanges += n
    for (let i = 0; i < n; i++) {
      const clock = readUint(d)
      const len = readUint(d)
      need(client, clock + len)
      cuts.push({ client, clock, madeBy: null }, { client, clock: clock + len, madeBy: null })
    }
  }
  if (d.pos !== update.length) throw malformed('trailing bytes after update')
  return { structs, deleteRanges, segments, needs, mergeWork, docMergeCandidates, cuts }
}

/**
 * R11: true when applying the update to a doc whose state is `stateOf(client)` would leave pending structs or
 * pending deletes (a struct after a gap, or an id the doc will not have even after the update). Yjs keeps such parts
 * and integrates them inside whichever later transaction supplies the missing clocks, under THAT transaction's origin.
 */
export function leavesPending(shape: UpdateShape, stateOf: (client: number) => number): boolean {
  const covered = new Map<number, number>()
  for (const [client, ranges] of shape.segments) {
    let state = stateOf(client)
    for (let i = 0; i < ranges.length; i += 2) {
      if (ranges[i]! > state) return true
      state = Math.max(state, ranges[i + 1]!)
    }
    covered.set(client, state)
  }
  for (const [client, required] of shape.needs) {
    if ((covered.get(client) ?? stateOf(client)) < required) return true
  }
  return false
}
