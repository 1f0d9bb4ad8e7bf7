import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { SerializedBoardSchema } from '../../../shared/src/versions/versionSchemas.ts'

/** A stored version's records as the diff, report, export and restore read them (VersionStore.getRecordsText). */
export interface VersionTexts {
  schema: SerializedBoardSchema
  ndjson: string
  outlineText: string | null
}

/** Up to this many versions, and at most this many characters of record texts in all, stay in memory after a read. */
const RECENT_VERSIONS = 6
const RECENT_CHARS = 32 * 1024 * 1024

const charsOf = (entry: VersionTexts) => entry.ndjson.length + (entry.outlineText?.length ?? 0)

/**
 * A least-recently-used cache of versions read (versions are immutable: a staff member stepping through versions and
 * diffs reads the same ones again), bounded by count and by characters held. Entries are frozen; callers only read
 * them. Erasing a meeting must `forget` it (meetingsFeature.ts wires it to the eraser): no copy outlives the erase.
 */
export function createVersionCache() {
  const entries = new Map<string, { value: VersionTexts; chars: number }>()
  let chars = 0
  const keyOf = (meetingId: MeetingId, number: number) => `${meetingId}/${number}`
  return {
    get(meetingId: MeetingId, number: number): VersionTexts | undefined {
      const key = keyOf(meetingId, number)
      const hit = entries.get(key)
      if (hit === undefined) return undefined
      entries.delete(key)
      entries.set(key, hit)
      return hit.value
    },
    put(meetingId: MeetingId, number: number, value: VersionTexts): VersionTexts {
      const frozen = Object.freeze(value)
      const size = charsOf(value)
      if (size > RECENT_CHARS) return frozen
      const key = keyOf(meetingId, number)
      const old = entries.get(key)
      if (old !== undefined) chars -= old.chars
      entries.set(key, { value: frozen, chars: size })
      chars += size
      for (const [k, entry] of entries) {
        if (entries.size <= RECENT_VERSIONS && chars <= RECENT_CHARS) break
        entries.delete(k)
        chars -= entry.chars
      }
      return frozen
    },
    /** Forgets every cached version of a meeting (it was erased). */
    forget(meetingId: MeetingId): void {
      for (const [key, entry] of entries) {
        if (key.startsWith(`${meetingId}/`)) {
          entries.delete(key)
          chars -= entry.chars
        }
      }
    },
    /** Versions held (tests). */
    has(meetingId: MeetingId, number: number): boolean {
      return entries.has(keyOf(meetingId, number))
    },
  }
}

export type VersionCache = ReturnType<typeof createVersionCache>
