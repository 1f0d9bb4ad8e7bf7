/**
 * Canonical JSON of a board's records, the input of a version's content hash (server/src/versions/SPEC.md V4): the
 * same board gives the same text whatever the order of its records in the Y.Array or of the keys in each record.
 * Pure; the server hashes the result with SHA-256.
 */

/** JSON with object keys sorted at every level; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value)
    // undefined, functions and symbols have no JSON form: as inside arrays, they count as null
    return text === undefined ? 'null' : text
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
  return `{${entries.join(',')}}`
}

/** Canonical JSON of a list of records (objects with a string `id`), sorted by id. */
export function canonicalRecordsJson(records: ReadonlyArray<{ id: string }>): string {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return `[${sorted.map(canonicalJson).join(',')}]`
}
