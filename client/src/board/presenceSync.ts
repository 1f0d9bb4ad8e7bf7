import {
  InstancePresenceRecordType,
  createPresenceStateDerivation,
  react,
  type Signal,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { attendeeKey } from '../../../shared/src/presence/attendees.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { colorForUserId, isPresenceColor, PRESENCE_COLORS } from '../identity/localPreferences.ts'
import { assignPresenceColors } from './presenceColors.ts'

/**
 * Presence over Yjs awareness (never in the document). Each peer's awareness state is:
 *   user:     { id, name, color, role, joinedAt } — who is there (the participant count and the projector read this)
 *   presence: TLInstancePresence JSON     — tldraw's cursor, selection, camera, current page
 * Remote `presence` values become `instance_presence` records in the local store (inside mergeRemoteChanges),
 * with the id forced to the peer's awareness client id, so tldraw's cursors and people menu show everyone.
 * They are removed when the peer leaves. Their cursor colour is the one presenceColors.ts assigns (distinct people,
 * distinct colours), the same on every peer.
 */
export interface AwarenessUser {
  id: string
  name: string
  color: string
  role: Role
  /** When this session started (ms): earlier arrivals keep their colour (presenceColors.ts). */
  joinedAt?: number
}

export interface PresenceSyncOptions {
  store: TLStore
  awareness: Awareness
  $user: Signal<TLUser>
  role: Role
  /** How often at most the local presence is published (cursor moves are frequent). */
  throttleMs?: number
}

export function presenceIdFor(clientId: number): TLInstancePresence['id'] {
  return InstancePresenceRecordType.createId(String(clientId))
}

export function readAwarenessUser(state: Record<string, unknown> | undefined): AwarenessUser | null {
  const user = state?.user
  if (typeof user !== 'object' || user === null) return null
  const u = user as Record<string, unknown>
  if (typeof u.id !== 'string' || typeof u.name !== 'string' || typeof u.color !== 'string') return null
  const role = u.role === 'facilitator' || u.role === 'viewer' ? u.role : 'participant'
  const joinedAt = typeof u.joinedAt === 'number' && Number.isFinite(u.joinedAt) ? u.joinedAt : undefined
  return { id: u.id, name: u.name, color: u.color, role, ...(joinedAt === undefined ? {} : { joinedAt }) }
}

/**
 * True when a peer's presence is a person taking part (the shared attendee rule): only they get a cursor, selection
 * and avatar on others' boards. The projector (viewer) and pages whose person has not typed a name ("…") get none.
 */
export function showsPresenceOf(state: Record<string, unknown> | undefined): boolean {
  const user = readAwarenessUser(state)
  return user !== null && attendeeKey(user.role, user.name) !== null
}

export function startPresenceSync({ store, awareness, $user, role, throttleMs = 33 }: PresenceSyncOptions): () => void {
  const ownId = awareness.clientID
  const derivation = createPresenceStateDerivation($user, { instanceId: presenceIdFor(ownId) })(store)
  const remoteIds = new Map<number, TLInstancePresence['id']>()
  const joinedAt = Date.now()
  let colors = new Map<string, string>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  // Awareness writes are deferred out of the reaction: writing synchronously re-enters the store (stack notes).
  function publish() {
    timer = null
    if (stopped) return
    const user = $user.get()
    const awarenessUser: AwarenessUser = { id: user.id, name: user.name, color: user.color, role, joinedAt }
    awareness.setLocalState({ ...(awareness.getLocalState() ?? {}), user: awarenessUser, presence: derivation.get() })
  }
  const stopReact = react('publish presence', () => {
    derivation.get()
    $user.get()
    if (timer === null) timer = setTimeout(publish, throttleMs)
  })

  /** Recomputes everyone's colour; true when someone's changed (their presence must then be written again). */
  function refreshColors(): boolean {
    const claims = []
    for (const state of awareness.getStates().values()) {
      const user = readAwarenessUser(state)
      // a colour off the palette (an older client, or any client at all: presence is public) would not be held to
      // the cursor labels' contrast: such a peer gets the palette's colour for its id
      const preferred = isPresenceColor(user?.color) ? user.color : colorForUserId(user?.id ?? '')
      if (user && user.role !== 'viewer') claims.push({ userId: user.id, preferred, joinedAt: user.joinedAt ?? Number.MAX_SAFE_INTEGER })
    }
    const next = assignPresenceColors(claims, PRESENCE_COLORS)
    const changed = next.size !== colors.size || [...next].some(([id, color]) => colors.get(id) !== color)
    colors = next
    return changed
  }

  function applyRemote(clientIds: number[]) {
    const states = awareness.getStates()
    if (refreshColors()) clientIds = [...new Set([...clientIds, ...remoteIds.keys()])]
    const toPut: TLInstancePresence[] = []
    const toRemove: TLInstancePresence['id'][] = []
    for (const clientId of clientIds) {
      if (clientId === ownId) continue
      const raw = states.get(clientId)?.presence
      const id = presenceIdFor(clientId)
      if (typeof raw !== 'object' || raw === null || !showsPresenceOf(states.get(clientId))) {
        if (remoteIds.has(clientId)) toRemove.push(id)
        remoteIds.delete(clientId)
        continue
      }
      try {
        const userId = readAwarenessUser(states.get(clientId))?.id
        const color = userId === undefined ? undefined : colors.get(userId)
        const candidate = { ...(raw as TLInstancePresence), id, typeName: 'instance_presence' as const, ...(color ? { color } : {}) }
        const before = store.get(id) ?? null
        toPut.push(
          store.schema.validateRecord(store, candidate, before ? 'updateRecord' : 'createRecord', before) as TLInstancePresence,
        )
        remoteIds.set(clientId, id)
      } catch (error) {
        console.warn(`[tavolo] ignored invalid presence from client ${clientId}`, error)
      }
    }
    if (toPut.length === 0 && toRemove.length === 0) return
    store.mergeRemoteChanges(() => {
      if (toRemove.length) store.remove(toRemove.filter((id) => store.has(id)))
      if (toPut.length) store.put(toPut)
    })
  }
  function removeRemote(clientIds: number[]) {
    const ids = clientIds.flatMap((c) => {
      const id = remoteIds.get(c)
      remoteIds.delete(c)
      return id && store.has(id) ? [id] : []
    })
    if (ids.length) store.mergeRemoteChanges(() => store.remove(ids))
  }
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    removeRemote(removed)
    applyRemote([...added, ...updated])
  }
  awareness.on('change', onChange)
  // Peers already in the room before we subscribed (stack notes).
  applyRemote([...awareness.getStates().keys()])

  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
    stopReact()
    awareness.off('change', onChange)
    removeRemote([...remoteIds.keys()])
  }
}
