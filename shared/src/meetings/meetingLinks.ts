import type { MeetingId } from './meetingId.ts'
import type { MeetingKeys, MeetingLinks } from './meetingSchemas.ts'

/** The path of a meeting's board page; the client reads the key from the fragment (`#k=`), which never reaches a server. */
export function boardPath(id: MeetingId): string {
  return `/board/${id}`
}

/** The path of a meeting's projector page (it opens with the viewer key). */
export function projectorPath(id: MeetingId): string {
  return `/board/${id}/projector`
}

/**
 * The four share links of a meeting. Paths when `publicUrl` is null, otherwise absolute URLs under it
 * (a publicUrl with a path, e.g. `https://example.org/tavolo/`, is kept as a prefix).
 */
export function buildMeetingLinks(publicUrl: string | null, id: MeetingId, keys: MeetingKeys): MeetingLinks {
  const base = publicUrl === null ? '' : publicUrl.replace(/\/+$/, '')
  const fragment = (key: string) => `#k=${encodeURIComponent(key)}`
  return {
    facilitator: `${base}${boardPath(id)}${fragment(keys.facilitator)}`,
    participant: `${base}${boardPath(id)}${fragment(keys.participant)}`,
    viewer: `${base}${boardPath(id)}${fragment(keys.viewer)}`,
    projector: `${base}${projectorPath(id)}${fragment(keys.viewer)}`,
  }
}
