/**
 * Cluster SPEC C1: what arrives on the bus is read at the edge. Every instance on the database (or the Redis) can
 * publish, and so can anything else that reaches the channel: a message that is not exactly one of ours is refused
 * whole (the bus logs and drops it), never half applied.
 */
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/src/boardId.ts'
import { decodeClusterBundle, decodeClusterMessage, encodeClusterBundle, encodeClusterMessage, type ClusterMessage } from '../../server/src/cluster/clusterMessages.ts'

const board = 'meeting_abc-123' as BoardId
const MESSAGES: ClusterMessage[] = [
  { kind: 'updates', instance: 'a:1:ff', boardId: board, firstSeq: 7, count: 2, updates: [new Uint8Array([1, 2]), new Uint8Array([3])] },
  { kind: 'updates', instance: 'a:1:ff', boardId: board, firstSeq: 9, count: 40, updates: null },
  { kind: 'awareness', instance: 'b:2:00', boardId: board, update: new Uint8Array([1, 0, 0]) },
  { kind: 'awareness-query', instance: 'b:2:00', boardId: board },
  { kind: 'close-credential', instance: 'c', boardId: board, credential: 'k-rotated', code: 4403, reason: 'key rotated' },
  { kind: 'discard', instance: 'c', boardId: board, code: 4410, reason: 'meeting erased' },
]

function raw(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

describe('cluster messages (C1: read at the edge)', () => {
  it('every kind reads back as it was written', () => {
    for (const message of MESSAGES) expect(decodeClusterMessage(encodeClusterMessage(message))).toEqual(message)
  })

  it('refuses every truncation of every kind, and trailing bytes', () => {
    for (const message of MESSAGES) {
      const bytes = encodeClusterMessage(message)
      for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeClusterMessage(bytes.subarray(0, cut)), `${message.kind} cut at ${cut}`).toThrow()
      expect(() => decodeClusterMessage(new Uint8Array([...bytes, 0]))).toThrow(/trailing/)
    }
  })

  it('refuses an unknown kind', () => {
    expect(() => decodeClusterMessage(raw((e) => (encoding.writeVarUint(e, 5), encoding.writeVarString(e, 'x'), encoding.writeVarString(e, board))))).toThrow(/kind/)
  })

  it('refuses a board id the sync endpoint would refuse', () => {
    for (const boardId of ['', '../etc', 'a'.repeat(65), 'sp ace']) {
      const bytes = encodeClusterMessage({ kind: 'awareness-query', instance: 'x', boardId: boardId as BoardId })
      expect(() => decodeClusterMessage(bytes), JSON.stringify(boardId)).toThrow(/board/)
    }
  })

  it('refuses a count the message cannot hold, before allocating for it', () => {
    const bytes = raw((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarString(e, 'x')
      encoding.writeVarString(e, board)
      encoding.writeVarUint(e, 1) // firstSeq
      encoding.writeVarUint(e, 2 ** 40) // count
      encoding.writeVarUint(e, 1) // carried
      encoding.writeVarUint8Array(e, new Uint8Array([1]))
    })
    expect(() => decodeClusterMessage(bytes)).toThrow(/count/)
    const doorbell = raw((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarString(e, 'x')
      encoding.writeVarString(e, board)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 0) // a doorbell for no rows
      encoding.writeVarUint(e, 0)
    })
    expect(() => decodeClusterMessage(doorbell)).toThrow(/count/)
  })

  it('refuses a close code outside the application range (4000-4999)', () => {
    for (const code of [1000, 1006, 3999, 5000]) {
      expect(() => decodeClusterMessage(encodeClusterMessage({ kind: 'discard', instance: 'c', boardId: board, code, reason: 'r' })), String(code)).toThrow(/code/)
      expect(() => decodeClusterMessage(encodeClusterMessage({ kind: 'close-credential', instance: 'c', boardId: board, credential: 'k', code, reason: 'r' }))).toThrow(
        /code/,
      )
    }
  })

  it('a bundle (one turn of an instance) reads back message by message; a message that cannot be read is left out and told', () => {
    const parts = MESSAGES.map(encodeClusterMessage)
    const bad: unknown[] = []
    expect(decodeClusterBundle(encodeClusterBundle(parts), (e) => bad.push(e))).toEqual(MESSAGES)
    const withForeign = encodeClusterBundle([parts[0]!, new Uint8Array([9, 9, 9]), parts[3]!])
    expect(decodeClusterBundle(withForeign, (e) => bad.push(e))).toEqual([MESSAGES[0], MESSAGES[3]])
    expect(bad).toHaveLength(1)
  })

  it('a bundle whose framing cannot be read is refused whole', () => {
    const bundle = encodeClusterBundle(MESSAGES.map(encodeClusterMessage))
    for (let cut = 0; cut < bundle.length; cut += 7) expect(() => decodeClusterBundle(bundle.subarray(0, cut), () => undefined)).toThrow()
    expect(() => decodeClusterBundle(new Uint8Array([...bundle, 1]), () => undefined)).toThrow(/trailing/)
    expect(() => decodeClusterBundle(raw((e) => encoding.writeVarUint(e, 2 ** 40)), () => undefined)).toThrow(/count/)
  })
})
