/**
 * Leading a session over Yjs awareness (never in the document): pure rules, unit-tested in tests/unit/leading.test.ts.
 *
 * SPEC (tests cite these numbers)
 * P1  A facilitator who presses "Presenta" publishes `presenting: { since, showQr, participantLink? }` in its
 *     awareness state. The presenter is the state with the greatest `since` among states whose `user.role` is
 *     `facilitator` (ties: the greater client id). States of other roles are ignored, whatever they publish (the
 *     server makes the published role equal the key's role).
 * P2  `since` is max(own clock, greatest `since` seen + 1), so a facilitator with a slow clock who presses later still
 *     takes over.
 * P3  The projector shows the join QR only when the presenter says `showQr: true` AND its `participantLink` is a link
 *     to this same board (`/board/<this id>#k=<key>`, same origin or a path); anything else shows no QR.
 *     The participant link is published only while the QR is on: every peer of the room (viewers included) can read
 *     awareness, so a viewer could read the participant link while it is shown on the wall, exactly as anyone in the
 *     room can scan it there. With the QR off, it is not in awareness.
 * S1  "Porta tutti da me" publishes `summon: { nonce, pageId, bounds }` for SUMMON_TTL_MS, then removes it.
 *     A participant applies each (facilitator client, nonce) once; afterwards they may move away freely.
 *     Someone who joins while a summon is still published is moved too (that is what "everyone" means).
 * F1  Frames are the slides. Order: reading order of the frames at the top of the current page, i.e. rows from top to
 *     bottom, left to right within a row; two frames are in the same row when their vertical ranges overlap by at
 *     least half of the shorter one. tldraw's index order was rejected: it is the stacking order, invisible to people.
 * F2  "Next" goes to the frame after the one the viewport is on (the frame containing the viewport's centre; the
 *     smallest if several), or to the first frame when the viewport is on none; "previous" likewise, to the last.
 *     There is no wrap-around: at the last frame, "next" stays.
 */

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export interface Presenting {
  since: number
  showQr: boolean
  participantLink?: string
}

export interface Summon {
  nonce: string
  pageId: string
  bounds: Box
}

export const SUMMON_TTL_MS = 10_000

type States = ReadonlyMap<number, Record<string, unknown>>

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function roleOf(state: Record<string, unknown> | undefined): string | null {
  const user = state?.user
  return isObject(user) && typeof user.role === 'string' ? user.role : null
}

function userIdOf(state: Record<string, unknown> | undefined): string | null {
  const user = state?.user
  return isObject(user) && typeof user.id === 'string' ? user.id : null
}

export function readPresenting(state: Record<string, unknown> | undefined): Presenting | null {
  const p = state?.presenting
  if (!isObject(p) || !isFiniteNumber(p.since) || typeof p.showQr !== 'boolean') return null
  const result: Presenting = { since: p.since, showQr: p.showQr }
  if (typeof p.participantLink === 'string' && p.participantLink.length <= 2048) result.participantLink = p.participantLink
  return result
}

export function isValidBox(value: unknown): value is Box {
  return (
    isObject(value) &&
    isFiniteNumber(value.x) &&
    isFiniteNumber(value.y) &&
    isFiniteNumber(value.w) &&
    isFiniteNumber(value.h) &&
    value.w > 0 &&
    value.h > 0
  )
}

export function readSummon(state: Record<string, unknown> | undefined): Summon | null {
  const s = state?.summon
  if (!isObject(s) || typeof s.nonce !== 'string' || s.nonce.length === 0 || s.nonce.length > 64) return null
  if (typeof s.pageId !== 'string' || !s.pageId.startsWith('page:') || !isValidBox(s.bounds)) return null
  return { nonce: s.nonce, pageId: s.pageId, bounds: { x: s.bounds.x, y: s.bounds.y, w: s.bounds.w, h: s.bounds.h } }
}

export interface Presenter {
  clientId: number
  userId: string
  name: string
  presenting: Presenting
}

/** P1: the facilitator who last pressed "Presenta", or null. */
export function choosePresenter(states: States): Presenter | null {
  let best: Presenter | null = null
  for (const [clientId, state] of states) {
    if (roleOf(state) !== 'facilitator') continue
    const userId = userIdOf(state)
    const presenting = readPresenting(state)
    if (userId === null || presenting === null) continue
    if (best === null || presenting.since > best.presenting.since || (presenting.since === best.presenting.since && clientId > best.clientId)) {
      const user = state.user as Record<string, unknown>
      best = { clientId, userId, name: typeof user.name === 'string' ? user.name : '', presenting }
    }
  }
  return best
}

