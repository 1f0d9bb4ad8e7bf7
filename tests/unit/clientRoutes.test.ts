import { describe, expect, test } from 'vitest'
import { boardPath, parseRoute, processPath, readFragmentKey } from '../../client/src/app/routes.ts'
import { isProductionOrigin, mustBlockForMissingLicense } from '../../client/src/config/licensePolicy.ts'
import { showsPresenceOf } from '../../client/src/board/presenceSync.ts'
import type { BoardId } from '../../shared/src/boardId.ts'

describe('routes', () => {
  test('home, board with and without key, malformed ids, unknown paths', () => {
    expect(parseRoute('/', '')).toEqual({ kind: 'home' })
    expect(parseRoute('/board/abc-1', '')).toEqual({ kind: 'board', boardId: 'abc-1', key: null })
    expect(parseRoute('/board/abc-1/', '#k=s3cr3t')).toEqual({ kind: 'board', boardId: 'abc-1', key: 's3cr3t' })
    expect(parseRoute('/board/ab%20c', '')).toEqual({ kind: 'badBoardId' })
    expect(parseRoute('/board/%E0%A4%A', '')).toEqual({ kind: 'badBoardId' })
    expect(parseRoute('/board/' + 'x'.repeat(65), '')).toEqual({ kind: 'badBoardId' })
    expect(parseRoute('/board/', '')).toEqual({ kind: 'badBoardId' })
    expect(parseRoute('/nope', '')).toEqual({ kind: 'notFound' })
    expect(parseRoute('/board/a/b', '')).toEqual({ kind: 'notFound' })
  })

  test('the process page (issue 22): staff without a key, a facilitator with the key of their link', () => {
    expect(parseRoute('/process/AbCdEfGhIjKlMnOp', '')).toEqual({ kind: 'process', processId: 'AbCdEfGhIjKlMnOp', key: null })
    expect(parseRoute('/process/AbCdEfGhIjKlMnOp', '#k=chiave')).toEqual({ kind: 'process', processId: 'AbCdEfGhIjKlMnOp', key: 'chiave' })
    expect(parseRoute('/process/short', '')).toEqual({ kind: 'notFound' })
    expect(processPath('AbCdEfGhIjKlMnOp', 'k y')).toBe('/process/AbCdEfGhIjKlMnOp#k=k%20y')
  })

  test('the key comes only from the fragment', () => {
    expect(readFragmentKey('#k=abc&x=1')).toBe('abc')
    expect(readFragmentKey('')).toBeNull()
    expect(boardPath('b1' as BoardId, 'k y')).toBe('/board/b1#k=k%20y')
  })
})

describe('license policy', () => {
  test('production = https on a non-loopback host', () => {
    expect(isProductionOrigin({ protocol: 'https:', hostname: 'tavolo.comune.example.it' })).toBe(true)
    expect(isProductionOrigin({ protocol: 'http:', hostname: 'tavolo.comune.example.it' })).toBe(false)
    expect(isProductionOrigin({ protocol: 'https:', hostname: 'localhost' })).toBe(false)
    expect(isProductionOrigin({ protocol: 'https:', hostname: '127.0.0.1' })).toBe(false)
    expect(isProductionOrigin({ protocol: 'https:', hostname: '[::1]' })).toBe(false)
  })
  test('the board is blocked only in production without a key', () => {
    const prod = { protocol: 'https:', hostname: 'tavolo.example.org' }
    expect(mustBlockForMissingLicense(prod, null)).toBe(true)
    expect(mustBlockForMissingLicense(prod, 'tldraw-key')).toBe(false)
    expect(mustBlockForMissingLicense({ protocol: 'http:', hostname: 'x' }, null)).toBe(false)
  })
})

describe('whose cursor and avatar a board shows', () => {
  test('named participants and facilitators only: not the projector (viewer), not an unnamed page ("…")', () => {
    const state = (name: string, role: string) => ({ user: { id: name, name, color: '#000000', role } })
    expect(showsPresenceOf(state('Anna', 'participant'))).toBe(true)
    expect(showsPresenceOf(state('Bruno', 'facilitator'))).toBe(true)
    expect(showsPresenceOf(state('Proiettore', 'viewer'))).toBe(false)
    expect(showsPresenceOf(state('…', 'participant'))).toBe(false)
    expect(showsPresenceOf(state('…', 'facilitator'))).toBe(false)
    expect(showsPresenceOf({})).toBe(false)
  })
})
