import type { Editor, TLRecord } from 'tldraw'
import { BoardIndex, isCard } from '../../../shared/src/maps/meaning.ts'

/**
 * What others changed on the board, said in a few words for a screen reader ("2 nuove carte in «Mappa degli
 * attori»"). The counting is pure (`countCardChanges`); `listenToOthersCardChanges` is the shell that feeds it
 * the remote changes of the store, debounced.
 */

export interface MapChangeCount {
  /** The map's frame id, or null for cards on no map. */
  frameId: string | null
  added: number
  changed: number
  removed: number
}

export interface RemoteCardChanges {
  added: readonly unknown[]
  updated: readonly unknown[]
  removed: readonly unknown[]
}

/**
 * Counts the cards (maps SPEC MP4) added, changed and removed per map, in the order the maps first appear. A card
 * both added and changed in one batch counts once, as added; one added and removed, not at all. `index` must know
 * the removed records too (their map is found through their parent).
 */
export function countCardChanges(changes: RemoteCardChanges, index: BoardIndex): MapChangeCount[] {
  const state = new Map<string, 'added' | 'changed' | 'removed'>()
  const ids = (list: readonly unknown[]) =>
    list.map((r) => (typeof r === 'object' && r !== null ? String((r as { id?: unknown }).id) : '')).filter((id) => isCard(index.byId.get(id)))
  for (const id of ids(changes.added)) state.set(id, 'added')
  for (const id of ids(changes.updated)) if (!state.has(id)) state.set(id, 'changed')
  for (const id of ids(changes.removed)) {
    if (state.get(id) === 'added') state.delete(id)
    else state.set(id, 'removed')
  }
  const byMap = new Map<string | null, MapChangeCount>()
  for (const [id, kind] of state) {
    const frameId = index.frameOf(id)?.id ?? null
    let count = byMap.get(frameId)
    if (count === undefined) {
      count = { frameId, added: 0, changed: 0, removed: 0 }
      byMap.set(frameId, count)
    }
    count[kind]++
  }
  return [...byMap.values()]
}

/** Merges one batch of remote changes into the pending ones (by id; the last record of each id is kept). */
function merge(into: { added: Map<string, unknown>; updated: Map<string, unknown>; removed: Map<string, unknown> }, changes: RemoteCardChanges): void {
  const idOf = (r: unknown) => String((r as { id?: unknown }).id)
  for (const r of changes.added) into.added.set(idOf(r), r)
  for (const r of changes.updated) into.updated.set(idOf(r), r)
  for (const r of changes.removed) into.removed.set(idOf(r), r)
}

/**
 * Calls `announce` with the counts of the cards others changed, at most once per `quietMs` after the last remote
 * change (a burst of typing is one announcement). Only changes from the network (`source: 'remote'`): the person's
 * own edits are confirmed where they made them. Returns the cleanup.
 */
export function listenToOthersCardChanges(editor: Editor, announce: (counts: MapChangeCount[], index: BoardIndex) => void, quietMs = 1500): () => void {
  let pending = { added: new Map<string, unknown>(), updated: new Map<string, unknown>(), removed: new Map<string, unknown>() }
  let timer: ReturnType<typeof setTimeout> | null = null
  const off = editor.store.listen(
    ({ changes }) => {
      merge(pending, {
        added: Object.values(changes.added),
        updated: Object.values(changes.updated).map(([, to]) => to as TLRecord),
        removed: Object.values(changes.removed),
      })
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = null
        const batch = pending
        pending = { added: new Map(), updated: new Map(), removed: new Map() }
        const records = [...editor.store.query.records('shape').get(), ...batch.removed.values()]
        const index = new BoardIndex(records)
        const counts = countCardChanges({ added: [...batch.added.values()], updated: [...batch.updated.values()], removed: [...batch.removed.values()] }, index)
        if (counts.length > 0) announce(counts, index)
      }, quietMs)
    },
    { source: 'remote', scope: 'document' },
  )
  return () => {
    off()
    if (timer !== null) clearTimeout(timer)
  }
}
