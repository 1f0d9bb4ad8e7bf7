/**
 * The public layout of a board's Y.Doc. Other tools read and write boards through it, so it is a contract:
 * - `Y.Array` named RECORDS_ARRAY holds tldraw document records as a y-utility `YKeyValue` ({ key: record id, val: record JSON });
 * - `Y.Map` named META_MAP holds, under SCHEMA_KEY, the serialized tldraw schema (`store.schema.serialize()`)
 *   of the client that last wrote records;
 * - `Y.Map` named FACILITATION_MAP (shared/src/facilitation/facilitationDoc.ts), written by the server only: the current
 *   vote's public state and the shared timer.
 */
export const RECORDS_ARRAY = 'records'
export const META_MAP = 'meta'
export const SCHEMA_KEY = 'schema'
