import { createTLSchema, type TLSchema } from '@tldraw/tlschema'
import type { SerializedSchemaV2 } from '../../../shared/src/boardSchema.ts'

let schema: TLSchema | null = null

/**
 * The tldraw schema of Tavolo boards, in Node: `@tldraw/tlschema`'s default shapes and bindings, the same record types
 * and migration sequences as the browser's `createBoardStore` (client/src/board/boardStore.ts; tested in
 * tests/unit/versionImport.test.ts), since the client bundle is built from the same package version. When the board
 * gets custom shapes, they must be added here too. Built once, on first use.
 */
export function boardSchema(): TLSchema {
  schema ??= createTLSchema()
  return schema
}

/**
 * The serialized form of the server's schema: the reference for which `meta.schema` values the server recognises
 * (sync SPEC R8), and what records migrated by the server are written with. A fresh object on every call.
 */
export function serverSerializedSchema(): SerializedSchemaV2 {
  return boardSchema().serialize() as SerializedSchemaV2
}
