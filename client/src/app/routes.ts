import { parseBoardId, type BoardId } from '../../../shared/src/boardId.ts'

/**
 * The app's routes, parsed from the location without a router dependency. To add a route: add a variant here,
 * a case in parseRoute, and a case in <RouteView> (App.tsx); the switch there ends in assertNever.
 */
export type Route =
  | { kind: 'home' }
  | { kind: 'meetings' }
  | { kind: 'board'; boardId: BoardId; key: string | null }
  | { kind: 'projector'; boardId: BoardId; key: string | null }
  | { kind: 'badBoardId' }
  | { kind: 'notFound' }

/** Reads `k` from a URL fragment like `#k=abc` (fragments never reach the server or Referer headers). */
export function readFragmentKey(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash)
  const k = params.get('k')
  return k && k.length > 0 && k.length <= 256 ? k : null
}

export function parseRoute(pathname: string, hash: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/') return { kind: 'home' }
  if (path === '/meetings') return { kind: 'meetings' }
  if (path === '/board') return { kind: 'badBoardId' }
  const board = /^\/board\/([^/]*)(\/projector)?$/.exec(path)
  if (board) {
    let raw: string
    try {
      raw = decodeURIComponent(board[1] ?? '')
    } catch {
      return { kind: 'badBoardId' }
    }
    const boardId = parseBoardId(raw)
    if (!boardId) return { kind: 'badBoardId' }
    return { kind: board[2] ? 'projector' : 'board', boardId, key: readFragmentKey(hash) }
  }
  return { kind: 'notFound' }
}

export function boardPath(boardId: BoardId, key?: string | null): string {
  return `/board/${encodeURIComponent(boardId)}${key ? `#k=${encodeURIComponent(key)}` : ''}`
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`)
}
