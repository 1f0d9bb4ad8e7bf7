import { afterEach, describe, expect, it } from 'vitest'
import type { ProcessFields, ProcessStore } from '../../server/src/processes/ProcessStore.ts'

const fields = (over: Partial<ProcessFields> = {}): ProcessFields => ({
  title: 'Opificio di Comunità',
  description: 'Percorso partecipativo',
  decidimUrl: 'https://partecipa.example.org/processes/opificio',
  notSameActors: [],
  ...over,
})

export interface ProcessStoreUnderTest {
  store: ProcessStore
  /** A new store on the same storage, like a restarted process. */
  reopen: () => ProcessStore
  cleanup: () => void | Promise<void>
}

/** The ProcessStore contract (server/src/processes/ProcessStore.ts, rules 1-5); run against every implementation. */
export function runProcessStoreContract(name: string, make: () => ProcessStoreUnderTest) {
  describe(`ProcessStore contract: ${name}`, () => {
    let cleanup: () => void | Promise<void> = () => {}
    afterEach(() => cleanup())
    const setup = () => {
      const s = make()
      cleanup = s.cleanup
      return s
    }

    it('rule 1: creates and reads back a process; answers share nothing with the store', async () => {
      const { store } = setup()
      const created = await store.create('p1', fields(), '2026-01-01T00:00:00.000Z')
      expect(created).toEqual({ id: 'p1', ...fields(), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
      created.notSameActors.push({ meetingId: 'm', cardId: 'c' })
      created.title = 'changed'
      expect(await store.get('p1')).toEqual({ id: 'p1', ...fields(), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
      expect(await store.get('nope')).toBeNull()
      await expect(store.create('p1', fields(), '2026-01-01T00:00:00.000Z')).rejects.toThrow()
    })

    it('rule 2: lists newest first, ties in creation order reversed', async () => {
      const { store } = setup()
      await store.create('old', fields(), '2026-01-01T00:00:00.000Z')
      await store.create('new', fields(), '2026-02-01T00:00:00.000Z')
      await store.create('new2', fields(), '2026-02-01T00:00:00.000Z')
      expect((await store.list()).map((p) => p.id)).toEqual(['new2', 'new', 'old'])
    })

    it('rule 3: update replaces only the given fields; null clears; unknown → null', async () => {
      const { store } = setup()
      await store.create('p1', fields(), '2026-01-01T00:00:00.000Z')
      const notSame = [{ meetingId: 'm2', cardId: 'shape:x' }]
      const updated = await store.update('p1', { description: null, notSameActors: notSame }, '2026-01-02T00:00:00.000Z')
      expect(updated).toEqual({ id: 'p1', ...fields({ description: null, notSameActors: notSame }), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' })
      expect(await store.update('nope', { title: 'x' }, '2026-01-02T00:00:00.000Z')).toBeNull()
    })

    it('rules 4, 5: delete removes once; what is stored survives a re-open', async () => {
      const { store, reopen } = setup()
      await store.create('gone', fields(), '2026-01-01T00:00:00.000Z')
      await store.create('kept', fields({ notSameActors: [{ meetingId: 'm', cardId: 'c' }] }), '2026-01-01T00:00:00.000Z')
      expect(await store.delete('gone')).toBe(true)
      expect(await store.delete('gone')).toBe(false)
      const again = reopen()
      expect((await again.list()).map((p) => p.id)).toEqual(['kept'])
      expect((await again.get('kept'))?.notSameActors).toEqual([{ meetingId: 'm', cardId: 'c' }])
    })
  })
}
