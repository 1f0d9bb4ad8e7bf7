import * as Y from 'yjs'

/**
 * Merges a board's update log into one state by replaying it into a garbage-collecting Y.Doc.
 *
 * Why not `Y.mergeUpdates`: it keeps the content of deleted items, and tldraw rewrites records on every move, so a
 * merged log would keep growing with dead content. Replaying into a Doc garbage-collects it, and
 * `encodeStateAsUpdate` also carries structs still waiting for a missing dependency (pendingStructs/pendingDs),
 * so nothing is dropped. Rows that Yjs cannot decode are skipped and reported through `onBadUpdate`.
 */
export function mergeUpdateLog(updates: readonly Uint8Array[], onBadUpdate?: (index: number, error: unknown) => void): Uint8Array {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      updates.forEach((update, index) => {
        try {
          Y.applyUpdate(doc, update)
        } catch (error) {
          onBadUpdate?.(index, error)
        }
      })
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
