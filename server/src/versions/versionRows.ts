import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import type { VersionKind, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import type { RestoreIntent } from './VersionStore.ts'

/**
 * The rows the SQL version stores (SQLite and PostgreSQL) read, and how they become the store's answers: one mapping
 * for both. The drivers differ only in types: SQLite answers a boolean as 0/1, node-postgres a BIGINT as a string.
 */
export interface SummaryRow {
  number: number
  label: string
  note: string | null
  kind: string
  author_name: string | null
  author_role: string | null
  created_at: string
  content_hash: string
  counts: string
  restored_from: number | null
  has_images: boolean | number
}

export interface IntentRow {
  id: number
  meeting_id: string
  restored_from: number
  target_hash: string
  author_name: string | null
  author_role: string | null
  created_at: string
  writer_client: number | string
  writer_clock: number | string
}

/** The columns of a SummaryRow, from `versions v`. */
export const SUMMARY_COLUMNS = `number, label, note, kind, author_name, author_role, created_at, content_hash, counts, restored_from,
  EXISTS (SELECT 1 FROM version_images i WHERE i.meeting_id = v.meeting_id AND i.number = v.number) AS has_images`

export function summaryOf(row: SummaryRow): VersionSummary {
  return {
    number: row.number,
    label: row.label,
    note: row.note,
    kind: row.kind as VersionKind,
    author: row.author_role === null ? null : { name: row.author_name, role: row.author_role as Role },
    createdAt: row.created_at,
    contentHash: row.content_hash,
    counts: JSON.parse(row.counts) as VersionSummary['counts'],
    restoredFrom: row.restored_from,
    hasImages: row.has_images === true || row.has_images === 1,
  }
}

export function intentOf(row: IntentRow): RestoreIntent {
  return {
    id: row.id,
    meetingId: row.meeting_id as MeetingId,
    restoredFrom: row.restored_from,
    targetHash: row.target_hash,
    author: row.author_role === null ? null : { name: row.author_name, role: row.author_role as Role },
    createdAt: row.created_at,
    writer: { clientId: Number(row.writer_client), clock: Number(row.writer_clock) },
  }
}
