import { canonicalJson } from '../../../shared/src/versions/canonicalJson.ts'
import type { BoardRecord, SerializedBoardSchema } from '../../../shared/src/versions/versionSchemas.ts'
import { serverSerializedSchema } from '../board/tldrawSchema.ts'
import { prepareBoard } from './boardSchema.ts'

/**
 * V1, V16: the schema a version is stored with is one its records satisfy. The doc's `meta.schema` normally is (every
 * client writes its schema with its records), but a board written before sync rule R17 may hold a schema that lies
 * (every sequence at 0: migrating current records through every migration fails, so the version could never be
 * restored or copied). When the records do not migrate from the doc's schema but are valid as they are under the
 * server's, the server's is stored. Only boards whose schema is not the server's pay for the check.
 */
export function schemaOfRecords(records: readonly BoardRecord[], docSchema: SerializedBoardSchema | null): SerializedBoardSchema {
  const ours = serverSerializedSchema()
  if (docSchema === null || canonicalJson(docSchema) === canonicalJson(ours)) return ours
  if (prepareBoard(records, docSchema).ok) return docSchema
  return prepareBoard(records, ours).ok ? ours : docSchema
}
