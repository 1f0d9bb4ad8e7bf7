import { describe, expect, it } from 'vitest'
import { bearerToken, generateKey, generateMeetingId, secretMatches } from '../../server/src/meetings/meetingKeys.ts'
import { BOARD_ID_PATTERN } from '../../shared/src/boardId.ts'

describe('meeting keys', () => {
  it('keys are URL-safe, carry at least 128 random bits and do not repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateKey))
    expect(keys.size).toBe(1000)
    for (const k of keys) {
      expect(k).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(Buffer.from(k, 'base64url').length * 8).toBeGreaterThanOrEqual(128)
    }
  })

  it('meeting ids are valid board ids', () => {
    for (let i = 0; i < 200; i++) expect(generateMeetingId()).toMatch(BOARD_ID_PATTERN)
  })

  it('secretMatches compares exactly, whatever the lengths', () => {
    const k = generateKey()
    expect(secretMatches(k, k)).toBe(true)
    expect(secretMatches(k.slice(0, -1), k)).toBe(false)
    expect(secretMatches(`${k}x`, k)).toBe(false)
    expect(secretMatches('', k)).toBe(false)
  })

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc')).toBe('abc')
    expect(bearerToken('bearer  abc ')).toBe('abc')
    expect(bearerToken('Basic abc')).toBeNull()
    expect(bearerToken('Bearer a b')).toBeNull()
    expect(bearerToken(undefined)).toBeNull()
  })
})
