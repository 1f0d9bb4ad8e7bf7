import type { Role } from '../../../shared/src/roles.ts'
import { encodeAwarenessUpdate, type AwarenessEntry } from './protocol.ts'
import type { ConnectionInfo } from './RoomSocket.ts'

/**
 * R7 Awareness identity. Presence is client-written, but other clients act on it (the projector follows the
 * facilitator who is presenting; participants jump to a facilitator's "bring everyone to me"). So the server makes
 * two claims in it trustworthy before it relays them:
 * - `state.user.role` is stamped with the role of the connection's key (a participant cannot pose as a facilitator);
 * - an awareness client id belongs to the credential (key) that introduced it: entries for an id owned by a
 *   connection with another credential are dropped (nobody can overwrite or erase a facilitator's presence).
 *   Same credential may take an id over: that is a client reconnecting before its old socket timed out.
 */
export interface AwarenessSanitizeResult {
  /** Entries to apply, with roles stamped. */
  entries: AwarenessEntry[]
  /** Entries dropped because their client id belongs to another credential. */
  dropped: number
  /** True when the entries differ from what the client sent (re-encoding needed). */
  changed: boolean
}

/** Applies R7 to the entries of one awareness message from `sender`; `ownerOf` gives the current owner of an id. */
export function sanitizeAwarenessEntries(
  entries: readonly AwarenessEntry[],
  sender: ConnectionInfo,
  ownerOf: (clientId: number) => ConnectionInfo | undefined,
): AwarenessSanitizeResult {
  const kept: AwarenessEntry[] = []
  let dropped = 0
  let changed = false
  for (const entry of entries) {
    const owner = ownerOf(entry.clientId)
    if (owner !== undefined && owner.connectionId !== sender.connectionId && owner.credential !== sender.credential) {
      dropped++
      changed = true
      continue
    }
    const stamped = stampRole(entry.state, sender.role)
    if (stamped !== entry.state) changed = true
    // A stamped state no longer says what its received JSON says: leave the JSON out so it is stringified anew.
    kept.push(stamped === entry.state ? entry : { clientId: entry.clientId, clock: entry.clock, state: stamped, bytes: entry.bytes })
  }
  return { entries: kept, dropped, changed }
}

/** Returns the state with `user.role` set to `role` (the same object when it already says so or has no `user`). */
function stampRole(state: unknown, role: Role): unknown {
  if (!isRecord(state) || !isRecord(state.user)) return state
  if (state.user.role === role) return state
  return { ...state, user: { ...state.user, role } }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Encodes entries as a y-protocols awareness update (the payload `applyAwarenessUpdate` reads). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  return encodeAwarenessUpdate(entries.map(({ clientId, clock, state, json }) => ({ clientId, clock, json: json ?? JSON.stringify(state) })))
}
