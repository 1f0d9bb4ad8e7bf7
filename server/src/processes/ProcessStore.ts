import type { Process, ProcessFields } from '../../../shared/src/process/processSchemas.ts'

export type { Process, ProcessFields }

/**
 * Persistence of processes (issue 22; server/src/processes/SPEC.md). The meetings of a process are the meetings whose
 * `processId` names it (MeetingStore.listByProcess): a process row holds only its own fields. Promise-returning, so a
 * PostgreSQL implementation fits the same interface.
 *
 * Contract (checked by tests/unit/processStoreContract.ts against every implementation):
 * 1. `create` stores the process; `get` returns exactly what was stored and shares no mutable state with the store.
 * 2. `list` is newest first (creation time, then insertion order).
 * 3. `update` replaces only the given fields and `updatedAt`, null for an unknown process.
 * 4. `delete` removes the process (true), false when there was none.
 * 5. After re-opening the same storage everything stored is still there.
 */
export interface ProcessStore {
  create(id: string, fields: ProcessFields, now: string): Promise<Process>
  get(id: string): Promise<Process | null>
  list(): Promise<Process[]>
  update(id: string, fields: Partial<ProcessFields>, now: string): Promise<Process | null>
  delete(id: string): Promise<boolean>
}
