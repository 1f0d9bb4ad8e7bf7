import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ObservableV2 } from 'lib0/observable'
import { createConnectionTracker, type ProviderLike } from '../../client/src/board/connectionTracker.ts'

type Events = {
  status: (e: { status: string }) => void
  sync: (synced: boolean) => void
  closed: (e: { code: number; reason: string }) => void
}

class FakeProvider extends ObservableV2<Events> implements ProviderLike {
  wsconnected = false
  synced = false
  open() {
    this.wsconnected = true
    this.emit('status', [{ status: 'connected' }])
    this.synced = true
    this.emit('sync', [true])
  }
  drop() {
    this.wsconnected = false
    this.synced = false
    this.emit('status', [{ status: 'disconnected' }])
  }
}

function setup(initialIds: string[] = []) {
  const provider = new FakeProvider()
  let online = true
  const listeners = new Set<() => void>()
  const saved: string[][] = []
  const tracker = createConnectionTracker({
    provider,
    network: {
      isOnline: () => online,
      subscribe: (fn) => {
        listeners.add(fn)
        return () => listeners.delete(fn)
      },
    },
    unsentStore: { load: () => initialIds, save: (ids) => saved.push(ids) },
    offlineAfterMs: 5000,
  })
  const setOnline = (v: boolean) => {
    online = v
    for (const l of listeners) l()
  }
  return { provider, tracker, saved, setOnline, listeners }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('connection tracker', () => {
  test('connecting → connected → reconnecting → offline after the threshold → connected', () => {
    const { provider, tracker } = setup()
    expect(tracker.$state.get().status).toBe('connecting')
    provider.open()
    expect(tracker.$state.get().status).toBe('connected')
    provider.drop()
    expect(tracker.$state.get().status).toBe('reconnecting')
    vi.advanceTimersByTime(5100)
    expect(tracker.$state.get().status).toBe('offline')
    provider.open()
    expect(tracker.$state.get().status).toBe('connected')
    tracker.dispose()
  })

  test('the browser going offline shows offline at once', () => {
    const { provider, tracker, setOnline } = setup()
    provider.open()
    provider.drop()
    setOnline(false)
    expect(tracker.$state.get().status).toBe('offline')
    tracker.dispose()
  })

  test('unsent counts distinct items changed while down, survives a reload, clears on sync', () => {
    const { provider, tracker, saved } = setup(['shape:old'])
    expect(tracker.$state.get().unsent).toBe(1)
    provider.open()
    expect(tracker.$state.get().unsent).toBe(0)
    tracker.noteLocalChange(['shape:a'])
    expect(tracker.$state.get().unsent).toBe(0) // sent at once while connected
    provider.drop()
    tracker.noteLocalChange(['shape:a'])
    tracker.noteLocalChange(['shape:a', 'shape:b'])
    expect(tracker.$state.get().unsent).toBe(2)
    expect(saved.at(-1)).toEqual(['shape:a', 'shape:b'])
    provider.open()
    expect(tracker.$state.get().unsent).toBe(0)
    expect(saved.at(-1)).toEqual([])
    tracker.dispose()
  })

  test('a terminal close shows closed with its code', () => {
    const { provider, tracker } = setup()
    provider.open()
    provider.drop()
    provider.emit('closed', [{ code: 4401, reason: 'bad key' }])
    expect(tracker.$state.get()).toMatchObject({ status: 'closed', closeCode: 4401 })
    tracker.dispose()
  })

  test('dispose removes its listeners', () => {
    const { provider, tracker, listeners } = setup()
    tracker.dispose()
    provider.open()
    expect(tracker.$state.get().status).toBe('connecting')
    expect(listeners.size).toBe(0)
  })
})

// Board SPEC S8: the connection opens at boot, before the role is known; the session (and its tracker) comes later.
describe('connection tracker created after the provider opened (S8)', () => {
  const network = { isOnline: () => true, subscribe: () => () => {} }

  test('a provider that already synced: connected at once, and the unsent items of the last visit are cleared', () => {
    const provider = new FakeProvider()
    provider.open()
    const saved: string[][] = []
    const tracker = createConnectionTracker({ provider, network, unsentStore: { load: () => ['shape:a'], save: (ids) => saved.push(ids) } })
    expect(tracker.$state.get()).toEqual({ status: 'connected', unsent: 0, closeCode: null })
    expect(saved.at(-1)).toEqual([])
    provider.drop()
    expect(tracker.$state.get().status).toBe('reconnecting')
  })

  test('a provider the server already closed for good: closed with that code, not connecting forever', () => {
    const provider = new FakeProvider()
    const tracker = createConnectionTracker({ provider, network, closedWith: 4404 })
    expect(tracker.$state.get()).toEqual({ status: 'closed', unsent: 0, closeCode: 4404 })
  })
})
