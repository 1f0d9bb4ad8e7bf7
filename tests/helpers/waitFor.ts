/**
 * Polls `predicate` until it returns a truthy value (or a promise of one) and resolves with that value.
 * Rejects with `message` (or a default) after `timeoutMs`. Use it instead of sleeping: tests wait for conditions.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs = 5000,
  message = 'condition not met',
  intervalMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown = null
  for (;;) {
    try {
      const value = await predicate()
      if (value) return value as NonNullable<T>
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${message}${detail}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** A promise with its resolve function exposed: for gating fake stores and sockets in tests. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
