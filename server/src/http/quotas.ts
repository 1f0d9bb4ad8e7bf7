/**
 * Counters behind the quotas (connections per key and per client address, meetings created per minute, wrong-token
 * attempts per client address). Pure: the caller passes the time. Bounded: expired windows are dropped as the map
 * grows, so an attacker cycling through addresses cannot grow them without limit.
 */

/** At most `limit` events per `windowMs` per key, in fixed windows that start at a key's first event. */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()
  private readonly limit: number
  private readonly windowMs: number
  private readonly maxKeys: number

  constructor(options: { limit: number; windowMs: number; maxKeys?: number }) {
    this.limit = options.limit
    this.windowMs = options.windowMs
    this.maxKeys = options.maxKeys ?? 10_000
  }

  /** Milliseconds until `key` may act again, or 0 when it is under its limit now. Does not count anything. */
  blockedFor(key: string, now: number): number {
    const window = this.windows.get(key)
    if (window === undefined || window.resetAt <= now) return 0
    return window.count >= this.limit ? window.resetAt - now : 0
  }

  /** Counts one event for `key`; returns what blockedFor would say before counting it (0: allowed). */
  hit(key: string, now: number): number {
    const blocked = this.blockedFor(key, now)
    if (blocked > 0) return blocked
    let window = this.windows.get(key)
    if (window === undefined || window.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.prune(now)
      window = { count: 0, resetAt: now + this.windowMs }
      this.windows.set(key, window)
    }
    window.count++
    return 0
  }

  /** Forgets `key` (e.g. after a successful sign-in). */
  reset(key: string): void {
    this.windows.delete(key)
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
    // Every window still live and the map full: drop the oldest (Map keeps insertion order) rather than grow.
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value
      if (oldest === undefined) break
      this.windows.delete(oldest)
    }
  }
}

/** Open connections per key; a slot is taken when a connection is accepted and given back when its socket closes. */
export class ConcurrencyCounter {
  private readonly counts = new Map<string, number>()
  constructor(private readonly limit: number) {}

  /** Takes a slot for `key`, or returns false (nothing taken) when it already holds `limit`. */
  tryAcquire(key: string): boolean {
    const count = this.counts.get(key) ?? 0
    if (count >= this.limit) return false
    this.counts.set(key, count + 1)
    return true
  }

  release(key: string): void {
    const count = this.counts.get(key) ?? 0
    if (count <= 1) this.counts.delete(key)
    else this.counts.set(key, count - 1)
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0
  }

  /** True when `key` holds every slot (tryAcquire would refuse). */
  isFull(key: string): boolean {
    return this.count(key) >= this.limit
  }
}

/** `Retry-After` in whole seconds (at least 1) for a wait in milliseconds. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
