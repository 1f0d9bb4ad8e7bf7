/**
 * Hand-made hostile Yjs v1 updates for the hostile-client tests (issue 8), written with lib0 encoders so that no Yjs
 * code path (which would merge or refuse them) shapes them.
 */
import * as encoding from 'lib0/encoding'

const CONTENT_ANY = 8
const CONTENT_DOC = 9
const BIT8_ORIGIN = 128

/** Writes a root-parented first item: [info][parentInfo=1][root name]. */
function writeRootItem(e: encoding.Encoder, info: number, root: string): void {
  encoding.writeUint8(e, info)
  encoding.writeVarUint(e, 1)
  encoding.writeVarString(e, root)
}

/**
 * An update of `count` items of one client, each continuing the previous one (origin = its id), the first under the
 * root type `root`; `writeContent` writes item i's content of kind `content`.
 */
function chainedItemsUpdate(count: number, client: number, root: string, content: number, writeContent: (e: encoding.Encoder, i: number) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, count)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 0)
  for (let i = 0; i < count; i++) {
    if (i === 0) writeRootItem(e, content, root)
    else {
      encoding.writeUint8(e, content | BIT8_ORIGIN)
      encoding.writeVarUint(e, client)
      encoding.writeVarUint(e, i - 1)
    }
    writeContent(e, i)
  }
  encoding.writeVarUint(e, 0) // empty delete set
  return encoding.toUint8Array(e)
}

/**
 * `count` one-element ContentAny items of one client, each continuing the previous one (origin = its id): Yjs merges
 * them at the end of the transaction, copying the growing array each time (quadratic). Finding 1.
 */
export function chainedAnyUpdate(
  count: number,
  client = 0x7fff0001,
  root = 'records',
  value: (i: number) => encoding.AnyEncodable = (i) => i,
): Uint8Array {
  return chainedItemsUpdate(count, client, root, CONTENT_ANY, (e, i) => {
    encoding.writeVarUint(e, 1)
    encoding.writeAny(e, value(i))
  })
}

/** A well-formed entry of the records array (shared/src/board/recordsEntries.ts E1): what sync SPEC R17 admits. */
export function recordEntry(i: number): { key: string; val: { id: string; typeName: string } } {
  return { key: `shape:chain${i}`, val: { id: `shape:chain${i}`, typeName: 'shape' } }
}

/** One ContentAny item of `length` `undefined` elements (1 byte each): a long item in the doc, cheap to send. */
export function longItemUpdate(length: number, client = 0x7fff0004, root = 'x'): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 0)
  writeRootItem(e, CONTENT_ANY, root)
  encoding.writeVarUint(e, length)
  for (let i = 0; i < length; i++) encoding.writeUint8(e, 127)
  encoding.writeVarUint(e, 0)
  return encoding.toUint8Array(e)
}

/** A delete set of `ranges` one-element ranges on every other clock of `client`: each cuts a long item (Yjs copies it). */
export function everyOtherDeleteUpdate(ranges: number, client = 0x7fff0004): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, ranges)
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(e, i * 2)
    encoding.writeVarUint(e, 1)
  }
  return encoding.toUint8Array(e)
}

/** `count` sub-document (ContentDoc) items of one client: Yjs builds a Y.Doc for each one it reads. Finding 2. */
export function subdocUpdate(count: number, client = 0x7fff0002, root = 'records'): Uint8Array {
  return chainedItemsUpdate(count, client, root, CONTENT_DOC, (e, i) => {
    encoding.writeVarString(e, `d${i}`)
    encoding.writeAny(e, {})
  })
}

/** y-websocket framing: [sync][update|step2][update]. */
export function syncFrame(update: Uint8Array, step2 = false): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, step2 ? 1 : 2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}
