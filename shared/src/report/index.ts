/**
 * The meeting report (issue 10): `renderReport(data, { format: 'md' | 'html' | 'json' | 'decidim', locale })`
 * from `ReportData` (meeting fields, the version or live, `extractMaps(records)`, the version's SVG images, the
 * suggested attendee count). Every user-written text is escaped for its format (escape.ts). Pure.
 */
export { renderReport, REPORT_FORMATS, type DecidimClosePayload, type RenderedReport, type ReportFormat } from './renderReport.ts'
export { buildReportDocument, contributionsCount, type Block, type ReportData } from './reportDocument.ts'
export { escapeHtml, escapeMarkdown } from './escape.ts'
export { formatMeetingTime, REPORT_TIME_ZONE } from './reportWords.ts'
export { decidimCopyFields, decidimDateTime, parseDecidimPayload, reportHtmlToText, DECIDIM_FORM_FIELDS, type DecidimCopyField, type DecidimFormField } from './decidimForm.ts'
