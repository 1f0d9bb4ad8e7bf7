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
  | { kind: 'versions'; boardId: BoardId; key: string | null; view: VersionsView }
  | { kind: 'process'; processId: string; key: string | null }
  | { kind: 'badBoardId' }
  | { kind: 'notFound' }

/** What the versions pages show: the list, one version read-only, or two compared (`to` may be the live board). */
export type VersionsView =
  | { kind: 'list' }
  | { kind: 'version'; number: number }
  | { kind: 'compare'; from: number; to: number | 'live' }

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
  const process = /^\/process\/([A-Za-z0-9_-]{16,64})$/.exec(path)
  if (process) return { kind: 'process', processId: process[1] ?? '', key: readFragmentKey(hash) }
  const versions = /^\/board\/([^/]*)\/versions(?:\/([^/]+)(?:\/compare\/([^/]+))?)?$/.exec(path)
  if (versions) {
    const boardId = boardIdFromPath(versions[1] ?? '')
    if (!boardId) return { kind: 'badBoardId' }
    const view = parseVersionsView(versions[2], versions[3])
    return view ? { kind: 'versions', boardId, key: readFragmentKey(hash), view } : { kind: 'notFound' }
  }
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

function boardIdFromPath(segment: string): BoardId | null {
  try {
    return parseBoardId(decodeURIComponent(segment))
  } catch {
    return null
  }
}

/** A version number as the API addresses it: 1, 2, … (no leading zero, no sign). */
function versionNumber(segment: string): number | null {
  return /^[1-9][0-9]{0,8}$/.test(segment) ? Number(segment) : null
}

function parseVersionsView(first: string | undefined, second: string | undefined): VersionsView | null {
  if (first === undefined) return { kind: 'list' }
  const from = versionNumber(first)
  if (from === null) return null
  if (second === undefined) return { kind: 'version', number: from }
  const to = second === 'live' ? 'live' : versionNumber(second)
  return to === null ? null : { kind: 'compare', from, to }
}

/** `/board/<id>/versions[/<n>[/compare/<m>|live]]#k=…`: the address of a versions page. */
export function versionsPath(boardId: BoardId, key: string | null, view: VersionsView): string {
  const base = `/board/${encodeURIComponent(boardId)}/versions`
  const tail = view.kind === 'list' ? '' : view.kind === 'version' ? `/${view.number}` : `/${view.from}/compare/${view.to}`
  return `${base}${tail}${key ? `#k=${encodeURIComponent(key)}` : ''}`
}

/** `/process/<id>[#k=…]`: the process page (issue 22); staff need no key (their code is on the device). */
export function processPath(processId: string, key?: string | null): string {
  return `/process/${encodeURIComponent(processId)}${key ? `#k=${encodeURIComponent(key)}` : ''}`
}

export function boardPath(boardId: BoardId, key?: string | null): string {
  return `/board/${encodeURIComponent(boardId)}${key ? `#k=${encodeURIComponent(key)}` : ''}`
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`)
}
