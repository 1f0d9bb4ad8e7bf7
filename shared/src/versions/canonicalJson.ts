/**
 * Canonical JSON of a board's records, the input of a version's content hash (server/src/versions/SPEC.md V4): the
 * same board gives the same text whatever the order of its records in the Y.Array or of the keys in each record.
 * Pure; the server hashes the result with SHA-256.
 */

/** Replaces every plain object by a copy with sorted keys, as JSON.stringify walks the value. */
function sortKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key]
  return sorted
}

/** JSON with object keys sorted at every level; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  // undefined, functions and symbols have no JSON form: as inside arrays, they count as null
  return JSON.stringify(value, sortKeys) ?? 'null'
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Canonical JSON of a list of records (objects with a string `id`), sorted by id. `canonicalOf` may supply each
 * record's canonical JSON from a cache (it must equal `canonicalJson(record)`).
 */
export function canonicalRecordsJson(records: ReadonlyArray<{ id: string }>, canonicalOf: (record: { id: string }) => string = canonicalJson): string {
  const sorted = [...records].sort(byId)
  return `[${sorted.map((record) => canonicalOf(record)).join(',')}]`
}

/** Structural equality of two JSON values (key order ignored); what "unchanged" means for records. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  let count = 0
  for (const key in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, key) || ao[key] === undefined) continue
    count++
    if (!jsonEqual(ao[key], bo[key])) return false
  }
  for (const key in bo) if (Object.prototype.hasOwnProperty.call(bo, key) && bo[key] !== undefined) count--
  return count === 0
}
