import { createHash } from 'node:crypto'
import { canonicalRecordsJson } from '../../../shared/src/versions/canonicalJson.ts'

/** SHA-256 (hex) of the canonical JSON of the records (SPEC V4); `canonicalOf` may answer from a cache. */
export function contentHashOf(records: ReadonlyArray<{ id: string }>, canonicalOf?: (record: { id: string }) => string): string {
  return createHash('sha256').update(canonicalRecordsJson(records, canonicalOf), 'utf8').digest('hex')
}
