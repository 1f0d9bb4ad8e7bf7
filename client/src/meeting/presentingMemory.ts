/**
 * P4: a facilitator who reloads the page keeps presenting. Awareness dies with the page, so without this the
 * projector would stop following until "Presenta" is pressed again, in the middle of a session. The tab remembers
 * `since` and the QR toggle (sessionStorage: this tab only, gone when it closes); on return the same `since` is
 * published again, so a facilitator who pressed "Presenta" later meanwhile still wins (P2).
 */
export interface RememberedPresenting {
  since: number
  showQr: boolean
}

const keyFor = (boardId: string): string => `tavolo.presenting.${boardId}`

/** Stores (or, with null, forgets) this tab's presenting state for a board. Storage failures are ignored. */
export function rememberPresenting(storage: Storage | null, boardId: string, value: RememberedPresenting | null): void {
  if (!storage) return
  try {
    if (value === null) storage.removeItem(keyFor(boardId))
    else storage.setItem(keyFor(boardId), JSON.stringify(value))
  } catch {
    // Private mode or full storage: presenting simply is not remembered across a reload.
  }
}

/** This tab's remembered presenting state for a board, or null when none (or when what is stored is not valid). */
export function recallPresenting(storage: Storage | null, boardId: string): RememberedPresenting | null {
  if (!storage) return null
  try {
    const raw: unknown = JSON.parse(storage.getItem(keyFor(boardId)) ?? 'null')
    if (typeof raw !== 'object' || raw === null) return null
    const { since, showQr } = raw as Record<string, unknown>
    if (typeof since !== 'number' || !Number.isFinite(since) || since <= 0 || typeof showQr !== 'boolean') return null
    return { since, showQr }
  } catch {
    return null
  }
}
