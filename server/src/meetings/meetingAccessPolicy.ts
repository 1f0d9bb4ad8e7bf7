import type { AccessPolicy } from '../access/accessPolicy.ts'
import { unauthorized } from '../access/accessPolicy.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { parseMeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { authenticateKey } from './meetingAuth.ts'
import type { MeetingStore } from './meetingStore.ts'

/**
 * The access policy of a server with meetings: `/sync/<meetingId>?k=<key>`.
 * - the board id is not a meeting → refused with 4404;
 * - no `k` parameter, or a key that is none of the meeting's current keys → refused with 4401;
 * - otherwise the key's role, and the credential `<role>:v<version>` that a rotation uses to cut the key off.
 * The store is read on every upgrade, so a rotated key is refused from the moment the rotation is committed.
 */
export function createMeetingAccessPolicy(store: MeetingStore): AccessPolicy {
  return async (boardId, request) => {
    const id = parseMeetingId(boardId)
    const stored = id === null ? null : await store.get(id)
    if (stored === null) return { ok: false, closeCode: CloseCode.NOT_FOUND, reason: 'unknown meeting' }
    const key = request.url.searchParams.get('k')
    if (key === null || key === '') return unauthorized('missing key')
    const match = authenticateKey(stored, key)
    if (match === null) return unauthorized('invalid or revoked key')
    return { ok: true, role: match.role, credential: match.credential }
  }
}
