import { createTLSchema } from '@tldraw/tlschema'
import type { SerializedSchemaV2 } from '../../../shared/src/boardSchema.ts'

let cached: SerializedSchemaV2 | null = null

/**
 * The serialized schema of the tldraw the server serves (the client bundle is built from the same package version):
 * the reference for which `meta.schema` values the server recognises (sync SPEC R8). Built once, on first use.
 */
export function serverBoardSchema(): SerializedSchemaV2 {
  cached ??= createTLSchema().serialize() as SerializedSchemaV2
  return cached
}
