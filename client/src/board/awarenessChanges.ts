/** An awareness `change` event (y-protocols): the client ids whose state appeared, changed or went. */
export interface AwarenessChange {
  added: readonly number[]
  updated: readonly number[]
  removed: readonly number[]
}

type State = Record<string, unknown>

function withoutPresence(state: State | undefined): string {
  if (state === undefined) return ''
  const { presence: _presence, ...rest } = state
  return JSON.stringify(rest)
}

/**
 * True when a change only moved this client's own `presence` (cursor, camera, selection: written up to 30 times a
 * second while the person moves, and several times while the board opens): what the board's chrome reads from
 * awareness (who is here, who leads, summons) is then the same, so it need not render again. `before` is the own
 * state the caller last read, `after` the current one.
 */
export function onlyOwnPresenceMoved(change: AwarenessChange, ownId: number, before: State | undefined, after: State | undefined): boolean {
  if (change.added.length > 0 || change.removed.length > 0) return false
  if (change.updated.length !== 1 || change.updated[0] !== ownId) return false
  return before !== undefined && after !== undefined && withoutPresence(before) === withoutPresence(after)
}
