/** The device's cache of its private cards (client/src/facilitation/privateCache.ts, facilitation SPEC PR3). */
import { describe, expect, it } from 'vitest'
import { forgetOtherRounds, mergePrivateCards, privateCacheKey, readPrivateCache, samePrivateCards, writePrivateCache } from '../../client/src/facilitation/privateCache.ts'

class MemoryStorage implements Storage {
  private items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  clear() {
    this.items.clear()
  }
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
  setItem(key: string, value: string) {
    this.items.set(key, value)
  }
}

const card = (id: string, text: string) => ({ id: `pc_${id.padEnd(8, '0')}`, text, x: 1, y: 2 })

describe('private card cache', () => {
  it('PR3: what the server lacks (written offline) is kept after what it has; the device wins on the same card', () => {
    const server = [card('a', 'A'), card('b', 'B')]
    const cached = [card('b', 'B changed'), card('c', 'C offline')]
    const merged = mergePrivateCards(server, cached)
    expect(merged.map((c) => c.text)).toEqual(['A', 'B changed', 'C offline'])
    expect(samePrivateCards(server, merged)).toBe(false)
    expect(samePrivateCards(server, mergePrivateCards(server, []))).toBe(true)
  })

  it('PR3: reads back what it wrote, ignores garbage, forgets the rounds that are over', () => {
    const storage = new MemoryStorage()
    const key = privateCacheKey('m1', 'round_1', 'device-0000000001')
    writePrivateCache(storage, key, [card('a', 'A')])
    expect(readPrivateCache(storage, key)).toEqual([card('a', 'A')])
    storage.setItem(privateCacheKey('m1', 'round_0', 'device-0000000001'), 'not json')
    expect(readPrivateCache(storage, privateCacheKey('m1', 'round_0', 'device-0000000001'))).toEqual([])
    storage.setItem(privateCacheKey('m2', 'round_9', 'device-0000000001'), '[]')
    forgetOtherRounds(storage, 'm1', 'round_1')
    expect(storage.getItem(privateCacheKey('m1', 'round_0', 'device-0000000001'))).toBeNull()
    expect(readPrivateCache(storage, key)).toHaveLength(1)
    expect(storage.getItem(privateCacheKey('m2', 'round_9', 'device-0000000001'))).toBe('[]')
    forgetOtherRounds(storage, 'm1', null)
    expect(storage.getItem(key)).toBeNull()
    expect(readPrivateCache(null, key)).toEqual([])
  })
})
