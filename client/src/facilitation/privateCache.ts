/**
 * This device's private cards of a round, kept in the browser (localStorage) next to the server's copy, so that a
 * reload, a lost connection or a server that cannot be reached loses nothing (facilitation SPEC PR3). Pure helpers
 * over a Storage; the hook (usePrivateCards.ts) decides when to read and write.
 */
import { z } from 'zod'
import { PrivateCardSchema, type PrivateCard } from '../../../shared/src/facilitation/privateRound.ts'

const CACHE_PREFIX = 'tavolo.private.v1'
const CacheSchema = z.array(PrivateCardSchema)

export function privateCacheKey(meetingId: string, roundId: string, voterId: string): string {
  return `${CACHE_PREFIX}:${meetingId}:${roundId}:${voterId}`
}

export function readPrivateCache(storage: Pick<Storage, 'getItem'> | null, key: string): PrivateCard[] {
  try {
    const parsed = CacheSchema.safeParse(JSON.parse(storage?.getItem(key) ?? '[]'))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

export function writePrivateCache(storage: Pick<Storage, 'setItem' | 'removeItem'> | null, key: string, cards: readonly PrivateCard[]): void {
  try {
    if (cards.length === 0) storage?.removeItem(key)
    else storage?.setItem(key, JSON.stringify(cards))
  } catch {
    // a full or disabled storage: the server's copy still holds what reached it
  }
}

/** Drops the device's cached cards of rounds other than `keep` in this meeting (revealed or replaced rounds). */
export function forgetOtherRounds(storage: Storage | null, meetingId: string, keep: string | null): void {
  if (storage === null) return
  try {
    const prefix = `${CACHE_PREFIX}:${meetingId}:`
    const stale: string[] = []
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)
      if (key !== null && key.startsWith(prefix) && (keep === null || !key.startsWith(`${prefix}${keep}:`))) stale.push(key)
    }
    for (const key of stale) storage.removeItem(key)
  } catch {
    // nothing to clean
  }
}

/**
 * What the device holds after reading both copies: the server's cards, then the cached ones the server has not got
 * (written offline, or whose request was lost), in the device's order; a card on both keeps the cache's text (the
 * device's latest).
 */
export function mergePrivateCards(server: readonly PrivateCard[], cached: readonly PrivateCard[]): PrivateCard[] {
  const local = new Map(cached.map((c) => [c.id, c]))
  const out = server.map((c) => local.get(c.id) ?? c)
  const known = new Set(server.map((c) => c.id))
  for (const c of cached) if (!known.has(c.id)) out.push(c)
  return out
}

export function samePrivateCards(a: readonly PrivateCard[], b: readonly PrivateCard[]): boolean {
  return a.length === b.length && a.every((c, i) => JSON.stringify(c) === JSON.stringify(b[i]))
}

export function newPrivateCardId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  return `pc_${Array.from(bytes, (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'[b % 64]).join('')}`
}
