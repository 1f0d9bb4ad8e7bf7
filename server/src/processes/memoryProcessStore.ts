import type { Process, ProcessStore } from './ProcessStore.ts'

/** The storage behind memory process stores: pass the same one to a new store to "re-open" it. */
export interface MemoryProcessStorage {
  /** JSON text per id, in insertion order: nothing a caller holds can reach a stored process (contract rule 1). */
  processes: Map<string, { seq: number; json: string }>
  lastSeq: number
}

export const createMemoryProcessStorage = (): MemoryProcessStorage => ({ processes: new Map(), lastSeq: 0 })

/** A ProcessStore in memory (tests, the contract suite). */
export function createMemoryProcessStore(storage: MemoryProcessStorage = createMemoryProcessStorage()): ProcessStore {
  const read = (id: string): Process | null => {
    const held = storage.processes.get(id)
    return held === undefined ? null : (JSON.parse(held.json) as Process)
  }
  return {
    async create(id, fields, now) {
      if (storage.processes.has(id)) throw new Error(`a process with id ${id} already exists`)
      const process: Process = { id, ...fields, createdAt: now, updatedAt: now }
      storage.processes.set(id, { seq: ++storage.lastSeq, json: JSON.stringify(process) })
      return read(id)!
    },
    async get(id) {
      return read(id)
    },
    async list() {
      return [...storage.processes.values()]
        .map((held) => ({ seq: held.seq, process: JSON.parse(held.json) as Process }))
        .sort((a, b) => (a.process.createdAt === b.process.createdAt ? b.seq - a.seq : a.process.createdAt < b.process.createdAt ? 1 : -1))
        .map((e) => e.process)
    },
    async update(id, fields, now) {
      const held = storage.processes.get(id)
      const current = read(id)
      if (held === undefined || current === null) return null
      const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
      storage.processes.set(id, { seq: held.seq, json: JSON.stringify({ ...current, ...given, updatedAt: now }) })
      return read(id)
    },
    async delete(id) {
      return storage.processes.delete(id)
    },
  }
}
