import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { parseMeetingId, type MeetingId } from '../../../shared/src/meetings/meetingId.ts'

/** Bytes of randomness in a key: 24 bytes = 192 bits, 32 base64url characters. */
const KEY_BYTES = 24
/** Bytes of randomness in a meeting id: 12 bytes = 96 bits, 16 base64url characters (a valid board id). */
const ID_BYTES = 12

/** A new unguessable, URL-safe key (192 random bits). */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64url')
}

/** A new random meeting id, valid as a board id. */
export function generateMeetingId(): MeetingId {
  const id = parseMeetingId(randomBytes(ID_BYTES).toString('base64url'))
  if (id === null) throw new Error('generated meeting id is not a valid board id')
  return id
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/**
 * Constant-time comparison of a presented secret with the expected one. Both are hashed first, so the comparison
 * runs on equal-length buffers and its time reveals neither the length nor any prefix of the expected secret.
 */
export function secretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

/** The bearer token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
  return match?.[1] ?? null
}