/** P2: the `since` to publish when pressing "Presenta" now. */
export function nextPresentingSince(states: States, now: number): number {
  let max = -Infinity
  for (const state of states.values()) {
    const p = readPresenting(state)
    if (p && roleOf(state) === 'facilitator') max = Math.max(max, p.since)
  }
  return Math.max(now, max + 1)
}

/**
 * P3: the participant link to show as a QR on the projector of board `boardId`, or null. A path is resolved against
 * the projector's `origin`; an absolute link (PUBLIC_URL) must be http(s) and its path must end in `/board/<boardId>`
 * (PUBLIC_URL may add a path prefix), with a key in the fragment.
 */
export function qrLinkFor(presenter: Presenter | null, boardId: string, origin: string): string | null {
  if (!presenter || !presenter.presenting.showQr) return null
  const link = presenter.presenting.participantLink
  if (!link) return null
  let url: URL
  try {
    url = new URL(link, origin)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.pathname.replace(/\/+$/, '').split('/').slice(-2).join('/') !== `board/${boardId}`) return null
  const key = new URLSearchParams(url.hash.slice(1)).get('k')
  if (!key) return null
  return url.href
}

/**
 * S1: which summons to apply now. `seen` maps a facilitator's client id to the last nonce applied from it; the
 * returned `seen` replaces it. Only facilitators' summons count; our own are ignored.
 */
export function summonsToApply(
  states: States,
  seen: ReadonlyMap<number, string>,
  ownClientId: number,
): { apply: Summon[]; seen: Map<number, string> } {
  const next = new Map(seen)
  const apply: Summon[] = []
  for (const [clientId, state] of states) {
    if (clientId === ownClientId || roleOf(state) !== 'facilitator') continue
    const summon = readSummon(state)
    if (!summon || seen.get(clientId) === summon.nonce) continue
    next.set(clientId, summon.nonce)
    apply.push(summon)
  }
  return { apply, seen: next }
}

export interface Frame {
  id: string
  bounds: Box
}

/** F1: frames in reading order (rows top to bottom, left to right within a row). */
export function orderFrames<T extends Frame>(frames: readonly T[]): T[] {
  const byTop = [...frames].sort((a, b) => a.bounds.y - b.bounds.y || a.bounds.x - b.bounds.x || (a.id < b.id ? -1 : 1))
  const rows: T[][] = []
  let row: T[] = []
  let rowTop = 0
  let rowBottom = 0
  for (const frame of byTop) {
    const top = frame.bounds.y
    const bottom = frame.bounds.y + frame.bounds.h
    if (row.length > 0) {
      const overlap = Math.min(bottom, rowBottom) - Math.max(top, rowTop)
      const shorter = Math.min(frame.bounds.h, rowBottom - rowTop)
      if (overlap >= shorter / 2) {
        row.push(frame)
        rowBottom = Math.max(rowBottom, bottom)
        continue
      }
      rows.push(row)
    }
    row = [frame]
    rowTop = top
    rowBottom = bottom
  }
  if (row.length > 0) rows.push(row)
  return rows.flatMap((r) => r.sort((a, b) => a.bounds.x - b.bounds.x || (a.id < b.id ? -1 : 1)))
}

function contains(box: Box, point: { x: number; y: number }): boolean {
  return point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y && point.y <= box.y + box.h
}

/** F2: the index (in `ordered`) of the frame the viewport is on: the smallest frame containing its centre, or -1. */
export function frameAt(ordered: readonly Frame[], viewport: Box): number {
  const centre = { x: viewport.x + viewport.w / 2, y: viewport.y + viewport.h / 2 }
  let current = -1
  ordered.forEach((frame, i) => {
    if (!contains(frame.bounds, centre)) return
    const best = ordered[current]
    if (current === -1 || (best && frame.bounds.w * frame.bounds.h < best.bounds.w * best.bounds.h)) current = i
  })
  return current
}

/** F2: the index (in `ordered`) of the frame to go to, or null when there is nowhere to go. */
export function stepFrame(ordered: readonly Frame[], viewport: Box, direction: 1 | -1): number | null {
  if (ordered.length === 0) return null
  const current = frameAt(ordered, viewport)
  if (current === -1) return direction === 1 ? 0 : ordered.length - 1
  const next = current + direction
  return next >= 0 && next < ordered.length ? next : null
}
