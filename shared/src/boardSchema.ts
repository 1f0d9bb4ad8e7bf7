/**
 * Which serialized tldraw schemas may stand in a board's `meta.schema` (shared/src/boardDocument.ts). Pure.
 *
 * Every client migrates the records it reads from the schema written there (board SPEC B4). A schema that claims
 * versions the records do not have makes every client's migration fail or go wrong, so the whole board disappears
 * for everyone who loads it next, although the records are intact. The server therefore accepts a write of
 * `meta.schema` only when the schema is one it recognises (sync SPEC R8):
 * S1 it is a version-2 serialized schema: `{ schemaVersion: 2, sequences: { [sequenceId]: version } }`, nothing else;
 * S2 every sequence is one the server's tldraw knows, at a whole version between 0 and the server's own version
 *    (older versions are what older clients write and newer ones migrate; newer ones would come from a tldraw the
 *    server does not serve);
 * S3 it names every sequence the server knows except the ones added since (a schema that leaves sequences out makes
 *    clients migrate those record types from version 0, i.e. through every migration, over current records).
 *    Sequences the server knows but the schema lacks are tolerated only when `allowMissing` lists them.
 * S4 it is small: at most 200 sequences (tldraw 5.4 has 28).
 * S5 a board's schema never goes backwards: a new value names every sequence (known to the server) that the board's
 *    current schema names, each at the same version or a higher one. Records already migrated to a version cannot
 *    be read as if they were older: a schema with every sequence at 0 made every version saved under it
 *    unrestorable (issue 17, finding 7).
 */

export type SerializedSchemaV2 = {
  schemaVersion: 2
  sequences: Record<string, number>
}

export type SchemaVerdict = { ok: true; schema: SerializedSchemaV2 } | { ok: false; reason: string }

const MAX_SEQUENCES = 200

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Judges a value written to `meta.schema` against the schema the server knows (rules S1..S4). */
export function judgeSchema(
  value: unknown,
  known: SerializedSchemaV2,
  options: { allowMissing?: readonly string[] } = {},
): SchemaVerdict {
  if (!isPlainObject(value)) return { ok: false, reason: 'not an object' }
  const keys = Object.keys(value)
  if (value.schemaVersion !== 2) return { ok: false, reason: 'schemaVersion is not 2' }
  if (keys.some((k) => k !== 'schemaVersion' && k !== 'sequences')) return { ok: false, reason: 'unexpected fields' }
  const sequences = value.sequences
  if (!isPlainObject(sequences)) return { ok: false, reason: 'sequences is not an object' }
  const ids = Object.keys(sequences)
  if (ids.length > MAX_SEQUENCES) return { ok: false, reason: 'too many sequences' }
  for (const id of ids) {
    const version = sequences[id]
    const ours = Object.hasOwn(known.sequences, id) ? known.sequences[id] : undefined
    if (ours === undefined) return { ok: false, reason: `unknown sequence ${id.slice(0, 80)}` }
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
      return { ok: false, reason: `sequence ${id} has no whole version` }
    }
    if (version > ours) return { ok: false, reason: `sequence ${id} is newer (${version}) than the server's (${ours})` }
  }
  const allowMissing = new Set(options.allowMissing ?? [])
  for (const id of Object.keys(known.sequences)) {
    if (!Object.hasOwn(sequences, id) && !allowMissing.has(id)) return { ok: false, reason: `sequence ${id} is missing` }
  }
  return { ok: true, schema: { schemaVersion: 2, sequences: sequences as Record<string, number> } }
}

/** S5: judges a recognised schema about to replace the board's current `meta.schema` (whatever that holds). */
export function judgeSchemaChange(current: unknown, next: SerializedSchemaV2, known: SerializedSchemaV2): SchemaVerdict {
  if (!isPlainObject(current) || !isPlainObject(current.sequences)) return { ok: true, schema: next }
  for (const [id, version] of Object.entries(current.sequences)) {
    // only sequences the server knows count: a stored value with others must not block every later write
    if (!Object.hasOwn(known.sequences, id) || typeof version !== 'number') continue
    const after = Object.hasOwn(next.sequences, id) ? next.sequences[id] : undefined
    if (after === undefined) return { ok: false, reason: `sequence ${id} would be dropped` }
    if (after < version) return { ok: false, reason: `sequence ${id} would go back from ${version} to ${after}` }
  }
  return { ok: true, schema: next }
}
