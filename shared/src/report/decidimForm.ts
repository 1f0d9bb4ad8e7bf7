/**
 * The Decidim close-meeting payload as staff paste it into Decidim's admin form ("Chiudi" on the meeting), one field
 * at a time: the closing report ("Minuti") as rich text (HTML for the editor, plain text where HTML cannot go) and
 * the other fields as the plain values the form's inputs take. The names are the form's own (`closing_report`,
 * `attendees_count`, ...), so the copy buttons can say where each value goes. The JSON payload stays for the API.
 * Pure.
 */
import type { DecidimClosePayload } from './renderReport.ts'
import { REPORT_TIME_ZONE } from './reportWords.ts'

/** The close-meeting form's fields Tavolo fills, in the form's order. */
export const DECIDIM_FORM_FIELDS = ['closing_report', 'attendees_count', 'contributions_count', 'attending_organizations', 'proposal_ids', 'closed_at'] as const
export type DecidimFormField = (typeof DECIDIM_FORM_FIELDS)[number]

export interface DecidimCopyField {
  field: DecidimFormField
  /** What goes on the clipboard as text (and what the page shows). Empty when there is nothing to paste. */
  text: string
  /** Rich text for the clipboard (the closing report only): pasted into Decidim's editor it keeps headings and lists. */
  html?: string
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/**
 * Plain text of the report's own HTML fragment (renderHtmlFragment's tags only: headings, paragraphs, lists, strong,
 * figures): headings and paragraphs become lines with a blank line after them, list items "- " lines; tags go and
 * entities are decoded. For where rich text cannot be pasted.
 */
export function reportHtmlToText(html: string): string {
  return html
    .replace(/<figure>[\s\S]*?<\/figure>/g, '')
    .replace(/<li>/g, '- ')
    .replace(/<\/li>/g, '\n')
    .replace(/<\/(h[1-6]|p)>/g, '\n\n')
    .replace(/<\/ul>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** "15/09/2025 11:00": how Decidim's date-time picker takes the closing time, in the meeting's time zone. */
export function decidimDateTime(iso: string, timeZone = REPORT_TIME_ZONE): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`
}

/** The payload as the form's fields, in the form's order. */
export function decidimCopyFields(payload: DecidimClosePayload, timeZone = REPORT_TIME_ZONE): DecidimCopyField[] {
  return [
    { field: 'closing_report', text: reportHtmlToText(payload.closingReport), html: payload.closingReport },
    { field: 'attendees_count', text: String(payload.attendeesCount) },
    { field: 'contributions_count', text: String(payload.contributionsCount) },
    { field: 'attending_organizations', text: payload.attendingOrganizations },
    { field: 'proposal_ids', text: payload.proposalIds.join(', ') },
    { field: 'closed_at', text: decidimDateTime(payload.closedAt, timeZone) },
  ]
}

/** Reads a `format=decidim` answer; null when it is not one (the client then says so instead of copying junk). */
export function parseDecidimPayload(text: string): DecidimClosePayload | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  const ints = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0
  if (typeof v.closingReport !== 'string' || !ints(v.attendeesCount) || !ints(v.contributionsCount)) return null
  if (typeof v.attendingOrganizations !== 'string' || typeof v.closedAt !== 'string' || typeof v.closingVisible !== 'boolean') return null
  if (!Array.isArray(v.proposalIds) || !v.proposalIds.every(ints)) return null
  return {
    closingReport: v.closingReport,
    attendeesCount: v.attendeesCount as number,
    contributionsCount: v.contributionsCount as number,
    attendingOrganizations: v.attendingOrganizations,
    closedAt: v.closedAt,
    closingVisible: v.closingVisible,
    proposalIds: v.proposalIds as number[],
  }
}
