/**
 * The meeting report from the server (`GET /api/meetings/:id/report`), fetched with the person's key (the key
 * travels in the Authorization header, never in a URL a browser could log or send as a Referer).
 */
import { z } from 'zod'
import type { ReportFormat } from '../../../shared/src/report/renderReport.ts'

// Only the message is read: the report may answer with error codes newer than this client knows.
const ErrorMessageSchema = z.object({ error: z.object({ message: z.string() }) })

/** `live`: the board as it is now; a number: that saved version; null: the latest saved version. */
export type ReportSource = 'live' | number | null

export type ReportResult =
  | { ok: true; text: string; contentType: string }
  | { ok: false; kind: 'network' }
  | { ok: false; kind: 'api'; status: number; message: string }

export function reportPath(meetingId: string, format: ReportFormat, source: ReportSource, locale: 'it' | 'en'): string {
  const params = new URLSearchParams({ format, locale })
  if (source !== null) params.set('version', String(source))
  return `/api/meetings/${encodeURIComponent(meetingId)}/report?${params.toString()}`
}

export async function fetchReport(meetingId: string, key: string, format: ReportFormat, source: ReportSource, locale: 'it' | 'en'): Promise<ReportResult> {
  let response: Response
  try {
    response = await fetch(reportPath(meetingId, format, source, locale), { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' })
  } catch {
    return { ok: false, kind: 'network' }
  }
  const text = await response.text().catch(() => null)
  if (text === null) return { ok: false, kind: 'network' }
  if (response.ok) return { ok: true, text, contentType: response.headers.get('content-type') ?? '' }
  let message = ''
  try {
    const body = ErrorMessageSchema.safeParse(JSON.parse(text))
    if (body.success) message = body.data.error.message
  } catch {
    // not our error vocabulary (a server without reports): the status says enough
  }
  return { ok: false, kind: 'api', status: response.status, message }
}

/**
 * The HTML report with the server's Content-Security-Policy as a <meta> tag: opened from a blob URL it no longer
 * has the server's headers, and no script may ever run in a page built from what people wrote on the board.
 */
export function withReportCsp(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`
  const head = /<head[^>]*>/i.exec(html)
  if (!head) return meta + html
  const at = head.index + head[0].length
  return html.slice(0, at) + meta + html.slice(at)
}

/** A file name for a downloaded report: the meeting's reference (or id) and the source. */
export function reportFileName(base: string, source: ReportSource, extension: string): string {
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'report'
  // Language-neutral, like the server's own names (tavolo-<ref>-v2.md): a file outlives the language it was saved in.
  const suffix = source === 'live' ? 'live' : source === null ? 'latest' : `v${source}`
  return `${safe}-${suffix}.${extension}`
}
