import * as Y from 'yjs'
import { META_MAP, RECORDS_ARRAY, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import { readRecordsEntry } from '../../../shared/src/board/recordsEntries.ts'
import { judgeSchema, judgeSchemaChange, type SerializedSchemaV2 } from '../../../shared/src/boardSchema.ts'
import type { UpdateJudge, UpdateRefusal } from '../sync/Room.ts'
import { UnplacedItem, decodeInsertions, type Insertion } from '../sync/updateInsertions.ts'

/**
 * The judge behind sync rule R17: an editor's update may insert into a board's doc only what the board's layout
 * (shared/src/boardDocument.ts) holds, so the whole update is refused, before anything of it is applied, when it
 * would insert
 * - into the records array anything but entries every reader can read (shared/src/board/recordsEntries.ts E1);
 * - into `meta` anything but `meta.schema`, and there only a schema the server recognises (boardSchema.ts S1-S4)
 *   that lowers none of the board's sequences and drops none (S5);
 * - anything anywhere else: another root type, a nested type, another kind of content;
 * or when it would delete the board's schema without writing one. Deleted content (what a client keeps of an item
 * someone deleted) carries nothing and is accepted where entries are.
 */
export function createBoardUpdateJudge(known: SerializedSchemaV2): UpdateJudge {
  return (doc, update) => {
    let decoded: ReturnType<typeof decodeInsertions>
    try {
      decoded = decodeInsertions(doc, update)
    } catch (error) {
      if (error instanceof UnplacedItem) return { reason: 'update depends on changes the board does not have', detail: error.message }
      throw error
    }
    const meta = doc.getMap<unknown>(META_MAP)
    const currentSchema = meta.get(SCHEMA_KEY)
    let writesSchema = false
    for (const insertion of decoded.insertions) {
      const verdict = judgeInsertion(insertion, known, currentSchema)
      if (verdict === 'schema') writesSchema = true
      else if (verdict !== null) return verdict
    }
    if (!writesSchema) {
      // Y.Map keeps a key's current value as the last item of its chain: deleting it removes the key
      const held = (meta as unknown as { _map: Map<string, Y.Item> })._map.get(SCHEMA_KEY)
      if (held !== undefined && !held.deleted && Y.isDeleted(decoded.deleteSet, held.id)) {
        return { reason: SCHEMA_REFUSAL, detail: 'the board schema would be removed' }
      }
    }
    return null
  }
}

/** The close reasons (stable; the details go to the log). */
const SCHEMA_REFUSAL = 'unrecognised board schema'
const ENTRY_REFUSAL = 'not a board record entry'
const LAYOUT_REFUSAL = 'not part of a board'

/** null: fine; 'schema': a fine write of `meta.schema`; otherwise why the update is refused. */
function judgeInsertion(insertion: Insertion, known: SerializedSchemaV2, currentSchema: unknown): UpdateRefusal | null | 'schema' {
  const { item, place, offset } = insertion
  if (place.kind === 'gone') return null
  if (place.kind === 'nested') return { reason: LAYOUT_REFUSAL, detail: 'a nested type' }
  const content = item.content
  if (place.root === RECORDS_ARRAY && place.sub === null) {
    if (content instanceof Y.ContentDeleted) return null
    if (!(content instanceof Y.ContentAny)) return { reason: ENTRY_REFUSAL, detail: `${content.constructor.name} in the records array` }
    for (let i = offset; i < content.arr.length; i++) {
      const reading = readRecordsEntry(content.arr[i])
      if (!reading.ok) return { reason: ENTRY_REFUSAL, detail: reading.reason }
    }
    return null
  }
  if (place.root === META_MAP && place.sub === SCHEMA_KEY) {
    if (content instanceof Y.ContentDeleted) return null
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return { reason: SCHEMA_REFUSAL, detail: 'not one value' }
    const value: unknown = content.arr[0]
    const verdict = judgeSchema(value, known)
    if (!verdict.ok) return { reason: SCHEMA_REFUSAL, detail: verdict.reason }
    const change = judgeSchemaChange(currentSchema, verdict.schema, known)
    if (!change.ok) return { reason: SCHEMA_REFUSAL, detail: change.reason }
    return 'schema'
  }
  return { reason: LAYOUT_REFUSAL, detail: `${place.root.slice(0, 40)}${place.sub === null ? '' : `.${place.sub.slice(0, 40)}`}` }
}
